"""The case file to hand over (issue 19.5): the whole teczka of a case as one ZIP – the index,
the karta, every printout, the scans, the letter that handed the documentation on – through the
policy, logged. The index's pages land as PNG in test-output/pdf/ – look at them."""

import csv
import datetime
import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.case_file import CSV_NAME, INDEX_NAME, case_file_write, slug
from cases.models import Case, CaseDocument, DocumentationTransfer, Notification, OfficialNote, Summons, Visit
from cases.procedure import Stage
from cases.tests.test_printouts import save_pngs, text_of
from cases.tests.test_timeline_registry import assisted  # noqa: F401 - the fixture
from contracts import services as services_contracts
from mopr.errors import NotAllowed
from mopr.models import AccessLog
from mopr.pdf import ascii_filename
from mopr.tests.factories import PASSWORD, CaseFactory, ContractFactory, MemberFactory, ReportFactory
from mopr.tests.pdfa import pdfa_problems

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"  # a scan: not a page to count


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the storage follows the setting
    return tmp_path / "media"


@pytest.fixture
def teczka(org, p, media):
    """A case with a report, a refused visit and its summons, a notification, a scan, a contract, an
    Oświadczenie, and – after the family moved out – the letter handing the documentation on."""
    today = timezone.localdate()
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE,
                       transferred_at=timezone.now(), transferred_by=p.coordinator_a)  # fmt: skip
    head = case.client.head
    head.first_name, head.last_name = "Łucja", "Żółkiewska"
    head.save()
    ReportFactory(case=case, received_by=p.worker_a, content="Dzieci same w domu.")
    refused = services.visit_record(
        case=case, by=p.worker_a, visit=Visit(visited_at=timezone.now(), outcome=Visit.Outcome.REFUSED)
    )
    services.summons_issue(
        case=case, by=p.worker_a,
        summons=Summons(visit=refused, issued_on=today, appointment_at=timezone.now() + datetime.timedelta(days=7)),
    )  # fmt: skip
    notification = Notification(
        service=Notification.Service.POLICE, service_name="KMP Toruń", reason="Brak kontaktu.", sent_on=today,
        sent_how=Notification.SentHow.LETTER,
    )  # fmt: skip
    services.notification_send(case=case, by=p.worker_a, notification=notification)
    services.document_upload(
        case=case, by=p.worker_a,
        document=CaseDocument(kind=CaseDocument.Kind.COURT, description="Postanowienie sądu", document_date=today),
        upload=SimpleUploadedFile("Postanowienie Sądu – Żółkiewska.PDF", PDF, content_type="application/pdf"),
    )  # fmt: skip
    ContractFactory(case=case)
    MemberFactory(client=case.client, is_head=False, relation="child", first_name="Zośka", last_name="Żółkiewska",
                  birth_date=today - datetime.timedelta(days=4 * 365), in_foster_care=True)  # fmt: skip
    services_contracts.declaration_record(case=case, by=p.worker_a, parent=head, id_card="ABA300000", signed_on=today)
    DocumentationTransfer.objects.create(
        case=case, author=p.worker_a, sent_on=today, addressee_text="MOPS w Gdańsku\nul. Długa 1",
        new_address="ul. Długa 5, Gdańsk", enclosures="Karta Pracy Socjalnej (kopia)\nWezwanie (kopia)",
    )  # fmt: skip
    return case


def build(case, user) -> tuple[zipfile.ZipFile, list]:
    out = io.BytesIO()
    parts = case_file_write(user=user, case=case, out=out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue())), parts


def test_the_zip_holds_the_index_the_karta_every_printout_the_scans_and_the_letter(teczka, p, tmp_path):
    archive, _parts = build(teczka, p.worker_a)
    names = archive.namelist()
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert names[0] == "01_karta_pracy_socjalnej.pdf"
    assert INDEX_NAME in names and CSV_NAME in names
    expected = {
        "notatka_ze_zgloszenia", "wezwanie", "zawiadomienie", "kontrakt_socjalny_nr_1", "oswiadczenie",
        "przekazanie_dokumentacji",
    }  # fmt: skip
    printed = {name[3:].rsplit("_", 1)[0] for name in names if name.endswith(".pdf") and "/" not in name}
    assert expected <= printed, printed
    assert f"05_wezwanie_{today}.pdf" in names or any(n.endswith(f"_wezwanie_{today}.pdf") for n in names)
    # The scan under skany/ with its own extension (lower case) and an ASCII name.
    scans = [n for n in names if n.startswith("skany/")]
    assert len(scans) == 1 and scans[0].endswith(f"_postanowienie_sadu_zolkiewska_{today}.pdf"), scans
    assert archive.read(scans[0]) == PDF
    # Every name ASCII and unique; every printout a real PDF/A.
    assert all(n.isascii() for n in names) and len(set(names)) == len(names)
    for name in names:
        if name.endswith(".pdf") and not name.startswith("skany/"):
            assert pdfa_problems(archive.read(name)) == [], name
    # The moving-out letter is there as its own printout says it.
    letter = next(n for n in names if "przekazanie_dokumentacji" in n)
    assert "PRZEKAZANIE DOKUMENTACJI PRACY SOCJALNEJ" in text_of(archive.read(letter), tmp_path)


def test_the_index_lists_every_file_with_its_name_date_and_pages(teczka, p, tmp_path):
    archive, parts = build(teczka, p.worker_a)
    files = [n for n in archive.namelist() if n not in (INDEX_NAME, CSV_NAME)]
    assert [part.name for part in parts] == files  # the ZIP's order is the index's
    assert [part.number for part in parts] == list(range(1, len(parts) + 1))
    assert all(part.name.startswith(f"{part.number:02d}_") or part.name.startswith(f"skany/{part.number:02d}_")
               for part in parts)  # fmt: skip
    index = " ".join(text_of(archive.read(INDEX_NAME), tmp_path).split())
    assert "SPIS DOKUMENTÓW TECZKI SPRAWY" in index
    assert teczka.number in index and "Żółkiewska" in index and p.worker_a.get_full_name() in index
    for part in parts:
        assert part.title.split(" – ")[0] in index, part.title
        assert part.name.split("/")[-1][:20] in index.replace(" ", ""), part.name
        if not part.name.startswith("skany/"):  # the test's scan is a PDF of no page
            with pikepdf.open(io.BytesIO(archive.read(part.name))) as document:
                assert part.pages == len(document.pages) > 0, part.name
    rows = list(csv.reader(io.StringIO(archive.read(CSV_NAME).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Lp.", "Plik", "Dokument", "Data"]
    assert [r[1] for r in rows[1:]] == files
    assert pdfa_problems(archive.read(INDEX_NAME)) == []
    save_pngs(archive.read(INDEX_NAME), "case-file-index")


def test_polish_slugs():
    assert slug("Wezwanie do ośrodka") == "wezwanie_do_osrodka"
    assert slug("ŻÓŁĆ źdźbło – Łódź/../x.pdf") == "zolc_zdzblo_lodz_x_pdf"
    assert slug("???") == "dokument"
    assert len(slug("ą" * 200)) == 60


def test_a_scan_missing_on_disk_is_listed_as_missing_not_a_500(teczka, p, media, client, tmp_path):
    document = teczka.documents.get()
    (media / document.file.name).unlink()
    client.login(username="worker_a", password=PASSWORD)
    response = client.post(reverse("cases:case_file", args=[teczka.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert not [n for n in archive.namelist() if n.startswith("skany/")]
    index = " ".join(text_of(archive.read(INDEX_NAME), tmp_path).split())
    assert "BRAK – brak pliku na serwerze" in index and "(nie dołączono)" in index
    rows = list(csv.reader(io.StringIO(archive.read(CSV_NAME).decode("utf-8-sig")), delimiter=";"))
    assert any(r[-1].startswith("BRAK") and r[1].startswith("skany/") for r in rows[1:])
    save_pngs(archive.read(INDEX_NAME), "case-file-index-missing-scan")


# --- who may, and the access log ------------------------------------------------------------------------

# The worker who runs the case, the region's coordinator, the director: the centre's act (the policy's
# user_may_export_case_file). Who sees the case but may not: 403; who does not see it: 404.
ALLOWED = {"worker_a", "coordinator_a", "director_a"}
SEES = {"worker_a_2", "head_a", "auditor_a"}
HIDDEN = {"worker_a2", "assistant_a", "first_contact_a", "benefits_a", "outsider", "coordinator_b"}


@pytest.mark.parametrize("persona", sorted(ALLOWED | SEES | HIDDEN))
def test_who_may_have_the_case_file(client, teczka, persona):
    client.login(username=persona, password=PASSWORD)
    page = client.get(reverse("cases:case_file", args=[teczka.pk]))
    detail = client.get(reverse("cases:detail", args=[teczka.pk]))
    button = reverse("cases:case_file", args=[teczka.pk])
    if persona in ALLOWED:
        assert page.status_code == 200
        assert button in detail.content.decode()  # the case page offers it exactly then
    elif persona in SEES:
        assert page.status_code == 403
        assert detail.status_code == 200 and button not in detail.content.decode()
    else:
        assert page.status_code == 404


def test_refused_by_the_service_too(teczka, p):
    for user in (p.auditor_a, p.head_a, p.worker_a_2, p.outsider):
        with pytest.raises(NotAllowed):
            case_file_write(user=user, case=teczka, out=io.BytesIO())
    teczka.anonymised_at = timezone.now()
    with pytest.raises(NotAllowed):
        case_file_write(user=p.director_a, case=teczka, out=io.BytesIO())


def test_the_download_is_one_export_row_and_the_timeline_shows_nothing_new(client, teczka, p):
    from cases.timeline import case_timeline

    before = len(case_timeline(case=teczka))
    client.login(username="coordinator_a", password=PASSWORD)
    since = AccessLog.objects.count()
    response = client.post(reverse("cases:case_file", args=[teczka.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="teczka-{ascii_filename(teczka.number)}.zip"'
    b"".join(response.streaming_content)
    rows = list(AccessLog.objects.order_by("pk")[since:])
    assert len(rows) == 1, [(r.action, r.what) for r in rows]
    row = rows[0]
    assert row.action == AccessLog.Action.EXPORT and row.user == p.coordinator_a
    assert row.case_id == teczka.pk and row.client_id == teczka.client_id
    assert row.what.startswith("Teczka sprawy (ZIP") and teczka.number in row.what
    assert len(case_timeline(case=teczka)) == before


def test_the_page_lists_what_the_file_will_hold(client, teczka):
    client.login(username="worker_a", password=PASSWORD)
    page = client.get(reverse("cases:case_file", args=[teczka.pk])).content.decode()
    for text in ("Karta Pracy Socjalnej", "Wezwanie", "Zawiadomienie", "Kontrakt socjalny nr 1", "Oświadczenie",
                 "Przekazanie dokumentacji", "Postanowienie sądu"):  # fmt: skip
        assert text in page, text


def test_the_queries_do_not_grow_with_the_entries(teczka, p, django_assert_max_num_queries):
    """A fixed number per kind of entry and printout: 40 more notes and 5 more summonses add none."""

    def fresh():  # as the view reads it
        return Case.objects.select_related("client", "region", "worker", "institution").get(pk=teczka.pk)

    with django_assert_max_num_queries(65) as few:
        case_file_write(user=p.worker_a, case=fresh(), out=io.BytesIO())
    today = timezone.localdate()
    for i in range(40):
        OfficialNote.objects.create(case=teczka, author=p.worker_a, written_on=today, content=f"Notatka {i}")
    refused = teczka.visits.first()
    for _i in range(5):
        Summons.objects.create(case=teczka, author=p.worker_a, visit=refused, issued_on=today,
                               appointment_at=timezone.now())  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        case_file_write(user=p.worker_a, case=fresh(), out=io.BytesIO())


def test_the_assistants_and_the_monitorings_printouts_come_from_their_apps(assisted, p, media, tmp_path):  # noqa: F811
    """Each app declares its printouts (the registry's ``printouts``): the core names none of them."""
    archive, parts = build(assisted, p.director_a)
    names = archive.namelist()
    for expected in (
        "pismo_przydzielajace_asystenta", "sprawozdanie_miesieczne_asystenta", "karta_pracy_z_rodzina",
        "notatka_dla_dyrektora", "oswiadczenie_o_rezygnacji_z_pomocy",
    ):  # fmt: skip
        assert any(expected in name for name in names), expected
    assert not [part for part in parts if part.missing]
    card = next(n for n in names if "karta_pracy_z_rodzina" in n)
    assert "Pierwsza wizyta." in text_of(archive.read(card), tmp_path)
