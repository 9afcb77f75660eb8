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

from cases.models import Case, Report, TargetGroup
from cases.procedure import Stage
from mopr import policy
from mopr.models import Institution, Region, Role, RoleAssignment, User
from mopr.policy import CASELOAD_ROLES, Team, team_members
from timesheets.models import CATEGORY_SETS, OVERLAYS, TimeCategory, TimeCategorySet, TimeEntry

SOCIAL, BENEFITS = TimeCategorySet.SOCIAL, TimeCategorySet.BENEFITS
CATEGORIES: tuple[TimeCategory, ...] = tuple(TimeCategory)  # the social worker's set
ZERO = Decimal(0)
MAX_MONTHS = 24  # the longest range a summary covers (two reporting years)


# --- small helpers ------------------------------------------------------------------------------------


def categories_of(category_set: str) -> tuple:
    """The categories of a set, in the seed's order."""
    return tuple(CATEGORY_SETS[category_set])


def category_set_of(worker: User) -> str:
    """The set a worker records in now: their job's (the policy says which job that is)."""
    return BENEFITS if policy.time_uses_benefits_categories(worker) else SOCIAL


def category_description(category: str, category_set: str = SOCIAL) -> str:
    """The seed's description of a category, without the leading letter of the label."""
    label = str(CATEGORY_SETS[category_set](category).label)
    letter, sep, rest = label.partition(" – ")
    return rest if sep and letter == str(category) else label


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


def months_between(first: datetime.date, last: datetime.date) -> int:
    """How many months from ``first``'s to ``last``'s, both counted (X.2012–VIII.2013: 11)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def range_label(first: datetime.date, last: datetime.date) -> str:
    """The seed's way of naming a period: X.2012–VIII.2013 (one month: III.2025)."""
    roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
    start = f"{roman[first.month - 1]}.{first.year}"
    end = f"{roman[last.month - 1]}.{last.year}"
    return start if start == end else f"{start}–{end}"


# --- a worker's days ----------------------------------------------------------------------------------


def hours_by_day(
    *, worker: User, first: datetime.date, last: datetime.date, category_set: str | None = None
) -> dict[datetime.date, dict[str, Decimal]]:
    """{day: {category: hours}} of the worker's entries from ``first`` to ``last`` inclusive, of one
    set (the week grid) or of all (then keyed "social:A", as letters overlap)."""
    out: dict[datetime.date, dict[str, Decimal]] = {}
    rows = TimeEntry.objects.filter(worker=worker, day__gte=first, day__lte=last)
    if category_set is not None:
        rows = rows.filter(category_set=category_set)
    for day, kind, category, hours in rows.values_list("day", "category_set", "category", "hours"):
        out.setdefault(day, {})[category if category_set is not None else f"{kind}:{category}"] = hours
    return out


def standards_by_day(*, worker: User, first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    """{day: target group} of the worker's days (a day's hours are for one standard)."""
    rows = TimeEntry.objects.filter(worker=worker, day__gte=first, day__lte=last).exclude(target_group="")
    return dict(rows.values_list("day", "target_group").distinct())


def last_standard(*, worker: User) -> str:
    """The standard of the worker's latest day with one: the week grid offers it for a new day."""
    latest = (
        TimeEntry.objects.filter(worker=worker).exclude(target_group="").order_by("-day").values_list("target_group")
    )
    return next(iter(latest[:1]), ("",))[0]


# --- summaries (the seed's tables) -------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    category: str
    description: str
    hours: Decimal
    percent: int
    overlay: bool = False

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)


@dataclass(frozen=True)
class WorkerRow:
    worker: User
    hours: tuple[Decimal, ...]  # in the order of the set's categories
    total: Decimal
    letters: tuple[str, ...] = tuple(c.value for c in CATEGORIES)

    @property
    def cells(self) -> list[tuple[str, str]]:
        return [(c, hours_text(h)) for c, h in zip(self.letters, self.hours, strict=True)]

    @property
    def total_text(self) -> str:
        return hours_text(self.total)


@dataclass(frozen=True)
class MonthSummary:
    """One of the seed's tables: a set's categories with hours and percent, over a month or a
    range of months (``month`` … ``last_month``), and a row per person."""

    month: datetime.date
    rows: list[CategoryRow]
    total: Decimal
    workers: list[WorkerRow] = field(default_factory=list)
    category_set: str = SOCIAL
    last_month: datetime.date | None = None
    title: str = ""

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

    @property
    def overlay_total(self) -> Decimal:
        return sum((row.hours for row in self.rows if row.overlay), ZERO)

    @property
    def overlay_text(self) -> str:
        return hours_text(self.overlay_total)

    @property
    def has_overlays(self) -> bool:
        return any(row.overlay for row in self.rows)

    @property
    def set_label(self) -> str:
        return str(TimeCategorySet(self.category_set).label)

    @property
    def letters(self) -> list[tuple[str, str]]:
        return [(row.category, row.description) for row in self.rows]


def _summary(
    month: datetime.date,
    by_category: dict[str, Decimal],
    workers: list[WorkerRow] | None = None,
    *,
    category_set: str = SOCIAL,
    last_month: datetime.date | None = None,
    title: str = "",
) -> MonthSummary:
    # The percent of each row is of every hour of the table, the overlays too: so the seed counts.
    total = sum(by_category.values(), ZERO)
    overlays = OVERLAYS[category_set]
    rows = [
        CategoryRow(
            category=c.value,
            description=category_description(c.value, category_set),
            hours=by_category.get(c.value, ZERO),
            percent=percent(by_category.get(c.value, ZERO), total),
            overlay=c.value in overlays,
        )
        for c in categories_of(category_set)
    ]
    return MonthSummary(
        month=month.replace(day=1),
        rows=rows,
        total=total,
        workers=workers or [],
        category_set=category_set,
        last_month=last_month,
        title=title,
    )


def _worker_row(person: User, mine: dict[str, Decimal], category_set: str) -> WorkerRow:
    letters = tuple(c.value for c in categories_of(category_set))
    hours = tuple(mine.get(c, ZERO) for c in letters)
    return WorkerRow(worker=person, hours=hours, total=sum(hours, ZERO), letters=letters)


def month_summary_for_worker(*, worker: User, month: datetime.date, category_set: str = SOCIAL) -> MonthSummary:
    """One worker's month in one set, by category, with hours and whole percents (one query)."""
    first, following = month_bounds(month)
    sums = (
        TimeEntry.objects.filter(worker=worker, day__gte=first, day__lt=following, category_set=category_set)
        .values("category")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return _summary(first, {row["category"]: row["total"] for row in sums}, category_set=category_set)


def month_summaries_for_worker(*, worker: User, month: datetime.date, own_set: str) -> list[MonthSummary]:
    """A worker's month: a table per set they recorded in (their own job's set always), one query."""
    first, following = month_bounds(month)
    sums = (
        TimeEntry.objects.filter(worker=worker, day__gte=first, day__lt=following)
        .values("category_set", "category")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    by_set: dict[str, dict[str, Decimal]] = {own_set: {}}
    for row in sums:
        by_set.setdefault(row["category_set"], {})[row["category"]] = row["total"]
    return [_summary(first, by_set[s], category_set=s) for s in (SOCIAL, BENEFITS) if s in by_set]


@dataclass(frozen=True)
class RangeSummary:
    """A team's time over a range of months: a table per set (with a row per person), and a table
    per standard and set, as seed 004 reports X–VIII ("Rodziny z Dziećmi – pracownicy socjalni")."""

    first: datetime.date
    last: datetime.date
    by_set: list[MonthSummary]
    by_standard: list[MonthSummary]

    @property
    def label(self) -> str:
        return range_label(self.first, self.last)

    def of_set(self, category_set: str) -> MonthSummary:
        for summary in self.by_set:
            if summary.category_set == category_set:
                return summary
        return _summary(self.first, {}, category_set=category_set, last_month=self.last)


STANDARD_ORDER = [*TargetGroup.values, ""]


def standard_label(target_group: str) -> str:
    return str(TargetGroup(target_group).label) if target_group else _("Bez przypisania do standardu")


def time_summary(*, team: Team | Region | Institution, first: datetime.date, last: datetime.date) -> RangeSummary:
    """The team's hours from ``first``'s month to ``last``'s in a fixed number of queries:
    the people (with the set of their job), the sums by person, set, standard and category – two.

    The people are the team's social workers, benefits workers and coordinators who are active,
    or who recorded time in the range (so a worker who left still counts for their months). A
    person is listed under every set they recorded in; with no hours, under their job's set."""
    team = Team.of(team)
    first = first.replace(day=1)
    _last_first, following = month_bounds(last)
    in_range = TimeEntry.objects.filter(day__gte=first, day__lt=following)
    people = list(
        team_members(team)
        .filter(Q(is_active=True) | Exists(in_range.filter(worker=OuterRef("pk"))))
        .annotate(uses_benefits=Exists(policy.benefits_worker_roles().filter(user=OuterRef("pk"))))
        .order_by("last_name", "first_name", "pk")
    )
    sums = (
        in_range.filter(worker__in=[u.pk for u in people])
        .values("worker_id", "category_set", "target_group", "category")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    recorded = {row["worker_id"] for row in sums}
    per_set: dict[str, dict[str, Decimal]] = {}
    per_worker: dict[tuple[int, str], dict[str, Decimal]] = {}
    per_standard: dict[tuple[str, str], dict[str, Decimal]] = {}
    for row in sums:
        kind, category, hours = row["category_set"], row["category"], row["total"]
        for bucket in (
            per_set.setdefault(kind, {}),
            per_worker.setdefault((row["worker_id"], kind), {}),
            per_standard.setdefault((row["target_group"], kind), {}),
        ):
            bucket[category] = bucket.get(category, ZERO) + hours
    last_month = last.replace(day=1)
    by_set = []
    for kind in (SOCIAL, BENEFITS):
        workers = [
            _worker_row(person, per_worker.get((person.pk, kind), {}), kind)
            for person in people
            if (person.pk, kind) in per_worker
            or (person.pk not in recorded and kind == (BENEFITS if person.uses_benefits else SOCIAL))
        ]
        if kind == SOCIAL or kind in per_set or workers:
            by_set.append(_summary(first, per_set.get(kind, {}), workers, category_set=kind, last_month=last_month))
    by_standard = [
        _summary(
            first,
            per_standard[(group, kind)],
            category_set=kind,
            last_month=last_month,
            title=f"{standard_label(group)} – {TimeCategorySet(kind).label}",
        )
        for group in STANDARD_ORDER
        for kind in (SOCIAL, BENEFITS)
        if (group, kind) in per_standard
    ]
    return RangeSummary(first=first, last=last_month, by_set=by_set, by_standard=by_standard)


def month_summary_for_team(
    *, team: Team | Region | Institution, month: datetime.date, category_set: str = SOCIAL
) -> MonthSummary:
    """A team's month in one set: the categories (hours, %) and a row per person (two queries)."""
    return time_summary(team=team, first=month, last=month).of_set(category_set)


# --- caseload against the norm ----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    worker: User
    benefits_worker: bool
    open_cases: int  # the families counted against the norm (see ``caseload``)
    norm: int
    regions: tuple[str, ...]
    held_cases: int = 0  # open cases held as the responsible worker (a hand-over needs them)

    @property
    def over_norm(self) -> bool:
        return self.open_cases > self.norm

    @property
    def left_with_cases(self) -> bool:
        """A deactivated account still holding open cases: not "w normie" – they wait for a
        hand-over (issue 17.2)."""
        return not self.worker.is_active and self.held_cases > 0

    @property
    def role_label(self) -> str:
        return str(Role.BENEFITS_WORKER.label if self.benefits_worker else Role.SOCIAL_WORKER.label)


def caseload(*, team: Team | Region | Institution, held: dict[int, int] | None = None) -> list[CaseloadRow]:
    """Per worker: the families (clients) they serve against the norm of their role.

    A social worker: the clients of their open cases, against ``caseload_norm_social_worker``
    (seed 004: 20 families).

    A benefits worker (norm ``caseload_norm_benefits_worker``, seed 004: 80 families): the benefit
    proceedings are not kept here and a benefits worker never holds a case (seed 001), so the count
    is of what the system does know of the people they serve – the clients of open cases for whom
    they registered a report: their referral to social work (seed 004: "skierowanie klienta przez
    pracownika ds. świadczeń do pracownika socjalnego"). Families that only receive benefits are
    not in the system: the figure is a lower bound, and the page says so beside it.

    At most four queries, whatever the number of workers: the people, their regions, their open
    cases (``held``, when the caller has counted them already: the director's dashboard), the
    benefits workers' referrals."""
    team = Team.of(team)
    people = list(
        team_members(team, CASELOAD_ROLES)
        .select_related("institution")
        .annotate(benefits_worker=Exists(policy.benefits_worker_roles().filter(user=OuterRef("pk"))))
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
    # Counted per worker over the cases in one grouped query, not joined to the people and
    # grouped by every column of theirs (92 ms at 100,000 cases, make bench, issue 18.6). Cases,
    # not distinct clients: a client has at most one open case (the index case_one_open_per_client).
    held = (
        held
        if held is not None
        else dict(
            Case.objects.filter(institution_id=team.institution_id, worker__in=[person.pk for person in people])
            .exclude(stage=Stage.ZAKONCZENIE)
            .order_by()
            .values_list("worker_id")
            .annotate(n=Count("pk"))
        )
    )
    # A worker who left still shows while they hold open cases: those need a new worker.
    people = [person for person in people if person.is_active or held.get(person.pk)]
    # The benefits workers' referrals in one query of their own: a subquery per person made the
    # director's dashboard take seconds at 100,000 cases (make bench, issue 18.6).
    referred = dict(
        Report.objects.filter(
            received_by__in=[person.pk for person in people if person.benefits_worker],
            case__institution_id=team.institution_id,
        )
        .exclude(case__stage=Stage.ZAKONCZENIE)
        .values("received_by")
        .annotate(n=Count("case__client", distinct=True))
        .values_list("received_by", "n")
    ) if any(person.benefits_worker for person in people) else {}  # fmt: skip
    rows = []
    for person in people:
        inst = person.institution
        norm = inst.caseload_norm_benefits_worker if person.benefits_worker else inst.caseload_norm_social_worker
        rows.append(
            CaseloadRow(
                worker=person,
                benefits_worker=person.benefits_worker,
                open_cases=referred.get(person.pk, 0) if person.benefits_worker else held.get(person.pk, 0),
                held_cases=held.get(person.pk, 0),
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
