"""Reads of the monitorings of environments that refuse help (seed 003), always through the policy's
visible cases."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cases.models import Case
from cases.procedure import Stage
from mopr import policy
from mopr.models import User
from refusals.models import MonitoringDate, RefusalMonitoring


def monitorings_of_case(*, case: Case) -> list[RefusalMonitoring]:
    """Every monitoring of the case, newest first, with its dates in order."""
    return list(
        case.refusal_monitorings.select_related(
            "author", "plan_by", "report_by", "decision_by", "decision_worker"
        ).prefetch_related(
            Prefetch("dates", queryset=MonitoringDate.objects.select_related("done_by").order_by("due_on", "pk"))
        )
    )


def monitorings_waiting(*, user: User) -> dict[str, QuerySet[RefusalMonitoring]]:
    """The director's list: the monitorings of cases in stage monitoring waiting for the plan, and
    those whose report waits for the joint decision."""
    base = (
        RefusalMonitoring.objects.filter(
            case__in=policy.cases_visible_to(user), case__stage=Stage.MONITORING, decision=""
        )
        .select_related("case", "case__client", "case__worker", "case__region", "author")
        .order_by("note_written_on", "pk")
    )
    return {"plan": base.filter(plan_on__isnull=True), "decision": base.filter(report_on__isnull=False)}


def monitorings_pending_counts(*, user: User) -> dict[str, int]:
    """The director's dashboard: monitorings without a plan, and reports waiting for the decision."""
    visible = RefusalMonitoring.objects.filter(case__in=policy.cases_visible_to(user))
    return {
        "monitoring_plan": visible.filter(plan_on__isnull=True).count(),
        "monitoring_decision": visible.filter(report_on__isnull=False, decision="").count(),
    }
