"""Views of the monthly team meetings and of inspections, with their printouts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.views import form_error
from meetings import selectors, services
from meetings.forms import FollowUpForm, InspectionForm, MeetingForm
from mopr import access, pdf, policy
from mopr.errors import DomainError
from mopr.models import AccessLog, Region, User
from mopr.services import access_log_write


def _region(request, region_pk) -> Region:
    try:
        return selectors.meeting_regions(user=request.user).get(pk=int(region_pk))
    except (Region.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _print(request, template: str, context: dict, *, title: str, filename: str) -> HttpResponse:
    """Printouts of a region's documents: no case, so the header names the institution only."""
    meta = pdf.PrintMeta(title=title, institution=request.user.institution, printed_by=request.user.get_full_name())
    try:
        body = pdf.render_pdf(template, context, meta, user=request.user)
    except (pdf.RenderTimeout, pdf.RenderFailed) as error:
        return pdf.print_failed(request, error, title=title)
    access_log_write(user=request.user, action=AccessLog.Action.PRINT, what=f"{title}: {filename}", request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.ascii_filename(filename)}.pdf"'
    return response


# --- meetings ------------------------------------------------------------------------------------


def meeting_list(request):
    regions = selectors.meeting_regions(user=request.user)
    if not regions.exists():
        raise PermissionDenied(_("Spotkania zespołów widzą pracownicy rejonów i kierownictwo."))
    meetings = selectors.meetings_visible_to(user=request.user).order_by("-held_on")[:100]
    holdable = [r for r in regions if policy.user_may_hold_meeting(request.user, r)]
    return render(request, "meetings/meeting_list.html", {"meetings": meetings, "holdable": holdable})


@require_http_methods(["GET", "POST"])
def meeting_new(request, region_pk: int):
    region = _region(request, region_pk)
    if not policy.user_may_hold_meeting(request.user, region):
        raise PermissionDenied(_("Notatkę ze spotkania sporządza koordynator rejonu lub wyznaczony pracownik."))
    attendees = User.objects.filter(pk__in=policy.meeting_attendees_allowed(region)).order_by("last_name")
    cases = (
        policy.cases_visible_to(request.user)
        .filter(region=region)
        .exclude(stage="zakonczenie")
        .select_related("client")
        .order_by("number")
    )
    form = MeetingForm(
        request.POST or None, attendees=attendees, cases=cases, initial={"held_on": timezone.localdate()}
    )
    access.shown_many(cases=cases)  # offered to pick from, with the clients' names
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(region=region, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano notatkę ze spotkania zespołu."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "region": region})


def meeting_detail(request, pk: int):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})


def meeting_pdf(request, pk: int):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    return _print(
        request,
        "printouts/meeting.html",
        {"meeting": meeting},
        title=_("Notatka ze spotkania zespołu"),
        filename=f"spotkanie-{meeting.region.code}-{meeting.held_on:%Y-%m-%d}",
    )


# --- inspections --------------------------------------------------------------------------------


def _inspectable_regions(user: User):
    return [r for r in policy.regions_visible_to(user) if policy.user_may_inspect(user, r)]


def inspection_list(request):
    visible = selectors.inspections_visible_to(user=request.user)
    if not policy.user_sees_inspections(request.user):
        raise PermissionDenied(_("Kontrole widzą koordynatorzy, kierownictwo, kontroler i kontrolowani pracownicy."))
    return render(
        request,
        "meetings/inspection_list.html",
        {
            "inspections": visible.order_by("-held_on")[:100],
            "regions": _inspectable_regions(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def inspection_new(request, region_pk: int):
    try:
        region = policy.regions_visible_to(request.user).get(pk=int(region_pk))
    except (Region.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not policy.user_may_inspect(request.user, region):
        raise PermissionDenied(_("Kontrolę prowadzi koordynator rejonu lub upoważniony kontroler."))
    workers = policy.workers_assignable_in(region).exclude(pk=request.user.pk)
    cases = policy.cases_visible_to(request.user).filter(region=region).select_related("client").order_by("number")
    form = InspectionForm(request.POST or None, workers=workers, cases=cases, initial={"held_on": timezone.localdate()})
    access.shown_many(cases=cases)  # offered to pick from, with the clients' names
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_record(by=request.user, region=region, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano protokół kontroli."))
            return redirect("meetings:inspection", pk=inspection.pk)
    return render(request, "meetings/inspection_form.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
def inspection_detail(request, pk: int):
    inspection = selectors.inspection_for(user=request.user, pk=pk)
    may_confirm = (
        policy.user_may_inspect(request.user, inspection.region)
        and inspection.follow_up_by
        and not (inspection.follow_up_done_on)
    )
    form = FollowUpForm(request.POST or None, initial={"done_on": timezone.localdate()}) if may_confirm else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Realizację zaleceń potwierdza koordynator lub kontroler."))
        if form.is_valid():
            try:
                services.inspection_follow_up_done(inspection=inspection, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Potwierdzono realizację zaleceń."))
                return redirect("meetings:inspection", pk=inspection.pk)
    return render(request, "meetings/inspection_detail.html", {"inspection": inspection, "form": form})


def inspection_pdf(request, pk: int):
    inspection = selectors.inspection_for(user=request.user, pk=pk)
    return _print(
        request,
        "printouts/inspection.html",
        {"inspection": inspection},
        title=_("Protokół kontroli"),
        filename=f"kontrola-{inspection.region.code}-{inspection.held_on:%Y-%m-%d}",
    )
