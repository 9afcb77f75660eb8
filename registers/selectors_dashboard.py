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
    return [StageRow(r.code, counts[r.pk]) for r in regions]


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


def overdue_by_worker(*, cases: QuerySet[Case]) -> list[tuple[str, int]]:
    """Cases with at least one overdue deadline, per responsible worker, counted in SQL from the
    deadline summaries – the view refreshes the stale ones of ``cases`` first. (Over a whole
    centre's open cases the engine itself would take seconds: docs/performance.md.)"""
    rows = (
        cases.filter(DeadlineSummary.overdue(timezone.localdate()))
        .order_by()
        .values_list("worker__first_name", "worker__last_name", "worker__username")
        .annotate(n=Count("pk"))
    )
    per_worker: dict[str, int] = {}
    for first, last, username, n in rows:
        name = "—" if username is None else f"{first} {last}".strip() or username  # as User.__str__
        per_worker[name] = per_worker.get(name, 0) + n
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
