"""Statistics for any period (issue 18.1): the figures a centre reports every year – social work and
social contracts (the statistical report MRPiPS-03 and the Ocena Zasobów Pomocy Społecznej), family
assistants, Niebieska Karta, refusing environments, court notifications, the time from a report to
the first contact, the diagnosis and the contract, the deadlines kept and missed.

A figure is declared once, by the app that owns its facts, in its ``statistics_figures`` module: its
section, title, the definition a director reads beside it (docs/statistics.md says the same), and
how it is counted from the cases in scope and the period. Figures count *families* (a case: a
person is a one-person family, art. 6 pkt 14 of the Act) and *persons in them* (the members of the
client), each once in the period, so a year is never the sum of its halves.

The scope is the cases the user may see (``mopr.policy``), narrowed to a region, a worker, a target
group or a problem area; the table breaks each figure down by one of these, or not at all.
"""

from __future__ import annotations

import datetime
import statistics as pystats
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case
from mopr import policy
from mopr.models import User


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def start_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_before(self) -> datetime.datetime:
        """The first moment after the period (timestamps compare with it: ``< end_before``)."""
        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))

    def text(self) -> str:
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"


@dataclass(frozen=True)
class Median:
    """A median in days with how many cases it stands on (and how many still wait)."""

    days: float | None
    n: int
    waiting: int = 0

    def __str__(self) -> str:
        if self.days is None:
            return f"— (n=0, czeka {self.waiting})" if self.waiting else "—"
        shown = f"{self.days:g}".replace(".", ",")
        return f"{shown} (n={self.n}, czeka {self.waiting})" if self.waiting else f"{shown} (n={self.n})"


def median_of(days: list[int], waiting: int = 0) -> Median:
    return Median(float(pystats.median(days)) if days else None, len(days), waiting)


Value = int | Median


@dataclass(frozen=True)
class Figure:
    key: str
    section: str
    title: str
    definition: str
    count: Callable[[QuerySet[Case], Period], Value]
    position: int


_REGISTRY: dict[str, Figure] = {}


def register(*figures: Figure) -> None:
    for figure in figures:
        if figure.key in _REGISTRY:
            raise ValueError(f"statistics figure {figure.key!r} registered twice")
        _REGISTRY[figure.key] = figure


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("statistics_figures")


def figures() -> list[Figure]:
    return sorted(_REGISTRY.values(), key=lambda f: (f.position, f.key))


# --- helpers the figures share ------------------------------------------------------------------


def persons_in(cases: QuerySet[Case]) -> int:
    """The persons in the families of ``cases``: every member of their clients, each once."""
    from cases.models import ClientMember

    return ClientMember.objects.filter(client_id__in=cases.values("client_id")).count()


def in_social_work(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    """Social work begun by the period's end and not closed before its start."""
    return cases.filter(social_work_started_at__lte=period.end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=period.start_at)
    )


def closed_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    return cases.filter(closed_at__gte=period.start_at, closed_at__lt=period.end_before)


def overlapping(start_field: str, end_field: str, period: Period) -> Q:
    """A record whose [start, end] (end empty: still running) meets the period."""
    return Q(**{f"{start_field}__lte": period.end}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": period.start})
    )


# --- the scope and the table --------------------------------------------------------------------


def cases_in_scope(
    *, user: User, region_id: int | None = None, worker_id: int | None = None, target_group: str = "",
    problem_area: str = "",
) -> QuerySet[Case]:  # fmt: skip
    """The cases the user may count: the institution's for the management and the auditor, the
    coordinator's regions for a coordinator."""
    from registers.selectors import register_scope

    qs = register_scope(user=user)
    if region_id:
        qs = qs.filter(region_id=region_id)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    if target_group:
        qs = qs.filter(target_group=target_group)
    if problem_area:
        qs = qs.filter(pk__in=with_problem_area(problem_area))
    return qs


def with_problem_area(code: str) -> QuerySet:
    """The cases whose latest diagnosis names the area (the register's rule: ``cases.problem_areas``)."""
    from cases.problem_areas import latest_problem_areas, names_area

    return Case.objects.annotate(areas=latest_problem_areas()).filter(**names_area("areas", code)).values("pk")


@dataclass(frozen=True)
class Row:
    figure: Figure
    values: list[Value]


@dataclass(frozen=True)
class Table:
    period: Period
    columns: list[str]  # "Ogółem" and the breakdown's values
    sections: list[tuple[str, list[Row]]]

    @property
    def rows(self) -> list[Row]:
        return [row for _section, rows in self.sections for row in rows]


BREAKDOWNS = {
    "": "bez podziału",
    "region": "rejon",
    "worker": "pracownik socjalny",
    "target_group": "grupa docelowa",
    "problem_area": "obszar problemowy",
}


def breakdown_columns(*, user: User, scope: QuerySet[Case], by: str) -> list[tuple[str, QuerySet[Case]]]:
    """ "Ogółem" and one column per value of the breakdown that has cases in scope."""
    columns: list[tuple[str, QuerySet[Case]]] = [("Ogółem", scope)]
    if by == "region":
        for region in policy.regions_overseen_by(user).filter(pk__in=scope.values("region_id")).order_by("code"):
            columns.append((region.code, scope.filter(region_id=region.pk)))
    elif by == "worker":
        workers = User.objects.filter(pk__in=scope.values("worker_id")).order_by("last_name", "first_name")
        for worker in workers:
            columns.append((worker.get_full_name(), scope.filter(worker_id=worker.pk)))
    elif by == "target_group":
        from cases.models import TargetGroup

        present = set(scope.values_list("target_group", flat=True).distinct())
        for value, label in TargetGroup.choices:
            if value in present:
                columns.append((str(label), scope.filter(target_group=value)))
    elif by == "problem_area":
        from cases.problem_areas import problem_area_choices

        for code, name in problem_area_choices(institution_id=user.institution_id):
            columns.append((name, scope.filter(pk__in=with_problem_area(code))))
    return columns


def statistics_table(*, user: User, period: Period, scope: QuerySet[Case], by: str = "") -> Table:
    columns = breakdown_columns(user=user, scope=scope, by=by)
    sections: dict[str, list[Row]] = {}
    for figure in figures():
        values = [figure.count(cases, period) for _label, cases in columns]
        sections.setdefault(figure.section, []).append(Row(figure, values))
    return Table(period, [label for label, _cases in columns], list(sections.items()))
