from django.urls import path

from registers import urls_monitoring, urls_time
from registers.views import dashboards, meetings, register, statistics

app_name = "registers"

urlpatterns = [
    path("rejestr/", register.register_page, name="register"),
    path("rejestr/eksport.<str:fmt>", register.register_export, name="register_export"),
    path("statystyka/", statistics.statistics_page, name="statistics"),
    path("statystyka/eksport.<str:fmt>", statistics.statistics_export, name="statistics_export"),
    path("pulpit/", dashboards.dashboard, name="dashboard"),
    path("spotkania/", meetings.meeting_list, name="meetings"),
    path("spotkania/nowe/<int:region_pk>/", meetings.meeting_new, name="meeting_new"),
    path("spotkania/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("spotkania/<int:pk>/notatka.pdf", meetings.meeting_pdf, name="meeting_pdf"),
    path("kontrole/", meetings.inspection_list, name="inspections"),
    path("kontrole/nowa/<int:region_pk>/", meetings.inspection_new, name="inspection_new"),
    path("kontrole/<int:pk>/", meetings.inspection_detail, name="inspection"),
    path("kontrole/<int:pk>/protokol.pdf", meetings.inspection_pdf, name="inspection_pdf"),
    *urls_monitoring.urlpatterns,
    *urls_time.urlpatterns,
]
