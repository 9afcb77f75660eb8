"""The director's first login with the second factor, the access log and a person's report,
and the locked-out page, in a real browser; every page checked with axe-core and saved as a
screenshot (test-output/screenshots/s*.png)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cases import services
from cases.procedure import Stage
from mopr.models import default_otp_roles
from mopr.tests.browser import administration, label, login, visit
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_director_sets_up_totp_then_reads_the_access_log(page, org, p):
    org.inst_a.otp_required_roles = default_otp_roles()
    org.inst_a.save()
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    MemberFactory(client=case.client, first_name="Zofia", last_name="Wiśniewska", is_head=False)
    services.client_refresh_search(client=case.client)

    # A worker opens the case: that is what the director will find.
    page.goto("/logowanie/")
    login(page, "worker_a")
    page.goto(f"/sprawy/{case.pk}/")
    page.get_by_role("button", name="Wyloguj").click()

    page.goto("/logowanie/")
    page.get_by_label(label("Nazwa użytkownika")).fill("director_a")
    page.get_by_label(label("Hasło")).fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logowanie dwuskładnikowe (TOTP)")
    expect(page.get_by_role("img", name="Kod QR klucza TOTP")).to_be_visible()
    visit(page, "s01-totp-setup")
    page.get_by_label(label("Kod z aplikacji uwierzytelniającej")).fill(
        "000000" if _code(p.director_a) != "000000" else "111111"
    )
    page.get_by_role("button", name="Włącz").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text("Kod się nie zgadza")
    visit(page, "s02-totp-wrong-code")

    # django-otp makes the next try wait a moment after a wrong code.
    page.wait_for_timeout(2100)
    page.get_by_label(label("Kod z aplikacji uwierzytelniającej")).fill(_code(p.director_a))
    page.get_by_role("button", name="Włącz").click()
    expect(page.get_by_text("Logowanie dwuskładnikowe jest włączone.")).to_be_visible()

    administration(page, "Dziennik dostępu")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dziennik dostępu")
    expect(page.get_by_role("cell", name=f"Sprawa: {case.number}")).to_be_visible()
    visit(page, "s03-access-log")
    page.get_by_label(label("Osoba: PESEL, nazwisko lub adres")).fill("wisniewska")
    page.get_by_role("button", name="Znajdź osobę").click()
    link = page.get_by_role("link", name=re.compile("kto i kiedy miał wgląd"))
    expect(link).to_be_visible()
    visit(page, "s04-access-log-person")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"


def test_a_locked_login_says_what_to_do(page, p, settings):
    page.goto("/logowanie/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label(label("Nazwa użytkownika")).fill("worker_a")
        page.get_by_label(label("Hasło")).fill("to-nie-jest-haslo")
        page.get_by_role("button", name="Zaloguj").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logowanie zablokowane")
    expect(page.get_by_text("zadzwoń do dyrektora ośrodka")).to_be_visible()
    expect(page.get_by_text("Blokada wygaśnie sama")).to_be_visible()
    visit(page, "s05-locked-out")
    assert reverse("login") in page.content()
