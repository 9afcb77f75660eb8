"""Reads of the time accounting and the caseload (seed 004, the Toruń pilot).

Who sees whose time is the access policy's (mopr/policy.py, "time accounting": ``time_scope``,
``time_may_view``, ``time_may_record``, the ``Team`` a page covers); these read a team's hours.

Every read runs in a fixed number of queries, whatever the number of workers: the hours are
summed by the database (``Sum`` grouped by worker and category), the open cases counted by it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils.translation import gettext as _

from cases.procedure import Stage
from mopr.models import Institution, Region, Role, RoleAssignment, User
from mopr.policy import CASELOAD_ROLES, Team, team_members
from registers.models import TimeCategory, TimeEntry

CATEGORIES: tuple[TimeCategory, ...] = tuple(TimeCategory)
ZERO = Decimal(0)


# --- small helpers ------------------------------------------------------------------------------------


def category_description(category: str) -> str:
    """The seed's description of a category, without the leading letter of the label."""
    label = str(TimeCategory(category).label)
    letter, sep, rest = label.partition(" – ")
    return rest if sep and letter == category else label


def percent(part: Decimal, whole: Decimal) -> int:
    """A whole percent, rounded half up, as in the seed's tables (0 of nothing is 0)."""
    if not whole:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def hours_text(value: Decimal | None) -> str:
    """Hours as the seed writes them: 1600,5 · 7225 · 0,25."""
    text = f"{Decimal(value or 0).quantize(Decimal('0.01')):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of the month and the first day of the next one."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


# --- a worker's days ----------------------------------------------------------------------------------


def hours_by_day(*, worker: User, first: datetime.date, last: datetime.date) -> dict[datetime.date, dict[str, Decimal]]:
    """{day: {category: hours}} of the worker's entries from ``first`` to ``last`` inclusive."""
    out: dict[datetime.date, dict[str, Decimal]] = {}
    rows = TimeEntry.objects.filter(worker=worker, day__gte=first, day__lte=last).values_list(
        "day", "category", "hours"
    )
    for day, category, hours in rows:
        out.setdefault(day, {})[category] = hours
    return out


# --- monthly summaries (the seed's tables) ---------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    category: str
    description: str
    hours: Decimal
    percent: int

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)


@dataclass(frozen=True)
class WorkerRow:
    worker: User
    hours: tuple[Decimal, ...]  # in the order of CATEGORIES
    total: Decimal

    @property
    def cells(self) -> list[tuple[str, str]]:
        return [(c.value, hours_text(h)) for c, h in zip(CATEGORIES, self.hours, strict=True)]

    @property
    def total_text(self) -> str:
        return hours_text(self.total)


@dataclass(frozen=True)
class MonthSummary:
    month: datetime.date
    rows: list[CategoryRow]
    total: Decimal
    workers: list[WorkerRow] = field(default_factory=list)

    @property
    def total_text(self) -> str:
        return hours_text(self.total)

    @property
    def percent_total(self) -> int:
        """The seed's total row says 100 (its rounded rows need not add up to it)."""
        return 100 if self.total else 0

    @property
    def percents(self) -> dict[str, int]:
        return {row.category: row.percent for row in self.rows}


def _summary(month: datetime.date, by_category: dict[str, Decimal], workers: list[WorkerRow] | None = None):
    total = sum(by_category.values(), ZERO)
    rows = [
        CategoryRow(
            category=c.value,
            description=category_description(c),
            hours=by_category.get(c.value, ZERO),
            percent=percent(by_category.get(c.value, ZERO), total),
        )
        for c in CATEGORIES
    ]
    return MonthSummary(month=month.replace(day=1), rows=rows, total=total, workers=workers or [])


def month_summary_for_worker(*, worker: User, month: datetime.date) -> MonthSummary:
    """One worker's month by category, with hours and whole percents (one query)."""
    first, following = month_bounds(month)
    sums = (
        TimeEntry.objects.filter(worker=worker, day__gte=first, day__lt=following)
        .values("category")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return _summary(first, {row["category"]: row["total"] for row in sums})


def month_summary_for_team(*, team: Team | Region | Institution, month: datetime.date) -> MonthSummary:
    """A team's month: the categories (hours, %) and a row per person (two queries).

    The people are the team's social workers, benefits workers and coordinators who are active,
    or who recorded time in the month (so a worker who left still counts for their months)."""
    team = Team.of(team)
    first, following = month_bounds(month)
    in_month = TimeEntry.objects.filter(day__gte=first, day__lt=following)
    people = list(
        team_members(team)
        .filter(Q(is_active=True) | Exists(in_month.filter(worker=OuterRef("pk"))))
        .order_by("last_name", "first_name", "pk")
    )
    sums = (
        in_month.filter(worker__in=[u.pk for u in people])
        .values("worker_id", "category")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    per_worker: dict[int, dict[str, Decimal]] = {}
    by_category: dict[str, Decimal] = {}
    for row in sums:
        per_worker.setdefault(row["worker_id"], {})[row["category"]] = row["total"]
        by_category[row["category"]] = by_category.get(row["category"], ZERO) + row["total"]
    workers = []
    for person in people:
        mine = per_worker.get(person.pk, {})
        hours = tuple(mine.get(c.value, ZERO) for c in CATEGORIES)
        workers.append(WorkerRow(worker=person, hours=hours, total=sum(hours, ZERO)))
    return _summary(first, by_category, workers)


# --- caseload against the norm ----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    worker: User
    benefits_worker: bool
    open_cases: int
    norm: int
    regions: tuple[str, ...]

    @property
    def over_norm(self) -> bool:
        return self.open_cases > self.norm

    @property
    def left_with_cases(self) -> bool:
        """A deactivated account still holding open cases: not "w normie" – they wait for a
        hand-over (issue 17.2)."""
        return not self.worker.is_active and self.open_cases > 0

    @property
    def role_label(self) -> str:
        return str(Role.BENEFITS_WORKER.label if self.benefits_worker else Role.SOCIAL_WORKER.label)


def caseload(*, team: Team | Region | Institution) -> list[CaseloadRow]:
    """Per worker: the families (clients) of their open cases against the norm of their role.

    The social worker's norm is ``Institution.caseload_norm_social_worker`` (seed 004: about 20).
    A benefits worker is held to ``caseload_norm_benefits_worker`` (about 80), but the benefit
    proceedings are not kept in this system and a benefits worker never runs social work (seed
    001), so their count is of the cases they hold here – normally 0. The page says so.

    Two queries, whatever the number of workers: the people with their counts, their regions."""
    team = Team.of(team)
    open_here = Q(cases__institution_id=team.institution_id) & ~Q(cases__stage=Stage.ZAKONCZENIE)
    people = (
        team_members(team, CASELOAD_ROLES)
        .select_related("institution")
        .annotate(
            open_cases=Count("cases__client", filter=open_here, distinct=True),
            benefits_worker=Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=Role.BENEFITS_WORKER)),
        )
        # A worker who left still shows while they hold open cases: those need a new worker.
        .filter(Q(is_active=True) | Q(open_cases__gt=0))
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(role=Role.SOCIAL_WORKER, region__isnull=False)
                .select_related("region")
                .order_by("region__code"),
                to_attr="worker_regions",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    rows = []
    for person in people:
        inst = person.institution
        norm = inst.caseload_norm_benefits_worker if person.benefits_worker else inst.caseload_norm_social_worker
        rows.append(
            CaseloadRow(
                worker=person,
                benefits_worker=person.benefits_worker,
                open_cases=person.open_cases,
                norm=norm,
                regions=tuple(a.region.code for a in person.worker_regions),
            )
        )
    return rows


def team_label(team: Team, regions: Iterable[Region]) -> str:
    if team.user_id is not None:
        return _("Twoje dane")
    if team.region_ids is None:
        return _("Cały ośrodek")
    codes = [r.code for r in regions if r.pk in team.region_ids]
    if len(codes) == 1:
        return _("Rejon: %(code)s") % {"code": codes[0]}
    return _("Rejony: %(codes)s") % {"codes": ", ".join(codes)}
