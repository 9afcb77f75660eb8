from django.urls import path

from streets import views

app_name = "streets"

urlpatterns = [
    path("osrodek/rejony/", views.regions, name="regions"),
    path("osrodek/rejony/nowy/", views.region_new, name="region_new"),
    path("osrodek/rejony/<int:pk>/", views.region_edit, name="region_edit"),
    path("osrodek/rejony/<int:pk>/ulice/", views.region_ranges, name="region_ranges"),
    path("osrodek/rejony/teryt/", views.teryt_import, name="teryt_import"),
]
