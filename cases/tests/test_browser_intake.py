"""Intake in a real browser: the first-contact desk registers a report, the coordinator assigns it,
the worker accepts it and starts the situation assessment; bad input; the duplicate search.

Every page visited is checked with axe-core (WCAG 2.0/2.1 A and AA) and saved as a screenshot in
test-output/screenshots/.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import Case, Client, ClientMember, Report, ReportForm
from cases.procedure import Stage
from mopr.tests.browser import field_error as _field_error
from mopr.tests.browser import label as _label
from mopr.tests.browser import login, logout
from mopr.tests.browser import nav as _nav
from mopr.tests.browser import visit as _visit
from mopr.tests.factories import CaseFactory, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_new_client_form(page) -> None:
    _nav(page, "Nowe zgłoszenie")
    expect(page).to_have_url(re.compile(r"/zgloszenia/nowe/$"))
    page.get_by_label("PESEL lub imię i nazwisko").fill("Kazimierz Wróblewski")
    page.get_by_role("button", name="Szukaj").click()
    expect(page.locator("#matches")).to_contain_text("Nie znaleziono klienta.")
    page.get_by_role("link", name="To nowy klient – wprowadź dane").click()
    expect(page).to_have_url(re.compile(r"\?nowy=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nowe zgłoszenie – nowy klient")


def _fill_new_client(page, *, pesel: str = "", received_at: str | None = None) -> None:
    """A new client at ul. Szeroka (region RPŚ-1), a phone report marked urgent."""
    client = page.get_by_role("group", name=re.compile(r"^Klient"))
    client.get_by_role("textbox", name=_label("Imię")).fill("Kazimierz")
    client.get_by_role("textbox", name=_label("Nazwisko")).fill("Wróblewski")
    client.get_by_role("textbox", name=_label("PESEL")).fill(pesel)
    client.get_by_role("combobox", name=_label("Rodzaj")).select_option(label="Osoba")
    client.get_by_role("textbox", name=_label("Ulica")).fill("Szeroka")
    client.get_by_role("textbox", name=_label("Nr domu")).fill("12")
    client.get_by_role("textbox", name=_label("Nr lokalu")).fill("3")
    client.get_by_role("textbox", name=_label("Kod pocztowy")).fill("87-100")
    client.get_by_role("textbox", name=_label("Miejscowość")).fill("Toruń")
    if received_at is None:
        received_at = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label(_label("Data i godzina zgłoszenia")).fill(received_at)
    page.get_by_label(_label("Forma zgłoszenia")).select_option(label="telefoniczne")
    page.get_by_label(_label("Imię i nazwisko zgłaszającego")).fill("Maria Wiśniewska")
    page.get_by_label(_label("Adres lub telefon zgłaszającego")).fill("tel. 600 100 200")
    page.get_by_label(_label("Związek zgłaszającego z klientem")).fill("sąsiadka")
    page.get_by_label(_label("Treść zgłoszenia")).fill(
        "Starszy pan od tygodnia nie wychodzi z mieszkania, nie otwiera drzwi."
    )
    page.get_by_label(_label("Zagrożenie zdrowia lub życia – pilne")).check()
    page.get_by_label(_label("Grupa docelowa")).select_option(label="Osoby starsze")


def _submit_new_client(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Zarejestruj klienta i zgłoszenie").click()


def test_report_from_first_contact_to_situation_assessment(page, p, org):
    # An older, not urgent report already waits in the queue: the urgent one must still come first.
    older = CaseFactory(region=org.region_a1, reported_at=timezone.now() - datetime.timedelta(days=5))
    ReportFactory(case=older, received_by=p.first_contact_a)

    # The first-contact desk registers a new client with an urgent phone report.
    page.goto("/logowanie/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logowanie")
    _visit(page, "01-login")
    page.locator("input[name=username]").fill("first_contact_a")
    page.locator("input[name=password]").fill("nie-to-haslo")
    with page.expect_navigation():
        page.get_by_role("button", name="Zaloguj").click()
    expect(page.locator("main .alert-danger")).to_contain_text("nazwa użytkownika lub hasło się nie zgadza")
    _visit(page, "01-login-wrong-password")
    login(page, "first_contact_a")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dzień dobry")
    _visit(page, "02-start-first-contact")

    _nav(page, "Nowe zgłoszenie")
    _visit(page, "03-intake-search")
    page.get_by_label("PESEL lub imię i nazwisko").fill("Kazimierz Wróblewski")
    page.get_by_role("button", name="Szukaj").click()
    expect(page.locator("#matches")).to_contain_text("Nie znaleziono klienta.")
    _visit(page, "04-intake-search-no-match")
    page.get_by_role("link", name="To nowy klient – wprowadź dane").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nowe zgłoszenie – nowy klient")
    _visit(page, "05-intake-new-client")

    # Submitted empty: the required fields say so, nothing is saved.
    _submit_new_client(page)
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    _visit(page, "06-intake-new-client-errors")
    assert Case.objects.count() == 1

    _fill_new_client(page)
    _submit_new_client(page)
    case = Case.objects.exclude(pk=older.pk).get()
    assert case.region == org.region_a1 and case.urgent and case.worker is None
    assert case.reports.get().form == ReportForm.PHONE
    expect(page.get_by_role("status")).to_contain_text(
        f"Zarejestrowano zgłoszenie {case.number} i przekazano koordynatorowi RPŚ-1."
    )
    expect(page.get_by_role("table", name=re.compile("Zgłoszenia przekazane"))).to_contain_text(case.number)
    _visit(page, "07-start-first-contact-registered")
    logout(page)

    # The coordinator finds it first in the queue, marked urgent, and assigns worker_a.
    login(page, "coordinator_a")
    _visit(page, "08-start-coordinator")
    _nav(page, "Kolejka zgłoszeń")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kolejka zgłoszeń do przydzielenia")
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(case.number)
    expect(rows.first.locator(".badge")).to_have_text("Pilne")
    expect(rows.nth(1)).to_contain_text(older.number)
    _visit(page, "09-queue")
    rows.first.get_by_label(f"Pracownik dla sprawy {case.number}").select_option(label=str(p.worker_a))
    with page.expect_navigation():
        rows.first.get_by_role("button", name="Przydziel").click()
    expect(page.get_by_role("status")).to_contain_text(f"Sprawę {case.number} przydzielono: {p.worker_a}.")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(older.number)
    _visit(page, "10-queue-after-assignment")
    logout(page)

    # The worker sees the new report on the start page, accepts it and starts the assessment.
    login(page, "worker_a")
    new_reports = page.get_by_role("table", name=re.compile("czekają na przyjęcie"))
    expect(new_reports).to_contain_text(case.number)
    expect(new_reports).to_contain_text("Kazimierz Wróblewski")
    _visit(page, "11-start-worker")
    _nav(page, "Sprawy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sprawy")
    expect(page.get_by_role("link", name=case.number, exact=True)).to_be_visible()
    _visit(page, "12-case-list")
    page.get_by_role("link", name=case.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sprawa {case.number}")
    _visit(page, "13-case-detail-assigned")

    # Accepting and beginning the rozeznanie is one step (issue 17.9).
    with page.expect_navigation():
        page.get_by_role("button", name="Przyjmuję i rozpoczynam rozeznanie").click()
    expect(page.get_by_role("status")).to_contain_text("Przyjęto zgłoszenie do realizacji i rozpoczęto rozeznanie")
    expect(page.locator("h1 + .badge")).to_have_text("II. Rozeznanie sytuacji")
    _visit(page, "15-case-detail-rozeznanie")

    case.refresh_from_db()
    assert case.worker == p.worker_a and case.accepted_at is not None
    assert case.stage == Stage.ROZEZNANIE


def test_bad_input_shows_polish_messages_and_saves_nothing(page, p, org):
    login(page, "first_contact_a")
    _open_new_client_form(page)
    future = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    _fill_new_client(page, pesel="44051401358", received_at=future)
    _submit_new_client(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Nowe zgłoszenie – nowy klient")
    expect(_field_error(page, "id_head-pesel")).to_have_text("Nieprawidłowy PESEL: cyfra kontrolna się nie zgadza.")
    expect(_field_error(page, "id_received_at")).to_have_text("Data nie może być z przyszłości.")
    # What was typed stays in the form.
    expect(page.get_by_label(_label("Treść zgłoszenia"))).to_have_value(re.compile("nie otwiera drzwi"))
    _visit(page, "20-intake-bad-pesel-future-date")
    assert Case.objects.count() == 0
    assert Client.objects.count() == 0 and ClientMember.objects.count() == 0 and Report.objects.count() == 0


def test_duplicate_search_ignores_diacritics(page, p, org):
    services.client_create(
        institution=org.inst_a,
        by=p.worker_a,
        kind="person",
        address=services.AddressData(city="Toruń", street="Łódzka", house_number="7", postal_code="87-100"),
        members=[services.MemberData(first_name="Łucja", last_name="Żółkiewska", pesel="44051401359")],
    )
    login(page, "first_contact_a")
    _nav(page, "Nowe zgłoszenie")

    # One word is not enough (issue 14.3): the field says what to type.
    search = page.get_by_label("PESEL lub imię i nazwisko")
    search.fill("zolkiewska")
    page.get_by_role("button", name="Szukaj").click()
    expect(page.locator("#id_q_error")).to_contain_text("co najmniej dwa słowa")
    _visit(page, "30-intake-search-one-word")

    # The full name without Polish letters finds her, with only what recognises her.
    page.get_by_label("PESEL lub imię i nazwisko").fill("lucja zolkiewska")
    page.get_by_role("button", name="Szukaj").click()
    expect(page).to_have_url(re.compile(r"\?q=lucja\+zolkiewska$"))
    matches = page.get_by_role("table", name="Znalezieni klienci")
    expect(matches).to_contain_text("Łucja Żółkiewska")
    expect(matches).to_contain_text("Łódzka, Toruń")
    expect(matches).to_contain_text("1944")
    expect(matches).not_to_contain_text("7")  # no house number
    _visit(page, "30-intake-search-duplicate")
    page.get_by_role("link", name="Zgłoszenie dla tego klienta Łucja Żółkiewska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zgłoszenie dotyczące: Łucja Żółkiewska")
    _visit(page, "31-intake-report-existing-client")
