"""The start page's panels of ``registers``: cases past a deadline – in the coordinator's
regions, and by worker for the management – each number a link to the register it counts."""

from __future__ import annotations

from cases.procedure import Stage
from cases.services.deadline_summaries import deadline_summaries_refresh
from mopr import policy
from mopr.start import Panel, register
from registers.selectors import overdue_by_worker_rows


def _overdue(request):
    user = request.user
    regions = policy.regions_overseen_by(user)
    cases = policy.cases_visible_to(user).filter(region__in=regions).exclude(stage=Stage.ZAKONCZENIE)
    deadline_summaries_refresh(cases=cases)  # the stale ones only: the nightly run did the rest
    by_worker = overdue_by_worker_rows(cases=cases)
    return {"total": sum(r["n"] for r in by_worker), "by_worker": by_worker}


register(Panel("overdue", 7, policy.user_oversees_regions, "start/overdue.html", _overdue))
