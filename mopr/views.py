"""The start page of each role and the account pages."""

from django.db.models import Count
from django.shortcuts import render

from cases import deadlines
from cases import selectors as case_selectors
from cases.procedure import Stage
from mopr import access, policy
from staffing import selectors as staffing_selectors


def home(request):
    user = request.user
    context = {}
    if policy.user_runs_social_work(user):
        context["new_reports"] = list(case_selectors.worker_new_reports(user=user)[:20])
        context["my_cases"] = deadlines.annotate(case_selectors.worker_open_cases(user=user)[:50])
        context["covers_taken"] = staffing_selectors.covers_taken_now(user=user)
        if context["covers_taken"]:
            context["covered_cases"] = deadlines.annotate(case_selectors.worker_covered_cases(user=user)[:50])
    if policy.regions_coordinated_by(user):
        queue = case_selectors.coordinator_queue(user=user)
        context["queue"] = list(queue[:10])
        context["queue_count"] = queue.count()
        # Cover and hand-overs (issue 17.1–3): who left with open cases, what moves in.
        context["left_with_cases"] = [h for h in staffing_selectors.handover_holders(user=user) if not h.active]
        context["moves_in"] = policy.moves_pending_into(policy.regions_coordinated_by(user)).count()
    if policy.user_reads_institution(user):
        counts = dict(
            policy.cases_visible_to(user).values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
        )
        context["stage_counts"] = [(stage.label, counts.get(stage.value, 0)) for stage in Stage]
    if policy.user_sees_own_registrations(user):
        context["registered"] = list(
            policy.reports_registered_by(user).select_related("case", "case__region").order_by("-received_at")[:20]
        )
    # The start page lists the user's cases and reports: the access log gets them (mopr/access.py).
    listed = [*context.get("new_reports", ()), *context.get("my_cases", ()), *context.get("queue", ())]
    listed += context.get("covered_cases", [])
    listed += [report.case for report in context.get("registered", ())]
    access.shown_many(cases=listed)
    return render(request, "mopr/home.html", context)
