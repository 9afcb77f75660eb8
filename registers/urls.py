from django.urls import path

from registers import views

app_name = "registers"

urlpatterns = [
    path("rejestr/", views.register_page, name="register"),
    path("rejestr/eksport.<str:fmt>", views.register_export, name="register_export"),
    path("statystyka/", views.statistics_page, name="statistics"),
    path("statystyka/eksport.<str:fmt>", views.statistics_export, name="statistics_export"),
    path("pulpit/", views.dashboard, name="dashboard"),
]
