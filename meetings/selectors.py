"""Reads of meetings and inspections, through the access policy's view of regions."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from meetings.models import Inspection, TeamMeeting
from mopr import access, policy
from mopr.models import Region, User


def meeting_regions(*, user: User) -> QuerySet[Region]:
    """The regions whose meetings the user sees (mopr.policy.meeting_regions_for)."""
    return policy.meeting_regions_for(user)


def meetings_visible_to(*, user: User) -> QuerySet[TeamMeeting]:
    return (
        TeamMeeting.objects.filter(region__in=meeting_regions(user=user))
        .select_related("region", "written_by")
        .prefetch_related("attendees")
    )


def inspections_visible_to(*, user: User) -> QuerySet[Inspection]:
    """The inspections the user sees (mopr.policy.inspections_visible_to), with what a page shows."""
    return policy.inspections_visible_to(user).select_related("region", "inspected_worker", "inspector")


def meeting_for(*, user: User, pk: int) -> TeamMeeting:
    """A meeting for its page or printout; the cases it discussed go to the access log."""
    meeting = get_object_or_404(meetings_visible_to(user=user).prefetch_related("cases_discussed"), pk=pk)
    access.shown_many(cases=meeting.cases_discussed.all())
    return meeting


def inspection_for(*, user: User, pk: int) -> Inspection:
    """An inspection for its page or printout; the cases it looked at go to the access log."""
    inspection = get_object_or_404(inspections_visible_to(user=user).prefetch_related("cases"), pk=pk)
    access.shown_many(cases=inspection.cases.all())
    return inspection
