from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Sprawy"

    def ready(self) -> None:
        from cases import signals, timeline

        # Every app's kinds of entry (its ``entry_kinds`` module) before the signals that read them.
        timeline.autodiscover()
        signals.connect()
