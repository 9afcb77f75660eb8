"""Printouts: the karta's sections read back from the PDF, PDF/A, the URL fetcher, the time
limit, who may print and the log, and the pages as PNG for a person to look at."""

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Diagnosis, InstitutionContact, Notification, OfficialNote, ReportForm, Visit
from cases.procedure import Stage
from mopr import pdf_worker
from mopr.models import AccessLog
from mopr.tests.factories import PASSWORD, CaseFactory, ContractFactory, MemberFactory, ReportFactory

OUT = Path(__file__).resolve().parents[2] / "test-output" / "pdf"


def text_of(content: bytes, tmp_path) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(raw.split())


def save_pngs(content: bytes, name: str) -> list[Path]:
    """Render the PDF's pages to PNG in test-output/pdf/ (look at them)."""
    OUT.mkdir(parents=True, exist_ok=True)
    source = OUT / f"{name}.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(source), str(OUT / name)], check=True)
    return sorted(OUT.glob(f"{name}-*.png"))


@pytest.fixture
def full_case(org, p):
    """A case through stages I–IV with an entry of every kind and a contract."""
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE,
                       transferred_at=timezone.now(), transferred_by=p.coordinator_a)  # fmt: skip
    head = case.client.members.get()
    head.first_name, head.last_name, head.pesel = "Łucja", "Żółkiewska", "44051401359"
    head.save()
    four_years_ago = timezone.localdate() - datetime.timedelta(days=4 * 365)
    child = MemberFactory(
        client=case.client, is_head=False, relation="child", first_name="Zośka", last_name="Żółkiewska",
        birth_date=four_years_ago,
    )  # fmt: skip
    ReportFactory(case=case, form=ReportForm.PHONE, anonymous=True, reporter_name="", content="Dzieci płaczą nocą.",
                  received_by=p.first_contact_a, needs_verification=True)  # fmt: skip
    services.visit_record(
        case=case,
        by=p.worker_a,
        visit=Visit(
            visited_at=timezone.now() - datetime.timedelta(days=2),
            outcome=Visit.Outcome.MET,
            findings="Mieszkanie zadbane.",
        ),
    )
    services.institution_contact_record(
        case=case,
        by=p.worker_a,
        contact=InstitutionContact(
            kind=InstitutionContact.Kind.DISTRICT_CLINIC,
            member=child,
            contacted_on=timezone.localdate(),
            form=InstitutionContact.Form.PHONE,
            learnt="Szczepienia aktualne.",
        ),
    )
    services.notification_send(
        case=case,
        by=p.worker_a,
        notification=Notification(
            service=Notification.Service.POLICE,
            service_name="Komisariat Policji Toruń-Śródmieście",
            reason="Prośba o informację o interwencjach.",
            sent_on=timezone.localdate(),
            sent_how=Notification.SentHow.LETTER,
        ),
    )
    services.note_write(
        case=case, by=p.worker_a, note=OfficialNote(written_on=timezone.localdate(), content="Ojciec podjął pracę.")
    )
    for report in case.reports.all():
        services.report_verify(report=report, by=p.worker_a, note="Potwierdzone w czasie wizyty.")
    case = services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a)
    services.diagnosis_record(
        case=case,
        by=p.worker_a,
        diagnosis=Diagnosis(
            diagnosed_on=timezone.localdate(),
            facts="Trudności wychowawcze, zadłużenie.",
            resources="Wsparcie babci.",
            problem_areas=["care_upbringing", "poverty"],
            decision=Diagnosis.Decision.SOCIAL_WORK,
            justification="Potrzebny kontrakt socjalny.",
        ),
    )
    case.refresh_from_db()
    ContractFactory(case=case, drafted_on=timezone.localdate(), signed_on=timezone.localdate(),
                    period_from=timezone.localdate())  # fmt: skip
    return case


def test_karta_has_every_section_with_dates_and_authors(client, full_case, p, tmp_path):
    client.login(username="auditor_a", password=PASSWORD)
    response = client.get(reverse("cases:karta_pdf", args=[full_case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content, tmp_path)
    worker = p.worker_a.get_full_name()
    today = timezone.localdate().strftime("%d.%m.%Y")
    for expected in [
        "KARTA PRACY SOCJALNEJ Z OSOBĄ LUB RODZINĄ",
        "Dane klienta", "Łucja Żółkiewska", "PESEL 44051401359", "Zośka Żółkiewska",
        "1. Opis zgłoszenia", "Forma zgłoszenia: telefoniczne", "osoba anonimowa", "Dzieci płaczą nocą.",
        f"przyjął(a): {p.first_contact_a.get_full_name()}",
        "Zweryfikowano",
        "2. Przekazanie zgłoszenia do realizacji", f"({p.coordinator_a.get_full_name()})", "podpis koordynatora",
        "3. Ustalenie sytuacji klienta", "źródło: wizyta (miejsce zamieszkania klienta)", "Mieszkanie zadbane.",
        "źródło: przychodnia rejonowa (telefon)", "Szczepienia aktualne.", "Ojciec podjął pracę.",
        "4. Diagnoza i ocena", "Trudności wychowawcze, zadłużenie.",
        "bezradność w sprawach opiekuńczo-wychowawczych, ubóstwo",
        "5. Uwagi / wnioski", "potrzebna praca socjalna", "Zawiadomienie: Policja – Prośba o informację",
        "6. Rejestracja dalszych działań", "Etap: IV. Praca socjalna", "Kontrakt socjalny nr 1: sporządzenie",
        "Kontrakt socjalny nr 1: podpisanie",
        f"{today} · {worker}", "strona 1 z", f"Wydrukował(a) {p.auditor_a.get_full_name()}",
        "Sprawa " + full_case.number, full_case.institution.name,
    ]:  # fmt: skip
        assert expected in text, expected
    log = AccessLog.objects.get(action=AccessLog.Action.PRINT)
    assert (log.user, log.action, log.case) == (p.auditor_a, AccessLog.Action.PRINT, full_case)
    assert save_pngs(response.content, "karta")


def test_karta_is_pdf_a(client, full_case, tmp_path):
    client.login(username="worker_a", password=PASSWORD)
    content = client.get(reverse("cases:karta_pdf", args=[full_case.pk])).content
    path = tmp_path / "k.pdf"
    path.write_bytes(content)
    xmp = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r'pdfaid:part="3"|<pdfaid:part>3<', xmp)  # PDF/A-3b identification
    assert re.search(r'pdfaid:conformance="B"|<pdfaid:conformance>B<', xmp)
    fonts = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=False).stdout.decode()
    assert "Source-Sans-3" in fonts or "SourceSans3" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:] if line.strip())  # every font embedded


def test_preview_shows_what_the_pdf_shows(client, full_case, tmp_path):
    client.login(username="worker_a", password=PASSWORD)
    preview = client.get(reverse("cases:karta_preview", args=[full_case.pk])).content.decode()
    pdf_text = text_of(client.get(reverse("cases:karta_pdf", args=[full_case.pk])).content, tmp_path)
    for section in ("3. Ustalenie sytuacji klienta", "Mieszkanie zadbane.", "6. Rejestracja dalszych działań"):
        assert section in preview and section in pdf_text
    # The collected stylesheet under its content-hashed name (issue 20.4).
    assert re.search(r'href="/static/print/print\.[0-9a-f]{12}\.css"', preview)


def test_letters_print(client, full_case, p, tmp_path):
    client.login(username="worker_a", password=PASSWORD)
    notification = full_case.notifications.get()
    text = text_of(
        client.get(reverse("cases:notification_pdf", args=[full_case.pk, notification.pk])).content, tmp_path
    )
    assert "ZAWIADOMIENIE" in text and "Komisariat Policji Toruń-Śródmieście" in text
    visit = services.visit_record(
        case=full_case, by=p.worker_a, visit=Visit(visited_at=timezone.now(), outcome="refused")
    )
    summons = services.summons_issue(
        case=full_case,
        by=p.worker_a,
        summons=__import__("cases.models", fromlist=["Summons"]).Summons(
            visit=visit, issued_on=timezone.localdate(), appointment_at=timezone.now() + datetime.timedelta(days=7)
        ),
    )
    response = client.get(reverse("cases:summons_pdf", args=[full_case.pk, summons.pk]))
    text = text_of(response.content, tmp_path)
    assert "WEZWANIE" in text and "w celu rozmowy z pracownikiem socjalnym" in text
    save_pngs(response.content, "wezwanie")


def test_printing_is_the_policys_decision(client, full_case):
    for username, status in (("worker_a2", 404), ("outsider", 404), ("first_contact_a", 404), ("director_a", 200)):
        client.logout()
        client.login(username=username, password=PASSWORD)
        assert client.get(reverse("cases:karta_pdf", args=[full_case.pk])).status_code == status, username
    # Only the print that happened is logged (besides the logins).
    assert AccessLog.objects.filter(action=AccessLog.Action.PRINT).count() == 1


def test_fetcher_refuses_the_network_and_files_outside_static(settings):
    fetcher = pdf_worker._fetcher_class(Path(settings.BASE_DIR, "static").resolve())()
    for url in ("http://127.0.0.1:9/x.css", "https://example.org/logo.png", "file:///etc/passwd",
                f"file://{settings.BASE_DIR}/static/../manage.py", "data:text/plain,hello"):  # fmt: skip
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    css = fetcher.fetch(f"file://{settings.BASE_DIR}/static/print/print.css")
    assert css.status == 200


def test_render_with_foreign_resources_still_renders_without_them(tmp_path, settings):
    html = (
        '<html><body><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/a.png">'
        "<p>Zażółć gęślą jaźń</p></body></html>"
    )
    content = pdf_worker.render(html, str(Path(settings.BASE_DIR, "static")), "pdf/a-3b")
    assert "Zażółć gęślą jaźń" in text_of(content, tmp_path)


def test_a_render_over_the_time_limit_is_stopped_and_the_user_told(client, full_case, settings):
    settings.PDF_RENDER_TIMEOUT = 0.001
    client.login(username="worker_a", password=PASSWORD)
    response = client.get(reverse("cases:karta_pdf", args=[full_case.pk]))
    assert response.status_code == 503 and "trwało zbyt długo" in response.content.decode()
    settings.PDF_RENDER_TIMEOUT = 30
    assert client.get(reverse("cases:karta_pdf", args=[full_case.pk])).status_code == 200  # a fresh process


def test_karta_pdf_command(full_case, p, org, tmp_path, tmp_path_factory):
    with pytest.raises(CommandError, match="Wskaż sprawy"):
        call_command("karta_pdf", "--as", "auditor_a", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="Nie znaleziono"):
        call_command("karta_pdf", "--as", "worker_a2", "--out", str(tmp_path), "--case", full_case.number)
    call_command("karta_pdf", "--as", "auditor_a", "--out", str(tmp_path), "--case", full_case.number)
    [written] = list(tmp_path.glob("*.pdf"))
    assert written.name == full_case.number.replace("Ś", "S").replace("/", "-") + ".pdf"
    assert "KARTA PRACY SOCJALNEJ" in text_of(written.read_bytes(), tmp_path_factory.mktemp("t"))
    closed = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ZAKONCZENIE,
                         closed_at=timezone.now() - datetime.timedelta(days=400))  # fmt: skip
    out = tmp_path / "archiwum"
    call_command("karta_pdf", "--as", "auditor_a", "--out", str(out), "--region", "RPŚ-1",
                 "--closed-before", timezone.localdate().isoformat())  # fmt: skip
    assert [f.stem for f in out.glob("*.pdf")] == [closed.number.replace("Ś", "S").replace("/", "-")]
    assert AccessLog.objects.filter(action=AccessLog.Action.PRINT).count() == 2


def test_karta_pdf_goes_on_past_a_case_that_fails_and_says_which(full_case, p, org, tmp_path, monkeypatch):
    """Issue 16.10: one slow case does not stop the archiving batch, and the message is Polish."""
    import io

    from mopr import pdf

    other = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now())
    real = pdf.render_pdf

    def slow_for_one(template, context, meta, **kwargs):
        if meta.case_number == full_case.number:
            raise pdf.RenderTimeout("render took longer than 30 s")
        return real(template, context, meta, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", slow_for_one)
    errors = io.StringIO()
    with pytest.raises(CommandError, match=r"Zapisano karty: 1 z 2\. Nie zapisano: " + re.escape(full_case.number)):
        call_command("karta_pdf", "--as", "auditor_a", "--out", str(tmp_path), "--case", full_case.number,
                     "--case", other.number, stderr=errors)  # fmt: skip
    assert "dłużej niż pozwala PDF_RENDER_TIMEOUT" in errors.getvalue()
    assert [f.stem for f in tmp_path.glob("*.pdf")] == [other.number.replace("Ś", "S").replace("/", "-")]
    assert not list(tmp_path.glob("*.part"))
