"""What the tests ask of the project as a whole."""

from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings


def own_apps() -> list[AppConfig]:
    """The project's own apps (those under BASE_DIR), found rather than listed: lists of app names in
    the tests went stale when registers was split into four apps (issue 18.7)."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        app
        for app in apps.get_app_configs()
        # Not the libraries of a virtualenv inside the checkout (django.forms is an app too).
        if Path(app.path).resolve().is_relative_to(base) and "site-packages" not in Path(app.path).parts
    ]
