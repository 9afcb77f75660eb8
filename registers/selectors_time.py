"""Reads of the time accounting and the caseload (seed 004, the Toruń pilot).

Who sees whose time (built on mopr/policy.py: ``roles_of``, ``INSTITUTION_READERS``,
``regions_coordinated_by``, ``regions_visible_to``; the policy has no helper for people, so the
teams are computed here from those):

- a social worker, a benefits worker: their own time and caseload only;
- a coordinator: the people of the regions they coordinate (social workers and coordinators of
  those regions, themselves included);
- the head of department, the director, the auditor: the whole institution;
- anyone else (family assistant, first-contact desk): nothing;
- nobody ever sees another institution's people.

Every read runs in a fixed number of queries, whatever the number of workers: the hours are
summed by the database (``Sum`` grouped by worker and category), the open cases counted by it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from cases.procedure import Stage
from mopr.models import Institution, Region, Role, RoleAssignment, User
from mopr.policy import INSTITUTION_READERS, regions_coordinated_by, regions_visible_to, roles_of
from registers.models import TimeCategory, TimeEntry

# Who records time (the brief of seed 004: the workers; coordinators for themselves).
TIME_ROLES = frozenset({Role.SOCIAL_WORKER, Role.BENEFITS_WORKER, Role.COORDINATOR})
# Who has a caseload norm (Institution.caseload_norm_*).
CASELOAD_ROLES = frozenset({Role.SOCIAL_WORKER, Role.BENEFITS_WORKER})
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


# --- who sees whom ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """A set of people of one institution: all of it, some regions of it, or one person."""

    institution_id: int
    region_ids: frozenset[int] | None = None  # None: the whole institution
    user_id: int | None = None  # one person only (a worker's own page)

    @classmethod
    def of(cls, team: Team | Region | Institution) -> Team:
        if isinstance(team, Team):
            return team
        if isinstance(team, Region):
            return cls(institution_id=team.institution_id, region_ids=frozenset({team.pk}))
        return cls(institution_id=team.pk)


def user_records_time(user: User) -> bool:
    """Social workers, benefits workers and coordinators record their own time."""
    return bool(user.is_authenticated and user.is_active and roles_of(user).all & TIME_ROLES)


def time_scope(user: User) -> Team | None:
    """The widest team whose time ``user`` may read, or None (403)."""
    roles = roles_of(user)
    if roles.institution_id is None:
        return None
    if roles.institution_roles & INSTITUTION_READERS:
        return Team(institution_id=roles.institution_id)
    coordinated = regions_coordinated_by(user)
    if coordinated:
        return Team(institution_id=roles.institution_id, region_ids=coordinated)
    if roles.all & TIME_ROLES:
        return Team(institution_id=roles.institution_id, user_id=user.pk)
    return None


def user_sees_team_time(user: User) -> bool:
    scope = time_scope(user)
    return scope is not None and scope.user_id is None


def regions_for_time(user: User) -> QuerySet[Region]:
    """The regions the team pages may be narrowed to: the coordinator's own, or every region of
    the institution for its readers (through ``regions_visible_to``)."""
    scope = time_scope(user)
    if scope is None or scope.user_id is not None:
        return Region.objects.none()
    regions = regions_visible_to(user)
    return regions if scope.region_ids is None else regions.filter(pk__in=scope.region_ids)


def narrowed(scope: Team, region: Region | None) -> Team:
    """The scope limited to one region (which the caller took from ``regions_for_time``)."""
    if region is None:
        return scope
    if region.institution_id != scope.institution_id or (
        scope.region_ids is not None and region.pk not in scope.region_ids
    ):
        raise ValueError("region outside the scope")
    return Team(institution_id=scope.institution_id, region_ids=frozenset({region.pk}))


def team_members(team: Team, roles: Iterable[Role] = TIME_ROLES) -> QuerySet[User]:
    """The people of ``team`` holding one of ``roles`` (in the team's regions, where it has some).

    A benefits worker holds the role for the institution, so a region's team includes them only
    when they also hold a role in that region."""
    held = RoleAssignment.objects.filter(role__in=list(roles))
    if team.region_ids is not None:
        held = held.filter(region_id__in=team.region_ids)
    qs = User.objects.filter(institution_id=team.institution_id, pk__in=held.values("user_id"))
    if team.user_id is not None:
        qs = qs.filter(pk=team.user_id)
    return qs


def time_may_view(user: User, worker: User) -> bool:
    scope = time_scope(user)
    if scope is None or worker.institution_id != scope.institution_id:
        return False
    if scope.user_id is not None:
        return worker.pk == user.pk
    if scope.region_ids is None:
        return True
    return worker.pk == user.pk or team_members(scope).filter(pk=worker.pk).exists()


def time_may_record(by: User, worker: User) -> bool:
    """A worker records their own time; a coordinator may correct the time of a social worker of
    a region they coordinate (the history names the coordinator)."""
    if not by.is_authenticated or not by.is_active or by.institution_id is None:
        return False
    if worker.institution_id != by.institution_id or not roles_of(worker).all & TIME_ROLES:
        return False
    if worker.pk == by.pk:
        return True
    coordinated = regions_coordinated_by(by)
    return (
        bool(coordinated)
        and RoleAssignment.objects.filter(user=worker, role=Role.SOCIAL_WORKER, region_id__in=coordinated).exists()
    )


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
