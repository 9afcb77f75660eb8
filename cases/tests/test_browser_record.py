"""Issue 16 in a real browser: a correction reaches the karta; a note typed before the session
expired comes back after the login; Back and "Zapisz" again saves once.

Every page visited is checked with axe-core and saved as a screenshot in test-output/screenshots/.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Correction, OfficialNote, Visit
from cases.procedure import Stage
from mopr.models import FormDraft
from mopr.tests.browser import label as _label
from mopr.tests.browser import login
from mopr.tests.browser import open_case as _open_case
from mopr.tests.browser import status as _status
from mopr.tests.browser import visit as _visit
from mopr.tests.factories import PASSWORD, CaseFactory, VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Matka opowiedziała o kłopotach syna w szkole; umówiono rozmowę z pedagogiem."


@pytest.fixture
def case(org, p):
    return CaseFactory(
        region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE,
        reported_at=timezone.now() - datetime.timedelta(days=20),
    )  # fmt: skip


def test_a_correction_reaches_the_case_page_and_the_karta(page, case, p):
    typo = VisitFactory(
        case=case, author=p.worker_a, visited_at=timezone.now().replace(year=1926), findings="Rozmowa z matką."
    )
    login(page, "worker_a")
    _open_case(page, case)
    page.get_by_role("link", name="Sprostuj").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sprostowanie wpisu: Wizyta z dnia")
    _visit(page, "s01-correction-form")
    when = (timezone.localtime() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label(_label("Data i godzina wizyty")).fill(when)
    page.get_by_label(_label("Powód sprostowania")).fill("Błędnie wpisany rok wizyty.")
    page.get_by_role("button", name="Zapisz sprostowanie").click()
    expect(_status(page)).to_contain_text("Zapisano sprostowanie")
    trace = page.locator(".timeline").get_by_text(re.compile(r"sprostowanie z dnia .* – Błędnie wpisany rok wizyty\."))
    expect(trace.first).to_be_visible()
    _visit(page, "s02-case-with-correction")
    typo.refresh_from_db()
    assert typo.visited_at.year == timezone.now().year and Correction.objects.count() == 1
    page.goto(f"/sprawy/{case.pk}/karta/podglad/")
    expect(page.locator("body")).to_contain_text("Sprostowanie wpisu: Wizyta z dnia")
    expect(page.locator("body")).to_contain_text("Błędnie wpisany rok wizyty.")
    expect(page.locator("body")).to_contain_text(".1926")  # the value before, readable
    page.screenshot(path="test-output/screenshots/s03-karta-with-correction.png", full_page=True)


def test_a_note_typed_when_the_session_expired_comes_back_after_the_login(page, case, org):
    org.inst_a.session_idle_minutes = 1
    org.inst_a.save()
    login(page, "worker_a")
    page.goto(f"/sprawy/{case.pk}/wpisy/notatka/dodaj/")
    page.get_by_label(_label("Treść")).fill(NOTE)
    # The idle limit passes while the worker types: the session's last request is moved back.
    from django.contrib.sessions.models import Session

    from mopr.middleware import SESSION_SEEN

    for row in Session.objects.all():
        data = row.get_decoded()
        if SESSION_SEEN in data:
            data[SESSION_SEEN] -= 3600
            row.session_data = Session.objects.encode(data)
            row.save()
    page.get_by_role("button", name="Zapisz").click()
    expect(page).to_have_url(re.compile(r"/logowanie/\?next="))
    expect(page.locator("main")).to_contain_text("zachowano")
    assert not OfficialNote.objects.exists() and FormDraft.objects.count() == 1
    _visit(page, "s04-login-after-expiry")
    page.locator("input[name=username]").fill("worker_a")
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Zaloguj").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Twój formularz został zachowany")
    expect(page.locator("main")).to_contain_text(NOTE)
    _visit(page, "s05-draft-restore")
    page.get_by_role("button", name="Wyślij zachowany formularz").click()
    expect(_status(page)).to_contain_text("Zapisano")
    assert OfficialNote.objects.get().content == NOTE and not FormDraft.objects.exists()


def test_back_and_save_again_saves_once(page, case):
    login(page, "worker_a")
    page.goto(f"/sprawy/{case.pk}/wpisy/notatka/dodaj/")
    page.get_by_label(_label("Treść")).fill(NOTE)
    page.get_by_role("button", name="Zapisz").click()
    expect(_status(page)).to_contain_text("Zapisano")
    page.go_back()
    expect(page.get_by_label(_label("Treść"))).to_have_value(NOTE)
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("main")).to_contain_text("już wysłany")
    _visit(page, "s06-second-save-refused")
    assert OfficialNote.objects.count() == 1
    assert Visit.objects.count() == 0


def test_the_other_pages_of_the_record_pass_axe(page, org, p, case):
    """Every page issue 16 added, looked at: the withdrawal, the known person at intake, the
    closing with the assistant at work, the merge, the amendment of actions, the monitoring's
    authors."""
    from assistants.tests.test_assistants import assign
    from cases import services
    from cases.models import OfficialNote
    from mopr.tests.factories import ContractFactory, MemberFactory
    from refusals import services as monitoring

    note = services.note_write(
        case=case, by=p.worker_a, note=OfficialNote(written_on=timezone.localdate(), content="Nie ta rodzina.")
    )
    login(page, "worker_a")
    page.goto(f"/sprawy/{case.pk}/wpisy/notatka/{note.pk}/wycofaj/")
    _visit(page, "s07-withdraw-form")

    # A person the centre knows, typed again at intake.
    MemberFactory(client__institution=org.inst_a, first_name="Kazimierz", last_name="Wróblewski", pesel="44051401359")
    page.goto("/zgloszenia/nowe/?nowy=1")
    page.get_by_label(_label("Imię")).first.fill("Kazimierz")
    page.get_by_label(_label("Nazwisko")).first.fill("Wróblewski")
    page.get_by_label(_label("PESEL")).first.fill("44051401359")
    page.get_by_label(_label("Miejscowość")).fill("Toruń")
    page.get_by_label(_label("Treść zgłoszenia")).fill("Sąsiadka zgłasza brak opału.")
    page.get_by_role("button", name="Zarejestruj klienta i zgłoszenie").click()
    expect(page.locator("main")).to_contain_text("jest już w kartotece ośrodka")
    _visit(page, "s08-intake-known-person")

    # Social work with the assistant at work: the closing asks how the assistant's work ends.
    social = CaseFactory(
        region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA
    )
    assign(social, p)
    contract = ContractFactory(case=social)
    _open_case(page, social)
    page.get_by_text("Zakończenie sprawy lub odmowa pomocy").click()  # the final moves stand folded apart
    expect(page.get_by_label(re.compile("Jak kończy się: praca asystenta rodziny"))).to_be_visible()
    _visit(page, "s09-closing-with-assistant")
    page.goto(f"/sprawy/{social.pk}/kontrakt/{contract.pk}/aneks/")
    expect(page.get_by_role("group", name="Działanie w realizacji nr 1")).to_be_visible()
    _visit(page, "s10-amendment-actions")

    # The monitoring page names who did what.
    refusing = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    today = timezone.localdate()
    m = monitoring.monitoring_open(
        case=refusing, by=p.worker_a, refused_on=today, statement_taken=True, leaflet_left=True,
        note_to_director="Pan K. odmówił pomocy.", note_written_on=today,
    )  # fmt: skip
    m = monitoring.monitoring_plan(
        monitoring=m, by=p.director_a, plan_on=today, dates=[today], contact_close_family="Córka.",
        contact_neighbours="Sołtys.", contact_health="Pielęgniarka.", contact_organisations="Klub seniora.",
    )  # fmt: skip
    monitoring.monitoring_date_done(date=m.dates.get(), by=p.worker_a, done_on=today, outcome="Odmawia.")
    page.goto(reverse("refusals:monitoring_case", args=[refusing.pk]))
    expect(page.locator("main")).to_contain_text(p.worker_a.get_full_name())
    _visit(page, "s11-monitoring-authors")

    # The coordinator merges two records of one person.
    page.context.clear_cookies()
    login(page, "coordinator_a")
    page.goto(f"/sprawy/{case.pk}/klient/scal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Połączenie rekordów klienta")
    _visit(page, "s12-client-merge")
