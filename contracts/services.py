"""Every write of contracts and declarations: draft, sign, evaluate, amend, end; the Oświadczenie.

The same shape as cases/services: lock the case (and the contract), check the state and the
version, save with ``_history_user``, bump the versions, in one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import add_months
from cases.models import Case, ClientMember
from cases.procedure import Stage
from cases.services.case import _lock as _lock_case
from cases.services.case import _save as _save_case
from contracts.models import (
    Action,
    ActionAssessment,
    Amendment,
    Contract,
    Declaration,
    Evaluation,
    Goal,
    GoalAssessment,
    Resource,
)
from contracts.validators import id_card_ok
from mopr.errors import DomainError
from mopr.models import User
from mopr.policy import Action as PolicyAction
from mopr.records import record_lock, record_save

# --- data the forms hand over --------------------------------------------------------------------------


@dataclass
class ActionData:
    side: str
    description: str
    deadline: datetime.date
    responsible: str
    goal_index: int | None = None  # which of the goals (0-based) it serves


@dataclass
class ActionChange:
    """An amendment's change of an action in force: new wording, deadline or person, or its end."""

    action_id: int
    description: str
    deadline: datetime.date
    responsible: str
    drop: bool = False


@dataclass
class ContractData:
    kind: str
    client_member: ClientMember
    problems: str
    resources: str
    main_goal: str
    period_from: datetime.date
    period_to: datetime.date
    drafted_on: datetime.date
    limitations: str = ""
    client_id_document_kind: str = "id_card"
    client_id_document: str = ""
    # Part I B (a person referred by the labour office).
    referral: str = ""
    unemployment_causes: str = ""
    employment_barriers: str = ""
    previous_activation: str = ""
    covered_members: list[ClientMember] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    actions: list[ActionData] = field(default_factory=list)
    resources_used: list[tuple[str, str]] = field(default_factory=list)  # (kind, description)


def _lock(contract: Contract, expected_version: int | None, *, by: User) -> Contract:
    """Lock the contract and its case (the policy asked of the case: only its worker writes)."""
    locked = record_lock(
        Contract,
        contract.pk,
        expected_version=expected_version,
        stale=_("Kontrakt został w międzyczasie zmieniony przez inną osobę. Odśwież stronę i spróbuj ponownie."),
    )
    locked.case = _lock_case(locked.case, None, by=by, action=PolicyAction.WRITE)
    return locked


def _save(contract: Contract, by: User) -> None:
    record_save(contract, by=by, bump_version=True)


def _validate(case: Case, data: ContractData) -> None:
    if data.client_member.client_id != case.client_id:
        raise DomainError(_("Strona kontraktu musi należeć do rodziny klienta."), field="client_member")
    if any(m.client_id != case.client_id for m in data.covered_members):
        raise DomainError(_("Kontrakt obejmuje tylko członków rodziny klienta."), field="covered_members")
    if not data.client_member.pesel and not data.client_id_document.strip():
        raise DomainError(
            _("Klient bez numeru PESEL – podaj rodzaj, serię i numer dokumentu tożsamości."), field="client_id_document"
        )
    if data.period_to < data.period_from:
        raise DomainError(_("Koniec okresu nie może być przed jego początkiem."), field="period_to")
    if data.drafted_on > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="drafted_on")
    if data.period_from < data.drafted_on:
        raise DomainError(
            _("Kontrakt nie obowiązuje przed jego sporządzeniem: okres zaczyna się najwcześniej w dniu sporządzenia."),
            field="period_from",
        )
    if data.kind == Contract.Kind.B:
        # Part I B of the template: the labour office's referral and the causes of unemployment.
        if not data.referral.strip():
            raise DomainError(_("Kontrakt wg wzoru B zawiera się na podstawie skierowania z urzędu pracy."),
                              field="referral")  # fmt: skip
        if not data.unemployment_causes.strip():
            raise DomainError(_("Podaj przyczyny pozostawania bez zatrudnienia (część I B)."),
                              field="unemployment_causes")  # fmt: skip
    if data.drafted_on > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="drafted_on")
    goals = [g for g in data.goals if g.strip()]
    if not goals:
        raise DomainError(_("Podaj co najmniej jeden cel szczegółowy."), field="goals")
    sides = {a.side for a in data.actions}
    if Action.Side.CLIENT not in sides or Action.Side.WORKER not in sides:
        raise DomainError(_("Kontrakt zawiera działania obu stron: klienta i pracownika socjalnego."), field="actions")
    for action in data.actions:
        if action.deadline < data.period_from or action.deadline > data.period_to:
            raise DomainError(
                _("Termin działania musi mieścić się w okresie obowiązywania kontraktu."), field="actions"
            )


def _write_parts(contract: Contract, data: ContractData, by: User) -> None:
    goals = []
    for i, text in enumerate(t for t in data.goals if t.strip()):
        goal = Goal(contract=contract, order=i + 1, text=text.strip())
        record_save(goal, by=by)
        goals.append(goal)
    for a in data.actions:
        action = Action(
            contract=contract,
            goal=goals[a.goal_index] if a.goal_index is not None and a.goal_index < len(goals) else None,
            side=a.side,
            description=a.description.strip(),
            deadline=a.deadline,
            responsible=a.responsible.strip(),
        )
        record_save(action, by=by)
    for kind, description in data.resources_used:
        resource = Resource(contract=contract, kind=kind, description=description)
        record_save(resource, by=by)
    contract.covered_members.set(data.covered_members)


# --- the life of a contract ----------------------------------------------------------------------------


def contract_draft(*, case: Case, by: User, data: ContractData, expected_version: int | None = None) -> Contract:
    """Draw up a contract in stage IV (seed 000 IV.1). It binds once signed."""
    _validate(case, data)
    with transaction.atomic():
        locked = _lock_case(case, expected_version, by=by, action=PolicyAction.WRITE)
        if locked.stage != Stage.PRACA_SOCJALNA:
            raise DomainError(_("Kontrakt socjalny zawiera się na etapie pracy socjalnej (IV)."))
        if locked.contracts.exclude(status=Contract.Status.ENDED).exists():
            raise DomainError(_("W sprawie jest już kontrakt w przygotowaniu lub obowiązujący."))
        contract = Contract(
            case=locked,
            number=locked.contracts.count() + 1,
            worker=locked.worker,
            author=by,
            **{k: getattr(data, k) for k in (
                "kind", "client_member", "client_id_document_kind", "client_id_document", "problems", "resources",
                "limitations", "main_goal", "period_from", "period_to", "drafted_on", "referral",
                "unemployment_causes", "employment_barriers", "previous_activation",
            )},
        )  # fmt: skip
        record_save(contract, by=by)
        _write_parts(contract, data, by)
        _save_case(locked, by)
    return contract


def contract_deadline(contract: Contract) -> datetime.date | None:
    """The two-month date for a new client (seed 000 IV.1), or None when it does not apply."""
    from cases import deadlines

    case = contract.case
    if case.first_contact_at is None:
        return None
    facts = deadlines.load_facts([case])
    if case.pk not in facts.new_client:
        return None
    return add_months(case.first_contact_at, case.institution.contract_deadline_months)


def contract_sign(
    *,
    contract: Contract,
    by: User,
    signed_on: datetime.date,
    late_reason: str = "",
    expected_version: int | None = None,
) -> Contract:
    if signed_on > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="signed_on")
    with transaction.atomic():
        locked = _lock(contract, expected_version, by=by)
        if locked.status != Contract.Status.DRAFT:
            raise DomainError(_("Podpisać można tylko kontrakt w przygotowaniu."))
        if signed_on < locked.drafted_on:
            raise DomainError(_("Kontrakt nie może być podpisany przed jego sporządzeniem."), field="signed_on")
        if signed_on > locked.period_to:
            raise DomainError(_("Okres obowiązywania kontraktu minął przed tą datą."), field="signed_on")
        early = [a for a in locked.actions.all() if a.deadline < signed_on]
        if early:
            raise DomainError(
                _("Działanie „%(what)s” ma termin %(d)s, przed zawarciem kontraktu – sporządź kontrakt od nowa.")
                % {"what": early[0].description[:60], "d": early[0].deadline.strftime("%d.%m.%Y")},
                field="signed_on",
            )
        due = contract_deadline(locked)
        if due is not None and signed_on > due and not late_reason.strip():
            raise DomainError(
                _("Termin zawarcia kontraktu z nowym klientem minął %(due)s – podaj powód podpisania po terminie.")
                % {"due": due.strftime("%d.%m.%Y")},
                field="late_reason",
            )
        locked.status = Contract.Status.SIGNED
        locked.signed_on = signed_on
        # A contract binds from its conclusion: a period drafted to begin earlier begins on signing
        # (the history keeps the drafted date; the page says so).
        locked.period_from = max(locked.period_from, signed_on)
        # The reason belongs only to a contract signed after the term.
        locked.late_reason = late_reason.strip() if due is not None and signed_on > due else ""
        _save(locked, by)
        _save_case(locked.case, by)
    return locked


def contract_evaluate(
    *,
    contract: Contract,
    by: User,
    evaluated_on: datetime.date,
    summary: str,
    with_client: bool,
    goal_statuses: dict[int, tuple[str, str]],
    action_statuses: dict[int, str],
    expected_version: int | None = None,
) -> Evaluation:
    """A dated evaluation with the client: the status of each goal and each action (IV.4)."""
    if evaluated_on > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="evaluated_on")
    if not summary.strip():
        raise DomainError(_("Opisz ocenę realizacji kontraktu."), field="summary")
    with transaction.atomic():
        locked = _lock(contract, expected_version, by=by)
        if locked.status != Contract.Status.SIGNED:
            raise DomainError(_("Ewaluacji podlega obowiązujący (podpisany) kontrakt."))
        if locked.signed_on and evaluated_on < locked.signed_on:
            raise DomainError(_("Ewaluacja nie może być wcześniejsza niż podpisanie kontraktu."), field="evaluated_on")
        goals = {g.pk: g for g in locked.goals.all()}
        actions = {a.pk: a for a in locked.actions.all()}
        if set(goal_statuses) != set(goals):
            raise DomainError(_("Oceń każdy cel szczegółowy."), field="goals")
        evaluation = Evaluation(
            contract=locked, evaluated_on=evaluated_on, with_client=with_client, summary=summary.strip(), author=by
        )
        record_save(evaluation, by=by)
        for goal_id, (status, comment) in goal_statuses.items():
            goal = goals[goal_id]
            GoalAssessment.objects.create(evaluation=evaluation, goal=goal, status=status, comment=comment)
            goal.status = status
            record_save(goal, by=by)
        for action_id, status in action_statuses.items():
            if action_id in actions:
                action = actions[action_id]
                ActionAssessment.objects.create(evaluation=evaluation, action=action, status=status)
                action.status = status
                record_save(action, by=by)
        _save(locked, by)
    return evaluation


def contract_snapshot(contract: Contract) -> dict:
    """The whole content of the contract as it stands: what an amendment keeps readable."""
    return {
        "main_goal": contract.main_goal,
        "period_from": contract.period_from.isoformat(),
        "period_to": contract.period_to.isoformat(),
        "problems": contract.problems,
        "resources": contract.resources,
        "limitations": contract.limitations,
        "goals": [{"text": g.text, "status": g.get_status_display()} for g in contract.goals.all()],
        "actions": [
            {
                "side": a.get_side_display(),
                "description": a.description,
                "deadline": a.deadline.isoformat(),
                "responsible": a.responsible,
                "status": a.get_status_display(),
            }
            for a in contract.actions.all()
        ],
        "resources_used": [
            str(r) + (f": {r.description}" if r.description else "") for r in contract.resources_used.all()
        ],
    }


def contract_amend(
    *,
    contract: Contract,
    by: User,
    amended_on: datetime.date,
    reason: str,
    main_goal: str,
    period_to: datetime.date,
    new_goals: list[str],
    new_actions: list[ActionData],
    action_changes: list[ActionChange] = (),
    expected_version: int | None = None,
) -> Amendment:
    """Change a signed contract – its goal and period, goals and actions added, actions in force
    changed or ended – with the earlier version readable in the amendment."""
    if not reason.strip():
        raise DomainError(_("Podaj powód zmiany kontraktu."), field="reason")
    if amended_on > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="amended_on")
    with transaction.atomic():
        locked = _lock(contract, expected_version, by=by)
        if locked.status != Contract.Status.SIGNED:
            raise DomainError(_("Aneks sporządza się do obowiązującego kontraktu."))
        if period_to < locked.period_from:
            raise DomainError(_("Koniec okresu nie może być przed jego początkiem."), field="period_to")
        for action in new_actions:
            if not (locked.period_from <= action.deadline <= period_to):
                raise DomainError(
                    _("Termin działania musi mieścić się w okresie obowiązywania kontraktu."), field="actions"
                )
        in_force = {a.pk: a for a in locked.actions.select_for_update().filter(status=Action.Status.OPEN)}
        for change in action_changes:
            if change.action_id not in in_force:
                raise DomainError(_("Zmieniać można tylko działania w realizacji tego kontraktu."), field="actions")
            if not change.drop and not (locked.period_from <= change.deadline <= period_to):
                raise DomainError(
                    _("Termin działania musi mieścić się w okresie obowiązywania kontraktu."), field="actions"
                )
            if not change.drop and not (change.description.strip() and change.responsible.strip()):
                raise DomainError(_("Działanie w realizacji ma opis i osobę odpowiedzialną."), field="actions")
        amendment = Amendment.objects.create(
            contract=locked, amended_on=amended_on, reason=reason.strip(), previous=contract_snapshot(locked), author=by
        )
        for change in action_changes:
            action = in_force[change.action_id]
            before = (action.status, action.description, action.deadline, action.responsible)
            if change.drop:
                action.status = Action.Status.DROPPED
            else:
                action.description = change.description.strip()
                action.deadline = change.deadline
                action.responsible = change.responsible.strip()
            if (action.status, action.description, action.deadline, action.responsible) != before:
                record_save(action, by=by)
        locked.main_goal = main_goal.strip() or locked.main_goal
        locked.period_to = period_to
        start = locked.goals.count()
        for i, text in enumerate(t for t in new_goals if t.strip()):
            goal = Goal(contract=locked, order=start + i + 1, text=text.strip())
            record_save(goal, by=by)
        goals_by_order = {g.order: g for g in locked.goals.all()}
        for a in new_actions:
            action = Action(
                contract=locked,
                side=a.side,
                description=a.description,
                deadline=a.deadline,
                responsible=a.responsible,
                goal=goals_by_order.get(a.goal_index + 1) if a.goal_index is not None else None,
            )
            record_save(action, by=by)
        _save(locked, by)
    return amendment


# Which ends fit which state, and where a threat to welfare opens the path of IV.5.
ENDS_OF_DRAFT = frozenset({Contract.End.REFUSED_TO_SIGN})
THREAT_ENDS = frozenset({Contract.End.REFUSED_TO_SIGN, Contract.End.NOT_KEPT, Contract.End.NOTICE_CLIENT})


def goals_mostly_reached(contract: Contract) -> bool:
    """V.1: all or most of the goals taken up were reached (dropped goals do not count)."""
    statuses = [g.status for g in contract.goals.all() if g.status != Goal.Status.DROPPED]
    reached = sum(1 for s in statuses if s == Goal.Status.REACHED)
    return bool(statuses) and reached * 2 > len(statuses)


def contract_end(
    *,
    contract: Contract,
    by: User,
    end: str,
    ended_on: datetime.date,
    reason: str,
    welfare_threatened: bool = False,
    expected_version: int | None = None,
) -> Contract:
    """End a contract (IV.5, V.1, V.4): always with a reason. A refusal or a contract not kept
    while the welfare of a person or child is threatened puts the notification of the family
    court among the case's deadlines (cases.deadlines.court_notification_after_threat)."""
    end = Contract.End(end)
    if not reason.strip():
        raise DomainError(_("Zakończenie kontraktu zawsze wymaga uzasadnienia."), field="reason")
    if ended_on > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="ended_on")
    if welfare_threatened and end not in THREAT_ENDS:
        raise DomainError(
            _("Zagrożenie dobra zaznacza się przy odmowie, braku realizacji lub wypowiedzeniu przez klienta."),
            field="welfare_threatened",
        )
    with transaction.atomic():
        locked = _lock(contract, expected_version, by=by)
        if locked.status == Contract.Status.ENDED:
            raise DomainError(_("Kontrakt jest już zakończony."))
        if (locked.status == Contract.Status.DRAFT) != (end in ENDS_OF_DRAFT):
            if locked.status == Contract.Status.DRAFT:
                raise DomainError(_("Niepodpisany kontrakt kończy się tylko odmową podpisania."), field="end")
            raise DomainError(_("Podpisanego kontraktu nie kończy się odmową podpisania."), field="end")
        if end == Contract.End.COMPLETED and not (locked.evaluations.exists() and goals_mostly_reached(locked)):
            raise DomainError(
                _("Kontrakt jest zrealizowany, gdy ewaluacja wykazała osiągnięcie wszystkich lub większości celów."),
                field="end",
            )
        if locked.signed_on and ended_on < locked.signed_on:
            raise DomainError(_("Kontrakt nie może się zakończyć przed podpisaniem."), field="ended_on")
        locked.status = Contract.Status.ENDED
        locked.end = end
        locked.ended_on = ended_on
        locked.end_reason = reason.strip()
        locked.welfare_threatened = welfare_threatened
        _save(locked, by)
        _save_case(locked.case, by)
    return locked


# --- Oświadczenie (Załącznik 2) ---------------------------------------------------------------------------


def declaration_record(
    *,
    case: Case,
    by: User,
    parent: ClientMember,
    id_card: str,
    signed_on: datetime.date,
    email: str = "",
    phone: str = "",
) -> Declaration:
    """Seed 000 IV.2: a biological parent of a child in foster care who does not intend, at
    present, to work toward reintegrating the family signs the Oświadczenie."""
    id_card = id_card.replace(" ", "").upper()
    if not id_card_ok(id_card):
        raise DomainError(_("Nieprawidłowa seria i numer dowodu osobistego (np. ABC123456)."), field="id_card")
    if signed_on > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="signed_on")
    with transaction.atomic():
        locked = _lock_case(case, None, by=by, action=PolicyAction.WRITE)
        if parent.client_id != locked.client_id:
            raise DomainError(_("Oświadczenie składa rodzic z rodziny klienta."), field="parent")
        if parent.in_foster_care or parent.is_child(timezone.localdate()):
            raise DomainError(_("Oświadczenie składa dorosły rodzic, nie dziecko."), field="parent")
        if not locked.client.members.filter(in_foster_care=True).exists():
            raise DomainError(_("Oświadczenie dotyczy rodzica dziecka umieszczonego w pieczy zastępczej."))
        if locked.stage == Stage.ZAKONCZENIE:
            raise DomainError(_("Sprawa jest zakończona."))
        client = locked.client
        declaration = Declaration(
            case=locked,
            parent=parent,
            full_name=parent.full_name,
            address=client.address,
            email=email or client.email,
            phone=phone or client.phone,
            id_card=id_card,
            place=locked.institution.city,
            signed_on=signed_on,
            author=by,
        )
        record_save(declaration, by=by)
        if parent.id_document != id_card:
            parent.id_document = id_card
            record_save(parent, by=by)
        _save_case(locked, by)
    return declaration
