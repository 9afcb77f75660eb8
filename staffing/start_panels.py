"""The start page's panels of ``staffing``: the substitute's cases in cover; the coordinator's
workers who left with open cases, cases moving into their regions and the covers running."""

from __future__ import annotations

from django.utils import timezone

from cases import deadlines
from cases import selectors as case_selectors
from mopr import access, policy
from mopr.start import Panel, register
from staffing import selectors


def _covered(request):
    covers = selectors.covers_taken_now(user=request.user)
    if not covers:
        return None
    cases = deadlines.annotate(case_selectors.worker_covered_cases(user=request.user)[:50])
    access.shown_many(cases=cases)
    return {"covers": covers, "cases": cases}


def _coordination(request):
    user = request.user
    left = [h for h in selectors.handover_holders(user=user) if not h.active]
    moves_in = policy.moves_pending_into(policy.regions_coordinated_by(user)).count()
    covers = list(selectors.covers_current(user=user).filter(starts_on__lte=timezone.localdate()))
    waiting = selectors.handovers_waiting(user=user)
    return {"left": left, "moves_in": moves_in, "covers": covers, "waiting": len(waiting)}


def _own_leave(request):
    return {}


register(Panel("covered", 35, policy.user_runs_social_work, "start/covered.html", _covered))
register(Panel("coordination", 6, policy.user_hands_over, "start/coordination.html", _coordination))
register(Panel("own_leave", 90, policy.user_runs_social_work, "start/own_leave.html", _own_leave))
