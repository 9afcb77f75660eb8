from django.apps import AppConfig


class MoprConfig(AppConfig):
    name = "mopr"
    verbose_name = "Organizacja"
