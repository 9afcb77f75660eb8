from django.urls import path

from cases import (
    appointment_views,
    case_file_views,
    correction_views,
    entry_views,
    merge_views,
    print_views,
    problem_area_views,
    retention_views,
    transfer_views,
    views,
)

app_name = "cases"

urlpatterns = [
    path("sprawy/", views.case_list, name="list"),
    path("sprawy/<int:pk>/", views.case_detail, name="detail"),
    path("sprawy/<int:pk>/etap/", views.case_transition, name="transition"),
    path("sprawy/<int:pk>/przydziel/", views.case_assign, name="assign"),
    path("sprawy/<int:pk>/przyjmij/", views.case_accept, name="accept"),
    path("sprawy/<int:pk>/przenies/", transfer_views.case_move, name="move"),
    path("sprawy/<int:pk>/spotkania/nowe/", appointment_views.appointment_new, name="appointment_new"),
    path("sprawy/<int:pk>/wezwania/<int:summons_pk>/odwolaj/", appointment_views.summons_cancel, name="summons_cancel"),
    path(
        "sprawy/<int:pk>/spotkania/<int:appointment_pk>/przeloz/",
        appointment_views.appointment_change,
        {"moving": True},
        name="appointment_move",
    ),
    path(
        "sprawy/<int:pk>/spotkania/<int:appointment_pk>/odwolaj/",
        appointment_views.appointment_change,
        {"moving": False},
        name="appointment_cancel",
    ),
    path("zgloszenia/przeniesienia/<int:transfer_pk>/", transfer_views.move_decide, name="move_decide"),
    path("sprawy/<int:pk>/zgloszenia/<int:report_pk>/weryfikacja/", views.report_verify, name="verify"),
    path("sprawy/<int:pk>/klient/", views.client_edit, name="client_edit"),
    path("sprawy/<int:pk>/grupa-docelowa/", views.target_group_edit, name="target_group"),
    path("sprawy/<int:pk>/rodzina/dodaj/", views.member_edit, name="member_add"),
    path("sprawy/<int:pk>/klient/scal/", merge_views.client_merge_view, name="client_merge"),
    path("sprawy/<int:pk>/rodzina/<int:member_pk>/", views.member_edit, name="member_edit"),
    path("zgloszenia/nowe/", views.intake, name="intake"),
    path("zgloszenia/kolejka/", views.queue, name="queue"),
    path("osrodek/obszary-problemowe/", problem_area_views.problem_areas, name="problem_areas"),
    path("sprawy/retencja/", retention_views.retention_list, name="retention"),
    path("karty/archiwum/", print_views.karta_archive, name="karta_archive"),
    path("sprawy/retencja/anonimizuj/", retention_views.retention_anonymise, name="retention_anonymise"),
]

urlpatterns += [
    path("sprawy/<int:pk>/wpisy/<slug:kind>/dodaj/", entry_views.entry_add, name="entry_add"),
    path(
        "sprawy/<int:pk>/wpisy/<slug:kind>/<int:entry_pk>/sprostuj/",
        correction_views.entry_correct,
        name="entry_correct",
    ),
    path(
        "sprawy/<int:pk>/wpisy/<slug:kind>/<int:entry_pk>/wycofaj/",
        correction_views.entry_withdraw,
        name="entry_withdraw",
    ),
    path("sprawy/<int:pk>/diagnoza/", entry_views.diagnosis_add, name="diagnosis_add"),
    path("sprawy/<int:pk>/oznaczenia/dodaj/", entry_views.flag_add, name="flag_add"),
    path("sprawy/<int:pk>/oznaczenia/<int:flag_pk>/zdejmij/", entry_views.flag_remove, name="flag_remove"),
    path(
        "sprawy/<int:pk>/zawiadomienia/<int:notification_pk>/odpowiedz/",
        entry_views.notification_answer,
        name="notification_answer",
    ),
    path("sprawy/<int:pk>/teczka/", entry_views.case_folder, name="folder"),
    path("sprawy/<int:pk>/teczka/<int:document_pk>/", entry_views.document_download, name="document"),
    path("terminy/", entry_views.my_deadlines, name="deadlines"),
]

urlpatterns += [
    path("sprawy/<int:pk>/karta.pdf", print_views.karta_pdf, name="karta_pdf"),
    path("sprawy/<int:pk>/karta/podglad/", print_views.karta_preview, name="karta_preview"),
    path("sprawy/<int:pk>/teczka-do-przekazania/", case_file_views.case_file, name="case_file"),
    path("sprawy/<int:pk>/wezwania/<int:summons_pk>/pdf/", print_views.summons_pdf, name="summons_pdf"),
    path(
        "sprawy/<int:pk>/przekazanie-dokumentacji/<int:transfer_pk>/pdf/",
        print_views.documentation_transfer_pdf,
        name="documentation_transfer_pdf",
    ),
    path(
        "sprawy/<int:pk>/przekazanie-dokumentacji/",
        transfer_views.documentation_transfer_new,
        name="documentation_transfer",
    ),
    path("sprawy/<int:pk>/zgloszenia/<int:report_pk>/notatka.pdf", print_views.report_pdf, name="report_pdf"),
    path(
        "sprawy/<int:pk>/zawiadomienia/<int:notification_pk>/pdf/",
        print_views.notification_pdf,
        name="notification_pdf",
    ),
]
