"""Issue 20.1: after a failed submit an error summary stands at the top of the page, links to each
field and takes the focus – on every form of the application, found by the base template."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mopr.tests.browser import login, visit
from mopr.tests.test_institution_settings import login as client_login


@pytest.mark.django_db
def test_the_summary_lists_every_error_with_a_link_to_its_field(client, org, p, sysadmin):
    client_login(client, "admin_a")
    response = client.post(reverse("staff_new"), {"username": "", "first_name": "Ewa", "last_name": "",
                                                  "password1": "a", "password2": "b"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 422
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S).group(0)
    assert "Popraw zaznaczone pola – niczego nie zapisano." in summary
    for field in ("id_username", "id_last_name", "id_password2"):
        assert f'href="#{field}"' in summary, field
    assert "Hasła się różnią." in summary
    # A page without errors has none; the login page says its own one message.
    assert "error-summary" not in client.get(reverse("staff_new")).content.decode()
    client.logout()
    failed = client.post(reverse("login"), {"username": "admin_a", "password": "zle"}).content.decode()
    assert "error-summary" not in failed and "Nie zalogowano" in failed


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_summary_takes_the_focus_and_its_links_the_cursor_to_the_field(page, org, p, sysadmin):
    login(page, "admin_a")
    page.goto("/pracownicy/nowy/")
    with page.expect_navigation():
        page.get_by_role("button", name="Utwórz konto").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Popraw zaznaczone pola")
    visit(page, "e01-error-summary")
    summary.get_by_role("link", name=re.compile("^Nazwisko")).click()
    expect(page.locator("#id_last_name")).to_be_focused()
