from django.urls import path

from staffing import views

app_name = "staffing"

urlpatterns = [
    path("zastepstwa/", views.covers, name="covers"),
    path("zastepstwa/<int:pk>/zakoncz/", views.cover_end, name="cover_end"),
    path("przekazanie-spraw/", views.handover, name="handover"),
]
