"""What the dashboards count: a fixed number of queries whatever the size of the centre."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from assistants.models import Request
from cases.models import Case, DeadlineSummary
from cases.procedure import Stage
from mopr import policy
from mopr.models import User
from registers.models import RefusalMonitoring

# Colours of the stages in the charts; each has at least 3:1 contrast against white (WCAG 1.4.11).
STAGE_COLOURS = {
    Stage.ZGLOSZENIE: "#6c4f00",
    Stage.ROZEZNANIE: "#0b5cad",
    Stage.DIAGNOZA: "#6f42c1",
    Stage.PRACA_SOCJALNA: "#1e7b34",
    Stage.MONITORING: "#a4161a",
    Stage.ZAWIESZENIE: "#5c636a",
    Stage.ZAKONCZENIE: "#343a40",
}


@dataclass
class StageRow:
    """One bar of a chart: a region's (or a worker's) cases by stage."""

    label: str
    counts: dict[str, int]
    key: int | None = None  # the region's id: the numbers link to the register filtered by it

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def segments(self, scale: float) -> list[dict]:
        x, out = 0, []
        for stage in Stage:
            n = self.counts.get(stage.value, 0)
            if n:
                # Whole pixels: the numbers go into SVG attributes, which know no decimal comma.
                width = max(1, round(n * scale))
                out.append({"x": x, "width": width, "colour": STAGE_COLOURS[stage], "label": stage.label, "n": n})
                x += width
        return out


def stages_by_region(*, user: User, regions) -> list[StageRow]:
    regions = list(regions)
    counts: dict[int, dict[str, int]] = {r.pk: {} for r in regions}
    for region_id, stage, n in (
        policy.cases_visible_to(user)
        .filter(region__in=regions)
        .values_list("region_id", "stage")
        .annotate(n=Count("pk"))
        .values_list("region_id", "stage", "n")
    ):
        counts[region_id][stage] = n
    return [StageRow(r.code, counts[r.pk], r.pk) for r in regions]


def chart(rows: list[StageRow], width: int = 600) -> dict:
    """Bar geometry for the template: one bar per row, segments per stage, scaled to ``width``."""
    biggest = max((r.total for r in rows), default=0) or 1
    scale = width / biggest
    return {
        "width": width + 200,
        "height": 30 * len(rows) + 10,
        "bars": [
            {"y": 10 + 30 * i, "label": r.label, "total": r.total, "segments": r.segments(scale)}
            for i, r in enumerate(rows)
        ],
        "legend": [(s.label, STAGE_COLOURS[s]) for s in Stage],
    }


def open_cases(*, user: User, regions) -> QuerySet[Case]:
    return policy.cases_visible_to(user).filter(region__in=regions).exclude(stage=Stage.ZAKONCZENIE)


def overdue_by_worker_rows(*, cases: QuerySet[Case]) -> list[dict]:
    """Cases with at least one overdue deadline, per responsible worker (id, name, whether the
    account is active, count), counted in SQL from the deadline summaries – the caller refreshes
    the stale ones of ``cases`` first. (Over a whole centre's open cases the engine itself would
    take seconds: docs/performance.md.) Most first; the numbers link to the register."""
    rows = (
        cases.filter(DeadlineSummary.overdue(timezone.localdate()))
        .order_by()
        .values_list("worker_id", "worker__first_name", "worker__last_name", "worker__username", "worker__is_active")
        .annotate(n=Count("pk"))
    )
    found = [
        {"id": wid, "name": (f"{first} {last}".strip() or username) if wid else "—", "active": active, "n": n}
        for wid, first, last, username, active, n in rows
    ]
    return sorted(found, key=lambda r: (-r["n"], r["name"]))


def overdue_by_worker(*, cases: QuerySet[Case]) -> list[tuple[str, int]]:
    """The same per name (two workers of one name are one row)."""
    per_worker: dict[str, int] = {}
    for row in overdue_by_worker_rows(cases=cases):
        per_worker[row["name"]] = per_worker.get(row["name"], 0) + row["n"]
    return sorted(per_worker.items(), key=lambda item: (-item[1], item[0]))


def waiting_for_assignment(*, user: User, regions) -> dict[str, int]:
    rows = (
        policy.cases_visible_to(user)
        .filter(region__in=regions, worker__isnull=True, stage=Stage.ZGLOSZENIE)
        .values_list("region__code")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def pending_approvals(*, user: User) -> dict[str, int]:
    """The director's queue: assistant requests and monitoring plans or decisions waiting."""
    requests = policy.requests_visible_to(user)
    institution_cases = policy.cases_visible_to(user)
    return {
        "opinion": requests.filter(status=Request.Status.OPINION).count(),
        "approval": requests.filter(status=Request.Status.APPROVAL).count(),
        "assignment": requests.filter(
            status__in=[Request.Status.APPROVED, Request.Status.ORDERED], assignment__isnull=True
        ).count(),
        "monitoring_plan": RefusalMonitoring.objects.filter(case__in=institution_cases, plan_on__isnull=True).count(),
        "monitoring_decision": RefusalMonitoring.objects.filter(
            case__in=institution_cases, report_on__isnull=False, decision=""
        ).count(),
    }


def regions_of_dashboard(user: User):
    return policy.regions_overseen_by(user)
