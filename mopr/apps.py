from django.apps import AppConfig


class MoprConfig(AppConfig):
    name = "mopr"
    verbose_name = "Organizacja"

    def ready(self):
        # Logins, failed logins and logouts go to the access log (mopr/signals.py).
        from mopr import (
            signals,  # noqa: F401
            start,
        )

        # Every app's panels of the start page (its ``start_panels`` module).
        start.autodiscover()
