"""The social contract (seed 000 IV–V): drafting, the two-month rule, evaluation, amendment,
ending, closing the case on it; the Oświadczenie."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import deadlines
from cases import services as case_services
from cases.models import Notification
from cases.procedure import CloseReason, Stage
from contracts import services
from contracts.models import Action, Contract, Goal
from contracts.validators import id_card_ok
from mopr.errors import DomainError, StaleVersionError, TransitionRefused
from mopr.models import AccessLog
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory, VisitFactory

TODAY = timezone.localdate


@pytest.fixture
def case(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    head = case.client.members.get()
    head.pesel = "44051401359"
    head.save()
    return case


def data(case, **over) -> services.ContractData:
    today = TODAY()
    d = services.ContractData(
        kind=Contract.Kind.A,
        client_member=case.client.members.get(is_head=True),
        problems="Zadłużenie, bezrobocie.",
        resources="Motywacja, wsparcie rodziny.",
        main_goal="Poprawa sytuacji finansowej.",
        period_from=today,
        period_to=today + datetime.timedelta(days=180),
        drafted_on=today,
        goals=["Rejestracja w PUP", "Spłata zadłużenia", "Kurs zawodowy"],
        actions=[
            services.ActionData("client", "Zarejestruje się w PUP", today + datetime.timedelta(days=14), "Klient", 0),
            services.ActionData(
                "worker", "Pomoże w ugodzie z ZGM", today + datetime.timedelta(days=30), "Pracownik", 1
            ),
        ],
        resources_used=[("centre_benefits", "zasiłek celowy"), ("project", "")],
    )
    for k, v in over.items():
        setattr(d, k, v)
    return d


def draft(case, p, **over):
    return services.contract_draft(case=case, by=p.worker_a, data=data(case, **over))


def test_draft_writes_the_whole_template(case, p):
    contract = draft(case, p)
    assert contract.status == Contract.Status.DRAFT and contract.number == 1
    assert [g.text for g in contract.goals.all()] == ["Rejestracja w PUP", "Spłata zadłużenia", "Kurs zawodowy"]
    assert {a.side for a in contract.actions.all()} == {"client", "worker"}
    assert contract.actions.get(side="worker").goal.order == 2
    assert contract.resources_used.count() == 2


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"goals": ["  "]}, "co najmniej jeden cel"),
        ({"actions": []}, "obu stron"),
        ({"period_to": datetime.date(2000, 1, 1)}, "przed jego początkiem"),
        ({"drafted_on": datetime.date(2999, 1, 1)}, "z przyszłości"),
    ],
)
def test_draft_refusals(case, p, over, message):
    with pytest.raises(DomainError, match=message):
        draft(case, p, **over)
    assert not Contract.objects.exists()


def test_action_deadline_within_the_period(case, p):
    late = services.ActionData("client", "x", TODAY() + datetime.timedelta(days=400), "Klient")
    early = services.ActionData("worker", "y", TODAY(), "Pracownik")
    with pytest.raises(DomainError, match="mieścić się w okresie"):
        draft(case, p, actions=[late, early])


def test_client_without_pesel_needs_an_identity_document(case, p):
    head = case.client.members.get()
    head.pesel = ""
    head.save()
    with pytest.raises(DomainError, match="dokumentu tożsamości"):
        draft(case, p)
    assert draft(case, p, client_id_document="dowód osobisty ABA300000").client_id_document


def test_contract_only_in_social_work_and_one_at_a_time(org, p, case):
    early = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.DIAGNOZA)
    early.client.members.update(pesel="44051401366")  # one PESEL per person (issue 16.3)
    with pytest.raises(DomainError, match="etapie pracy socjalnej"):
        draft(early, p)
    draft(case, p)
    with pytest.raises(DomainError, match="już kontrakt"):
        draft(case, p)


def test_member_of_another_family_cannot_be_a_party(case, p):
    with pytest.raises(DomainError, match="rodziny klienta"):
        draft(case, p, client_member=MemberFactory(pesel="44051401366"))


# --- the two-month rule ---------------------------------------------------------------------------------


def test_signing_after_two_months_needs_a_reason(case, p):
    case.first_contact_at = TODAY() - datetime.timedelta(days=75)
    case.save()
    contract = draft(case, p)
    with pytest.raises(DomainError, match="podaj powód podpisania po terminie") as error:
        services.contract_sign(contract=contract, by=p.worker_a, signed_on=TODAY())
    assert error.value.field == "late_reason"
    signed = services.contract_sign(contract=contract, by=p.worker_a, signed_on=TODAY(), late_reason="Pobyt w szpitalu")
    assert signed.status == Contract.Status.SIGNED and signed.late_reason == "Pobyt w szpitalu"


def test_signing_in_time_needs_no_reason_and_clears_the_deadline(case, p):
    VisitFactory(case=case)
    case.first_contact_at = TODAY() - datetime.timedelta(days=20)
    case.save()
    case.refresh_from_db()
    assert [d.rule for d in deadlines.deadlines_for([case])[case.pk]] == ["contract"]
    contract = draft(case, p)
    services.contract_sign(contract=contract, by=p.worker_a, signed_on=TODAY())
    # The contract's own follow-up takes over (issue 17.4): its actions' dates and its period's end.
    assert {d.rule for d in deadlines.deadlines_for([case])[case.pk]} == {"contract_actions", "contract_end"}


def test_stale_sign_is_refused(case, p):
    contract = draft(case, p)
    with pytest.raises(StaleVersionError):
        services.contract_sign(
            contract=contract, by=p.worker_a, signed_on=TODAY(), expected_version=contract.version + 1
        )


# --- evaluation, amendment, end --------------------------------------------------------------------------


@pytest.fixture
def signed(case, p):
    contract = draft(case, p)
    return services.contract_sign(contract=contract, by=p.worker_a, signed_on=TODAY())


def evaluate(contract, p, statuses):
    goals = list(contract.goals.order_by("order"))
    return services.contract_evaluate(
        contract=contract,
        by=p.worker_a,
        evaluated_on=TODAY(),
        summary="Ocena z klientem.",
        with_client=True,
        goal_statuses={g.pk: (s, "") for g, s in zip(goals, statuses, strict=True)},
        action_statuses={a.pk: Action.Status.DONE for a in contract.actions.all()},
    )


def test_evaluation_records_the_status_of_each_goal_and_action(signed, p):
    evaluation = evaluate(signed, p, ["reached", "partly", "not_reached"])
    assert evaluation.goal_assessments.count() == 3 and evaluation.action_assessments.count() == 2
    assert [g.status for g in signed.goals.order_by("order")] == ["reached", "partly", "not_reached"]
    assert signed.goals.get(order=1).history.count() == 2


def test_evaluation_must_judge_every_goal_and_needs_a_signed_contract(case, p, signed):
    goal = signed.goals.first()
    with pytest.raises(DomainError, match="Oceń każdy cel"):
        services.contract_evaluate(
            contract=signed,
            by=p.worker_a,
            evaluated_on=TODAY(),
            summary="x",
            with_client=True,
            goal_statuses={goal.pk: ("reached", "")},
            action_statuses={},
        )


def test_amendment_keeps_the_earlier_version_readable(signed, p):
    before_goal = signed.main_goal
    amendment = services.contract_amend(
        contract=signed,
        by=p.worker_a,
        amended_on=TODAY(),
        reason="Nowa praca klienta",
        main_goal="Utrzymanie zatrudnienia",
        period_to=signed.period_to + datetime.timedelta(days=30),
        new_goals=["Opłacanie czynszu na bieżąco"],
        new_actions=[],
    )
    signed.refresh_from_db()
    assert signed.main_goal == "Utrzymanie zatrudnienia" and signed.goals.count() == 4
    assert amendment.previous["main_goal"] == before_goal and len(amendment.previous["goals"]) == 3
    with pytest.raises(DomainError, match="powód zmiany"):
        services.contract_amend(
            contract=signed,
            by=p.worker_a,
            amended_on=TODAY(),
            reason=" ",
            main_goal="",
            period_to=signed.period_to,
            new_goals=[],
            new_actions=[],
        )


def test_completion_needs_most_goals_reached(signed, p):
    with pytest.raises(DomainError, match="większości celów"):
        services.contract_end(contract=signed, by=p.worker_a, end="completed", ended_on=TODAY(), reason="Cele")
    evaluate(signed, p, ["reached", "partly", "not_reached"])
    with pytest.raises(DomainError, match="większości celów"):
        services.contract_end(contract=signed, by=p.worker_a, end="completed", ended_on=TODAY(), reason="Cele")
    evaluate(signed, p, ["reached", "reached", "dropped"])  # dropped goals do not count
    ended = services.contract_end(contract=signed, by=p.worker_a, end="completed", ended_on=TODAY(), reason="Cele")
    assert ended.status == Contract.Status.ENDED and ended.end == "completed"


@pytest.mark.parametrize("end", ["notice_worker", "notice_client", "mutual", "not_kept"])
def test_notice_always_needs_a_reason(signed, p, end):
    with pytest.raises(DomainError, match="wymaga uzasadnienia"):
        services.contract_end(contract=signed, by=p.worker_a, end=end, ended_on=TODAY(), reason="")
    assert services.contract_end(contract=signed, by=p.worker_a, end=end, ended_on=TODAY(), reason="Powód").end == end


def test_refusal_to_sign_ends_only_a_draft(case, p, signed):
    with pytest.raises(DomainError, match="odmową podpisania"):
        services.contract_end(contract=signed, by=p.worker_a, end="refused_to_sign", ended_on=TODAY(), reason="x")
    services.contract_end(contract=signed, by=p.worker_a, end="mutual", ended_on=TODAY(), reason="x")
    second = draft(case, p)
    with pytest.raises(DomainError, match="tylko odmową podpisania"):
        services.contract_end(contract=second, by=p.worker_a, end="mutual", ended_on=TODAY(), reason="x")
    services.contract_end(contract=second, by=p.worker_a, end="refused_to_sign", ended_on=TODAY(), reason="Odmowa")


def test_threat_to_welfare_puts_the_family_court_among_the_deadlines(case, p, signed):
    services.contract_end(
        contract=signed,
        by=p.worker_a,
        end="not_kept",
        ended_on=TODAY(),
        reason="Brak realizacji",
        welfare_threatened=True,
    )
    [due] = [d for d in deadlines.deadlines_for([case])[case.pk] if d.rule == "court_notification"]
    assert due.due == TODAY()
    case_services.notification_send(
        case=case,
        by=p.worker_a,
        notification=Notification(
            service=Notification.Service.FAMILY_COURT,
            service_name="Sąd Rejonowy w Toruniu",
            reason="Zagrożone dobro dzieci.",
            sent_on=TODAY(),
            sent_how=Notification.SentHow.EPUAP,
        ),
    )
    assert not [d for d in deadlines.deadlines_for([case])[case.pk] if d.rule == "court_notification"]


def test_threat_only_with_refusal_or_failure(signed, p):
    with pytest.raises(DomainError, match="Zagrożenie dobra"):
        services.contract_end(
            contract=signed, by=p.worker_a, end="mutual", ended_on=TODAY(), reason="x", welfare_threatened=True
        )


def test_case_closes_as_completed_only_on_a_completed_contract(case, p, signed):
    VisitFactory(case=case)
    with pytest.raises(TransitionRefused, match="kontraktu zakończonego jako zrealizowany"):
        case_services.case_close(case=case, by=p.worker_a, reason=CloseReason.CONTRACT_COMPLETED, justification="x")
    evaluate(signed, p, ["reached", "reached", "reached"])
    services.contract_end(contract=signed, by=p.worker_a, end="completed", ended_on=TODAY(), reason="Cele osiągnięte")
    case_services.case_start_moving_away(case=case, by=p.worker_a, since=TODAY(), plan="Kontakt raz w miesiącu")
    closed = case_services.case_close(
        case=case, by=p.worker_a, reason=CloseReason.CONTRACT_COMPLETED, justification="Zmiana utrwalona"
    )
    assert closed.stage == Stage.ZAKONCZENIE and closed.moving_away_since == TODAY()
    reopened = case_services.case_reopen(case=closed, by=p.worker_a, reason="Efekty nie utrzymały się")
    assert reopened.stage == Stage.ROZEZNANIE and reopened.contracts.count() == 1  # everything before is kept


def test_moving_away_only_in_social_work_and_with_a_plan(case, p):
    with pytest.raises(DomainError, match="Opisz"):
        case_services.case_start_moving_away(case=case, by=p.worker_a, since=TODAY(), plan="")
    case_services.case_start_moving_away(case=case, by=p.worker_a, since=TODAY(), plan="Co dwa tygodnie")
    with pytest.raises(DomainError, match="już trwa"):
        case_services.case_start_moving_away(case=case, by=p.worker_a, since=TODAY(), plan="x")


# --- the Oświadczenie --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [("ABA300000", True), ("aba 300000", True), ("ABA300001", False), ("AB1234567", False), ("", False)],
)
def test_id_card_checksum(value, ok):
    assert id_card_ok(value) is ok


def test_declaration_needs_a_child_in_foster_care(case, p):
    parent = case.client.members.get()
    with pytest.raises(DomainError, match="pieczy zastępczej"):
        services.declaration_record(case=case, by=p.worker_a, parent=parent, id_card="ABA300000", signed_on=TODAY())
    MemberFactory(client=case.client, is_head=False, relation="child", in_foster_care=True)
    with pytest.raises(DomainError, match="dowodu osobistego"):
        services.declaration_record(case=case, by=p.worker_a, parent=parent, id_card="ABA300001", signed_on=TODAY())
    declaration = services.declaration_record(
        case=case, by=p.worker_a, parent=parent, id_card="aba300000", signed_on=TODAY()
    )
    assert declaration.id_card == "ABA300000" and declaration.place == case.institution.city


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_declaration_pdf_has_the_seed_wording_and_is_logged(client, case, p, tmp_path):
    MemberFactory(client=case.client, is_head=False, relation="child", in_foster_care=True)
    parent = case.client.members.get(is_head=True)
    parent.first_name, parent.last_name, parent.pesel, parent.sex = "Łucja", "Żółkiewska", "", "K"
    parent.save()
    declaration = services.declaration_record(
        case=case, by=p.worker_a, parent=parent, id_card="ABA300000", signed_on=datetime.date(2026, 11, 20)
    )
    client.login(username="worker_a", password=PASSWORD)
    response = client.get(reverse("contracts:declaration_pdf", args=[case.pk, declaration.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Toruń, dnia 20.11.2026" in text
    assert "Oświadczenie" in text and "Podpis klienta" in text
    assert (
        # The form's "legitymujący/a" resolved: a woman (no PESEL here: the recorded sex).
        "Łucja Żółkiewska, legitymująca się dowodem osobistym Seria i Nr ABA300000 oświadczam, że w obecnej "
        "chwili nie zamierzam podejmować starań w celu reintegracji rodziny" in text
    )
    log = AccessLog.objects.get(action=AccessLog.Action.PRINT)
    assert (log.user, log.action, log.case) == (p.worker_a, AccessLog.Action.PRINT, case)


def test_contract_pdf_is_the_clients_copy(client, signed, p, tmp_path):
    client.login(username="auditor_a", password=PASSWORD)
    response = client.get(reverse("contracts:pdf", args=[signed.case.pk, signed.pk]))
    text = " ".join(pdf_text(response.content, tmp_path).split())
    for expected in (
        "KONTRAKT SOCJALNY",
        "Rejestracja w PUP",
        "Zarejestruje się w PUP",
        "podpis klienta",
        "PESEL 44051401359",
        "strona 1 z",
    ):
        assert expected in text
    assert Goal.objects.filter(contract=signed).count() == 3


def test_the_timeline_shows_the_contracts_dates(case, p, signed):
    from cases.timeline import case_timeline

    evaluate(signed, p, ["reached", "reached", "partly"])
    services.contract_end(contract=signed, by=p.worker_a, end="mutual", ended_on=TODAY(), reason="Porozumienie")
    titles = [i.title for i in case_timeline(case=case, kinds={"contract"})]
    assert titles == [
        "Kontrakt socjalny nr 1: sporządzenie",
        "Kontrakt socjalny nr 1: podpisanie",
        "Ewaluacja kontraktu nr 1",
        "Kontrakt socjalny nr 1: zakończenie",
    ]


def test_no_closing_or_monitoring_while_a_contract_is_in_force(case, p, signed):
    for target in (Stage.ZAKONCZENIE, Stage.MONITORING):
        with pytest.raises(TransitionRefused, match="niezakończony kontrakt"):
            case_services.case_change_stage(
                case=case,
                to=target,
                by=p.worker_a,
                reason="Odmowa",
                close_reason=CloseReason.REFUSAL if target == Stage.ZAKONCZENIE else None,
            )
    services.contract_end(contract=signed, by=p.worker_a, end="expired", ended_on=TODAY(), reason="Zgon klienta")
    closed = case_services.case_close(case=case, by=p.worker_a, reason=CloseReason.DEATH, justification="Zgon")
    assert closed.stage == Stage.ZAKONCZENIE


def test_late_reason_is_kept_only_when_late(case, p):
    case.first_contact_at = TODAY() - datetime.timedelta(days=10)
    case.save()
    contract = draft(case, p)
    signed = services.contract_sign(contract=contract, by=p.worker_a, signed_on=TODAY(), late_reason="niepotrzebny")
    assert signed.late_reason == ""


def test_amended_actions_keep_their_goal(signed, p):
    services.contract_amend(
        contract=signed,
        by=p.worker_a,
        amended_on=TODAY(),
        reason="Nowy cel",
        main_goal="",
        period_to=signed.period_to,
        new_goals=["Kurs zawodowy"],
        new_actions=[
            services.ActionData(
                "client", "Zapisze się na kurs", TODAY() + datetime.timedelta(days=20), "Klient", goal_index=3
            )
        ],
    )
    action = signed.actions.get(description="Zapisze się na kurs")
    assert action.goal.text == "Kurs zawodowy"


def test_the_moving_away_stays_in_the_timeline_after_reopening(case, p, signed):
    from cases.timeline import case_timeline

    evaluate(signed, p, ["reached", "reached", "reached"])
    services.contract_end(contract=signed, by=p.worker_a, end="completed", ended_on=TODAY(), reason="Cele osiągnięte")
    case_services.case_start_moving_away(case=case, by=p.worker_a, since=TODAY(), plan="Raz w miesiącu")
    closed = case_services.case_close(
        case=case, by=p.worker_a, reason=CloseReason.CONTRACT_COMPLETED, justification="x"
    )
    case_services.case_reopen(case=closed, by=p.worker_a, reason="Efekty nie utrzymały się")
    titles = [i.title for i in case_timeline(case=case, kinds={"transition"})]
    moving, closing = titles.index("Początek oddalania się przed zakończeniem"), titles.index("Etap: V. Zakończona")
    assert moving < closing  # the same day, in the order it happened
