"""The entry pages, the case folder with its scans, and the deadlines page, through HTTP."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseDocument, Diagnosis, OfficialNote, Visit
from cases.procedure import Stage
from mopr.tests.factories import PASSWORD, CaseFactory, VisitFactory


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)


@pytest.fixture
def worker(client, p):
    client.login(username="worker_a", password=PASSWORD)
    return client


def entry_url(case, kind):
    return reverse("cases:entry_add", args=[case.pk, kind])


def test_every_entry_kind_has_a_page(worker, case):
    from cases.entry_views import ENTRY_KINDS

    for kind, spec in ENTRY_KINDS.items():
        response = worker.get(entry_url(case, kind))
        assert response.status_code == 200, kind
        assert str(spec.title) in response.content.decode()
    assert worker.get(entry_url(case, "nieznany")).status_code == 404


def test_visit_through_the_form(worker, case):
    when = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = worker.post(
        entry_url(case, "wizyta"),
        {"visited_at": when, "place": "home", "outcome": "met", "findings": "Dzieci zadbane."},
    )
    assert response.status_code == 302
    assert Visit.objects.get().author.username == "worker_a"
    page = worker.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Dzieci zadbane." in page and "Wizyta: spotkano klienta" in page


def test_bad_visit_shows_the_message_at_the_field(worker, case):
    response = worker.post(
        entry_url(case, "wizyta"), {"visited_at": "2999-01-01T10:00", "place": "other", "outcome": "met"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Data nie może być z przyszłości." in body
    response = worker.post(
        entry_url(case, "wizyta"),
        {"visited_at": "2026-01-01T10:00", "place": "other", "place_other": "", "outcome": "met"},
    )
    assert "Podaj, gdzie odbyła się wizyta." in response.content.decode()
    assert not Visit.objects.exists()


def test_summons_refused_without_refusal_says_why(worker, case):
    response = worker.post(
        entry_url(case, "wezwanie"),
        {"issued_on": timezone.localdate().isoformat(), "appointment_at": "2099-01-01T10:00"},
    )
    assert "po odmowie kontaktu" in response.content.decode()


def test_note_nothing_changed(worker, case):
    response = worker.post(
        entry_url(case, "notatka"),
        {"written_on": timezone.localdate().isoformat(), "nothing_changed": "on", "content": ""},
    )
    assert response.status_code == 302
    assert OfficialNote.objects.get().content == str(OfficialNote.NOTHING_CHANGED)


def test_diagnosis_form_closes_as_unfounded(worker, case, p):
    VisitFactory(case=case)
    from cases import services

    case = services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a)
    url = reverse("cases:diagnosis_add", args=[case.pk])
    data = {
        "diagnosed_on": timezone.localdate().isoformat(), "facts": "Fakty", "resources": "Zasoby",
        "decision": "no_problem", "justification": "", "version": case.version, "problem_areas": ["poverty", "other"],
    }  # fmt: skip
    response = worker.post(url, data)
    assert "Uzasadnij" in response.content.decode()
    response = worker.post(url, data | {"justification": "Nie potwierdzono.", "problem_other": "zadłużenie"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ZAKONCZENIE and Diagnosis.objects.get().problem_areas == ["poverty", "other"]


def test_stale_diagnosis_form_is_refused(worker, case, p):
    VisitFactory(case=case)
    from cases import services

    case = services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a)
    data = {
        "diagnosed_on": timezone.localdate().isoformat(), "facts": "F", "resources": "Z", "decision": "social_work",
        "version": case.version - 1,
    }  # fmt: skip
    response = worker.post(reverse("cases:diagnosis_add", args=[case.pk]), data)
    assert "zmieniona przez inną osobę" in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_flag_pages(worker, case):
    response = worker.post(
        reverse("cases:flag_add", args=[case.pk]),
        {"kind": "niebieska_karta", "started_on": timezone.localdate().isoformat(), "started_by": "Policja"},
    )
    assert response.status_code == 302
    listing = worker.get(reverse("cases:list")).content.decode()
    assert "Niebieska Karta" in listing  # the flag shows in the lists
    flag = case.flags.get()
    response = worker.post(reverse("cases:flag_remove", args=[case.pk, flag.pk]), {"reason": ""})
    assert "To pole jest wymagane." in response.content.decode()
    worker.post(reverse("cases:flag_remove", args=[case.pk, flag.pk]), {"reason": "Zakończona procedura"})
    assert worker.get(reverse("cases:flag_remove", args=[case.pk, flag.pk])).status_code == 404


# --- the folder ------------------------------------------------------------------------------------------


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def upload(client, case, name, content, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"kind": "other", "description": "Skan pisma", "document_date": timezone.localdate().isoformat()}
    data.update(extra)
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("cases:folder", args=[case.pk]), data)


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("pismo sądu – Łódź.pdf", b"%PDF-1.7\n...", True),
        ("zdjęcie.JPG", b"\xff\xd8\xff\xe0....", True),
        ("skan.png", b"\x89PNG\r\n\x1a\n....", True),
        ("umowa.docx", _docx(), True),
        ("skrypt.exe", b"MZ....", False),
        ("udaje.pdf", b"<html><script>alert(1)</script>", False),  # the right extension, the wrong content
        ("udaje.docx", b"PK\x03\x04 not really a zip", False),
        ("pusty.pdf", b"", False),
    ],
)
def test_upload_types(worker, case, name, content, ok):
    response = upload(worker, case, name, content)
    assert (response.status_code == 302) is ok, response.content.decode()[:2000]
    assert CaseDocument.objects.exists() is ok
    if ok:
        document = CaseDocument.objects.get()
        assert document.original_name == name
        assert "/static/" not in document.file.path and document.file.name.startswith(f"cases/{case.pk}/")


def test_upload_too_big(worker, case, settings):
    settings.MAX_UPLOAD_MB = 1
    response = upload(worker, case, "duzy.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1))
    assert "za duży" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_download_keeps_the_name_and_asks_the_policy(worker, client, case, p):
    upload(worker, case, "wyrok sądu.pdf", b"%PDF-1.4 wyrok")
    document = CaseDocument.objects.get()
    url = reverse("cases:document", args=[case.pk, document.pk])
    response = worker.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 wyrok"
    assert "attachment" in response["Content-Disposition"] and "wyrok" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    client.logout()
    client.login(username="worker_a2", password=PASSWORD)  # another region
    assert client.get(url).status_code == 404


def test_folder_filters_by_kind(worker, case, p):
    VisitFactory(case=case, findings="Wizyta w domu")
    from cases import services

    services.note_write(
        case=case, by=p.worker_a, note=OfficialNote(written_on=timezone.localdate(), content="Notatka X")
    )
    url = reverse("cases:folder", args=[case.pk])
    both = worker.get(url).content.decode()
    assert "Wizyta w domu" in both and "Notatka X" in both
    only_notes = worker.get(url, {"rodzaj": ["note", "nonsense"]}).content.decode()
    assert "Notatka X" in only_notes and "Wizyta w domu" not in only_notes


def test_folder_upload_by_a_reader_is_refused(client, case, p):
    client.login(username="auditor_a", password=PASSWORD)
    assert client.get(reverse("cases:folder", args=[case.pk])).status_code == 200
    assert upload(client, case, "a.pdf", b"%PDF-1").status_code == 403


# --- deadlines -------------------------------------------------------------------------------------------


def test_deadlines_page_and_overdue_mark(worker, client, case, p):
    VisitFactory(case=case, outcome=Visit.Outcome.CHILD_ABSENT, visited_at=timezone.now() - datetime.timedelta(days=30))
    page = worker.get(reverse("cases:deadlines")).content.decode()
    assert "Powtórna wizyta" in page and case.number in page and "po terminie" in page
    assert "Po terminie" in worker.get(reverse("cases:list")).content.decode()
    client.logout()
    client.login(username="coordinator_a", password=PASSWORD)
    assert case.number in client.get(reverse("cases:deadlines")).content.decode()
    client.logout()
    client.login(username="worker_a2", password=PASSWORD)
    assert case.number not in client.get(reverse("cases:deadlines")).content.decode()
