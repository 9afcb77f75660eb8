from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("sprawy/", views.case_list, name="list"),
    path("sprawy/<int:pk>/", views.case_detail, name="detail"),
    path("sprawy/<int:pk>/etap/", views.case_transition, name="transition"),
    path("sprawy/<int:pk>/przydziel/", views.case_assign, name="assign"),
    path("sprawy/<int:pk>/przyjmij/", views.case_accept, name="accept"),
    path("sprawy/<int:pk>/zgloszenia/<int:report_pk>/weryfikacja/", views.report_verify, name="verify"),
    path("sprawy/<int:pk>/klient/", views.client_edit, name="client_edit"),
    path("sprawy/<int:pk>/rodzina/dodaj/", views.member_edit, name="member_add"),
    path("sprawy/<int:pk>/rodzina/<int:member_pk>/", views.member_edit, name="member_edit"),
    path("zgloszenia/nowe/", views.intake, name="intake"),
    path("zgloszenia/kolejka/", views.queue, name="queue"),
]
