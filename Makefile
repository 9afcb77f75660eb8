# Two commands for a fresh clone: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run demo-env test lint format browser bench loadtest migrate demo static clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

## static: collect the static files under content-hashed names into STATIC_ROOT (issue 20.4), again only when
##         a file of static/ (or the installed packages) changed; every run with DEBUG=false needs the manifest.
##         ~10 s the first time (brotli and gzip of every file but the print TTFs), nothing after.
STATIC_ROOT ?= $(CURDIR)/staticfiles
export STATIC_ROOT
STATIC_MANIFEST := $(STATIC_ROOT)/staticfiles.json
static: $(STATIC_MANIFEST)
$(STATIC_MANIFEST): $(shell find static -type f) $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py collectstatic --noinput -v0
	touch $@

## run: install, migrate the embedded SQLite database, load the demo data once, serve on $(HOST)
##      The demo runs as production does (issue 20.6): DEBUG=false, so an unknown address or a refusal shows the
##      application's Polish page and the static files are the collected, hashed ones; only plain http on this
##      machine is allowed for (a demo SECRET_KEY, no HTTPS redirect, HSTS or Secure cookies). ALLOWED_HOSTS:
##      yours, localhost and HOST's name (for 0.0.0.0 this machine's name and addresses).
##      make run DEBUG=true: Django's debug pages (the traceback, the URL list of a 404) for a developer.
DEBUG ?= false
comma := ,
empty :=
space := $(empty) $(empty)
HOST_NAME = $(firstword $(subst :, ,$(HOST)))
HOST_PORT = $(lastword $(subst :, ,$(HOST)))
# Served on every interface: the names the other machines use, this machine's name and IPv4 addresses.
HERE = $(shell hostname 2>/dev/null) $(foreach a,$(shell hostname -I 2>/dev/null),$(if $(findstring :,$(a)),,$(a)))
DEMO_NAME = $(if $(filter 0.0.0.0,$(HOST_NAME)),$(firstword $(HERE) 127.0.0.1),$(HOST_NAME))
DEMO_HOSTS = $(subst $(space),$(comma),$(sort $(subst $(comma), ,$(ALLOWED_HOSTS)) 127.0.0.1 localhost \
	$(if $(filter 0.0.0.0,$(HOST_NAME)),$(HERE),$(HOST_NAME))))
DEMO_ENV = DEBUG=$(DEBUG) SECRET_KEY=demo-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=$(DEMO_HOSTS) \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
	SITE_URL=http://$(DEMO_NAME):$(HOST_PORT)
run: $(VENV)/.installed static
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	@# The background worker (large exports, long statistics) runs beside the server and stops with it.
	$(DEMO_ENV) $(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST)

## demo-env: the environment `make run` gives the server (mopr/tests/test_demo.py reads it)
demo-env:
	@echo $(DEMO_ENV)

## test: lint, unit, view and browser tests (installs the system Chromium where it is missing)
test: $(VENV)/.installed-dev static browser lint
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

demo: migrate static
	DEBUG=true $(BIN)/python manage.py seed_demo

## bench: fill a database of its own with BENCH_SIZE cases (once) and measure server-side times
##        make bench BENCH_SIZE=1000    (quick)
##        BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/mopr_bench make bench
BENCH_SIZE ?= 100000
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench-$(BENCH_SIZE).sqlite3
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) DB_CONN_MAX_AGE=60 DEBUG=false SECRET_KEY=bench-only-not-secret-0123456789abcdefghijklmnop \
	ALLOWED_HOSTS=testserver,127.0.0.1,localhost SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false \
	CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 EXPORT_IMMEDIATE_MAX_ROWS=1000000
bench: $(VENV)/.installed-dev static
	mkdir -p var
	$(BENCH_ENV) $(BIN)/python manage.py bench --size $(BENCH_SIZE) $(BENCH_ARGS)

## loadtest: gunicorn on 127.0.0.1:8765 against the bench database, 20 locust users for 60 s
LOADTEST_PORT ?= 8765
loadtest: $(VENV)/.installed-dev static
	mkdir -p var
	$(BENCH_ENV) $(BIN)/python manage.py bench --size $(BENCH_SIZE) --fill-only
	$(BENCH_ENV) BENCH_SIZE=$(BENCH_SIZE) LOADTEST_PORT=$(LOADTEST_PORT) bash loadtest/run

clean:
	rm -rf $(VENV) test-output var/test-uploads
