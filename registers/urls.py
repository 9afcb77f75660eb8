from registers import urls_monitoring, urls_time

app_name = "registers"

urlpatterns = [*urls_monitoring.urlpatterns, *urls_time.urlpatterns]
