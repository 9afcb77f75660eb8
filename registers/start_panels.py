"""The start page's panels of ``registers``: cases past a deadline – in the coordinator's
regions, and by worker for the management – each number a link to the register it counts."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from cases.models import DeadlineSummary
from cases.procedure import Stage
from cases.services.deadline_summaries import deadline_summaries_refresh
from mopr import policy
from mopr.start import Panel, register


def _overdue(request):
    user = request.user
    regions = policy.regions_overseen_by(user)
    cases = policy.cases_visible_to(user).filter(region__in=regions).exclude(stage=Stage.ZAKONCZENIE)
    deadline_summaries_refresh(cases=cases)  # the stale ones only: the nightly run did the rest
    rows = (
        cases.filter(DeadlineSummary.overdue(timezone.localdate()))
        .order_by()
        .values_list("worker_id", "worker__first_name", "worker__last_name", "worker__username", "worker__is_active")
        .annotate(n=Count("pk"))
    )
    by_worker = sorted(
        (
            {"id": wid, "name": f"{first} {last}".strip() or username if wid else "—", "active": active, "n": n}
            for wid, first, last, username, active, n in rows
        ),
        key=lambda r: (-r["n"], r["name"]),
    )
    return {"total": sum(r["n"] for r in by_worker), "by_worker": by_worker}


register(Panel("overdue", 7, policy.user_oversees_regions, "start/overdue.html", _overdue))
