from django.urls import path

from assistants import views

app_name = "assistants"

urlpatterns = [
    path("sprawy/<int:pk>/asystent/<slug:path>/", views.request_new, name="request_new"),
    path("asystenci/wnioski/", views.request_queue, name="queue"),
    path("asystenci/wnioski/<int:pk>/", views.request_detail, name="request"),
    path("asystenci/wnioski/<int:pk>/rozeznanie/", views.request_interview, name="interview"),
    path("asystenci/wnioski/<int:pk>/opinia/", views.request_opinion, name="opinion"),
    path("asystenci/wnioski/<int:pk>/decyzja/", views.request_decide, name="decide"),
    path("asystenci/wnioski/<int:pk>/przydzial/", views.request_assign, name="assign"),
    path("asystenci/wnioski/<int:pk>/odpowiedz.pdf", views.reply_pdf, name="reply_pdf"),
    path("asystenci/", views.my_families, name="mine"),
    path("asystenci/czas-pracy/", views.time_report, name="time_report"),
    path("asystenci/upowaznienia/", views.authorisations, name="authorisations"),
    path("asystenci/przydzialy/<int:pk>/", views.assignment_detail, name="assignment"),
    path("asystenci/przydzialy/<int:pk>/pismo.pdf", views.letter_pdf, name="letter_pdf"),
    path("asystenci/przydzialy/<int:pk>/karta.pdf", views.work_card_pdf, name="work_card_pdf"),
    path("asystenci/przydzialy/<int:pk>/<slug:kind>/<int:doc_pk>.pdf", views.document_pdf, name="document_pdf"),
    path("asystenci/czas-pracy/<int:report_pk>.pdf", views.time_report_pdf, name="time_report_pdf"),
    path("asystenci/przydzialy/<int:pk>/zakoncz/", views.assignment_end, name="end"),
    path("asystenci/przydzialy/<int:pk>/<slug:kind>/dodaj/", views.work_add, name="work_add"),
    path("asystenci/zmiany/<int:pk>/", views.change_close, name="change_close"),
]
