"""Issue 8.1: every look at a case, download, print and export is in the append-only access
log; the director and the auditor search it; a person's report of it (GDPR art. 15) is a PDF."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseDocument, StageTransition
from cases.procedure import Stage
from mopr.models import AccessLog, AppendOnlyError
from mopr.tests.factories import PASSWORD, CaseFactory, ContractFactory, MemberFactory, force_login_verified


@pytest.fixture
def case(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    MemberFactory(client=case.client, first_name="Zofia", last_name="Wiśniewska", pesel="", is_head=False)
    services.client_refresh_search(client=case.client)
    return case


def _as(username: str, address: str = "10.0.0.5") -> Client:
    client = Client(REMOTE_ADDR=address)
    assert client.login(username=username, password=PASSWORD)
    return client


def _rows(**filters):
    return list(AccessLog.objects.filter(**filters).order_by("pk"))


def test_opening_a_case_writes_who_what_when_and_from_where(case, p):
    before = timezone.now()
    _as("worker_a").get(reverse("cases:detail", args=[case.pk]))
    (row,) = _rows(action=AccessLog.Action.VIEW)
    assert row.user == p.worker_a and row.case == case and row.client_id == case.client_id
    assert row.address == "10.0.0.5" and row.at >= before and case.number in row.what


def test_a_refused_look_writes_nothing(case):
    assert _as("worker_a2").get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert not _rows(action=AccessLog.Action.VIEW)


@pytest.mark.parametrize(
    "url_name, what",
    [("cases:folder", "Teczka"), ("cases:karta_preview", "Podgląd karty"), ("contracts:detail", "Kontrakt")],
)
def test_every_page_of_a_case_is_logged(case, url_name, what):
    kwargs = {"pk": case.pk}
    if url_name == "contracts:detail":
        kwargs["contract_pk"] = ContractFactory(case=case).pk
    assert _as("auditor_a").get(reverse(url_name, kwargs=kwargs)).status_code == 200
    (row,) = _rows(action=AccessLog.Action.VIEW, case=case)
    assert row.what.startswith(what)


def test_downloading_a_scan_is_logged(case, p):
    document = services.document_upload(
        case=case,
        by=p.worker_a,
        document=CaseDocument(kind=CaseDocument.Kind.OTHER, description="Skan", document_date=timezone.localdate()),
        upload=SimpleUploadedFile("wywiad.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    response = _as("coordinator_a").get(reverse("cases:document", args=[case.pk, document.pk]))
    assert response.status_code == 200
    (row,) = _rows(action=AccessLog.Action.DOWNLOAD)
    assert row.case == case and f"Plik nr {document.pk}" in row.what and row.user.username == "coordinator_a"
    assert "wywiad" not in row.what  # a file name may hold a surname; the log keeps no names


def test_a_print_names_the_client(case):
    assert _as("worker_a").get(reverse("cases:karta_pdf", args=[case.pk])).status_code == 200
    (row,) = _rows(action=AccessLog.Action.PRINT)
    assert row.client_id == case.client_id


# --- searching the log ------------------------------------------------------------------------------------


def test_only_the_director_and_the_auditor_search_the_log(case):
    for username in ("worker_a", "coordinator_a", "head_a", "assistant_a", "outsider"):
        response = _as(username).get(reverse("access_log"))
        assert response.status_code == 403, username
        assert "dyrektor i kontroler" in response.content.decode()
    for username in ("director_a", "auditor_a"):
        assert _as(username).get(reverse("access_log")).status_code == 200


def test_the_log_shows_the_institutions_rows_only(case, org, p):
    _as("worker_a").get(reverse("cases:detail", args=[case.pk]))
    other = CaseFactory(region=org.region_b1, worker=p.outsider, accepted_at=timezone.now())
    _as("outsider").get(reverse("cases:detail", args=[other.pk]))
    page = _as("director_a").get(reverse("access_log")).content.decode()
    assert case.number in page
    assert other.number not in page


def test_the_filters_find_what_was_asked_and_the_search_itself_is_logged(case, p):
    _as("worker_a").get(reverse("cases:detail", args=[case.pk]))
    _as("worker_a_2", "10.9.9.9").get(reverse("cases:karta_pdf", args=[case.pk]))
    director = _as("director_a")
    today = timezone.localdate().isoformat()
    page = director.get(reverse("access_log"), {"action": "print", "date_from": today, "date_to": today})
    rows = list(page.context["page"])
    assert [r.user.username for r in rows] == ["worker_a_2"]
    by_address = list(director.get(reverse("access_log"), {"address": "10.9.9.9"}).context["page"])
    assert {r.user.username for r in by_address} == {"worker_a_2"}
    by_who = list(director.get(reverse("access_log"), {"who": "worker_a_2"}).context["page"])
    assert by_who and all(r.user == p.worker_a_2 for r in by_who)
    by_case = director.get(reverse("access_log"), {"case_number": case.number})
    assert all(r.case == case for r in by_case.context["page"])
    searches = _rows(action=AccessLog.Action.SEARCH, user=p.director_a)
    assert len(searches) == 4 and "Czynność: print" in searches[0].what


def test_a_wrong_filter_is_a_field_error_not_an_error_page(case):
    response = _as("auditor_a").get(
        reverse("access_log"), {"date_from": "2026-02-30", "date_to": "2020-01-01", "address": "nie-adres"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date_from"] and form.errors["address"]


# --- the person's report (GDPR art. 15) ------------------------------------------------------------------


def test_the_persons_report_lists_who_saw_their_data(case, p, tmp_path):
    _as("worker_a").get(reverse("cases:detail", args=[case.pk]))
    _as("coordinator_a").get(reverse("cases:karta_pdf", args=[case.pk]))
    director = _as("director_a")
    found = director.get(reverse("access_log"), {"q": "wisniewska"})  # folded: no Polish letters needed
    assert reverse("access_log_client_pdf", args=[case.client_id]) in found.content.decode()

    response = director.get(reverse("access_log_client_pdf", args=[case.client_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "raport.pdf"
    path.write_bytes(response.content)
    out = __import__("pathlib").Path("test-output")
    out.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(out / "art15")], check=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "INFORMACJA O DOSTĘPIE DO DANYCH OSOBOWYCH" in text
    assert "Wiśniewska" in text
    assert p.worker_a.get_full_name() in text and p.coordinator_a.get_full_name() in text
    flat = " ".join(text.split())
    assert "wgląd w" in flat and "wydruk" in flat
    printed = _rows(action=AccessLog.Action.PRINT, user=p.director_a)
    assert printed and printed[0].client_id == case.client_id


def test_the_report_of_another_institutions_person_is_not_found(case, org, p):
    other = CaseFactory(region=org.region_b1, worker=p.outsider)
    assert _as("director_a").get(reverse("access_log_client_pdf", args=[other.client_id])).status_code == 404


# --- append-only, the admin included ---------------------------------------------------------------------


def test_the_log_cannot_be_changed_or_deleted(case, p):
    _as("worker_a").get(reverse("cases:detail", args=[case.pk]))
    row = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    row.what = "zmienione"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().update(what="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


def test_the_admin_can_neither_change_nor_delete_the_logs(case, p, django_user_model):
    services.case_suspend(case=case, by=p.worker_a, reason="Pobyt w szpitalu")
    _as("worker_a").get(reverse("cases:detail", args=[case.pk]))
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "Zielone-kalosze-w-deszczu")
    client = Client()
    force_login_verified(client, admin)
    log_row = AccessLog.objects.first()
    transition = StageTransition.objects.filter(case=case).first()
    for model, obj in (("mopr_accesslog", log_row), ("cases_stagetransition", transition)):
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
        change = client.post(reverse(f"admin:{model}_change", args=[obj.pk]), {"what": "x"})
        assert change.status_code in (403, 200)
        assert client.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
        bulk = client.post(
            reverse(f"admin:{model}_changelist"), {"action": "delete_selected", "_selected_action": [obj.pk]}
        )
        assert bulk.status_code in (200, 302)
    log_row.refresh_from_db()
    assert log_row.what != "x"
    assert AccessLog.objects.filter(pk=log_row.pk).exists()
    assert StageTransition.objects.filter(pk=transition.pk).exists()


# --- issue 14.5: every page that shows a person, and every export, names them ---------------------


@pytest.mark.parametrize(
    "url_name, extra",
    [
        ("cases:member_edit", "member_pk"),
        ("cases:client_edit", None),
        ("contracts:evaluate", "contract_pk"),
        ("contracts:amend", "contract_pk"),
        ("contracts:end", "contract_pk"),
    ],
)
def test_the_pages_the_attack_found_unlogged_write_their_row(case, p, url_name, extra):
    kwargs = {"pk": case.pk}
    if extra == "member_pk":
        kwargs["member_pk"] = case.client.members.first().pk
    elif extra == "contract_pk":
        contract = ContractFactory(case=case)
        contract.status = contract.Status.SIGNED
        contract.save()
        kwargs["contract_pk"] = contract.pk
    assert _as("worker_a").get(reverse(url_name, kwargs=kwargs)).status_code == 200
    (row,) = _rows(action=AccessLog.Action.VIEW, case=case)
    assert row.client_id == case.client_id and case.number in row.what


def test_a_register_export_names_every_person_it_contained(case, p, org):
    from mopr.models import AccessLogSubject

    other = CaseFactory(region=org.region_a1)
    response = _as("coordinator_a").get(reverse("registers:register_export", args=["csv"]))
    b"".join(response.streaming_content)
    (row,) = _rows(action=AccessLog.Action.EXPORT)
    subjects = set(AccessLogSubject.objects.filter(log=row).values_list("case_id", "client_id"))
    assert subjects == {(case.pk, case.client_id), (other.pk, other.client_id)}
    # ... and the person's art. 15 report lists the export.
    report = _as("director_a").get(reverse("access_log_client_pdf", args=[case.client_id]))
    from mopr.selectors import client_access_report

    assert row in client_access_report(user=p.director_a, client=case.client)
    assert report.status_code == 200


def test_a_list_page_is_one_row_naming_each_person_on_it(case, p, org):
    from mopr.models import AccessLogSubject

    second = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now())
    _as("worker_a").get(reverse("cases:list"))
    (row,) = _rows(action=AccessLog.Action.VIEW)
    assert set(AccessLogSubject.objects.filter(log=row).values_list("case_id", flat=True)) == {case.pk, second.pk}


@pytest.mark.parametrize(
    "filters",
    [
        {"overdue": "tak"},
        {"overdue": "nie", "sort": "client"},
        {"q": "Nowak"},
        {"resigned": "tak"},
        {"status": "otwarte", "has_assistant": "nie"},
    ],
)
def test_an_export_with_any_filter_names_exactly_its_rows(case, p, org, filters):
    """The subjects are copied by the database from the export's own query, whatever filter it has."""
    import csv
    import io

    from mopr.models import AccessLogSubject

    CaseFactory(region=org.region_a1)
    response = _as("coordinator_a").get(reverse("registers:register_export", args=["csv"]), filters)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    numbers = {r[0] for r in rows[1:]}
    (row,) = _rows(action=AccessLog.Action.EXPORT)
    logged = set(AccessLogSubject.objects.filter(log=row).values_list("case__number", flat=True))
    assert logged == numbers
