"""The deadline engine: every due date of the brief, computed from the facts of the cases.

Each rule is a small named function ``rule(case, facts) -> Deadline | None``. ``Facts`` is
loaded for a whole batch of cases at once, one query per kind of fact, so a list page asks
the database the same number of times whatever its length. Later parts of the procedure
(contracts, the family assistant, meetings, monitoring) add their facts and rules here.

The rules of this module:

- ``repeat_visit`` – seed 000 II.6: a visit where the child was absent must be repeated;
  due ``Institution.repeat_visit_days`` after it, until a later visit meets the family.
- ``contract_within_deadline`` – seed 000 IV.1: with a new client the contract is signed no
  later than ``Institution.contract_deadline_months`` after the first contact; shown from the
  first contact on, until a contract is signed.
- ``court_notification_after_threat`` – seed 000 IV.5: a contract refused or not kept while the
  welfare of a person or child is threatened: notify the family court, at once.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Max, Min
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


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (31 Dec + 2 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- facts ---------------------------------------------------------------------------------------


def load_facts(cases: Sequence[Case]) -> Facts:
    ids = [c.pk for c in cases]
    facts = Facts()
    if not ids:
        return facts
    for row in (
        Visit.objects.filter(case_id__in=ids, outcome__in=[Visit.Outcome.CHILD_ABSENT, Visit.Outcome.MET])
        .values("case_id", "outcome")
        .annotate(last=Max("visited_at"))
    ):
        target = facts.last_child_absent if row["outcome"] == Visit.Outcome.CHILD_ABSENT else facts.last_met
        target[row["case_id"]] = row["last"]
    # A client is new to the centre when this is the first case ever opened for them.
    first_case_of_client = dict(
        Case.objects.filter(client_id__in={c.client_id for c in cases})
        .values("client_id")
        .annotate(first=Min("pk"))
        .values_list("client_id", "first")
    )
    facts.new_client = {c.pk for c in cases if first_case_of_client.get(c.client_id) == c.pk}
    facts.contract_signed = _contracts_signed(ids)
    facts.court_notification_due = _court_notifications_due(ids)
    return facts


def _contracts_signed(case_ids: list[int]) -> set[int]:
    from contracts.selectors import cases_with_signed_contract

    return cases_with_signed_contract(case_ids=case_ids)


def _court_notifications_due(case_ids: list[int]) -> dict[int, datetime.date]:
    """Cases whose contract ended in refusal or not kept with the welfare of a person or child
    threatened (IV.5), and no notification to the family court since: the date it ended."""
    from cases.models import Notification
    from contracts.models import Contract

    threatened = dict(
        Contract.objects.filter(case_id__in=case_ids, welfare_threatened=True, ended_on__isnull=False)
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


def court_notification_after_threat(case: Case, facts: Facts) -> Deadline | None:
    ended = facts.court_notification_due.get(case.pk)
    if ended is None:
        return None
    return Deadline(case, "court_notification", _("Zawiadomienie Sądu Rodzinnego – zagrożone dobro (IV.5)"), ended)


Rule = Callable[[Case, Facts], Deadline | None]
RULES: list[Rule] = [repeat_visit, contract_within_deadline, court_notification_after_threat]


# --- the engine ------------------------------------------------------------------------------------


def deadlines_for(cases: Iterable[Case]) -> dict[int, list[Deadline]]:
    """Every open deadline of each case, earliest first. ``case.institution`` should be
    selected with the cases (it is in the list selectors)."""
    cases = list(cases)
    facts = load_facts(cases)
    result: dict[int, list[Deadline]] = {}
    for case in cases:
        found = [d for rule in RULES if (d := rule(case, facts)) is not None]
        result[case.pk] = sorted(found, key=lambda d: d.due)
    return result


def annotate(cases: Iterable[Case]) -> list[Case]:
    """Put ``case.deadlines`` and ``case.overdue`` on each case of a page."""
    cases = list(cases)
    by_case = deadlines_for(cases)
    for case in cases:
        case.deadlines = by_case.get(case.pk, [])
        case.overdue = any(d.overdue for d in case.deadlines)
    return cases
