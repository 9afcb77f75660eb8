import datetime

from django.urls import path, register_converter

from timesheets import views


class MonthConverter:
    """``2026-03`` ↔ date(2026, 3, 1). A month that does not exist (2026-13) or lies outside the
    years the pages can step through (before 1900, after 2999) is a 404, never a date overflow."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> datetime.date:
        year, month = (int(part) for part in value.split("-"))
        if not 1900 <= year <= 2999:
            raise ValueError(value)  # no match → 404
        return datetime.date(year, month, 1)  # ValueError → no match → 404

    def to_url(self, value) -> str:
        if isinstance(value, datetime.date):
            return f"{value.year:04d}-{value.month:02d}"
        return str(value)


register_converter(MonthConverter, "yyyy_mm")

app_name = "timesheets"

urlpatterns = [
    path("czas-pracy/", views.time_week, name="time_week"),
    path("czas-pracy/obciazenie/", views.time_caseload, name="time_caseload"),
    path("czas-pracy/zestawienie/", views.time_summary, name="time_summary"),
    path("czas-pracy/zestawienie/eksport.<str:fmt>", views.time_summary_export, name="time_summary_export"),
    path("czas-pracy/zespol/<yyyy_mm:month>/", views.time_team_month, name="time_team_month"),
    path("czas-pracy/<int:user_id>/<yyyy_mm:month>/", views.time_worker_month, name="time_worker_month"),
]
