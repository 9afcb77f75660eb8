from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Sprawy"

    def ready(self) -> None:
        from cases import signals

        signals.connect()
