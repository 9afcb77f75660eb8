"""The deadline engine: every due date of the brief, computed from the facts of the cases.

Each rule is a small named function ``rule(case, facts) -> Deadline | None``. ``Facts`` is
loaded for a whole batch of cases at once, one query per kind of fact, so a list page asks
the database the same number of times whatever its length. Later parts of the procedure
(contracts, the family assistant, meetings, monitoring) add their facts and rules here.

The rules of this module (of a case; below them, the duties of a region – the monthly team
meeting and the follow-up of inspections – in ``region_deadlines``):

- ``repeat_visit`` – seed 000 II.6: a visit where the child was absent must be repeated;
  due ``Institution.repeat_visit_days`` after it, until a later visit meets the family.
- ``contract_within_deadline`` – seed 000 IV.1: with a new client the contract is signed no
  later than ``Institution.contract_deadline_months`` after the first contact; shown from the
  first contact on, until a contract is signed.
- ``court_notification_after_threat`` – seed 000 IV.5: a contract refused or not kept while the
  welfare of a person or child is threatened: notify the family court, at once.
- the family assistant (seed 002), each interval the institution's setting: ``first_joint_visit``
  (14 days from qualification), ``work_plan`` (1 month), ``assistant_visit`` (every 14 days),
  ``monthly_report`` (by the 10th of the next month), ``periodic_assessment`` (every 6 months),
  ``change_reported`` (7 days), ``control_visits_after_assistant`` (the worker's, for 2 months
  after the end), ``court_told_of_non_cooperation`` (a court-ordered assistant).
- ``summons_appointment`` – seed 000 II.2: the day and hour a summoned client is to come to the
  office, on the worker's Terminy from the summons until that day has passed.
- ``planned_appointment`` – issue 17.8: a visit or a meeting the worker agreed with the family,
  on its day until it has passed (moved: the new day; cancelled: gone).
- refusing environments (seed 003): ``monitoring_dates`` – each monitoring date of the
  director's plan (or of a decision to keep monitoring) is due on its day until the worker
  records it done, while the case is at the monitoring stage; ``monitoring_court_notice`` – a
  joint decision to ask the family court to look into the family: notify the family court at
  once, until a notification to it dated on or after the decision is recorded.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import F, Lookup, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Visit
from cases.procedure import Stage


@dataclass(frozen=True)
class Deadline:
    case: Case
    rule: str
    label: str
    due: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.due - timezone.localdate()).days


@dataclass
class Facts:
    """What the rules need to know about a batch of cases, keyed by case id."""

    last_child_absent: dict[int, datetime.datetime] = field(default_factory=dict)
    last_met: dict[int, datetime.datetime] = field(default_factory=dict)
    contract_signed: set[int] = field(default_factory=set)
    new_client: set[int] = field(default_factory=set)
    court_notification_due: dict[int, datetime.date] = field(default_factory=dict)
    assignments: dict[int, list] = field(default_factory=dict)  # case id → assistant assignments
    report_months: set[tuple[int, datetime.date]] = field(default_factory=set)
    open_changes: dict[int, list] = field(default_factory=dict)  # assignment id → untold changes
    last_visit_any: dict[int, datetime.datetime] = field(default_factory=dict)
    last_court_notice: dict[int, datetime.date] = field(default_factory=dict)
    monitoring_due: dict[int, list[datetime.date]] = field(default_factory=dict)  # not-done monitoring dates
    monitoring_court_decided: dict[int, datetime.date] = field(default_factory=dict)  # last FAMILY_COURT decision
    summons_due: dict[int, list[datetime.datetime]] = field(default_factory=dict)  # appointments not yet past
    appointments_due: dict[int, list[tuple[datetime.datetime, str]]] = field(default_factory=dict)  # (at, kind)
    # A contract in force: (its period's end, the earliest deadline of an action not yet evaluated).
    contract_in_force: dict[int, tuple[datetime.date, datetime.date | None]] = field(default_factory=dict)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (31 Dec + 2 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- facts ---------------------------------------------------------------------------------------


class AnyOf(Lookup):
    """``column = ANY(%s)`` with the ids as one array parameter on PostgreSQL: an ``IN`` list of
    thousands of parameters (an export's or a refresh's batch of cases) cost more to build and
    send than the query itself. ``IN`` elsewhere. Used as an expression: ``.filter(AnyOf(F(…), ids))``."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(pk) for pk in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, ids]
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


def of_cases(column: str, ids) -> AnyOf:
    return AnyOf(F(column), list(ids))


# What the rules and load_facts read of a case itself (and ``case.institution``'s intervals): a
# batch loaded with ``only(*CASE_FIELDS)`` is enough; a rule that reads another field still works,
# by a query per case, and the refresh's query count in the tests says so.
CASE_FIELDS = ("id", "institution_id", "client_id", "stage", "first_contact_at")


def load_facts(cases: Sequence[Case]) -> Facts:
    ids = [c.pk for c in cases]
    facts = Facts()
    if not ids:
        return facts
    for row in (
        Visit.objects.filter(of_cases("case_id", ids), outcome__in=[Visit.Outcome.CHILD_ABSENT, Visit.Outcome.MET])
        .values("case_id", "outcome")
        .annotate(last=Max("visited_at"))
    ):
        target = facts.last_child_absent if row["outcome"] == Visit.Outcome.CHILD_ABSENT else facts.last_met
        target[row["case_id"]] = row["last"]
    # A client is new to the centre when this is the first case ever opened for them.
    first_case_of_client = dict(
        Case.objects.filter(of_cases("client_id", {c.client_id for c in cases}))
        .values("client_id")
        .annotate(first=Min("pk"))
        .values_list("client_id", "first")
    )
    facts.new_client = {c.pk for c in cases if first_case_of_client.get(c.client_id) == c.pk}
    facts.contract_signed = _contracts_signed(ids)
    facts.contract_in_force = _contracts_in_force(ids)
    facts.court_notification_due = _court_notifications_due(ids)
    _load_assistant_facts(facts, ids)
    _load_monitoring_facts(facts, ids)
    _load_summonses(facts, ids)
    _load_appointments(facts, ids)
    return facts


def _load_appointments(facts: Facts, ids: list[int]) -> None:
    from cases.models import Appointment

    today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    for case_id, at, kind in Appointment.objects.filter(
        of_cases("case_id", ids), at__gte=today, cancelled_at__isnull=True
    ).values_list("case_id", "at", "kind"):
        facts.appointments_due.setdefault(case_id, []).append((at, kind))


def _load_summonses(facts: Facts, ids: list[int]) -> None:
    from cases.models import Summons

    today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    for case_id, at in Summons.objects.filter(
        of_cases("case_id", ids), appointment_at__gte=today, appointment_cancelled_at__isnull=True
    ).values_list("case_id", "appointment_at"):
        facts.summons_due.setdefault(case_id, []).append(at)


# Where the facts come from: each model whose rows ``load_facts`` reads, and the way from such a
# row to its case. Saving or deleting one makes that case's ``DeadlineSummary`` stale
# (cases/signals.py; so do a case's own changes and its institution's intervals).
# ``cases/tests/test_deadline_summaries.py`` compares this with the tables ``load_facts`` reads.
def fact_sources() -> dict[str, tuple[str, ...]]:
    """The tables the rules read, declared by the kinds of entry that own them (``cases.timeline``)."""
    from cases.timeline import fact_sources as declared

    return declared()


def _load_assistant_facts(facts: Facts, ids: list[int]) -> None:
    """Seed 002: the assistants' work with these families, in a fixed number of queries."""
    from django.db.models import Exists, OuterRef, Subquery

    from assistants.models import Assignment, AssistantVisit, ChangeReport, MonthlyReport, PeriodicAssessment, WorkPlan
    from cases.models import Notification

    def latest(model, date_field):
        return Subquery(
            model.objects.filter(assignment=OuterRef("pk")).order_by(f"-{date_field}").values(date_field)[:1]
        )

    for a in (
        Assignment.objects.filter(of_cases("case_id", ids))
        .select_related("request")
        .annotate(
            last_visit=latest(AssistantVisit, "visited_on"),
            joint_visit=Exists(AssistantVisit.objects.filter(assignment=OuterRef("pk"), joint_with_worker=True)),
            has_plan=Exists(WorkPlan.objects.filter(assignment=OuterRef("pk"))),
            last_assessment=latest(PeriodicAssessment, "assessed_on"),
        )
    ):
        facts.assignments.setdefault(a.case_id, []).append(a)
    facts.report_months = set(
        MonthlyReport.objects.filter(of_cases("assignment__case_id", ids)).values_list("assignment_id", "month")
    )
    for change in ChangeReport.objects.filter(
        of_cases("assignment__case_id", ids), family_told_worker_on__isnull=True, assistant_told_worker_on__isnull=True
    ):
        facts.open_changes.setdefault(change.assignment_id, []).append(change)
    facts.last_visit_any = dict(
        Visit.objects.filter(of_cases("case_id", ids))
        .values("case_id")
        .annotate(last=Max("visited_at"))
        .values_list("case_id", "last")
    )
    facts.last_court_notice = dict(
        Notification.objects.filter(of_cases("case_id", ids), service=Notification.Service.FAMILY_COURT)
        .values("case_id")
        .annotate(last=Max("sent_on"))
        .values_list("case_id", "last")
    )


def _load_monitoring_facts(facts: Facts, ids: list[int]) -> None:
    """Seed 003: the not-done monitoring dates and the decisions to ask the family court, in one
    query (the court's notifications are ``last_court_notice``, loaded with the assistant's facts)."""
    from django.db.models import Q

    from refusals.models import RefusalMonitoring

    court = RefusalMonitoring.Decision.FAMILY_COURT
    rows = (
        RefusalMonitoring.objects.filter(of_cases("case_id", ids))
        .filter(Q(decision=court) | Q(dates__done_on__isnull=True))
        .order_by()
        .values_list("case_id", "decision", "decision_on", "dates__due_on", "dates__done_on")
    )
    for case_id, decision, decision_on, due_on, done_on in rows:
        if due_on is not None and done_on is None:
            facts.monitoring_due.setdefault(case_id, []).append(due_on)
        if decision == court and decision_on > facts.monitoring_court_decided.get(case_id, datetime.date.min):
            facts.monitoring_court_decided[case_id] = decision_on


def _contracts_signed(case_ids: list[int]) -> set[int]:
    from contracts.selectors import cases_with_signed_contract

    return cases_with_signed_contract(case_ids=case_ids)


def _contracts_in_force(case_ids: list[int]) -> dict[int, tuple[datetime.date, datetime.date | None]]:
    from contracts.selectors import contracts_in_force_follow_up

    return contracts_in_force_follow_up(case_ids=case_ids)


def _court_notifications_due(case_ids: list[int]) -> dict[int, datetime.date]:
    """Cases whose contract ended in refusal or not kept with the welfare of a person or child
    threatened (IV.5), and no notification to the family court since: the date it ended."""
    from cases.models import Notification
    from contracts.models import Contract

    threatened = dict(
        Contract.objects.filter(of_cases("case_id", case_ids), welfare_threatened=True, ended_on__isnull=False)
        .values("case_id")
        .annotate(last=Max("ended_on"))
        .values_list("case_id", "last")
    )
    if not threatened:
        return {}
    notified = dict(
        Notification.objects.filter(case_id__in=threatened, service=Notification.Service.FAMILY_COURT)
        .values("case_id")
        .annotate(last=Max("sent_on"))
        .values_list("case_id", "last")
    )
    return {cid: ended for cid, ended in threatened.items() if not (notified.get(cid) and notified[cid] >= ended)}


# --- rules ---------------------------------------------------------------------------------------


def repeat_visit(case: Case, facts: Facts) -> Deadline | None:
    absent = facts.last_child_absent.get(case.pk)
    if absent is None or case.stage == Stage.ZAKONCZENIE:
        return None
    met = facts.last_met.get(case.pk)
    if met is not None and met > absent:
        return None
    due = timezone.localdate(absent) + datetime.timedelta(days=case.institution.repeat_visit_days)
    return Deadline(case, "repeat_visit", _("Powtórna wizyta – dziecko było nieobecne"), due)


CONTRACT_STAGES = frozenset({Stage.ROZEZNANIE, Stage.DIAGNOZA, Stage.PRACA_SOCJALNA})


def contract_within_deadline(case: Case, facts: Facts) -> Deadline | None:
    if case.first_contact_at is None or case.stage not in CONTRACT_STAGES:
        return None
    if case.pk not in facts.new_client or case.pk in facts.contract_signed:
        return None
    due = add_months(case.first_contact_at, case.institution.contract_deadline_months)
    return Deadline(case, "contract", _("Kontrakt socjalny (nowy klient)"), due)


def contract_actions_evaluated(case: Case, facts: Facts) -> Deadline | None:
    """IV.3: each action of the contract in force is evaluated by its date: the earliest action
    still "w realizacji" is due on its own date (overdue once that has passed)."""
    in_force = facts.contract_in_force.get(case.pk)
    if in_force is None or in_force[1] is None or case.stage == Stage.ZAKONCZENIE:
        return None
    return Deadline(case, "contract_actions", _("Ocena działań kontraktu (termin działania)"), in_force[1])


def contract_period_end(case: Case, facts: Facts) -> Deadline | None:
    """V: a contract whose period ends is evaluated and ended (completed or otherwise): due on
    the last day of its period, overdue after it while it still reads "obowiązuje"."""
    in_force = facts.contract_in_force.get(case.pk)
    if in_force is None or case.stage == Stage.ZAKONCZENIE:
        return None
    return Deadline(case, "contract_end", _("Koniec okresu kontraktu – ewaluacja i zakończenie"), in_force[0])


def court_notification_after_threat(case: Case, facts: Facts) -> Deadline | None:
    ended = facts.court_notification_due.get(case.pk)
    if ended is None:
        return None
    return Deadline(case, "court_notification", _("Zawiadomienie Sądu Rodzinnego – zagrożone dobro (IV.5)"), ended)


# --- the family assistant (seed 002; every interval is the institution's setting) ---------------------


def _active(facts: Facts, case: Case) -> list:
    return [a for a in facts.assignments.get(case.pk, []) if a.ended_on is None]


def first_joint_visit(case: Case, facts: Facts) -> list[Deadline]:
    """The first visit of the assistant with the worker within 14 days of qualification."""
    days = case.institution.assistant_first_visit_days
    return [
        Deadline(case, "assistant_first_visit", _("Pierwsza wspólna wizyta asystenta z pracownikiem"),
                 a.qualified_on + datetime.timedelta(days=days))
        for a in _active(facts, case) if not a.joint_visit
    ]  # fmt: skip


def work_plan(case: Case, facts: Facts) -> list[Deadline]:
    """The plan of work with the family within 1 month of the start."""
    months = case.institution.assistant_plan_months
    return [
        Deadline(case, "assistant_plan", _("Plan pracy z rodziną"), add_months(a.qualified_on, months))
        for a in _active(facts, case) if not a.has_plan
    ]  # fmt: skip


def assistant_visit(case: Case, facts: Facts) -> list[Deadline]:
    """Visits at least every 2 weeks."""
    days = case.institution.assistant_visit_interval_days
    return [
        Deadline(case, "assistant_visit", _("Wizyta asystenta w rodzinie"),
                 (a.last_visit or a.qualified_on) + datetime.timedelta(days=days))
        for a in _active(facts, case)
    ]  # fmt: skip


def monthly_report(case: Case, facts: Facts) -> list[Deadline]:
    """The monthly report on the family: the first month without one, due on the institution's
    day of the following month."""
    day = case.institution.assistant_monthly_report_day
    this_month = timezone.localdate().replace(day=1)
    found = []
    for a in facts.assignments.get(case.pk, []):
        # After the end, the reports up to the month of the end are still owed.
        last = add_months(a.ended_on.replace(day=1), 1) if a.ended_on else this_month
        month = a.qualified_on.replace(day=1)
        while month < min(this_month, last):
            if (a.pk, month) not in facts.report_months:
                next_month = add_months(month, 1)
                found.append(Deadline(case, "assistant_monthly_report",
                                      _("Miesięczne sprawozdanie asystenta za %(m)s") % {"m": month.strftime("%m.%Y")},
                                      next_month.replace(day=min(day, 28))))  # fmt: skip
                break
            month = add_months(month, 1)
    return found


def periodic_assessment(case: Case, facts: Facts) -> list[Deadline]:
    """The periodic assessment of the family for the head of the centre, at least every 6 months."""
    months = case.institution.assistant_assessment_months
    return [
        Deadline(case, "assistant_assessment", _("Okresowa ocena sytuacji rodziny"),
                 add_months(a.last_assessment or a.qualified_on, months))
        for a in _active(facts, case)
    ]  # fmt: skip


def change_reported(case: Case, facts: Facts) -> list[Deadline]:
    """A change of the family's situation: the family tells the worker within 7 days,
    otherwise the assistant does."""
    days = case.institution.family_change_report_days
    return [
        Deadline(case, "assistant_change", _("Zmiana sytuacji rodziny – poinformować pracownika socjalnego"),
                 change.learnt_on + datetime.timedelta(days=days))
        for a in facts.assignments.get(case.pk, []) for change in facts.open_changes.get(a.pk, [])
    ]  # fmt: skip


def control_visits_after_assistant(case: Case, facts: Facts) -> list[Deadline]:
    """After the assistant's work ends, the worker's control visits for up to 2 months: one a
    month from the end or from the last visit, while the period lasts."""
    if case.stage == Stage.ZAKONCZENIE:
        return []
    found = []
    for a in facts.assignments.get(case.pk, []):
        if a.ended_on is None:
            continue
        period_end = add_months(a.ended_on, case.institution.control_visits_months)
        last = facts.last_visit_any.get(case.pk)
        since = max(a.ended_on, timezone.localdate(last)) if last else a.ended_on
        due = add_months(since, 1)
        if due <= period_end and timezone.localdate() <= period_end:
            found.append(Deadline(case, "control_visit", _("Wizyta kontrolna po zakończeniu pracy asystenta"), due))
    return found


def court_told_of_non_cooperation(case: Case, facts: Facts) -> list[Deadline]:
    """An assistant ordered by a court: the family's non-cooperation is reported to the court."""
    found = []
    for a in facts.assignments.get(case.pk, []):
        if a.request.path == "court" and a.end == "no_cooperation":
            told = facts.last_court_notice.get(case.pk)
            if not (told and told >= a.ended_on):
                label = _("Poinformować sąd o braku współpracy rodziny z asystentem")
                found.append(Deadline(case, "court_non_cooperation", label, a.ended_on))
    return found


# --- refusing environments (seed 003) ------------------------------------------------------------------


def summons_appointment(case: Case, facts: Facts) -> list[Deadline]:
    """II.2: the day a summoned client is to come: the worker is there (shown until it has passed)."""
    label = _("Stawiennictwo na wezwanie: %(at)s")
    return [
        Deadline(case, "summons", label % {"at": f"{timezone.localtime(at):%d.%m.%Y %H:%M}"}, timezone.localdate(at))
        for at in sorted(facts.summons_due.get(case.pk, []))
    ]


def planned_appointment(case: Case, facts: Facts) -> list[Deadline]:
    """17.8: a visit or a meeting agreed with the family, on its day (the hour in the label); a
    closed case keeps no appointments."""
    from cases.models import Appointment

    if case.stage == Stage.ZAKONCZENIE:
        return []
    return [
        Deadline(
            case, "appointment",
            _("%(kind)s: %(at)s") % {"kind": Appointment.Kind(kind).label.capitalize(),
                                     "at": f"{timezone.localtime(at):%d.%m.%Y %H:%M}"},
            timezone.localdate(at),
        )
        for at, kind in sorted(facts.appointments_due.get(case.pk, []))
    ]  # fmt: skip


def monitoring_dates(case: Case, facts: Facts) -> list[Deadline]:
    """6a: the next monitoring dates of the plan. Only while the case is monitored: once the person
    accepts help (back to rozeznanie) or the case closes, the planned visits are no longer due."""
    if case.stage != Stage.MONITORING:
        return []
    label = _("Monitoring środowiska odmawiającego pomocy")
    return [Deadline(case, "monitoring", label, due) for due in sorted(set(facts.monitoring_due.get(case.pk, [])))]


def monitoring_court_notice(case: Case, facts: Facts) -> Deadline | None:
    """8: the joint decision to ask the family court to look into the family: notify the court."""
    decided = facts.monitoring_court_decided.get(case.pk)
    if decided is None or case.stage == Stage.ZAKONCZENIE:
        return None
    told = facts.last_court_notice.get(case.pk)
    if told is not None and told >= decided:
        return None
    label = _("Wystąpienie do Sądu Rodzinnego o wgląd w sytuację rodziny (decyzja w monitoringu)")
    return Deadline(case, "monitoring_court_notice", label, decided)


ASSISTANT_RULES = frozenset(
    {"assistant_first_visit", "assistant_plan", "assistant_visit", "assistant_monthly_report",
     "assistant_assessment", "assistant_change"}
)  # fmt: skip

Rule = Callable[[Case, Facts], "Deadline | list[Deadline] | None"]
RULES: list[Rule] = [
    repeat_visit,
    contract_within_deadline,
    contract_actions_evaluated,
    contract_period_end,
    court_notification_after_threat,
    first_joint_visit,
    work_plan,
    assistant_visit,
    monthly_report,
    periodic_assessment,
    change_reported,
    control_visits_after_assistant,
    court_told_of_non_cooperation,
    monitoring_dates,
    monitoring_court_notice,
    summons_appointment,
    planned_appointment,
]


# --- the engine ------------------------------------------------------------------------------------


def deadlines_for(cases: Iterable[Case]) -> dict[int, list[Deadline]]:
    """Every open deadline of each case, earliest first. ``case.institution`` should be
    selected with the cases (it is in the list selectors)."""
    cases = list(cases)
    return _deadlines(cases, load_facts(cases))


def _deadlines(cases: list[Case], facts: Facts) -> dict[int, list[Deadline]]:
    result: dict[int, list[Deadline]] = {}
    for case in cases:
        found: list[Deadline] = []
        for rule in RULES:
            outcome = rule(case, facts)
            if isinstance(outcome, list):
                found.extend(outcome)
            elif outcome is not None:
                found.append(outcome)
        result[case.pk] = sorted(found, key=lambda d: d.due)
    return result


FOREVER = datetime.date.max


def valid_until(case: Case, facts: Facts, today: datetime.date) -> datetime.date:
    """The first day on which the rules may answer otherwise for this case with no new fact: the
    rules that read today's date say when. ``monthly_report`` owes a report for every month that
    has ended, so the first day of a month may add one; ``control_visits_after_assistant`` shows
    its visit only while the period after the assistant lasts; ``summons_appointment`` and
    ``planned_appointment`` show an appointment until its day has passed. A new rule that reads
    the date belongs here too (``cases/tests/test_deadline_summaries.py`` moves the clock to check)."""
    until = FOREVER
    assignments = facts.assignments.get(case.pk, [])
    if assignments:
        until = add_months(today.replace(day=1), 1)
    if case.stage != Stage.ZAKONCZENIE:
        for a in assignments:
            if a.ended_on is not None:
                period_end = add_months(a.ended_on, case.institution.control_visits_months)
                if today <= period_end:
                    until = min(until, period_end + datetime.timedelta(days=1))
    for at in facts.summons_due.get(case.pk, []):
        until = min(until, timezone.localdate(at) + datetime.timedelta(days=1))
    for at, _kind in facts.appointments_due.get(case.pk, []):
        until = min(until, timezone.localdate(at) + datetime.timedelta(days=1))
    return until


def summarize(cases: Iterable[Case]) -> dict[int, tuple[datetime.date | None, datetime.date]]:
    """For ``DeadlineSummary``: each case's earliest due date (or None) and ``valid_until``."""
    cases = list(cases)
    facts = load_facts(cases)
    today = timezone.localdate()
    by_case = _deadlines(cases, facts)
    return {
        case.pk: (by_case[case.pk][0].due if by_case[case.pk] else None, valid_until(case, facts, today))
        for case in cases
    }


def annotate(cases: Iterable[Case]) -> list[Case]:
    """Put ``case.deadlines`` and ``case.overdue`` on each case of a page."""
    cases = list(cases)
    by_case = deadlines_for(cases)
    for case in cases:
        case.deadlines = by_case.get(case.pk, [])
        case.overdue = any(d.overdue for d in case.deadlines)
    return cases


# --- deadlines of a region, not of a case --------------------------------------------------------------


@dataclass(frozen=True)
class RegionDeadline:
    """A duty of an RPŚ team, followed by its coordinator."""

    region: object
    rule: str
    label: str
    due: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def team_meeting(region, last_meeting: datetime.date | None) -> RegionDeadline:
    """Seed 000 IV.3: the workers of an RPŚ meet at least once a month. Due by the end of the
    month after the last meeting; with none yet, by the end of this month."""
    due = _month_end(add_months(last_meeting, 1)) if last_meeting else _month_end(timezone.localdate())
    return RegionDeadline(region, "team_meeting", _("Spotkanie zespołu %(code)s") % {"code": region.code}, due)


def region_deadlines(regions) -> dict[int, list[RegionDeadline]]:
    """The team meeting and the follow-up of inspections, for each region, in two queries."""
    from meetings.models import Inspection, TeamMeeting

    regions = list(regions)
    ids = [r.pk for r in regions]
    last = dict(
        TeamMeeting.objects.filter(region_id__in=ids)
        .values("region_id")
        .annotate(last=Max("held_on"))
        .values_list("region_id", "last")
    )
    result = {r.pk: [team_meeting(r, last.get(r.pk))] for r in regions}
    by_pk = {r.pk: r for r in regions}
    for inspection in Inspection.objects.filter(
        region_id__in=ids, follow_up_by__isnull=False, follow_up_done_on__isnull=True
    ).select_related("inspected_worker"):
        label = _("Realizacja zaleceń pokontrolnych: %(who)s") % {"who": inspection.inspected_worker}
        result[inspection.region_id].append(
            RegionDeadline(by_pk[inspection.region_id], "inspection_follow_up", label, inspection.follow_up_by)
        )
    return result
