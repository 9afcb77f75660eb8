"""Reads of meetings and inspections, through the access policy's view of regions."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from mopr import access, policy
from mopr.models import Region, Role, User
from registers.models import Inspection, TeamMeeting


def meeting_regions(*, user: User) -> QuerySet[Region]:
    """The regions whose meetings the user sees: their own team's, or all for the management."""
    roles = policy.roles_of(user)
    regions = policy.regions_visible_to(user)
    if roles.institution_roles & policy.INSTITUTION_READERS:
        return regions
    return regions.filter(pk__in=roles.region_ids(Role.COORDINATOR) | roles.region_ids(Role.SOCIAL_WORKER))


def meetings_visible_to(*, user: User) -> QuerySet[TeamMeeting]:
    return (
        TeamMeeting.objects.filter(region__in=meeting_regions(user=user))
        .select_related("region", "written_by")
        .prefetch_related("attendees")
    )


def inspections_visible_to(*, user: User) -> QuerySet[Inspection]:
    """The coordinator's regions, the management and the controller all; a worker their own."""
    roles = policy.roles_of(user)
    if roles.institution_id is None:
        return Inspection.objects.none()
    base = Inspection.objects.filter(region__institution_id=roles.institution_id).select_related(
        "region", "inspected_worker", "inspector"
    )
    if roles.institution_roles & policy.INSTITUTION_READERS:
        return base
    return base.filter(Q(region_id__in=roles.region_ids(Role.COORDINATOR)) | Q(inspected_worker=user))


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
