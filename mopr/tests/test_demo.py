"""The demo speaks Polish everywhere (issue 20.6): `make run` serves with DEBUG=false, as production does, so
an unknown address shows the application's own 404 page, not Django's English debug page listing every URL.

The environment is the one `make run` gives the server (`make demo-env` prints it; the run recipe uses the
same variable): the settings module is read with it in a clean process, and the pages are asked for with
those values.
"""

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from mopr.tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
KEYS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "WHITENOISE_USE_FINDERS",
    "SITE_URL",
]
ENGLISH = ("Page not found", "Using the URLconf", "Django tried these URL patterns", "Forbidden")


def _make(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is missing")
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    result = subprocess.run(["make", "-s", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_env() -> dict[str, str]:
    return dict(item.split("=", 1) for item in shlex.split(_make("demo-env")))


@pytest.fixture(scope="module")
def demo(demo_env) -> dict:
    """The settings as `make run`'s server reads them."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{k: getattr(settings, k) for k in {KEYS!r}}}))"
    )
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **demo_env}
    env["DJANGO_SETTINGS_MODULE"] = "mopr.settings"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def as_in_the_demo(settings, demo):
    for key, value in demo.items():
        setattr(settings, key, value)
    return settings


def test_make_run_serves_with_debug_off_over_plain_http(demo_env, demo):
    assert demo_env["DEBUG"] == "false" and demo["DEBUG"] is False
    assert {"127.0.0.1", "localhost"} <= set(demo["ALLOWED_HOSTS"])
    # Plain http on this machine: no redirect to https, cookies that a http page can keep, no HSTS.
    assert demo["SECURE_SSL_REDIRECT"] is False and demo["SECURE_HSTS_SECONDS"] == 0
    assert demo["SESSION_COOKIE_SECURE"] is False and demo["CSRF_COOKIE_SECURE"] is False
    # The static files are the collected, hashed ones (make run depends on make static).
    assert demo["WHITENOISE_USE_FINDERS"] is False
    assert demo["SITE_URL"] == "http://127.0.0.1:8000"
    # And the server of `make run` gets exactly this environment.
    env = " ".join(f"{k}={v}" for k, v in demo_env.items())
    assert f"{env} .venv/bin/python manage.py runserver 127.0.0.1:8000" in _make("-n", "run")


def test_the_host_given_to_make_run_is_allowed():
    env = dict(item.split("=", 1) for item in shlex.split(_make("demo-env", "HOST=mopr.lan:9000")))
    assert "mopr.lan" in env["ALLOWED_HOSTS"].split(",") and env["SITE_URL"] == "http://mopr.lan:9000"


@pytest.mark.django_db
def test_an_unknown_address_in_the_demo_is_the_polish_404(client, p, as_in_the_demo):
    for logged_in in (False, True):
        if logged_in:
            client.login(username="worker_a", password=PASSWORD)
        response = client.get("/nie-ma-takiej-strony/", HTTP_HOST="127.0.0.1")
        page = response.content.decode()
        assert response.status_code == 404
        assert "Nie znaleziono strony" in page and '<html lang="pl">' in page
        assert not any(english in page for english in ENGLISH), page[:400]


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_a_refusal_is_the_polish_403_in_the_demo_and_with_debug(client, p, as_in_the_demo, debug):
    """Django uses handler403 even with DEBUG: `make run DEBUG=true` refuses in Polish too."""
    as_in_the_demo.DEBUG = debug
    client.login(username="worker_a", password=PASSWORD)
    response = client.get(reverse("institution_settings"), HTTP_HOST="127.0.0.1")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Brak uprawnień" in page and not any(english in page for english in ENGLISH)
