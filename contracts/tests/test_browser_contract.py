"""Stages IV and V in a real browser: the diagnosis decides on social work; the worker draws up the
social contract (a half-filled action refused at its fields), signs it, evaluates it with the
client, amends it, prints the client's copy, ends it as completed, moves away, closes the case and
reopens it. And a contract ended by the client's notice while a child's welfare is threatened:
refused without a reason, then the notification of the family court follows at once.

The starting case (accepted by worker_a, the client met, at stage III) is set up through the
services, back-dated; everything after that happens in the browser. Every page visited is checked
with axe-core (WCAG 2.0/2.1 A and AA) and saved as a screenshot in test-output/screenshots/k*.png.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import (
    Case,
    Client,
    Diagnosis,
    Notification,
    Relation,
    StageTransition,
)
from cases.procedure import CloseReason, Stage
from contracts import services as contract_services
from contracts.models import Action, Amendment, Contract, Evaluation, Goal, Resource
from mopr.tests.browser import MAIN_MENU, login
from mopr.tests.browser import field_error as _field_error
from mopr.tests.browser import label as _label
from mopr.tests.browser import open_case as _open_case
from mopr.tests.browser import status as _status
from mopr.tests.browser import visit as _visit
from mopr.tests.scenarios import HEAD_PESEL, grandfather_in_diagnoza

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOALS = [
    "Uregulowanie zaległości czynszowych",
    "Regularne uczęszczanie Kacpra do szkoły",
    "Podjęcie leczenia kardiologicznego przez pana Henryka",
]


# --- helpers --------------------------------------------------------------------------------------


def _day(days: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _stage_badge(page):
    return page.locator("h1 + .badge")


def _contract_section(page):
    return page.get_by_role("region", name="Kontrakt socjalny")


def _save(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _step(page, button: str, reason: str, close_reason: str | None = None) -> None:
    """Press a "Następne kroki procedury" button with its reason (and the cause of closing)."""
    steps = page.get_by_role("region", name="Następne kroki procedury")
    form = steps.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))
    # A closed <details> hides its buttons from role queries: found by the button's text.
    final = steps.locator("details").filter(has=page.locator("button", has_text=re.compile(f"^{re.escape(button)}$")))
    is_final = final.count() > 0
    if is_final:  # a final move: apart, folded, and asked again (issue 20.1)
        final.locator("summary").click()
    if close_reason is not None:
        form.get_by_label(re.compile(r"^Przyczyna zakończenia")).select_option(label=close_reason)
    form.get_by_label(re.compile(r"^Uzasadnienie")).fill(reason)
    with page.expect_navigation():
        form.get_by_role("button", name=button, exact=True).click()
    if is_final:
        expect(page.get_by_role("heading", level=2, name="Co się stanie")).to_be_visible()
        _visit(page, "k-confirm-" + button)
        with page.expect_navigation():
            page.get_by_role("button", name=f"Tak – {button}").click()


def _fill_action(page, row: int, *, side: str = "", description: str = "", deadline=None, responsible: str = ""):
    """One row of the contract's actions (the rows repeat the same labels, so by the row's fields)."""
    group = page.get_by_role("group", name=f"Działanie nr {row + 1}")
    if side:
        group.get_by_label(_label("Strona")).select_option(label=side)
    group.get_by_label(_label("Działanie")).fill(description)
    group.get_by_label(_label("Termin")).fill(deadline.isoformat() if deadline else "")
    group.get_by_label(_label("Osoba odpowiedzialna")).fill(responsible)


def _case_in_diagnoza(org, p) -> tuple[Case, Client]:
    case, client, _began = grandfather_in_diagnoza(
        org,
        p,
        report="Pedagog szkolny: Kacper opuszcza lekcje, dziadek nie radzi sobie z opłatami i zdrowiem.",
        findings="Mieszkanie zadbane; zaległości w czynszu za pół roku; dziadek po zawale.",
    )
    return case, client


def _case_with_signed_contract(org, p) -> tuple[Case, Contract]:
    """The same family at stage IV with a contract drafted and signed ten days ago."""
    case, client = _case_in_diagnoza(org, p)
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    head = client.members.get(pesel=HEAD_PESEL)
    with time_machine.travel(ten_days_ago, tick=False):
        services.diagnosis_record(
            case=case,
            by=p.worker_a,
            diagnosis=Diagnosis(
                diagnosed_on=timezone.localdate(),
                facts="Dziadek samotnie wychowuje wnuka; zadłużenie czynszowe; wnuk wagaruje.",
                problem_areas=["care_upbringing"],
                resources="Emerytura, pomoc sąsiadki.",
                decision=Diagnosis.Decision.SOCIAL_WORK,
                justification="Potrzebne wsparcie w opiece nad wnukiem i w sprawach mieszkaniowych.",
            ),
        )
        case.refresh_from_db()
        today = timezone.localdate()
        contract = contract_services.contract_draft(
            case=case,
            by=p.worker_a,
            data=contract_services.ContractData(
                kind=Contract.Kind.A,
                client_member=head,
                problems="Zadłużenie czynszowe, absencja wnuka w szkole.",
                resources="Emerytura, wsparcie sąsiadki.",
                main_goal="Zapewnienie Kacprowi opieki i stabilnej sytuacji mieszkaniowej.",
                period_from=today,
                period_to=today + datetime.timedelta(days=180),
                drafted_on=today,
                goals=["Kacper chodzi do szkoły", "Spłata zaległości czynszowych"],
                actions=[
                    contract_services.ActionData(
                        side=Action.Side.CLIENT,
                        description="Codzienna kontrola obecności wnuka w dzienniku",
                        deadline=today + datetime.timedelta(days=60),
                        responsible="Henryk Wiśniewski",
                        goal_index=0,
                    ),
                    contract_services.ActionData(
                        side=Action.Side.WORKER,
                        description="Pomoc w ustaleniu harmonogramu spłaty",
                        deadline=today + datetime.timedelta(days=30),
                        responsible="pracownik socjalny",
                        goal_index=1,
                    ),
                ],
            ),
        )
        contract = contract_services.contract_sign(contract=contract, by=p.worker_a, signed_on=today)
    case.refresh_from_db()
    return case, contract


# --- the tests --------------------------------------------------------------------------------------


def test_contract_from_diagnosis_to_closure_and_reopening(page, p, org):
    case, client = _case_in_diagnoza(org, p)
    head = client.members.get(pesel=HEAD_PESEL)
    grandson = client.members.get(relation=Relation.GRANDCHILD)
    login(page, "worker_a")
    _open_case(page, case)
    expect(_stage_badge(page)).to_have_text("III. Diagnoza")
    expect(_contract_section(page)).to_have_count(0)
    _visit(page, "k01-case-diagnoza")

    # The diagnosis decides: social work is needed.
    page.get_by_role("link", name="Diagnoza i decyzja").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnoza i ocena sytuacji (Karta pkt 4 i 5)")
    page.get_by_label(_label("Data diagnozy")).fill(_day().isoformat())
    page.get_by_label(_label("Stan faktyczny")).fill(
        "Pan Henryk (80 lat, po zawale) sam wychowuje 15-letniego wnuka; zaległości czynszowe za pół roku; "
        "Kacper opuszcza lekcje."
    )
    page.get_by_label("bezradność w sprawach opiekuńczo-wychowawczych").check()
    page.get_by_label(_label("Zapewnienie dzieciom opieki i wychowania")).fill("Dziadek troskliwy, ale bez sił.")
    page.get_by_label(_label("Zasoby klienta i środowiska")).fill("Emerytura, życzliwa sąsiadka, dobra szkoła.")
    page.get_by_label(_label("Klient funkcjonuje w sposób dysfunkcyjny i wymaga pomocy")).check()
    page.get_by_label(_label("Decyzja")).select_option(label="potrzebna praca socjalna – zawarcie kontraktu socjalnego")
    page.get_by_label(_label("Uzasadnienie / uwagi i wnioski")).fill("Rodzina potrzebuje kontraktu socjalnego.")
    _visit(page, "k02-diagnosis-form")
    _save(page, "Zapisz diagnozę i decyzję")
    expect(_status(page)).to_contain_text("Zapisano diagnozę. Sprawa przeszła do etapu pracy socjalnej.")
    expect(_stage_badge(page)).to_have_text("IV. Praca socjalna")
    _visit(page, "k03-case-praca-socjalna")

    # The contract: first with an action missing its deadline and the responsible person.
    _contract_section(page).get_by_role("link", name="Sporządź kontrakt socjalny").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrakt socjalny")
    _visit(page, "k04-contract-form")
    page.get_by_label("A – rozwiązanie trudnej sytuacji życiowej osoby lub rodziny").check()
    expect(page.get_by_label(_label("Klient – strona kontraktu"))).to_have_value(str(head.pk))
    page.get_by_role("checkbox", name="Kacper Wiśniewski").check()
    page.get_by_label(_label("Ocena sytuacji: problemy")).fill(
        "Zaległości czynszowe (6 miesięcy), absencja szkolna wnuka, choroba serca dziadka."
    )
    page.get_by_label(_label("Ocena sytuacji: zasoby i możliwości")).fill("Stała emerytura, motywacja, sąsiadka.")
    page.get_by_label(_label("Ocena sytuacji: ograniczenia")).fill("Wiek i stan zdrowia pana Henryka.")
    page.get_by_label(_label("Cel główny")).fill("Stabilna sytuacja mieszkaniowa i opieka nad Kacprem.")
    # Two rows to start with; "Dodaj cel" brings one more (htmx swaps the list only, issue 16.7).
    page.get_by_role("button", name="Dodaj cel").click()
    expect(page.get_by_label(f"Cel szczegółowy nr {len(GOALS)}")).to_be_visible()
    for n, goal in enumerate(GOALS, start=1):
        page.get_by_label(f"Cel szczegółowy nr {n}").fill(goal)
    page.get_by_label(_label("Okres obowiązywania od")).fill(_day().isoformat())
    page.get_by_label(_label("Okres obowiązywania do")).fill(_day(182).isoformat())
    expect(page.get_by_label(_label("Data sporządzenia"))).to_have_value(_day().isoformat())
    page.get_by_label("świadczenia z pomocy społecznej (ośrodek)").check()
    page.get_by_label("pomoc specjalistów (psycholog, pedagog, prawnik, terapeuta)").check()
    page.get_by_label(_label("Zasoby – szczegóły")).fill("zasiłek celowy na czynsz; pedagog szkolny")
    _fill_action(page, 0, side="klient", description="Spłata zaległości w ratach zgodnie z harmonogramem")
    _fill_action(
        page,
        1,
        side="pracownik socjalny",
        description="Pomoc w zawarciu ugody ze spółdzielnią",
        deadline=_day(30),
        responsible="pracownik socjalny",
    )
    _save(page, "Sporządź kontrakt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrakt socjalny")
    expect(page.locator("#error-summary")).to_contain_text("Popraw zaznaczone pola – niczego nie zapisano.")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(_field_error(page, "id_actions-0-deadline")).to_have_text("To pole jest wymagane.")
    expect(_field_error(page, "id_actions-0-responsible")).to_have_text("To pole jest wymagane.")
    # What was typed stays.
    expect(page.get_by_label("Cel szczegółowy nr 2")).to_have_value(GOALS[1])
    expect(page.get_by_role("group", name="Działanie nr 1").get_by_label(_label("Działanie"))).to_have_value(
        re.compile("Spłata zaległości")
    )
    _visit(page, "k05-contract-form-half-filled-action")
    assert Contract.objects.filter(case=case).count() == 0

    _fill_action(
        page,
        0,
        description="Spłata zaległości w ratach zgodnie z harmonogramem",
        deadline=_day(90),
        responsible="Henryk Wiśniewski",
    )
    page.get_by_role("group", name="Działanie nr 1").get_by_label(_label("Nr celu")).fill("1")
    page.get_by_role("button", name="Dodaj działanie").click()
    expect(page.get_by_role("group", name="Działanie nr 3")).to_be_visible()
    # The rows typed before stay as they were.
    expect(page.get_by_role("group", name="Działanie nr 1").get_by_label(_label("Osoba odpowiedzialna"))).to_have_value(
        "Henryk Wiśniewski"
    )
    _fill_action(
        page,
        2,
        side="klient",
        description="Kontrola obecności Kacpra w dzienniku elektronicznym co tydzień",
        deadline=_day(60),
        responsible="Henryk Wiśniewski",
    )
    page.get_by_role("group", name="Działanie nr 3").get_by_label(_label("Nr celu")).fill("2")
    _save(page, "Sporządź kontrakt")
    contract = Contract.objects.get(case=case)
    expect(_status(page)).to_contain_text("Sporządzono kontrakt socjalny. Podpisz go z klientem.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kontrakt socjalny {case.number}/1")
    expect(page.locator("h1 + .badge")).to_have_text("projekt (niepodpisany)")
    _visit(page, "k06-contract-draft")

    # Signed with the client today.
    sign = page.get_by_role("region", name="Podpisanie kontraktu")
    expect(sign.get_by_label(_label("Data podpisania"))).to_have_value(_day().isoformat())
    _save(page, "Kontrakt podpisany")
    expect(_status(page)).to_contain_text("Kontrakt podpisany; wydrukuj egzemplarz dla klienta.")
    expect(page.locator("h1 + .badge")).to_have_text("obowiązuje")
    expect(page.get_by_role("region", name="Podpisanie kontraktu")).to_have_count(0)
    _visit(page, "k07-contract-signed")

    # The evaluation with the client: every goal reached.
    page.get_by_role("link", name="Ewaluacja", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ewaluacja kontraktu z klientem")
    expect(page.get_by_label(_label("Ewaluacja z udziałem klienta"))).to_be_checked()
    _visit(page, "k08-evaluation-form")
    page.get_by_label(_label("Ocena i wnioski")).fill(
        "Zaległości spłacone dzięki zasiłkowi celowemu; Kacper bez nieobecności od miesiąca; dziadek w leczeniu."
    )
    for n, goal in enumerate(GOALS, start=1):
        page.get_by_label(_label(f"Cel {n}: {goal}")).select_option(label="osiągnięty")
    page.get_by_label(_label("Komentarz do celu 1")).fill("Ugoda ze spółdzielnią wykonana.")
    for action in page.get_by_label(re.compile(r"^\s*Działanie \(")).all():
        action.select_option(label="wykonane")
    _save(page, "Zapisz ewaluację")
    expect(_status(page)).to_contain_text("Zapisano ewaluację kontraktu.")
    evaluations = page.get_by_role("region", name="Ewaluacje")
    expect(evaluations).to_contain_text("Kacper bez nieobecności")
    expect(evaluations).to_contain_text(f"{GOALS[0]}: osiągnięty – Ugoda ze spółdzielnią wykonana.")
    _visit(page, "k09-contract-evaluated")

    # An amendment: a new goal, the period extended.
    page.get_by_role("link", name="Aneks", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aneks do kontraktu")
    expect(page.get_by_label(_label("Cel główny"))).to_have_value(
        "Stabilna sytuacja mieszkaniowa i opieka nad Kacprem."
    )
    _visit(page, "k10-amendment-form")
    page.get_by_label(_label("Powód zmiany")).fill("Kacper chce podjąć naukę w szkole branżowej.")
    page.get_by_label(_label("Okres obowiązywania do")).fill(_day(240).isoformat())
    page.get_by_label(_label("Nowe cele szczegółowe (każdy w osobnym wierszu)")).fill(
        "Wybór szkoły branżowej z doradcą zawodowym"
    )
    _save(page, "Zapisz aneks")
    expect(_status(page)).to_contain_text("Zapisano aneks; poprzednia wersja kontraktu pozostaje do wglądu.")
    amendments = page.get_by_role("region", name="Aneksy")
    amendments.get_by_text("Kacper chce podjąć naukę w szkole branżowej.").click()  # open the earlier version
    expect(amendments.get_by_text("Wersja sprzed aneksu")).to_be_visible()
    expect(amendments).to_contain_text(GOALS[2])
    expect(amendments).to_contain_text(f"Okres: {_day():%d.%m.%Y} – {_day(182):%d.%m.%Y}")
    expect(page.get_by_role("region", name="Cele szczegółowe")).to_contain_text(
        "Wybór szkoły branżowej z doradcą zawodowym"
    )
    _visit(page, "k11-contract-amended")

    # The client's paper copy.
    pdf_link = page.get_by_role("link", name="Egzemplarz dla klienta (PDF)")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # Completed: most goals reached (three of four; the new one is still open).
    page.get_by_role("link", name="Zakończ kontrakt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zakończenie kontraktu")
    _visit(page, "k12-contract-end-form")
    page.get_by_label(_label("Sposób zakończenia")).select_option(
        label="zrealizowany – osiągnięto wszystkie lub większość celów"
    )
    page.get_by_label(_label("Uzasadnienie")).fill("Osiągnięto trzy z czterech celów; sytuacja rodziny stabilna.")
    _save(page, "Zakończ kontrakt")
    expect(_status(page)).to_contain_text("Kontrakt zakończony.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sprawa {case.number}")
    expect(_contract_section(page)).to_contain_text(
        f"Kontrakt {case.number}/1 – zakończony, podpisany {_day().strftime('%d.%m.%Y')}, "
        "zrealizowany – osiągnięto wszystkie lub większość celów"
    )
    _visit(page, "k13-case-contract-completed")

    # Moving away before the end.
    _contract_section(page).get_by_role("link", name="Rozpocznij oddalanie się przed zakończeniem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stopniowe oddalanie się przed zakończeniem")
    _visit(page, "k14-moving-away-form")
    page.get_by_label(_label("Plan rzadszych kontaktów")).fill("Wizyta raz w miesiącu przez kwartał, potem telefon.")
    _save(page, "Rozpocznij oddalanie się")
    expect(_status(page)).to_contain_text("Rozpoczęto okres oddalania się przed zakończeniem pracy socjalnej.")
    expect(_contract_section(page)).to_contain_text("Wizyta raz w miesiącu przez kwartał")
    _visit(page, "k15-case-moving-away")

    # The case closes: the contract was completed.
    _step(
        page,
        "Zakończ sprawę",
        "Cele kontraktu osiągnięte, zmiana utrwalona w okresie oddalania się.",
        close_reason="Kontrakt zrealizowany",
    )
    expect(_status(page)).to_contain_text("Sprawa przeszła do etapu: V. Zakończona.")
    expect(_stage_badge(page)).to_have_text("V. Zakończona")
    closed = page.locator("main .alert-secondary")
    expect(closed).to_contain_text("Kontrakt zrealizowany")
    expect(closed).to_contain_text("zmiana utrwalona")
    _visit(page, "k16-case-closed")

    # The effects did not hold: reopened at the situation assessment.
    _step(page, "Wznów zakończoną sprawę (rozeznanie)", "Spółdzielnia zgłasza nowe zaległości czynszowe.")
    expect(_status(page)).to_contain_text("Sprawa przeszła do etapu: II. Rozeznanie sytuacji.")
    expect(_stage_badge(page)).to_have_text("II. Rozeznanie sytuacji")
    expect(page.locator("main .alert-secondary")).to_have_count(0)
    timeline = page.get_by_role("region", name="Przebieg sprawy")
    for title in (
        "Kontrakt socjalny nr 1: sporządzenie",
        "Kontrakt socjalny nr 1: podpisanie",
        "Ewaluacja kontraktu nr 1",
        "Aneks do kontraktu nr 1",
        "Kontrakt socjalny nr 1: zakończenie",
    ):
        expect(timeline.get_by_text(title, exact=True)).to_have_count(1)
    _visit(page, "k17-case-reopened")

    # The database.
    case.refresh_from_db()
    contract.refresh_from_db()
    assert case.stage == Stage.ROZEZNANIE and case.closed_at is None and case.close_reason == ""
    assert case.moving_away_since is None  # reopening starts afresh
    assert contract.status == Contract.Status.ENDED and contract.end == Contract.End.COMPLETED
    assert contract.signed_on == contract.drafted_on == contract.ended_on == _day()
    assert contract.kind == Contract.Kind.A and contract.client_member == head
    assert list(contract.covered_members.all()) == [grandson]
    assert contract.period_to == _day(240) and contract.worker == contract.author == p.worker_a
    goals = list(contract.goals.order_by("order").values_list("text", "status"))
    assert goals == [(text, Goal.Status.REACHED) for text in GOALS] + [
        ("Wybór szkoły branżowej z doradcą zawodowym", Goal.Status.OPEN)
    ]
    actions = contract.actions.order_by("deadline")
    assert [(a.side, a.deadline, a.status) for a in actions] == [
        (Action.Side.WORKER, _day(30), Action.Status.DONE),
        (Action.Side.CLIENT, _day(60), Action.Status.DONE),
        (Action.Side.CLIENT, _day(90), Action.Status.DONE),
    ]
    assert actions[1].goal.order == 2 and actions[2].goal.order == 1 and actions[0].goal is None
    # The kinds ticked, and the details once, as an entry of their own.
    assert set(contract.resources_used.values_list("kind", "description")) == {
        (Resource.Kind.CENTRE_BENEFITS, ""),
        (Resource.Kind.SPECIALISTS, ""),
        (Resource.Kind.OTHER, "zasiłek celowy na czynsz; pedagog szkolny"),
    }
    evaluation = Evaluation.objects.get(contract=contract)
    assert evaluation.with_client and evaluation.author == p.worker_a
    assert evaluation.goal_assessments.count() == 3 and evaluation.action_assessments.count() == 3
    amendment = Amendment.objects.get(contract=contract)
    assert amendment.previous["period_to"] == _day(182).isoformat()
    assert [g["text"] for g in amendment.previous["goals"]] == GOALS
    assert list(case.transitions.values_list("to_stage", "close_reason")) == [
        (Stage.ZGLOSZENIE, ""),
        (Stage.ROZEZNANIE, ""),
        (Stage.DIAGNOZA, ""),
        (Stage.PRACA_SOCJALNA, ""),
        (Stage.ZAKONCZENIE, CloseReason.CONTRACT_COMPLETED),
        (Stage.ROZEZNANIE, ""),
    ]
    reopening = case.transitions.order_by("at", "pk").last()
    assert reopening.reason == "Spółdzielnia zgłasza nowe zaległości czynszowe." and reopening.by == p.worker_a


def test_contract_notice_by_client_with_welfare_threatened(page, p, org):
    case, contract = _case_with_signed_contract(org, p)
    login(page, "worker_a")
    _open_case(page, case)
    _contract_section(page).get_by_role("link", name=f"Kontrakt {case.number}/1").click()
    expect(page.locator("h1 + .badge")).to_have_text("obowiązuje")
    _visit(page, "k30-contract-signed")

    page.get_by_role("link", name="Zakończ kontrakt").click()
    page.get_by_label(_label("Sposób zakończenia")).select_option(label="wypowiedzenie przez klienta")
    page.get_by_label(_label("Zagrożone jest dobro osoby lub dziecka – zawiadomię Sąd Rodzinny i inne służby")).check()
    _save(page, "Zakończ kontrakt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zakończenie kontraktu")
    expect(_field_error(page, "id_reason")).to_have_text("To pole jest wymagane.")
    expect(page.get_by_label(_label("Sposób zakończenia"))).to_have_value(Contract.End.NOTICE_CLIENT)
    _visit(page, "k31-contract-end-no-reason")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED

    page.get_by_label(_label("Uzasadnienie")).fill(
        "Pan Henryk wypowiedział kontrakt: nie zgadza się na kontrolę obecności wnuka; Kacper nie chodzi do szkoły."
    )
    expect(
        page.get_by_label(_label("Zagrożone jest dobro osoby lub dziecka – zawiadomię Sąd Rodzinny i inne służby"))
    ).to_be_checked()
    _save(page, "Zakończ kontrakt")
    # Straight to the notification of the services.
    expect(page).to_have_url(re.compile(rf"/sprawy/{case.pk}/wpisy/zawiadomienie/dodaj/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zawiadomienie służb")
    expect(page.locator("main .messages [role=status]")).to_contain_text(
        "Kontrakt zakończony. Zagrożone dobro osoby lub dziecka: zawiadom Sąd Rodzinny i inne służby."
    )
    _visit(page, "k32-notification-form-after-notice")

    # Meanwhile the deadlines list the notice of the family court (in a second tab: same session).
    other = page.context.new_page()
    other.js_errors = []  # as the ``page`` fixture does: check_a11y fails on uncaught errors
    other.on("pageerror", lambda error: other.js_errors.append(str(error)))
    other.goto("/terminy/")
    court = other.get_by_role("row").filter(has_text="Zawiadomienie Sądu Rodzinnego – zagrożone dobro (IV.5)")
    expect(court).to_have_count(1)
    expect(court).to_contain_text(case.number)
    _visit(other, "k33-deadlines-court-notice-due")
    other.close()

    page.get_by_label(_label("Służba")).select_option(label="Sąd Rodzinny")
    page.get_by_label(_label("Nazwa i adres instytucji")).fill(
        "Sąd Rejonowy w Toruniu, III Wydział Rodzinny i Nieletnich, ul. Piekary 51, 87-100 Toruń"
    )
    page.get_by_label(_label("Powód zawiadomienia")).fill(
        "Klient wypowiedział kontrakt socjalny; 15-letni wnuk nie realizuje obowiązku szkolnego, "
        "zagrożone dobro dziecka."
    )
    page.get_by_label(_label("Data wysłania")).fill(_day().isoformat())
    page.get_by_label(_label("Sposób wysłania")).select_option(label="ePUAP")
    _save(page, "Zapisz")
    expect(_status(page)).to_contain_text("Zapisano: Zawiadomienie służb.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sprawa {case.number}")
    expect(_contract_section(page)).to_contain_text("wypowiedzenie przez klienta")
    timeline = page.get_by_role("region", name="Przebieg sprawy")
    expect(timeline).to_contain_text("Zagrożone dobro osoby lub dziecka.")
    _visit(page, "k34-case-after-court-notified")

    page.get_by_role("navigation", name=MAIN_MENU).get_by_role("link", name="Terminy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terminy")
    expect(page.locator("main")).not_to_contain_text("Zawiadomienie Sądu Rodzinnego")
    _visit(page, "k35-deadlines-court-notified")

    # The database.
    contract.refresh_from_db()
    case.refresh_from_db()
    assert contract.status == Contract.Status.ENDED and contract.end == Contract.End.NOTICE_CLIENT
    assert contract.welfare_threatened and contract.ended_on == _day()
    assert contract.end_reason.startswith("Pan Henryk wypowiedział kontrakt")
    assert case.stage == Stage.PRACA_SOCJALNA  # the case goes on: the contract ended, not the work
    notification = Notification.objects.get(case=case)
    assert notification.service == Notification.Service.FAMILY_COURT
    assert notification.sent_on == _day() and notification.author == p.worker_a
    assert notification.sent_how == Notification.SentHow.EPUAP
    assert StageTransition.objects.filter(case=case, to_stage=Stage.ZAKONCZENIE).count() == 0
