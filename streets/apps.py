from django.apps import AppConfig


class StreetsConfig(AppConfig):
    name = "streets"
    verbose_name = "Ulice i rejony (TERYT ULIC)"
