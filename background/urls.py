from django.urls import path

from background import views

app_name = "background"

urlpatterns = [
    path("pliki/", views.job_list, name="jobs"),
    path("pliki/<int:pk>/", views.job_detail, name="job"),
    path("pliki/<int:pk>/pobierz/", views.job_download, name="job_download"),
]
