"""The start page's panels of ``registers``: cases past a deadline – in the coordinator's
regions, and by worker for the management – each number a link to the register it counts."""

from __future__ import annotations

from cases.services.deadline_summaries import deadline_summaries_refresh
from mopr import policy
from mopr.start import Panel, register
from registers.selectors import case_tallies, open_cases, overdue_by_worker_rows


def _overdue(request):
    user = request.user
    regions = policy.regions_overseen_by(user)
    deadline_summaries_refresh(cases=open_cases(user=user, regions=regions))  # the stale ones: the night did the rest
    by_worker = overdue_by_worker_rows(tallies=case_tallies(user=user, regions=regions))
    return {"total": sum(r["n"] for r in by_worker), "by_worker": by_worker}


register(Panel("overdue", 7, policy.user_oversees_regions, "start/overdue.html", _overdue))
