"""Issue 20.5: the main menu fits one line on a 1366 × 768 laptop for every role, the director's
longest of all – the centre's administration (settings, staff, regions, import, access log, login
locks, anonymisation) sits in one "Administracja" dropdown, as coordination sits in "Koordynacja"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mopr.tests.browser import MAIN_MENU, administration, login, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}

# Run in the page: the top-level items of the menu (the brand, every item of both lists) – their
# vertical middles, and how far the menu reaches to the right.
MENU_ROWS = """() => {
  const nav = document.querySelector("header nav.navbar");
  const items = [nav.querySelector(".navbar-brand"), ...nav.querySelectorAll("ul.navbar-nav > li")];
  const boxes = items.map((el) => {
    const r = el.getBoundingClientRect();
    return {text: el.innerText.trim().replace(/\\s+/g, " ").slice(0, 40), middle: r.top + r.height / 2, right: r.right};
  });
  return {boxes, width: document.documentElement.clientWidth, height: nav.getBoundingClientRect().height};
}"""


def one_line(page, who: str) -> None:
    found = page.evaluate(MENU_ROWS)
    first = found["boxes"][0]["middle"]
    off = [f"{b['text']!r} at {b['middle']:.0f} px" for b in found["boxes"] if abs(b["middle"] - first) > 4]
    assert not off, f"{who}'s menu wraps at 1366 px (the brand's middle at {first:.0f} px): " + ", ".join(off)
    wide = [b["text"] for b in found["boxes"] if b["right"] > found["width"] + 1]
    assert not wide, f"{who}'s menu sticks out at 1366 px: {wide}"
    # One row of a Bootstrap navbar: the brand and the links, nothing under them.
    assert found["height"] < 80, f"{who}'s menu is {found['height']:.0f} px high"


@pytest.mark.parametrize(
    "username",
    ["director_a", "coordinator_a", "head_a", "worker_a", "first_contact_a", "auditor_a", "assistant_a", "admin_a"],
)
def test_every_role_s_menu_fits_one_line_on_a_laptop(page, p, sysadmin, username):
    user = p.director_a if username == "director_a" else None
    if user is not None:
        # A real name is longer than the factory's.
        user.first_name, user.last_name = "Małgorzata", "Wiśniewska-Kowalczyk"
        user.save(update_fields=["first_name", "last_name"])
    page.set_viewport_size(LAPTOP)
    login(page, username)
    one_line(page, username)


def test_the_director_s_administration_dropdown(page, p):
    page.set_viewport_size(LAPTOP)
    login(page, "director_a")
    menu = page.get_by_role("navigation", name=MAIN_MENU)
    menu.get_by_role("button", name="Administracja").click()
    for item in (
        "Ustawienia ośrodka",
        "Pracownicy",
        "Upoważnienia do zatwierdzania",
        "Rejony i ulice",
        "Import z poprzedniego systemu",
        "Dziennik dostępu",
        "Blokady logowania",
        "Anonimizacja",
    ):
        expect(menu.get_by_role("link", name=item, exact=True)).to_be_visible()
    visit(page, "menu-administration")
    administration(page, "Rejony i ulice")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rejony")


def test_the_auditor_s_administration_holds_the_access_log_alone(page, p, sysadmin):
    login(page, "auditor_a")
    menu = page.get_by_role("navigation", name=MAIN_MENU)
    menu.get_by_role("button", name="Administracja").click()
    links = menu.locator(".dropdown-menu").filter(has_text="Dziennik dostępu").get_by_role("link")
    expect(links).to_have_text(["Dziennik dostępu"])
    administration(page, "Dziennik dostępu")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dziennik dostępu")
    # The system administrator sets the centre up, and reads no access log.
    page.context.clear_cookies()
    login(page, "admin_a")
    menu.get_by_role("button", name="Administracja").click()
    expect(menu.get_by_role("link", name="Pracownicy", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Dziennik dostępu", exact=True)).to_have_count(0)
    expect(menu.get_by_role("link", name="Anonimizacja", exact=True)).to_have_count(0)


def test_a_worker_has_no_administration(page, p):
    login(page, "worker_a")
    menu = page.get_by_role("navigation", name=MAIN_MENU)
    expect(menu.get_by_role("button", name="Administracja")).to_have_count(0)
