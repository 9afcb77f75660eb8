"""The start page's panels of ``assistants``: the assistant's families with what is due; the
requests waiting for the head's opinion, the approver's decision or an assistant; the periodic
assessments presented to the head of the centre (seed 002) in the last month."""

from __future__ import annotations

import datetime

from django.utils import timezone

from assistants import selectors
from assistants.models import PeriodicAssessment
from cases import deadlines
from mopr import access, policy
from mopr.start import Panel, register

RECENT_DAYS = 30


def _families(request):
    active = [a for a in selectors.assignments_of_assistant(user=request.user) if a.active]
    access.shown_many(cases=[a.case for a in active])
    due = deadlines.deadlines_for([a.case for a in active])
    rows = [(a, [d for d in due.get(a.case_id, []) if d.rule in deadlines.ASSISTANT_RULES]) for a in active]
    return {"rows": rows}


def _waiting(request):
    queues = {name: list(qs[:10]) for name, qs in selectors.request_queue(user=request.user).items()}
    access.shown_many(cases=[r.case for rs in queues.values() for r in rs])
    return {"queues": queues}


def _assessments(request):
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    rows = list(
        PeriodicAssessment.objects.filter(
            assignment__case__in=policy.cases_visible_to(request.user), assessed_on__gte=since
        )
        .select_related("assignment__case", "author")
        .order_by("-assessed_on", "-pk")[:20]
    )
    if not rows:
        return None
    access.shown_many(cases=[a.assignment.case for a in rows])
    return {"rows": rows, "days": RECENT_DAYS}


def _reads_assessments(user) -> bool:
    return policy.user_directs_monitorings(user)  # the director and the head of department


register(Panel("assistant_families", 10, policy.user_is_family_assistant, "start/assistant_families.html", _families))
register(
    Panel(
        "requests_waiting", 8,
        lambda u: policy.user_gives_assistant_opinions(u) or policy.user_may_assign_assistant(u),
        "start/requests_waiting.html", _waiting,
    )
)  # fmt: skip
register(Panel("assessments", 40, _reads_assessments, "start/assessments.html", _assessments))
