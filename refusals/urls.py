from django.urls import path

from refusals import views

app_name = "refusals"

urlpatterns = [
    path("sprawy/<int:pk>/monitoring/", views.monitoring_case, name="monitoring_case"),
    path("sprawy/<int:pk>/monitoring/nowy/", views.monitoring_new, name="monitoring_new"),
    path("sprawy/<int:pk>/monitoring/<int:monitoring_pk>/plan/", views.monitoring_plan, name="monitoring_plan"),
    path(
        "sprawy/<int:pk>/monitoring/<int:monitoring_pk>/terminy/<int:date_pk>/",
        views.monitoring_date_done,
        name="monitoring_date_done",
    ),
    path(
        "sprawy/<int:pk>/monitoring/<int:monitoring_pk>/sprawozdanie/",
        views.monitoring_report,
        name="monitoring_report",
    ),
    path("sprawy/<int:pk>/monitoring/<int:monitoring_pk>/decyzja/", views.monitoring_decide, name="monitoring_decide"),
    path("sprawy/<int:pk>/monitoring/<int:monitoring_pk>/<slug:doc>.pdf", views.monitoring_pdf, name="monitoring_pdf"),
    path("monitoring/", views.monitoring_queue, name="monitoring_queue"),
]
