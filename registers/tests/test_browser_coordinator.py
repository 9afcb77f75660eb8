"""A coordinator's month in a real browser: the team's duties, the queue of reports (both assigned),
the dashboard, the RPŚ register with its filters and its CSV, XLSX and PDF exports, the monthly team
meeting with its note and attendance list (and the PDF), the deadlines after it, an inspection of a
worker with its protocol (and the PDF), the list of inspections.

The two reports waiting in the queue are registered through the services by the first-contact desk;
everything after that happens in the browser as coordinator_a, coordinator of RPŚ-1. Every page
visited is checked with axe-core (WCAG 2.0/2.1 A and AA) and saved as a screenshot in
test-output/screenshots/c*.png.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from cases import services
from cases.models import Case, Client, ReportForm, TargetGroup
from meetings.models import Inspection, TeamMeeting
from mopr.models import AccessLog
from mopr.tests.browser import coordination as _coordination
from mopr.tests.browser import label as _label
from mopr.tests.browser import login
from mopr.tests.browser import nav as _nav
from mopr.tests.browser import status as _status
from mopr.tests.browser import visit as _visit
from registers import columns, exports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- helpers --------------------------------------------------------------------------------------


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month_end(day: datetime.date) -> datetime.date:
    return _month_end(_month_end(day) + datetime.timedelta(days=1))


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _report(org, p, *, first_name: str, last_name: str, house: str, hours_ago: int, urgent: bool) -> Case:
    """A new client at ul. Szeroka (RPŚ-1) reported at the first-contact desk: it waits in the queue."""
    client = services.client_create(
        institution=org.inst_a,
        by=p.first_contact_a,
        kind=Client.Kind.PERSON,
        address=services.AddressData(city="Toruń", street="Szeroka", house_number=house, postal_code="87-100"),
        members=[services.MemberData(first_name=first_name, last_name=last_name)],
    )
    report = services.report_register(
        by=p.first_contact_a,
        client=client,
        region=org.region_a1,
        target_group=TargetGroup.ELDERLY,
        report=services.ReportData(
            received_at=timezone.now() - datetime.timedelta(hours=hours_ago),
            form=ReportForm.PHONE,
            content="Sąsiedzi zgłaszają, że starsza osoba nie radzi sobie z codziennymi sprawami.",
            reporter_name="Jadwiga Świątek",
            reporter_contact="tel. 600 300 400",
            reporter_relation="sąsiadka",
            urgent=urgent,
        ),
    )
    case = report.case
    assert case.worker is None and case.region == org.region_a1
    return case


# --- the test ---------------------------------------------------------------------------------------


def test_coordinators_month(page, p, org):
    today = timezone.localdate()
    older = _report(org, p, first_name="Grażyna", last_name="Żółtowska", house="7", hours_ago=30, urgent=False)
    urgent = _report(org, p, first_name="Łukasz", last_name="Ślęzak", house="15", hours_ago=2, urgent=True)

    # The start page: both reports wait for assignment.
    login(page, "coordinator_a")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dzień dobry")
    waiting = page.get_by_role("table", name="Najstarsze i pilne zgłoszenia w Twoich rejonach")
    expect(waiting).to_contain_text(urgent.number)
    expect(waiting).to_contain_text(older.number)
    expect(page.get_by_role("heading", name="Zgłoszenia do przydzielenia: 2")).to_be_visible()
    _visit(page, "c01-start-coordinator")

    # The deadlines: the team meeting is due by the end of this month.
    _nav(page, "Terminy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terminy")
    team = page.get_by_role("region", name="Obowiązki zespołu (koordynator)")
    expect(team).to_contain_text(f"{_d(_month_end(today))} – Spotkanie zespołu RPŚ-1")
    expect(team.locator(".badge-overdue")).to_have_count(0)
    _visit(page, "c02-deadlines-meeting-due")

    # The queue: the urgent report first; both assigned, to two different workers.
    _nav(page, "Kolejka zgłoszeń")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kolejka zgłoszeń do przydzielenia")
    rows = page.get_by_role("table", name="Zgłoszenia czekające na przydział").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(urgent.number)
    expect(rows.first).to_contain_text("Łukasz Ślęzak")
    expect(rows.first.locator(".badge")).to_have_text("Pilne")
    expect(rows.nth(1)).to_contain_text(older.number)
    _visit(page, "c03-queue")

    rows.first.get_by_label(f"Pracownik dla sprawy {urgent.number}").select_option(label=str(p.worker_a))
    with page.expect_navigation():
        rows.first.get_by_role("button", name="Przydziel").click()
    expect(_status(page)).to_contain_text(f"Sprawę {urgent.number} przydzielono: {p.worker_a}.")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(older.number)
    _visit(page, "c04-queue-one-assigned")

    rows.first.get_by_label(f"Pracownik dla sprawy {older.number}").select_option(label=str(p.worker_a_2))
    with page.expect_navigation():
        rows.first.get_by_role("button", name="Przydziel").click()
    expect(_status(page)).to_contain_text(f"Sprawę {older.number} przydzielono: {p.worker_a_2}.")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Wszystkie zgłoszenia z Twoich rejonów są przydzielone.")
    _visit(page, "c05-queue-empty")

    # The dashboard: two cases of RPŚ-1 at the report stage, nothing waiting, the meeting due.
    _coordination(page, "Pulpit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pulpit koordynatora")
    stages = page.get_by_role("table", name="Liczba spraw na każdym etapie, według rejonu")
    # The total is a link into the register of the region (issue 17.6).
    total = stages.get_by_role("row").filter(has_text="RPŚ-1").locator("td").last.get_by_role("link")
    expect(total).to_have_text("2 – RPŚ-1")
    expect(page.get_by_role("img", name="Sprawy według etapu w rejonach")).to_be_visible()
    expect(page.get_by_role("region", name="Zgłoszenia czekające na przydział")).to_contain_text("RPŚ-1: 0")
    expect(page.get_by_role("region", name="Spotkania zespołów i zalecenia")).to_contain_text("Spotkanie zespołu RPŚ-1")
    _visit(page, "c06-dashboard")

    # The register: open cases of RPŚ-1.
    _coordination(page, "Rejestr RPŚ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rejestr osób i rodzin objętych pracą socjalną")
    _visit(page, "c07-register")
    filters = page.get_by_role("form", name="Filtry rejestru")
    filters.get_by_label(_label("Sprawy")).select_option(label="otwarte")
    filters.get_by_role("combobox", name=_label("Rejon")).select_option(label="RPŚ-1")
    with page.expect_navigation():
        filters.get_by_role("button", name="Pokaż").click()
    expect(page).to_have_url(re.compile(r"status=otwarte"))
    register = page.locator("table.register")
    expect(register.locator("caption")).to_have_text("Sprawy w rejestrze: 2")
    expect(register).to_contain_text(urgent.number)
    expect(register).to_contain_text("Łukasz Ślęzak")
    expect(register).to_contain_text("Grażyna Żółtowska")
    expect(register.get_by_role("row").filter(has_text=urgent.number)).to_contain_text(str(p.worker_a))
    expect(register.get_by_role("row").filter(has_text=older.number)).to_contain_text(str(p.worker_a_2))
    _visit(page, "c08-register-filtered")

    # The CSV export, with the filters applied.
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = csv_download.value.path().read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0] == exports.header(columns.chosen(None))
    assert lines[0][0] == "Numer sprawy" and "Rezygnacja z pracy socjalnej" in lines[0]
    by_number = {line[0]: line for line in lines[1:]}
    assert set(by_number) == {urgent.number, older.number}
    assert by_number[urgent.number][1] == "Łukasz Ślęzak"
    assert by_number[older.number][1] == "Grażyna Żółtowska"
    assert by_number[urgent.number][2] == "Szeroka 15, 87-100 Toruń"
    assert by_number[urgent.number][4] == p.worker_a.get_full_name()

    # The XLSX export, the same rows.
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="XLSX", exact=True).click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True).active
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == exports.header(columns.chosen(None))
    xlsx_rows = {row[0]: row for row in cells[1:]}
    assert set(xlsx_rows) == {urgent.number, older.number}
    assert xlsx_rows[urgent.number][1] == "Łukasz Ślęzak"
    assert xlsx_rows[older.number][1] == "Grażyna Żółtowska"
    assert xlsx_rows[older.number][4] == p.worker_a_2.get_full_name()

    # The PDF of the same register: fetched through its link (a PDF viewer is no part of the test).
    response = page.request.get(page.get_by_role("link", name="PDF", exact=True).get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    _visit(page, "c09-register-after-exports")

    # The monthly team meeting.
    _coordination(page, "Spotkania zespołów")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spotkania zespołów RPŚ")
    expect(page.get_by_role("table", name="Ostatnie spotkania")).to_contain_text("Nie ma jeszcze notatek ze spotkań")
    _visit(page, "c10-meetings-none")
    page.get_by_role("link", name="Nowe spotkanie RPŚ-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spotkanie zespołu RPŚ-1")
    expect(page.get_by_label(_label("Data spotkania"))).to_have_value(today.isoformat())
    _visit(page, "c11-meeting-form")
    attendance = page.get_by_role("group", name=_label("Lista obecności"))
    attendance.get_by_label(str(p.worker_a), exact=True).check()
    attendance.get_by_label(str(p.worker_a_2), exact=True).check()
    page.get_by_role("group", name=_label("Omawiane sprawy")).get_by_label(urgent.number, exact=True).check()
    page.get_by_label(_label("Notatka służbowa ze spotkania")).fill(
        "Omówiono pilne zgłoszenie dotyczące p. Ślęzaka: wizyta w ciągu 24 godzin, kontakt z przychodnią."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz notatkę").click()
    expect(_status(page)).to_contain_text("Zapisano notatkę ze spotkania zespołu.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Spotkanie zespołu RPŚ-1, {_d(today)}")
    main = page.locator("main")
    expect(main).to_contain_text(str(p.worker_a))
    expect(main).to_contain_text(str(p.worker_a_2))
    expect(main.get_by_role("link", name=urgent.number)).to_be_visible()
    expect(main).to_contain_text("wizyta w ciągu 24 godzin")
    _visit(page, "c12-meeting-detail")

    pdf_link = page.get_by_role("link", name="Notatka z listą obecności (PDF)")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    _coordination(page, "Spotkania zespołów")
    expect(page.get_by_role("table", name="Ostatnie spotkania").get_by_role("link", name=_d(today))).to_be_visible()
    _visit(page, "c13-meetings-one")

    # The deadlines: the next meeting is due by the end of next month, nothing overdue.
    _nav(page, "Terminy")
    team = page.get_by_role("region", name="Obowiązki zespołu (koordynator)")
    expect(team).to_contain_text(f"{_d(_next_month_end(today))} – Spotkanie zespołu RPŚ-1")
    expect(team).not_to_contain_text(f"{_d(_month_end(today))} – Spotkanie zespołu RPŚ-1")
    expect(team.locator(".badge-overdue")).to_have_count(0)
    _visit(page, "c14-deadlines-after-meeting")

    # An inspection of worker_a, with recommendations to follow up.
    follow_up = today + datetime.timedelta(days=30)
    _coordination(page, "Kontrole")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrole pracy socjalnej")
    expect(page.get_by_role("table", name="Kontrole")).to_contain_text("Nie ma jeszcze protokołów kontroli")
    _visit(page, "c15-inspections-none")
    page.get_by_role("link", name="Nowa kontrola RPŚ-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrola pracy socjalnej – RPŚ-1")
    _visit(page, "c16-inspection-form")
    page.get_by_label(_label("Kontrolowany pracownik")).select_option(label=str(p.worker_a))
    page.get_by_label(_label("Zakres kontroli")).fill("Dokumentacja spraw przyjętych w bieżącym miesiącu.")
    page.get_by_role("group", name=_label("Skontrolowane sprawy")).get_by_label(urgent.number, exact=True).check()
    page.get_by_label(_label("Ustalenia")).fill("Zgłoszenie przyjęte w terminie; brak notatki z pierwszej wizyty.")
    page.get_by_label(_label("Zalecenia")).fill("Uzupełnić notatkę służbową z wizyty w ciągu 14 dni.")
    page.get_by_label(_label("Termin realizacji zaleceń")).fill(follow_up.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz protokół").click()
    expect(_status(page)).to_contain_text("Zapisano protokół kontroli.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kontrola z {_d(today)}")
    main = page.locator("main")
    expect(main).to_contain_text(f"kontrolowany: {p.worker_a}")
    expect(main).to_contain_text("brak notatki z pierwszej wizyty")
    expect(main).to_contain_text("Uzupełnić notatkę służbową")
    expect(main).to_contain_text(f"Termin realizacji zaleceń: {_d(follow_up)}")
    expect(page.get_by_role("button", name="Potwierdź realizację zaleceń")).to_be_visible()
    _visit(page, "c17-inspection-detail")

    pdf_link = page.get_by_role("link", name="Protokół (PDF)")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    _coordination(page, "Kontrole")
    row = page.get_by_role("table", name="Kontrole").get_by_role("row").filter(has_text=str(p.worker_a))
    expect(row).to_contain_text("RPŚ-1")
    expect(row).to_contain_text(str(p.coordinator_a))
    expect(row).to_contain_text(_d(follow_up))
    _visit(page, "c18-inspections-one")

    # The follow-up of the recommendations is now a duty of the team.
    _nav(page, "Terminy")
    team = page.get_by_role("region", name="Obowiązki zespołu (koordynator)")
    expect(team).to_contain_text(f"{_d(follow_up)} – Realizacja zaleceń pokontrolnych: {p.worker_a}")
    _visit(page, "c19-deadlines-after-inspection")

    # The database.
    urgent.refresh_from_db()
    older.refresh_from_db()
    assert urgent.worker == p.worker_a and older.worker == p.worker_a_2
    assert urgent.accepted_at is None and older.accepted_at is None
    meeting = TeamMeeting.objects.get()
    assert meeting.region == org.region_a1 and meeting.held_on == today and meeting.written_by == p.coordinator_a
    assert set(meeting.attendees.all()) == {p.worker_a, p.worker_a_2}
    assert list(meeting.cases_discussed.all()) == [urgent]
    assert "24 godzin" in meeting.note
    inspection = Inspection.objects.get()
    assert inspection.region == org.region_a1 and inspection.inspector == p.coordinator_a
    assert inspection.inspected_worker == p.worker_a and inspection.held_on == today
    assert list(inspection.cases.all()) == [urgent]
    assert inspection.follow_up_by == follow_up and inspection.follow_up_done_on is None
    assert inspection.recommendations.startswith("Uzupełnić")
    logged = AccessLog.objects.filter(user=p.coordinator_a)
    exported = sorted(logged.filter(action=AccessLog.Action.EXPORT).values_list("what", flat=True))
    assert [w.split(":")[0] for w in exported] == ["Rejestr CSV", "Rejestr PDF", "Rejestr XLSX"]
    assert all("Sprawy: otwarte" in w and "Rejon: RPŚ-1" in w for w in exported)
    printed = sorted(logged.filter(action=AccessLog.Action.PRINT).values_list("what", flat=True))
    assert printed == [
        f"Notatka ze spotkania zespołu: spotkanie-RPŚ-1-{today:%Y-%m-%d}",
        f"Protokół kontroli: kontrola-RPŚ-1-{today:%Y-%m-%d}",
    ]
    assert all(entry.institution_id == org.inst_a.pk for entry in logged)
