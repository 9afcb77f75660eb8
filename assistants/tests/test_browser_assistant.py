"""The family assistant in a real browser (seed 002): the worker's request with the family's consent,
the head of department's opinion, the director's approval and assignment with its letter, the
assistant's first joint visit and plan of work, the end of the work with the final report; then the
family is gone from the assistant's view and the worker's control visits are due.

The starting case (accepted by worker_a, the client met, the diagnosis deciding on social work, at
stage IV) is set up through the services, back-dated; everything after that happens in the browser.
Every page visited is checked with axe-core (WCAG 2.0/2.1 A and AA) and saved as a screenshot in
test-output/screenshots/a*.png.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from assistants.models import Assignment, AssistantVisit, Decision, FinalReport, Request, WorkPlan
from cases import services
from cases.models import Case, Diagnosis
from cases.procedure import Stage
from mopr.tests.browser import coordination, label, login, logout
from mopr.tests.browser import field_error as _field_error
from mopr.tests.browser import nav as _nav
from mopr.tests.browser import open_case as _open_case
from mopr.tests.browser import status as _status
from mopr.tests.browser import visit as _visit
from mopr.tests.scenarios import grandfather_in_diagnoza


def _label(text: str):
    """Labels here are matched regardless of case (the assistant pages capitalise some)."""
    return label(text, ignore_case=True)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- helpers --------------------------------------------------------------------------------------


def _day(days: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _save(page, button: str = "Zapisz") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _assistant_section(page):
    return page.get_by_role("region", name="Asystent rodziny")


def _case_in_social_work(org, p) -> Case:
    """The grandfather's case, diagnosed ten days ago as needing social work and an assistant."""
    case, _client, began = grandfather_in_diagnoza(
        org,
        p,
        report="Pedagog szkolny: Kacper opuszcza lekcje, dziadek nie radzi sobie z wychowaniem wnuka.",
        findings="Dziadek zmęczony, wnuk zamknięty w sobie; brak rutyny dnia, zaległości w szkole.",
    )
    with time_machine.travel(began + datetime.timedelta(days=4), tick=False):
        services.diagnosis_record(
            case=case,
            by=p.worker_a,
            diagnosis=Diagnosis(
                diagnosed_on=timezone.localdate(),
                facts="Dziadek (80 lat) samotnie wychowuje wnuka; bezradność w sprawach opiekuńczo-wychowawczych.",
                problem_areas=["care_upbringing", "household_helplessness"],
                resources="Emerytura, więź dziadka z wnukiem, życzliwa szkoła.",
                dysfunctional=True,
                decision=Diagnosis.Decision.SOCIAL_WORK,
                justification="Potrzebna praca socjalna i wsparcie asystenta rodziny.",
            ),
        )
    case.refresh_from_db()
    assert case.stage == Stage.PRACA_SOCJALNA
    return case


# --- the test ---------------------------------------------------------------------------------------


def test_assistant_from_request_to_the_end_of_the_work(page, p, org):
    case = _case_in_social_work(org, p)
    assistant_name = p.assistant_a.get_full_name()

    # The worker asks for an assistant; the family's written consent is a must.
    login(page, "worker_a")
    _open_case(page, case)
    expect(_assistant_section(page)).not_to_contain_text("Wniosek z")
    _visit(page, "a01-case-praca-socjalna")
    _assistant_section(page).get_by_role("link", name="Wniosek o asystenta", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wniosek o asystenta rodziny")
    _visit(page, "a02-request-form")
    page.get_by_label(re.compile(r"^\s*Uzasadnienie")).fill(
        "Niezaradność w sprawach opiekuńczo-wychowawczych: 80-letni dziadek nie radzi sobie z nastoletnim "
        "wnukiem, który wagaruje; potrzebne regularne wsparcie w domu."
    )
    page.get_by_label(_label("Data pisemnej zgody rodziny")).fill("")  # it starts from today
    _save(page, "Zapisz wniosek")
    expect(_field_error(page, "id_consent_on")).to_have_text("To pole jest wymagane.")
    _visit(page, "a03-request-form-no-consent")
    assert Request.objects.count() == 0
    page.get_by_label(_label("Data pisemnej zgody rodziny")).fill(_day(-2).isoformat())
    _save(page, "Zapisz wniosek")
    expect(_status(page)).to_contain_text("Zapisano: czeka na opinię kierownika działu.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wniosek o asystenta rodziny")
    expect(page.locator("h1 + .badge")).to_have_text("czeka na opinię kierownika działu")
    _visit(page, "a04-request-filed")
    request = Request.objects.get(case=case)
    logout(page)

    # The head of department: a positive opinion with a comment.
    login(page, "head_a")
    coordination(page, "Wnioski o asystenta")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wnioski o asystenta rodziny")
    waiting = page.get_by_role("region", name="Czekają na opinię")
    row = waiting.get_by_role("row").filter(has_text=case.number)
    expect(row).to_contain_text("Rodzina Henryk Wiśniewski")
    _visit(page, "a05-queue-head")
    row.get_by_role("link").click()
    opinion = page.get_by_role("region", name="Opinia kierownika działu")
    _visit(page, "a06-request-opinion-form")
    opinion.get_by_label("pozytywna").check()
    opinion.get_by_label(_label("Komentarz")).fill("Zasadne; rodzina współpracuje z pracownikiem socjalnym.")
    _save(page, "Wydaj opinię")
    expect(_status(page)).to_contain_text("Zapisano opinię; wniosek czeka na zatwierdzenie.")
    expect(page.locator("h1 + .badge")).to_have_text("czeka na zatwierdzenie")
    expect(page.get_by_role("region", name="Opinia kierownika działu")).to_have_count(0)
    _visit(page, "a07-request-opinion-given")
    logout(page)

    # The director approves, assigns the assistant and prints the letter.
    login(page, "director_a")
    coordination(page, "Wnioski o asystenta")
    row = page.get_by_role("region", name="Czekają na zatwierdzenie").get_by_role("row").filter(has_text=case.number)
    expect(row).to_be_visible()
    _visit(page, "a08-queue-director")
    row.get_by_role("link").click()
    decisions = page.locator("main").get_by_role("listitem").filter(has_text="opinia kierownika działu")
    expect(decisions).to_contain_text("pozytywna")
    expect(decisions).to_contain_text("rodzina współpracuje z pracownikiem socjalnym")
    decision = page.get_by_role("region", name=re.compile(r"^Decyzja"))
    decision.get_by_label("zatwierdzam").check()
    decision.get_by_label(re.compile(r"^\s*Komentarz")).fill("Zatwierdzam – asystent od zaraz.")
    _visit(page, "a09-request-decision-form")
    _save(page, "Zapisz decyzję")
    expect(_status(page)).to_contain_text("Zapisano decyzję.")
    expect(page.locator("h1 + .badge")).to_have_text("zatwierdzony")
    assign = page.get_by_role("region", name="Przydział asystenta rodziny")
    expect(assign.get_by_label(_label("Data zakwalifikowania rodziny"))).to_have_value(_day().isoformat())
    _visit(page, "a10-request-approved-assign-form")
    assign.get_by_label(_label("Asystent rodziny")).select_option(label=str(p.assistant_a))
    assign.get_by_label(_label("Uwagi do pisma przydzielającego")).fill("Pierwsza wizyta wspólnie z pracownikiem.")
    _save(page, "Przydziel")
    expect(_status(page)).to_contain_text("Przydzielono asystenta rodziny; wydrukuj pismo przydzielające.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rodzina Henryk Wiśniewski")
    _visit(page, "a11-assignment-director")
    letter = page.get_by_role("link", name="Pismo przydzielające (PDF)")
    response = page.request.get(letter.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    logout(page)

    # The worker sees the decision on the case page.
    login(page, "worker_a")
    _open_case(page, case)
    section = _assistant_section(page)
    expect(section).to_contain_text(f"Wniosek {_day():%d.%m.%Y} – zatwierdzony: {assistant_name}")
    _visit(page, "a12-case-assistant-assigned")
    logout(page)

    # The assistant: the family, what is missing, the first joint visit, the plan.
    login(page, "assistant_a")
    _nav(page, "Moje rodziny")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje rodziny")
    families = page.get_by_role("table", name="Rodziny, z którymi pracuję, i ich terminy")
    row = families.get_by_role("row").filter(has_text=case.number)
    expect(row).to_contain_text("Pierwsza wspólna wizyta asystenta z pracownikiem")
    expect(row).to_contain_text("Plan pracy z rodziną")
    _visit(page, "a13-my-families")
    row.get_by_role("link", name="Rodzina Henryk Wiśniewski").click()
    documents = page.get_by_role("region", name="Dokumenty pracy asystenta")
    expect(documents.get_by_role("listitem").filter(has_text="pisemna zgoda rodziny")).to_contain_text("jest")
    expect(documents.get_by_role("listitem").filter(has_text="pismo przydzielające")).to_contain_text("jest")
    expect(documents.get_by_role("listitem").filter(has_text="plan pracy z rodziną")).to_contain_text("brak")
    expect(documents.get_by_role("listitem").filter(has_text="karta pracy z rodziną")).to_contain_text("brak")
    expect(documents.get_by_role("listitem").filter(has_text="sprawozdanie z pracy asystenta")).to_contain_text("brak")
    _visit(page, "a14-assignment-assistant")

    page.get_by_role("link", name="Wizyta asystenta", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wizyta asystenta")
    _visit(page, "a15-visit-form")
    page.get_by_label(_label("Data wizyty")).fill(_day().isoformat())
    page.get_by_label(_label("Godzina rozpoczęcia")).fill("16:30")
    page.get_by_label(_label("Wspólna wizyta z pracownikiem socjalnym")).check()
    page.get_by_label(_label("Przebieg wizyty")).fill(
        "Wspólna wizyta z pracownikiem socjalnym: poznanie rodziny, omówienie zasad współpracy i potrzeb Kacpra."
    )
    page.get_by_label(_label("Czas (minuty)")).fill("90")
    _save(page)
    expect(_status(page)).to_contain_text("Zapisano: Wizyta asystenta.")
    visits = page.get_by_role("region", name="Karta pracy z rodziną – wizyty")
    expect(visits).to_contain_text("16:30 (wspólnie z pracownikiem socjalnym) · 90 min")

    page.get_by_role("link", name="Plan pracy z rodziną", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan pracy z rodziną")
    _visit(page, "a16-plan-form")
    page.get_by_label(_label("Data sporządzenia")).fill(_day().isoformat())
    page.get_by_label(_label("Ocena sytuacji rodziny")).fill("Dziadek bezradny wychowawczo; wnuk wagaruje.")
    page.get_by_label(_label("Cele i zadania")).fill(
        "1. Regularna obecność Kacpra w szkole.\n2. Stały plan dnia.\n3. Kontakt dziadka z wychowawcą."
    )
    page.get_by_label(_label("Sposoby realizacji")).fill("Wizyty co tydzień, spotkania w szkole, plan dnia na lodówce.")
    _save(page)
    expect(_status(page)).to_contain_text("Zapisano: Plan pracy z rodziną.")
    expect(documents.get_by_role("listitem").filter(has_text="plan pracy z rodziną")).to_contain_text("jest")
    expect(documents.get_by_role("listitem").filter(has_text="karta pracy z rodziną")).to_contain_text("jest")
    expect(page.get_by_role("region", name="Plan pracy z rodziną")).to_contain_text("Regularna obecność Kacpra")
    _visit(page, "a17-assignment-visit-and-plan")

    # The end: goals reached, with the final report.
    page.get_by_role("link", name="Zakończ pracę asystenta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zakończenie pracy asystenta z rodziną")
    _visit(page, "a18-end-form")
    page.get_by_label(_label("Przyczyna zakończenia")).select_option(label="osiągnięcie zamierzonych celów")
    page.get_by_label(_label("Uzasadnienie")).fill("Kacper chodzi do szkoły, dziadek trzyma się planu dnia.")
    page.get_by_label(_label("Sprawozdanie z pracy asystenta z rodziną")).fill(
        "Cele planu osiągnięte: frekwencja Kacpra 98 %, stały kontakt dziadka z wychowawcą."
    )
    _save(page)
    # The assistant lands on their families: none active, the ended work listed under "Zakończone";
    # the family's case itself is no longer theirs to see.
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje rodziny")
    expect(families).to_contain_text("Nie masz przydzielonych rodzin.")
    expect(page.locator("main")).to_contain_text(f"{case.number} – osiągnięcie zamierzonych celów")
    _visit(page, "a19-my-families-after-end")
    response = page.request.get(f"/sprawy/{case.pk}/")
    assert response.status == 404
    logout(page)

    # The worker: the ended assignment on the case page, and the control visits due.
    login(page, "worker_a")
    _open_case(page, case)
    expect(_assistant_section(page)).to_contain_text(f"zatwierdzony: {assistant_name} (zakończono {_day():%d.%m.%Y})")
    _visit(page, "a21-case-assistant-ended")
    _nav(page, "Terminy")
    coming = page.get_by_role("table", name="Terminy w toku, od najbliższego")
    control = coming.get_by_role("row").filter(has_text="Wizyta kontrolna po zakończeniu pracy asystenta")
    expect(control).to_contain_text(case.number)
    _visit(page, "a22-deadlines-control-visit")

    # The database.
    request.refresh_from_db()
    assert request.status == Request.Status.APPROVED and request.path == Request.Path.WORKER
    assert request.requested_by == p.worker_a and request.consent_on == _day(-2)
    opinion, approval = Decision.objects.filter(request=request).order_by("decided_at", "pk")
    assert (opinion.step, opinion.positive, opinion.decided_by) == (Decision.Step.OPINION, True, p.head_a)
    assert (approval.step, approval.positive, approval.decided_by) == (Decision.Step.APPROVAL, True, p.director_a)
    assert not approval.as_authorised
    assignment = Assignment.objects.get(request=request)
    assert assignment.case == case and assignment.assistant == p.assistant_a
    assert assignment.assigned_by == p.director_a and assignment.qualified_on == _day()
    assert assignment.ended_on == _day() and assignment.end == Assignment.End.GOALS_REACHED
    assert assignment.end_reason.startswith("Kacper chodzi do szkoły")
    visit = AssistantVisit.objects.get(assignment=assignment)
    assert visit.joint_with_worker and visit.minutes == 90 and visit.author == p.assistant_a
    plan = WorkPlan.objects.get(assignment=assignment)
    assert plan.version_number == 1 and plan.author == p.assistant_a
    final = FinalReport.objects.get(assignment=assignment)
    assert final.written_on == _day() and final.author == p.assistant_a and "98 %" in final.summary
    case.refresh_from_db()
    assert case.stage == Stage.PRACA_SOCJALNA and case.worker == p.worker_a
