from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("spotkania/", views.meeting_list, name="meetings"),
    path("spotkania/nowe/<int:region_pk>/", views.meeting_new, name="meeting_new"),
    path("spotkania/<int:pk>/", views.meeting_detail, name="meeting"),
    path("spotkania/<int:pk>/notatka.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("kontrole/", views.inspection_list, name="inspections"),
    path("kontrole/nowa/<int:region_pk>/", views.inspection_new, name="inspection_new"),
    path("kontrole/<int:pk>/", views.inspection_detail, name="inspection"),
    path("kontrole/<int:pk>/protokol.pdf", views.inspection_pdf, name="inspection_pdf"),
]
