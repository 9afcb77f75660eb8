from django.apps import AppConfig


class TimesheetsConfig(AppConfig):
    name = "timesheets"
    verbose_name = "Czas pracy"
