# Two commands for a fresh clone: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test lint format browser bench migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

## run: install, migrate the embedded SQLite database, load the demo data once, serve on $(HOST)
run: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true $(BIN)/python manage.py runserver $(HOST)

## test: lint, unit, view and browser tests (installs the system Chromium where it is missing)
test: $(VENV)/.installed-dev browser lint
	DEBUG=true DATABASE_URL= $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

browser:
	@bash scripts/ensure-browser

migrate: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=true $(BIN)/python manage.py seed_demo

## bench: server-side timings in a database of its own (BENCH_DATABASE_URL; default var/bench.sqlite3)
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench.sqlite3
bench: $(VENV)/.installed-dev
	mkdir -p var
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=false SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=testserver \
	  SECURE_SSL_REDIRECT=false $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=false SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=testserver \
	  SECURE_SSL_REDIRECT=false $(BIN)/python manage.py bench

clean:
	rm -rf $(VENV) test-output var/test-uploads
