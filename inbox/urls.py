from django.urls import path

from inbox import views

app_name = "inbox"

urlpatterns = [
    path("powiadomienia/", views.notice_list, name="list"),
    path("powiadomienia/<int:pk>/", views.notice_open, name="open"),
    path("powiadomienia/przeczytane/", views.notices_read, name="read"),
    path("powiadomienia/podsumowanie/", views.digest_choose, name="digest"),
]
