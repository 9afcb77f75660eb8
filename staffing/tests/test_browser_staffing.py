"""Issue 17 in a real browser: a cover period, a hand-over, a move between regions and the
family assistant's urgent note reaching the worker.

Every page visited is checked with axe-core and saved as a screenshot in test-output/screenshots/.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assistants.models import Assignment, Request
from cases.models import CaseTransfer, OfficialNote
from cases.procedure import Stage
from mopr.models import Role
from mopr.tests.browser import field_error, label, login, logout, open_case, status, visit
from mopr.tests.factories import CaseFactory, UserFactory
from staffing.models import Cover

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case(org, p):
    return CaseFactory(
        region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE,
        reported_at=timezone.now() - datetime.timedelta(days=5),
    )  # fmt: skip


def test_a_cover_period_from_the_workers_leave_to_the_substitutes_entry(page, case, p):
    login(page, "worker_a")
    page.get_by_role("link", name="Zastępstwa – zgłoś planowany urlop i wskaż zastępcę").click()
    visit(page, "z01-covers-empty")
    today = timezone.localdate()
    page.get_by_label(label("Zastępca")).select_option(label=str(p.worker_a2))
    page.get_by_label(label("Od dnia")).fill((today - datetime.timedelta(days=5)).isoformat())
    page.get_by_label(label("Do dnia (włącznie)")).fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Ustal zastępstwo").click()
    # A period that already ended is refused at its field, and nothing is saved.
    expect(field_error(page, "id_ends_on")).to_contain_text("już się skończyło")
    visit(page, "z02-covers-refused")
    assert not Cover.objects.exists()
    page.get_by_label(label("Od dnia")).fill(today.isoformat())
    page.get_by_label(label("Do dnia (włącznie)")).fill((today + datetime.timedelta(days=3)).isoformat())
    page.get_by_label(label("Powód nieobecności")).select_option(label="urlop")
    page.get_by_role("button", name="Ustal zastępstwo").click()
    expect(status(page)).to_contain_text("Ustalono zastępstwo")
    visit(page, "z03-covers-set")
    logout(page)

    login(page, "worker_a2")
    expect(page.get_by_role("heading", name="Sprawy w zastępstwie")).to_be_visible()
    expect(page.get_by_role("link", name=case.number, exact=True)).to_be_visible()
    visit(page, "z04-substitute-start")
    open_case(page, case)
    expect(page.get_by_text("Działasz w zastępstwie za")).to_be_visible()
    visit(page, "z05-substitute-case")
    page.get_by_role("link", name="Notatka służbowa").click()
    page.get_by_label(label("Treść")).fill("Telefon od matki: syn wrócił do szkoły.")
    page.get_by_role("button", name="Zapisz").click()
    expect(status(page)).to_contain_text("Zapisano")
    expect(page.locator(".timeline")).to_contain_text(f"(w zastępstwie za {p.worker_a})")
    visit(page, "z06-entry-in-cover")
    assert OfficialNote.objects.get(case=case).covering_for == p.worker_a


def test_a_hand_over_of_a_worker_who_left(page, org, p):
    cases = [
        CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
        for _ in range(2)
    ]
    p.worker_a.is_active = False
    p.worker_a.save()
    login(page, "coordinator_a")
    expect(page.get_by_role("heading", name="Zastępstwa i przekazania")).to_be_visible()
    visit(page, "h01-coordinator-start")
    page.get_by_role("link", name=f"Przekaż sprawy – {p.worker_a}").click()
    expect(page.get_by_role("heading", name=f"Sprawy prowadzone przez: {p.worker_a}")).to_be_visible()
    visit(page, "h02-handover-form")
    page.get_by_label(label("Nowy pracownik prowadzący")).select_option(label=str(p.worker_a_2))
    page.get_by_label(label("Przyczyna")).select_option(label="odejście pracownika")
    page.get_by_role("button", name="Przekaż zaznaczone sprawy").click()
    expect(status(page)).to_contain_text("Przekazano spraw: 2")
    visit(page, "h03-handover-done")
    assert CaseTransfer.objects.filter(to_worker=p.worker_a_2).count() == 2
    logout(page)

    login(page, "worker_a_2")
    expect(page.get_by_role("navigation", name="Menu główne")).to_contain_text("Powiadomienia")
    page.get_by_role("link", name="Powiadomienia").click()
    expect(page.get_by_role("link", name=f"Sprawa {cases[0].number} czeka na Twoje przyjęcie")).to_be_visible()
    visit(page, "h04-inbox")
    page.get_by_role("link", name=f"Sprawa {cases[0].number} czeka na Twoje przyjęcie").click()
    page.get_by_role("button", name="Przyjmuję do realizacji").click()
    expect(status(page)).to_contain_text("Przyjęto")
    visit(page, "h05-accepted")
    assert CaseTransfer.objects.get(case=cases[0]).accepted_at is not None


def test_a_move_between_regions(page, case, org, p):
    UserFactory(username="coordinator_a2", institution=org.inst_a, roles=[(Role.COORDINATOR, org.region_a2)])
    login(page, "coordinator_a")
    open_case(page, case)
    page.get_by_label(label("Nowy rejon")).select_option(label=org.region_a2.code)
    page.get_by_label(label("Nowy adres rodziny lub powód")).fill("ul. Łódzka 12/3")
    page.get_by_role("button", name="Przekaż koordynatorowi rejonu").click()
    expect(status(page)).to_contain_text("czeka na przyjęcie")
    visit(page, "m01-move-proposed")
    logout(page)

    login(page, "coordinator_a2")
    page.goto("/zgloszenia/kolejka/")
    expect(page.get_by_role("heading", name="Sprawy przenoszone do Twojego rejonu")).to_be_visible()
    visit(page, "m02-queue-with-move")
    page.get_by_label(f"Pracownik dla sprawy {case.number}").select_option(label=str(p.worker_a2))
    page.get_by_role("button", name="Przyjmij").click()
    expect(status(page)).to_contain_text("Przyjęto sprawę")
    visit(page, "m03-move-accepted")
    case.refresh_from_db()
    assert (case.region, case.worker) == (org.region_a2, p.worker_a2)


def test_the_assistants_urgent_note_reaches_the_worker(page, case, p):
    case.stage = Stage.PRACA_SOCJALNA
    case.save()
    request = Request.objects.create(
        case=case, path=Request.Path.WORKER, status=Request.Status.APPROVED, requested_by=p.worker_a,
        requested_on=timezone.localdate(), justification="Zaniedbania",
    )  # fmt: skip
    assignment = Assignment.objects.create(
        case=case, request=request, assistant=p.assistant_a, assigned_by=p.director_a, qualified_on=timezone.localdate()
    )
    login(page, "assistant_a")
    page.goto(f"/asystenci/przydzialy/{assignment.pk}/")
    expect(page.get_by_role("heading", name="Sytuacja zagraża dziecku?")).to_be_visible()
    visit(page, "a01-assistant-family")
    page.get_by_role("link", name="Pilna notatka służbowa").click()
    page.get_by_label(label("Treść")).fill("Ojciec pod wpływem alkoholu, dzieci same w domu; wezwano policję.")
    page.get_by_role("button", name="Zapisz").click()
    expect(status(page)).to_contain_text("Zapisano")
    visit(page, "a02-assistant-note-saved")
    logout(page)

    login(page, "worker_a")
    menu_link = page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Powiadomienia")
    expect(menu_link).to_contain_text("1")
    menu_link.click()
    expect(page.get_by_text("pilne: wpis asystenta rodziny")).to_be_visible()
    visit(page, "a03-worker-inbox-urgent")
    page.get_by_role("link", name=f"Sprawa {case.number}: asystent rodziny dodał notatkę służbową.").click()
    expect(page.locator(".timeline")).to_contain_text("dzieci same w domu")
    visit(page, "a04-worker-case-after-urgent")


def test_the_other_pages_of_the_week_pass_axe(page, case, org, p):
    """The appointment forms, the moving-out letter's form, and the start pages and Terminy of the
    roles the walks above do not open: axe on each, and a screenshot to look at."""
    from cases import services
    from cases.models import Appointment
    from cases.services.appointments import appointment_plan

    appointment = appointment_plan(case=case, by=p.worker_a, appointment=Appointment(
        at=timezone.now() + datetime.timedelta(days=3), note="Rozmowa o szkole"))  # fmt: skip
    login(page, "worker_a")
    open_case(page, case)
    page.get_by_role("link", name="Umów wizytę lub spotkanie").click()
    visit(page, "w01-appointment-new")
    page.goto(f"/sprawy/{case.pk}/spotkania/{appointment.pk}/przeloz/")
    visit(page, "w02-appointment-move")
    page.goto(f"/sprawy/{case.pk}/spotkania/{appointment.pk}/odwolaj/")
    page.get_by_label(label("Powód odwołania")).fill("Klient zadzwonił: choroba dziecka")
    page.get_by_role("button", name="Zapisz").click()
    expect(status(page)).to_contain_text("Odwołano spotkanie")
    visit(page, "w03-case-after-cancel")
    closed = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    services.case_close(case=closed, by=p.worker_a, reason="moved_out", justification="Wyprowadzka do Gdańska.")
    open_case(page, closed)
    page.get_by_role("link", name="Przekaż dokumentację ośrodkowi nowej gminy (pismo)").click()
    visit(page, "w04-documentation-transfer-form")
    page.goto("/terminy/")
    visit(page, "w05-terminy-worker")
    logout(page)
    for persona in ("director_a", "head_a", "auditor_a", "assistant_a"):
        login(page, persona)
        visit(page, f"w06-start-{persona}")
        if persona in ("director_a", "head_a"):
            page.goto("/terminy/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Terminy")
            visit(page, f"w07-terminy-{persona}")
        logout(page)
