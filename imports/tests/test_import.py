"""Issue 19.4: the import of clients and open cases from CSV/XLSX – the dry run says what would be
made and every row's error in Polish and keeps nothing; the import makes it through the intake's
services; a second run of the same file changes nothing."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from background.models import Job
from cases.models import Case, Client, ClientMember, DeadlineSummary, Report
from cases.procedure import Stage
from imports import services, table
from imports.models import ImportedRecord, ImportFile
from mopr.errors import DomainError, NotAllowed
from mopr.models import AccessLog
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory

HEAD = table.BY_KEY
COLUMNS = [c.key for c in table.COLUMNS]


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pesel(first10: str) -> str:
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    return first10 + str((10 - sum(int(d) * w for d, w in zip(first10, weights, strict=True)) % 10) % 10)


def family(external, people, **case):
    """Rows of one family: ``people`` as (first name, last name, PESEL[, relation])."""
    base = {"miejscowosc": "Toruń", "ulica": "Szeroka", "nr_domu": "3", "grupa_docelowa": "Rodziny z dziećmi",
            "data_zgloszenia": "2021-04-12", "forma_zgloszenia": "telefoniczne", "zglaszajacy": "Sąsiadka",
            "tresc_zgloszenia": "Rodzina prosi o pomoc."}  # fmt: skip
    base.update(case)
    rows = []
    for i, person in enumerate(people):
        row = {"id_zewnetrzny": external, "imie": person[0], "nazwisko": person[1], "pesel": person[2]}
        if len(person) > 3:
            row["pokrewienstwo"] = person[3]
        rows.append({**(base if i == 0 else {}), **row})
    return rows


def csv_bytes(rows, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def store_and_run(user, content, *, name="sprawy.csv", dry_run=False):
    stored = services.import_file_store(by=user, name=name, content=content)
    return stored, services.import_run(by=user, import_file=stored, dry_run=dry_run)


ANNA, JAN = ("Anna", "Kowalska", pesel("8504231234")), ("Jan", "Kowalski", pesel("1523011234"), "dziecko")
KOWALSCY = family("TT-1", [ANNA, JAN])
NOWAK = family("TT-2", [("Piotr", "Nowak", pesel("7001011234"))], ulica="Łódzka", grupa_docelowa="Osoby starsze",
               forma_zgloszenia="pisemne", zglaszajacy="", instytucja_zglaszajaca="Przychodnia")  # fmt: skip


def test_the_dry_run_says_what_would_be_made_and_keeps_nothing(org, p):
    before = (Client.objects.count(), Case.objects.count(), ClientMember.objects.count())
    stored, outcomes = store_and_run(p.director_a, csv_bytes(KOWALSCY + NOWAK), dry_run=True)
    assert [(o.external_id, o.rows, o.status, o.region) for o in outcomes] == [
        ("TT-1", "2–3", services.WOULD_CREATE, "RPŚ-1"),
        ("TT-2", "4", services.WOULD_CREATE, "RPŚ-2"),  # routed by the street table: Łódzka
    ]
    assert (Client.objects.count(), Case.objects.count(), ClientMember.objects.count()) == before
    assert not ImportedRecord.objects.exists()
    stored.refresh_from_db()
    assert stored.results_dry and len(stored.results) == 2


def test_the_import_makes_each_family_through_the_intake_and_a_second_run_changes_nothing(org, p):
    content = csv_bytes(KOWALSCY + NOWAK)
    _stored, outcomes = store_and_run(p.director_a, content)
    assert [o.status for o in outcomes] == [services.CREATED, services.CREATED]
    case = Case.objects.get(client__members__last_name="Kowalska")
    assert case.region == org.region_a1 and case.stage == Stage.ZGLOSZENIE and case.worker is None
    assert case.number.startswith("RPŚ-1/2021/")  # the year of the report it had
    assert outcomes[0].case_number == case.number
    assert case.client.kind == Client.Kind.FAMILY
    members = list(case.client.members.order_by("-is_head", "pk").values_list("first_name", "relation", "is_head"))
    assert members == [("Anna", "head", True), ("Jan", "child", False)]
    report = Report.objects.get(case=case)
    assert timezone.localdate(report.received_at) == datetime.date(2021, 4, 12)
    assert report.form == "phone" and report.reporter_name == "Sąsiadka" and not report.anonymous
    assert report.received_by == p.director_a
    # The histories name the importer; the deadline engine has the case.
    assert case.history.first().history_user == p.director_a
    assert DeadlineSummary.objects.filter(case=case).exists()
    # The timeline (and the karta) say where the case came from.
    from cases.timeline import case_timeline

    (line,) = [item for item in case_timeline(case=case) if item.kind == "imported"]
    assert line.title == "Sprawa przeniesiona z poprzedniego systemu" and "TT-1" in line.text
    nowak = Report.objects.get(case__client__members__last_name="Nowak")
    assert nowak.institution_name == "Przychodnia" and nowak.case.target_group == "elderly"

    counts = (Client.objects.count(), Case.objects.count(), ClientMember.objects.count(), Report.objects.count())
    _again, outcomes = store_and_run(p.director_a, content)
    assert [o.status for o in outcomes] == [services.UNCHANGED, services.UNCHANGED]
    assert outcomes[0].case_number == case.number
    assert (Client.objects.count(), Case.objects.count(), ClientMember.objects.count(),
            Report.objects.count()) == counts  # fmt: skip
    assert AccessLog.objects.filter(action=AccessLog.Action.IMPORT, what__contains="utworzono 2").count() == 1


def test_a_named_worker_is_given_the_case_to_accept_as_any_assigned_case(org, p):
    rows = family("TT-3", [("Ewa", "Lis", pesel("9002021234"))], pracownik="worker_a")
    _stored, outcomes = store_and_run(p.director_a, csv_bytes(rows))
    assert outcomes[0].status == services.CREATED
    case = Case.objects.get(number=outcomes[0].case_number)
    assert case.worker == p.worker_a and case.accepted_at is None and case.transferred_by == p.director_a


def test_the_system_administrator_imports_too_and_nobody_else(org, p, sysadmin):
    _stored, outcomes = store_and_run(sysadmin, csv_bytes(NOWAK))
    assert outcomes[0].status == services.CREATED
    for user in (p.coordinator_a, p.worker_a, p.head_a, p.first_contact_a, p.auditor_a):
        with pytest.raises(NotAllowed):
            services.import_file_store(by=user, name="x.csv", content=csv_bytes(NOWAK))


ERRORS = [
    ({"pesel": "85042312341"}, "wiersz 2, kolumna pesel: nieprawidłowy PESEL: cyfra kontrolna się nie zgadza."),
    ({"imie": ""}, "wiersz 2, kolumna imie: pole wymagane."),
    ({"grupa_docelowa": "Dzieci"}, "wiersz 2, kolumna grupa_docelowa: nieznana grupa"),
    ({"data_zgloszenia": "12/04/2021"}, "wiersz 2, kolumna data_zgloszenia: data ma postać RRRR-MM-DD"),
    ({"kod_pocztowy": "87100"}, "wiersz 2, kolumna kod_pocztowy: kod pocztowy ma postać NN-NNN."),
    ({"rejon": "RPŚ-9", "ulica": "Nieznana"}, "wiersz 2, kolumna rejon: nie ma rejonu o kodzie „RPŚ-9”."),
    ({"pracownik": "nikt"}, "wiersz 2, kolumna pracownik: nie ma aktywnego konta „nikt” w ośrodku."),
    # The intake's own rules, said by the services, at the row:
    ({"pracownik": "worker_a2"}, "wiersz 2, kolumna pracownik: "),  # a worker of RPŚ-2 for a Szeroka address
    ({"rejon": "RPŚ-2"}, "wiersz 2, kolumna rejon: Adres klienta (Szeroka) należy do rejonu RPŚ-1"),
    ({"ulica": "Nieznana"}, "wiersz 2, kolumna rejon: Nie rozpoznano rejonu dla tego adresu"),
    ({"data_zgloszenia": "2099-01-01"}, "wiersz 2, kolumna data_zgloszenia: Data zgłoszenia nie może"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), ERRORS)
def test_every_rows_error_is_said_in_polish_and_nothing_of_the_family_is_kept(org, p, change, message):
    rows = family("TT-9", [("Ewa", "Lis", pesel("9002021234"))])
    rows[0].update(change)
    before = (Client.objects.count(), ClientMember.objects.count(), Case.objects.count())
    for dry_run in (True, False):
        _stored, outcomes = store_and_run(p.director_a, csv_bytes(rows + NOWAK), dry_run=dry_run)
        assert outcomes[0].status == services.ERROR and outcomes[0].message.startswith(message), outcomes[0].message
        assert outcomes[1].status in (services.WOULD_CREATE, services.CREATED, services.UNCHANGED)
    assert (Client.objects.count(), ClientMember.objects.count(), Case.objects.count()) == (
        before[0] + 1, before[1] + 1, before[2] + 1)  # only Nowak  # fmt: skip


def test_rows_of_one_family_must_agree_and_one_pesel_appears_once(org, p):
    rows = family("TT-1", [("Anna", "Kowalska", pesel("8504231234")), ("Jan", "Kowalski", pesel("1523011234"))])
    rows[1]["ulica"] = "Mostowa"
    twin = family("TT-5", [("Anna", "Kowalska", pesel("8504231234"))])
    _stored, outcomes = store_and_run(p.director_a, csv_bytes(rows + twin), dry_run=True)
    differs = "wiersz 3, kolumna ulica: inna wartość niż w pierwszym wierszu tej rodziny (wiersz 2)."
    assert differs in outcomes[0].message
    assert outcomes[1].message == "wiersz 4, kolumna pesel: ten sam PESEL jest w wierszu 2 (TT-1)."


def test_a_person_already_in_the_records_is_not_made_twice(org, p):
    known = MemberFactory(pesel=pesel("7001011234"), client__institution=org.inst_a)
    CaseFactory(client=known.client, region=org.region_a2)
    _stored, outcomes = store_and_run(p.director_a, csv_bytes(NOWAK))
    assert outcomes[0].status == services.SKIPPED
    assert outcomes[0].message.startswith("wiersz 2: osoba o tym numerze PESEL jest już w kartotece ośrodka")
    assert ClientMember.objects.filter(pesel=known.pesel).count() == 1


def test_the_file_itself_is_refused_at_the_upload_when_it_is_not_the_template(org, p):
    with pytest.raises(DomainError, match="brakuje kolumn: id_zewnetrzny"):
        services.import_file_store(by=p.director_a, name="x.csv", content=b"imie;nazwisko\nA;B\n")
    with pytest.raises(DomainError, match="CSV albo XLSX"):
        services.import_file_store(by=p.director_a, name="x.pdf", content=b"%PDF-1.7")
    with pytest.raises(DomainError, match="XLSX"):
        services.import_file_store(by=p.director_a, name="x.xlsx", content=b"not a zip")
    assert not ImportFile.objects.exists()


def test_windows_1250_commas_and_a_spreadsheets_own_dates_are_read(org, p):
    content = csv_bytes(NOWAK, delimiter=",", encoding="cp1250")
    _stored, outcomes = store_and_run(p.director_a, content, dry_run=True)
    assert outcomes[0].status == services.WOULD_CREATE, outcomes[0].message

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    row = {**KOWALSCY[0], "data_zgloszenia": datetime.datetime(2021, 4, 12, 9, 30), "nr_domu": 3}
    sheet.append([row.get(key, "") for key in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    _stored, outcomes = store_and_run(p.director_a, out.getvalue(), name="sprawy.xlsx")
    assert outcomes[0].status == services.CREATED, outcomes[0].message
    report = Report.objects.get(case__number=outcomes[0].case_number)
    assert timezone.localtime(report.received_at).strftime("%d.%m.%Y %H:%M") == "12.04.2021 09:30"
    assert report.case.client.house_number == "3"  # a number cell is "3", not "3.0"


def test_the_template_reads_back_as_one_family_without_errors(org, p):
    families = table.families_read(table.template_dataset())
    assert len(families) == 1 and families[0].errors == [] and len(families[0].members) == 2


# --- the pages ---------------------------------------------------------------------------------------


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def test_from_the_upload_through_the_dry_run_to_the_import(client, org, p, django_capture_on_commit_callbacks,
                                                           run_worker):  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, p.director_a)
    url = reverse("imports:list")
    page = client.get(url).content.decode()
    assert "Nie wgrano jeszcze żadnego pliku" in page and "id_zewnetrzny" in page
    template = client.get(reverse("imports:template", args=["xlsx"]))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = SimpleUploadedFile("sprawy.csv", csv_bytes(KOWALSCY + NOWAK), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": upload})
    stored = ImportFile.objects.get()
    assert response["Location"] == reverse("imports:file", args=[stored.pk])
    run_worker()
    page = client.get(response["Location"]).content.decode()
    assert "zostanie utworzona" in page and "Importuj" in page and not Case.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[stored.pk]), {"action": "import"})
    run_worker()
    stored.refresh_from_db()
    assert stored.import_job.status == Job.Status.DONE and Case.objects.count() == 2
    page = client.get(reverse("imports:file", args=[stored.pk])).content.decode()
    assert "Wynik importu" in page and Case.objects.order_by("pk").first().number in page
    assert "Importuj</button>" not in page  # imported once; a second time goes through a new upload
    # The protocol of the run is the importer's file, logged when downloaded.
    client.get(reverse("background:job_download", args=[stored.import_job.pk]))
    assert AccessLog.objects.filter(action="export", what__startswith="Import spraw").count() == 1


def test_the_import_waits_for_its_dry_run_and_errors_show_at_the_field(client, org, p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    stored = services.import_file_store(by=p.director_a, name="s.csv", content=csv_bytes(NOWAK))
    with pytest.raises(DomainError, match="Najpierw próba importu"):
        services.import_start(by=p.director_a, import_file=stored, dry_run=False)
    login(client, p.director_a)
    bad = SimpleUploadedFile("s.csv", b"imie;nazwisko\n", content_type="text/csv")
    response = client.post(reverse("imports:list"), {"file": bad})
    assert response.status_code == 422
    assert "brakuje kolumn" in response.content.decode() and "Popraw zaznaczone pola" in response.content.decode()


def test_only_who_sets_the_centre_up_sees_the_pages_and_only_their_centres_files(client, org, p, sysadmin):
    stored = services.import_file_store(by=p.director_a, name="s.csv", content=csv_bytes(NOWAK))
    pages = [reverse("imports:list"), reverse("imports:file", args=[stored.pk]),
             reverse("imports:template", args=["csv"])]  # fmt: skip
    for user, status in [(p.director_a, 200), (sysadmin, 200), (p.coordinator_a, 403), (p.worker_a, 403),
                         (p.head_a, 403), (p.auditor_a, 403)]:  # fmt: skip
        login(client, user)
        assert [client.get(url).status_code for url in pages] == [status] * 3, user
    from mopr.models import Role
    from mopr.tests.factories import UserFactory

    other = UserFactory(username="director_b", institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    login(client, other)
    assert client.get(pages[1]).status_code == 404
    assert client.post(reverse("imports:confirm", args=[stored.pk]), {"action": "dry_run"}).status_code == 404


def test_the_documented_columns_are_the_ones_the_import_reads():
    from pathlib import Path

    from django.conf import settings

    from imports.docs import document_with_columns

    text = (Path(settings.BASE_DIR) / "docs" / "import.md").read_text("utf-8")
    assert text == document_with_columns(text), "run: python manage.py import_template_doc"
