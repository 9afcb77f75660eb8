"""The settings module reads the environment and fails loudly on nonsense."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="mopr.example.pl",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "tak"])
def test_debug_accepts_only_true_or_false(value):
    result = manage("check", DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="x")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_polish_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "pl" and settings.TIME_ZONE == "Europe/Warsaw"
    from django.utils import formats, translation

    with translation.override("pl"):
        import datetime

        assert formats.date_format(datetime.date(2023, 12, 21), "SHORT_DATE_FORMAT") == "21.12.2023"
