from django.urls import path

from registers import urls_monitoring, urls_time
from registers.views import register

app_name = "registers"

urlpatterns = [
    path("rejestr/", register.register_page, name="register"),
    path("rejestr/eksport.<str:fmt>", register.register_export, name="register_export"),
    *urls_monitoring.urlpatterns,
    *urls_time.urlpatterns,
]
