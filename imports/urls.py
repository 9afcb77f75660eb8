from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("osrodek/import/", views.import_list, name="list"),
    path("osrodek/import/wzor.<str:fmt>", views.import_template, name="template"),
    path("osrodek/import/<int:pk>/", views.import_file, name="file"),
    path("osrodek/import/<int:pk>/uruchom/", views.import_confirm, name="confirm"),
]
