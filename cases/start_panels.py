"""The start page's panels of ``cases`` (the registry: ``mopr/start.py``): the worker's work for
today and this week, new cases to accept, their cases; the coordinator's queue; the
institution's cases by stage; the desk's registered reports."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

from cases import deadlines, selectors
from cases.procedure import Stage
from mopr import access, policy
from mopr.start import Panel, register

WEEK = 7


def _followed(request) -> dict:
    """The deadlines of the worker's own and covered cases, read once for the page's panels."""
    cached = getattr(request, "_mopr_followed_deadlines", None)
    if cached is None:
        cached = deadlines.deadlines_for(selectors.worker_followed_cases(user=request.user))
        request._mopr_followed_deadlines = cached
    return cached


def _worker_due(request):
    """What needs action today (overdue or due today) and this week, across own and covered cases."""
    found = sorted((d for ds in _followed(request).values() for d in ds), key=lambda d: (d.due, d.case.number))
    today = timezone.localdate()
    now = [d for d in found if d.due <= today]
    week = [d for d in found if today < d.due <= today + datetime.timedelta(days=WEEK)]
    access.shown_many(cases=[d.case for d in now + week])
    return {"now": now, "week": week}


def _new_reports(request):
    cases = list(selectors.worker_new_reports(user=request.user)[:20])
    access.shown_many(cases=cases)
    return {"cases": cases}


def _my_cases(request):
    cases = list(selectors.worker_open_cases(user=request.user)[:50])
    followed = _followed(request)  # the same cases' deadlines, read for the panel above
    for case in cases:
        case.deadlines = followed.get(case.pk, [])
        case.overdue = any(d.overdue for d in case.deadlines)
    access.shown_many(cases=cases)
    return {"cases": cases}


def _queue(request):
    queue = selectors.coordinator_queue(user=request.user)
    cases = list(queue[:10])
    access.shown_many(cases=cases)
    return {"cases": cases, "count": queue.count()}


def _stages(request):
    counts = dict(
        policy.cases_visible_to(request.user).values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    return {"rows": [(stage, counts.get(stage.value, 0)) for stage in Stage]}


def _registered(request):
    reports = list(
        policy.reports_registered_by(request.user).select_related("case", "case__region").order_by("-received_at")[:20]
    )
    access.shown_many(cases=[r.case for r in reports])
    return {"reports": reports}


register(Panel("queue", 5, lambda u: bool(policy.regions_coordinated_by(u)), "start/queue.html", _queue))
register(Panel("worker_due", 10, policy.user_runs_social_work, "start/worker_due.html", _worker_due))
register(Panel("new_reports", 20, policy.user_runs_social_work, "start/new_reports.html", _new_reports))
register(Panel("my_cases", 30, policy.user_runs_social_work, "start/my_cases.html", _my_cases))
register(Panel("stages", 60, policy.user_reads_institution, "start/stages.html", _stages))
register(Panel("registered", 70, policy.user_sees_own_registrations, "start/registered.html", _registered))
