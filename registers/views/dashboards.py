"""The dashboards: a coordinator's regions, and the director's view of the whole centre.
Charts are SVG drawn on the server, each with its numbers in an accessible table."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines
from cases.services.deadline_summaries import deadline_summaries_refresh
from mopr import policy
from registers import selectors_dashboard as dash
from registers import selectors_time


def dashboard(request):
    user = request.user
    directs = policy.user_reads_institution(user)
    if not policy.user_oversees_regions(user):
        raise PermissionDenied(_("Pulpit jest dla koordynatorów RPŚ i kierownictwa ośrodka."))
    regions = list(dash.regions_of_dashboard(user))
    by_region = dash.stages_by_region(user=user, regions=regions)
    open_cases = dash.open_cases(user=user, regions=regions)
    deadline_summaries_refresh(cases=open_cases)  # the overdue counts read the stored verdicts
    context = {
        "directs": directs,
        "regions": regions,
        "stages": by_region,
        "stage_chart": dash.chart(by_region),
        "stage_list": list(dash.STAGE_COLOURS),
        "overdue": dash.overdue_by_worker_rows(cases=open_cases),
        "waiting": dash.waiting_for_assignment(user=user, regions=regions),
        "team": sorted(
            (d for ds in deadlines.region_deadlines(regions).values() for d in ds), key=lambda d: (d.due, d.label)
        ),
    }
    if directs:
        month = timezone.localdate().replace(day=1)
        context |= {
            "pending": dash.pending_approvals(user=user),
            "caseload": selectors_time.caseload(team=user.institution),
            "time": selectors_time.month_summary_for_team(team=user.institution, month=month),
            "month": month,
        }
    return render(request, "registers/dashboard.html", context)
