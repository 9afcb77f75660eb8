from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = "Rejestry i koordynacja"

    def ready(self):
        from registers import columns, statistics

        columns.autodiscover()
        statistics.autodiscover()
