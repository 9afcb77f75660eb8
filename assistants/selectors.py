"""Reads of the family-assistant procedure, always through the access policy."""

from django.db.models import QuerySet

from assistants.models import Assignment, Request
from mopr import access, policy
from mopr.models import User


def request_queue(*, user: User) -> dict[str, QuerySet[Request]]:
    """The head's requests waiting for an opinion, the approver's waiting for a decision, and
    the approved ones waiting for an assistant."""
    visible = policy.requests_visible_to(user).select_related("case", "case__client", "requested_by")
    queues = {}
    if policy.user_gives_assistant_opinions(user):
        queues["opinion"] = visible.filter(status=Request.Status.OPINION).exclude(requested_by=user)
    if policy.user_acts_as_approver(user)[0]:
        queues["approval"] = visible.filter(status=Request.Status.APPROVAL).exclude(requested_by=user)
    if policy.user_may_assign_assistant(user):
        queues["assignment"] = visible.filter(
            status__in=[Request.Status.APPROVED, Request.Status.ORDERED], assignment__isnull=True
        )
    return queues


def assignments_of_assistant(*, user: User) -> QuerySet[Assignment]:
    """The assistant's own assignments, ended ones too: the list of their work, not the case files
    (those stay visible only while the assignment lasts – mopr.policy)."""
    return (
        Assignment.objects.filter(assistant=user, case__institution_id=user.institution_id)
        .select_related("case", "case__client", "case__worker", "case__institution")
        .order_by("ended_on", "-qualified_on")
    )


def assignment_for(*, user: User, pk: int) -> Assignment:
    from django.http import Http404

    try:
        assignment = (
            policy.assignments_visible_to(user)
            .select_related("case", "case__client", "case__worker", "case__institution", "request", "assistant")
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError):
        raise Http404 from None
    access.shown(case=assignment.case)  # the page shows the family: the access log gets its row
    return assignment


def request_for(*, user: User, pk: int) -> Request:
    from django.http import Http404

    try:
        found = (
            policy.requests_visible_to(user)
            .select_related("case", "case__client", "case__worker", "case__institution", "requested_by")
            .get(pk=pk)
        )
    except (Request.DoesNotExist, ValueError):
        raise Http404 from None
    access.shown(case=found.case)
    return found


def monthly_report_start(*, assignment: Assignment, month=None) -> dict:
    """The monthly report's first draft (issue 17.8): the month (the last one, by default) and its
    visits – day, hour, length, whether with the worker, what happened – for the assistant to
    complete with the assessment. Seed 002: afternoons and weekends are the assistant's hours."""
    import datetime

    from django.utils import timezone
    from django.utils.translation import gettext as _

    today = timezone.localdate()
    month = month or (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    visits = list(
        assignment.visits.filter(visited_on__gte=month, visited_on__lt=following).order_by("visited_on", "pk")
    )
    hours = sum(v.minutes for v in visits) / 60
    lines = [
        _("Wizyty w miesiącu %(month)s: %(n)s, razem %(hours)s godz.")
        % {"month": f"{month:%m.%Y}", "n": len(visits), "hours": f"{hours:.1f}".replace(".", ",")}
    ]
    for v in visits:
        when = f"{v.visited_on:%d.%m.%Y}" + (f" {v.started_at:%H:%M}" if v.started_at else "")
        joint = _(", wspólnie z pracownikiem socjalnym") if v.joint_with_worker else ""
        lines.append(f"- {when}, {v.minutes} min{joint}: {v.description}")
    lines += ["", _("Ocena postępów rodziny i wnioski: ")]
    return {"month": month, "summary": "\n".join(lines)}
