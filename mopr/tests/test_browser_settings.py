"""The centre's settings in a real browser (issue 19.1): the director opens *Ustawienia ośrodka*
from the menu, a wrong value is said at its field and nothing is saved, then the Łask-like
approver's title is saved and the history shows it. Every page is checked with axe-core and saved
as test-output/screenshots/u*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mopr.tests.browser import administration, label, login, status, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_director_sets_the_centre_up(page, p, org):
    login(page, "director_a")
    administration(page, "Ustawienia ośrodka")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ustawienia ośrodka")
    visit(page, "u01-settings")

    page.get_by_label(label("Powtórna wizyta, gdy dziecko nieobecne (dni)", ignore_case=True)).fill("0")
    page.get_by_label(label("Zatwierdzający asystenta", ignore_case=True)).fill("Kierownik MGOPS")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz ustawienia").click()
    expect(page.get_by_text("Najmniej 1.", exact=True)).to_be_visible()  # at the field, and in the summary:
    expect(page.get_by_role("alert")).to_contain_text("niczego nie zapisano")
    expect(page.get_by_role("alert").get_by_role("link", name=re.compile("Powtórna wizyta"))).to_be_visible()
    # What was typed stays in the form.
    expect(page.get_by_label(label("Zatwierdzający asystenta", ignore_case=True))).to_have_value("Kierownik MGOPS")
    visit(page, "u02-settings-refused")

    page.get_by_label(label("Powtórna wizyta, gdy dziecko nieobecne (dni)", ignore_case=True)).fill("7")
    page.get_by_label(label("Opinia kierownika działu przed zatwierdzeniem", ignore_case=True)).uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz ustawienia").click()
    expect(status(page)).to_contain_text("Zapisano ustawienia ośrodka")
    history = page.get_by_role("region", name="Historia zmian ustawień", exact=True)
    expect(history).to_contain_text("Kierownik MGOPS")
    expect(history).to_contain_text(p.director_a.get_full_name())
    visit(page, "u03-settings-saved")
    org.inst_a.refresh_from_db()
    assert org.inst_a.assistant_approver_title == "Kierownik MGOPS" and not org.inst_a.assistant_needs_head_opinion

    # The centre's own problem areas, beside the settings.
    with page.expect_navigation():
        page.get_by_role("link", name="Obszary problemowe diagnozy – własne obszary ośrodka").click()
    page.get_by_label("Nazwa", exact=True).fill("Zaburzenia psychiczne")
    with page.expect_navigation():
        page.get_by_role("button", name="Dodaj", exact=True).click()
    expect(status(page)).to_contain_text("Dodano obszar: Zaburzenia psychiczne")
    expect(page.get_by_role("region", name="Obszary ośrodka")).to_contain_text("Zaburzenia psychiczne")
    visit(page, "u04-problem-areas")

    # The centre's accounts: the list, and one account's roles.
    administration(page, "Pracownicy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pracownicy ośrodka")
    visit(page, "u05-staff")
    with page.expect_navigation():
        page.get_by_role("link", name=p.worker_a.get_full_name()).click()
    expect(page.get_by_role("heading", name="Role")).to_be_visible()
    visit(page, "u06-staff-account")
