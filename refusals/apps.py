from django.apps import AppConfig


class RefusalsConfig(AppConfig):
    name = "refusals"
    verbose_name = "Środowiska odmawiające pomocy"
