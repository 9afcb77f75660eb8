"""Issue 19: a new centre set up from nothing in a real browser – the first system administrator
(``manage.py centre_setup``) sets up the second factor, fills in the settings, imports the
municipality's streets from TERYT ULIC, makes a region with one of them, creates two accounts (a
social worker of that region and the first-contact desk) – and the desk's first report is routed
by its street to that region. Every page is checked with axe-core at desktop and phone widths and
saved as test-output/screenshots/n*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cases.models import Case
from cases.tests.test_browser_intake import _fill_new_client, _open_new_client_form, _submit_new_client
from mopr.models import Institution, Role, User
from mopr.tests.browser import label, login, logout, status, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Pierwsze-haslo-osrodka-2026"
WORKER_PASSWORD = "Haslo-pracownicy-rejonu-1"
DESK_PASSWORD = "Haslo-pierwszego-kontaktu-7"
SAMPLE = Path(settings.BASE_DIR) / "streets" / "sample" / "ULIC_sample.csv"


def _code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _save(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_a_centre_from_nothing_to_its_first_routed_report(page, monkeypatch):
    monkeypatch.setenv("MOPR_ADMIN_PASSWORD", ADMIN_PASSWORD)
    call_command("centre_setup", name="Miejski Ośrodek Pomocy Rodzinie w Toruniu", short_name="MOPR Toruń",
                 city="Toruń", address="ul. Konstytucji 3 Maja 42, 87-100 Toruń", username="admin.torun",
                 first_name="Ewa", last_name="Zarządzająca")  # fmt: skip
    admin = User.objects.get(username="admin.torun")
    centre = Institution.objects.get(short_name="MOPR Toruń")
    assert not centre.regions.exists() and User.objects.count() == 1

    # The administrator's first login asks for the second factor (the role requires it).
    login(page, "admin.torun", ADMIN_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Logowanie dwuskładnikowe (TOTP)")
    visit(page, "n01-admin-second-factor")
    page.get_by_label(label("Kod z aplikacji uwierzytelniającej")).fill(_code(admin))
    _save(page, "Włącz")
    expect(page.get_by_text("Logowanie dwuskładnikowe jest włączone.")).to_be_visible()

    # The settings: the town in the form the documents need.
    page.goto("/osrodek/ustawienia/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ustawienia ośrodka")
    visit(page, "n02-settings")
    page.locator("[name=city_locative]").fill("Toruniu")
    _save(page, "Zapisz ustawienia")
    expect(status(page)).to_contain_text("Zapisano ustawienia ośrodka")

    # The municipality's streets from GUS's register, then a region that serves one of them.
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^Rejony \\(RPŚ\\) i ich ulice")).click()
    expect(page.get_by_text("Ośrodek nie ma jeszcze rejonów.")).to_be_visible()
    visit(page, "n03-regions-empty")
    with page.expect_navigation():
        page.get_by_role("link", name="Import ulic z TERYT ULIC").click()
    page.get_by_label(label("Kod gminy TERYT")).fill("0463011")
    page.get_by_label(label("Plik ULIC z GUS (CSV lub ZIP)")).set_input_files(str(SAMPLE))
    _save(page, "Importuj")
    result = page.get_by_role("region", name="Wynik importu")
    expect(result).to_contain_text("Gmina 0463011")
    visit(page, "n04-teryt-imported")
    assert centre.streets.filter(nazwa_1="Szeroka").exists()

    page.goto("/osrodek/rejony/nowy/")
    page.get_by_label(label("Kod")).fill("RPŚ-1")
    page.get_by_label(label("Nazwa")).fill("RPŚ-1 – Stare Miasto")
    visit(page, "n05-region-new")
    _save(page, "Zapisz")
    region = centre.regions.get(code="RPŚ-1")
    page.goto(f"/osrodek/rejony/{region.pk}/ulice/")
    page.get_by_label(label("Ulica")).fill("Szeroka")
    _save(page, "Dodaj")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ulice rejonu RPŚ-1")
    expect(page.locator("main")).to_contain_text("Szeroka")
    visit(page, "n06-region-streets")

    # Two accounts: a social worker of the region and the first-contact desk.
    page.goto("/pracownicy/")
    for username, first, last, password, role in [
        ("anna.socjalna", "Anna", "Socjalna", WORKER_PASSWORD, "region"),
        ("jan.przyjmujacy", "Jan", "Przyjmujący", DESK_PASSWORD, str(Role.FIRST_CONTACT.label)),
    ]:
        with page.expect_navigation():
            page.get_by_role("link", name="Nowe konto").click()
        page.get_by_label(label("Nazwa użytkownika")).fill(username)
        page.get_by_label(label("Imię")).fill(first)
        page.get_by_label(label("Nazwisko")).fill(last)
        page.get_by_label(label("Hasło początkowe")).fill(password)
        page.get_by_label(label("Powtórz hasło")).fill(password)
        visit(page, f"n07-staff-new-{username}")
        _save(page, "Utwórz konto")
        expect(status(page)).to_contain_text(f"Utworzono konto {username}")
        if role == "region":
            page.get_by_role("group", name=label("Pracownik socjalny w rejonach")).get_by_label(
                "RPŚ-1 – RPŚ-1 – Stare Miasto"
            ).check()
        else:
            page.get_by_role("group", name=label("Role w ośrodku")).get_by_label(role).check()
        _save(page, "Zapisz role")
        expect(status(page)).to_contain_text("Zapisano role.")
        visit(page, f"n08-staff-roles-{username}")
        page.goto("/pracownicy/")
    visit(page, "n09-staff-list")
    logout(page)

    # The desk's first report: the address decides the region.
    login(page, "jan.przyjmujacy", DESK_PASSWORD)
    _open_new_client_form(page)
    _fill_new_client(page)  # ul. Szeroka 12
    _submit_new_client(page)
    case = Case.objects.get()
    assert case.region == region and case.institution == centre and case.worker is None
    expect(status(page)).to_contain_text(f"Zarejestrowano zgłoszenie {case.number}")
    visit(page, "n10-first-report-routed")
