from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Prace w tle"

    def ready(self):
        from background import kinds

        kinds.autodiscover()
