"""Views of the family-assistant procedure: the three ways in, the approvers' queue, decisions,
assignment and its letter, the assistant's families and work, the end, authorisations.
Thin: the access policy, one service, a message."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from assistants import forms, selectors, services
from assistants.models import (
    Authorisation,
    ChangeReport,
    FinalReport,
    MonthlyReport,
    PeriodicAssessment,
    Request,
    TimeReport,
    WorkPlan,
)
from cases import deadlines
from cases.selectors import case_with_details
from cases.views import form_error
from mopr import access, conflicts, pdf, policy
from mopr.errors import DomainError, StaleVersionError
from mopr.policy import Action
from mopr.services import access_log_case_view


def _case(request, pk: int, action: Action = Action.WRITE):
    return policy.case_get_for(request.user, pk, action, case_with_details(user=request.user, pk=pk))


# --- the three ways in ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_new(request, pk: int, path: str):
    """A request by the worker, from an institution, or a court's order – on a case the user writes in."""
    case = _case(request, pk)
    form_class = {
        "pracownik": forms.WorkerRequestForm,
        "instytucja": forms.ExternalRequestForm,
        "sad": forms.CourtRequestForm,
    }.get(path)
    if form_class is None:
        raise PermissionDenied(_("Nieznana droga wniosku."))
    kwargs = {"case": case} if form_class is forms.WorkerRequestForm else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if path == "pracownik":
                made = services.request_by_worker(case=case, by=request.user, **d)
            elif path == "instytucja":
                made = services.request_from_institution(case=case, by=request.user, **d)
            else:
                made = services.request_by_court(case=case, by=request.user, **d)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano: %(status)s.") % {"status": made.get_status_display()})
            return redirect("assistants:request", pk=made.pk)
    titles = {
        "pracownik": _lazy("Wniosek o asystenta rodziny"),
        "instytucja": _lazy("Wniosek instytucji o asystenta"),
        "sad": _lazy("Asystent przyznany wyrokiem sądu"),
    }
    return render(request, "assistants/request_form.html", {"case": case, "form": form, "title": titles[path]})


def request_detail(request, pk: int):
    req = selectors.request_for(user=request.user, pk=pk)
    access_log_case_view(request=request, case=req.case, what="Wniosek o asystenta rodziny")
    user = request.user
    initial = {"version": req.version}
    context = {"req": req, "case": req.case, "decisions": req.decisions.select_related("decided_by")}
    if req.status == Request.Status.INTERVIEW and policy.case_allows(user, req.case, Action.WRITE):
        context["interview_form"] = forms.InterviewForm(initial=initial | {"interview_on": timezone.localdate()})
    if req.status == Request.Status.OPINION and policy.user_may_opine(user, req):
        context["opinion_form"] = forms.OpinionForm(initial=initial)
    if req.status == Request.Status.APPROVAL and policy.user_may_approve(user, req):
        context["decision_form"] = forms.DecisionForm(initial=initial)
    if (
        req.status in (Request.Status.APPROVED, Request.Status.ORDERED)
        and not hasattr(req, "assignment")
        and policy.user_may_assign_assistant(user)
    ):
        context["assign_form"] = forms.AssignForm(
            initial=initial | {"qualified_on": timezone.localdate()},
            assistants=policy.assistants_assignable(req.case.institution_id),
        )
    return render(request, "assistants/request_detail.html", context)


def _on_request(request, pk: int, form_class, act, success: str):
    """The POST handlers of the request page: form, service, message, back to the page."""
    req = selectors.request_for(user=request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(req, dict(form.cleaned_data))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
        return redirect("assistants:request", pk=req.pk)
    errors = "; ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()
    )
    messages.error(request, _("Popraw dane: %(errors)s") % {"errors": errors})
    return redirect("assistants:request", pk=req.pk)


@require_POST
def request_interview(request, pk: int):
    req = selectors.request_for(user=request.user, pk=pk)
    policy.case_get_for(request.user, req.case_id, Action.WRITE)
    return _on_request(
        request,
        pk,
        forms.InterviewForm,
        lambda r, d: services.request_record_interview(
            request=r, by=request.user, expected_version=d.pop("version"), **d
        ),
        _("Zapisano wynik rozeznania i odpowiedź dla instytucji."),
    )


@require_POST
def request_opinion(request, pk: int):
    return _on_request(
        request,
        pk,
        forms.OpinionForm,
        lambda r, d: services.request_give_opinion(
            request=r, by=request.user, positive=d["positive"], comment=d["comment"], expected_version=d["version"]
        ),
        _("Zapisano opinię; wniosek czeka na zatwierdzenie."),
    )


@require_POST
def request_decide(request, pk: int):
    return _on_request(
        request,
        pk,
        forms.DecisionForm,
        lambda r, d: services.request_decide(
            request=r, by=request.user, approve=d["approve"], comment=d["comment"], expected_version=d["version"]
        ),
        _("Zapisano decyzję."),
    )


@require_POST
def request_assign(request, pk: int):
    req = selectors.request_for(user=request.user, pk=pk)
    form = forms.AssignForm(request.POST, assistants=policy.assistants_assignable(req.case.institution_id))
    if form.is_valid():
        d = form.cleaned_data
        try:
            assignment = services.assistant_assign(
                request=req,
                by=request.user,
                assistant=d["assistant"],
                qualified_on=d["qualified_on"],
                letter_note=d["letter_note"],
                expected_version=d["version"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Przydzielono asystenta rodziny; wydrukuj pismo przydzielające."))
            return redirect("assistants:assignment", pk=assignment.pk)
    else:
        messages.error(request, _("Wybierz asystenta i datę zakwalifikowania."))
    return redirect("assistants:request", pk=req.pk)


def request_queue(request):
    queues = selectors.request_queue(user=request.user)
    if not queues:
        raise PermissionDenied(_("Kolejka wniosków o asystenta jest dla kierownika działu i zatwierdzających."))
    queues = {name: list(requests) for name, requests in queues.items()}
    access.shown_many(cases=[r.case for requests in queues.values() for r in requests])
    return render(request, "assistants/queue.html", {"queues": queues})


def reply_pdf(request, pk: int):
    """The worker's reply to the institution that asked for an assistant."""
    req = selectors.request_for(user=request.user, pk=pk)
    case = policy.case_get_for(request.user, req.case_id, Action.PRINT)
    if not req.reply:
        raise PermissionDenied(_("Odpowiedź dla instytucji nie została jeszcze zapisana."))
    return pdf.pdf_response(
        request,
        case=case,
        template="printouts/assistant_reply.html",
        context={"req": req, "case": case},
        title=_("Odpowiedź na wniosek o asystenta"),
        filename=f"odpowiedz-{case.number}-{req.pk}",
    )


# --- the assistant's families and work -----------------------------------------------------------------

WORK_FORMS = {
    "wizyta": (forms.VisitForm, services.visit_record, "visit", _lazy("Wizyta asystenta")),
    "plan": (forms.PlanForm, services.plan_write, "plan", _lazy("Plan pracy z rodziną")),
    "sprawozdanie": (
        forms.MonthlyReportForm,
        services.monthly_report_write,
        "report",
        _lazy("Miesięczne sprawozdanie z pracy z rodziną"),
    ),
    "ocena": (forms.AssessmentForm, services.assessment_write, "assessment", _lazy("Okresowa ocena sytuacji rodziny")),
    "zmiana": (forms.ChangeForm, services.change_report_write, "change", _lazy("Zmiana sytuacji rodziny")),
}


def my_families(request):
    if not policy.user_is_family_assistant(request.user):
        raise PermissionDenied(_("Ta strona jest dla asystentów rodziny."))
    assignments = list(selectors.assignments_of_assistant(user=request.user))
    access.shown_many(cases=[a.case for a in assignments])
    active = [a for a in assignments if a.active]
    due = deadlines.deadlines_for([a.case for a in active])
    rows = [(a, [d for d in due.get(a.case_id, []) if d.rule in deadlines.ASSISTANT_RULES]) for a in active]
    return render(
        request, "assistants/my_families.html", {"rows": rows, "ended": [a for a in assignments if not a.active]}
    )


def assignment_detail(request, pk: int):
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    case = assignment.case
    access_log_case_view(request=request, case=case, what="Asysta rodziny")
    is_assistant = (
        policy.case_allows(request.user, case, Action.ASSISTANT_WORK) and assignment.assistant_id == request.user.pk
    )
    may_end = assignment.active and request.user.pk in (assignment.assistant_id, case.worker_id)
    due = [d for d in deadlines.deadlines_for([case])[case.pk] if d.rule in deadlines.ASSISTANT_RULES]
    return render(
        request,
        "assistants/assignment_detail.html",
        {
            "assignment": assignment,
            "case": case,
            "is_assistant": is_assistant and assignment.active,
            "may_end": may_end,
            "documents": services.documents_status(assignment),
            "deadlines": due,
            "visits": assignment.visits.select_related("author"),
            "plans": assignment.plans.select_related("author"),
            "reports": assignment.monthly_reports.select_related("author"),
            "assessments": assignment.assessments.select_related("author"),
            "changes": assignment.change_reports.select_related("author"),
            "work_kinds": [(k, v[3]) for k, v in WORK_FORMS.items()],
            # Seed 002: "niezwłocznie podejmuje działania interwencyjne" – the same predicate as the services.
            "emergency": {
                "note": policy.case_allows(request.user, case, Action.NOTE) and not case.is_closed,
                "alert": policy.case_allows(request.user, case, Action.ALERT) and not case.is_closed,
            }
            if is_assistant and assignment.active
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def work_add(request, pk: int, kind: str):
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    if kind not in WORK_FORMS:
        raise PermissionDenied(_("Nieznany rodzaj wpisu."))
    policy.case_get_for(request.user, assignment.case_id, Action.ASSISTANT_WORK)
    form_class, record, keyword, title = WORK_FORMS[kind]
    # The monthly report starts from the month's visits (issue 17.8): the last month's, by default.
    initial = selectors.monthly_report_start(assignment=assignment) if kind == "sprawozdanie" else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record(assignment=assignment, by=request.user, **{keyword: form.save(commit=False)})
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano: %(what)s.") % {"what": title})
            return redirect("assistants:assignment", pk=assignment.pk)
    return render(request, "assistants/work_form.html", {"assignment": assignment, "form": form, "title": title})


def _require_participant(user, assignment) -> None:
    """The assistant and the case's worker record changes and the end; others only read."""
    if user.pk not in (assignment.assistant_id, assignment.case.worker_id):
        raise PermissionDenied(_("Zapisuje asystent lub pracownik socjalny rodziny."))


@require_http_methods(["GET", "POST"])
def change_close(request, pk: int):
    change = get_object_or_404(ChangeReport.objects.select_related("assignment"), pk=pk)
    assignment = selectors.assignment_for(user=request.user, pk=change.assignment_id)
    _require_participant(request.user, assignment)
    form = forms.ChangeCloseForm(
        request.POST or None,
        initial={
            "version": change.version,
            "family_told_worker_on": change.family_told_worker_on,
            "assistant_told_worker_on": change.assistant_told_worker_on,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.change_report_close(
                change=change,
                by=request.user,
                family_told_on=form.cleaned_data["family_told_worker_on"],
                assistant_told_on=form.cleaned_data["assistant_told_worker_on"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            fresh = ChangeReport.objects.get(pk=change.pk)
            conflict = conflicts.conflict_for(form, fresh, ["family_told_worker_on", "assistant_told_worker_on"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano, kiedy pracownik socjalny został poinformowany."))
            return redirect("assistants:assignment", pk=assignment.pk)
    return render(
        request,
        "assistants/work_form.html",
        {
            "assignment": assignment,
            "form": form,
            "title": _("Poinformowanie pracownika o zmianie sytuacji"),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@require_http_methods(["GET", "POST"])
def assignment_end(request, pk: int):
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    _require_participant(request.user, assignment)
    form = forms.EndForm(
        request.POST or None, initial={"version": assignment.version, "ended_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.assignment_end(
                assignment=assignment,
                by=request.user,
                end=d["end"],
                ended_on=d["ended_on"],
                reason=d["reason"],
                final_summary=d["final_summary"],
                expected_version=d["version"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zakończono pracę asystenta; pracownik socjalny prowadzi wizyty kontrolne."))
            # The family is no longer the assistant's to see; the worker goes back to the case.
            if request.user.pk == assignment.assistant_id:
                return redirect("assistants:mine")
            return redirect("cases:detail", pk=assignment.case_id)
    return render(
        request,
        "assistants/work_form.html",
        {"assignment": assignment, "form": form, "title": _("Zakończenie pracy asystenta z rodziną")},
    )


def letter_pdf(request, pk: int):
    """The letter assigning the assistant to the family (seed 002, document 2)."""
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    case = policy.case_get_for(request.user, assignment.case_id, Action.PRINT)
    return pdf.pdf_response(
        request,
        case=case,
        template="printouts/assistant_letter.html",
        context={"assignment": assignment, "case": case},
        title=_("Pismo przydzielające asystenta rodziny"),
        filename=f"asystent-{case.number}",
    )


# The assistant's documents of seed 002 that print (slug → model, date field, heading).
DOCUMENTS = {
    "plan": (WorkPlan, "drafted_on", _lazy("PLAN PRACY Z RODZINĄ")),
    "sprawozdanie": (MonthlyReport, "created_at", _lazy("MIESIĘCZNE SPRAWOZDANIE Z PRACY Z RODZINĄ")),
    "ocena": (PeriodicAssessment, "assessed_on", _lazy("OKRESOWA OCENA SYTUACJI RODZINY")),
    "koncowe": (FinalReport, "written_on", _lazy("SPRAWOZDANIE KOŃCOWE Z PRACY Z RODZINĄ")),
}


def document_pdf(request, pk: int, kind: str, doc_pk: int):
    """A document of the assistant's work with the family, printed from what was recorded."""
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    if kind not in DOCUMENTS:
        raise Http404
    case = policy.case_get_for(request.user, assignment.case_id, Action.PRINT)
    model, date_field, heading = DOCUMENTS[kind]
    doc = get_object_or_404(model.objects.select_related("author"), pk=doc_pk, assignment=assignment)
    context = {"case": case, "assignment": assignment, "doc": doc, "kind": kind, "heading": heading,
               "date": getattr(doc, date_field)}  # fmt: skip
    if kind == "sprawozdanie":
        month_end = (doc.month + datetime.timedelta(days=32)).replace(day=1)
        context["visits_in_month"] = assignment.visits.filter(
            visited_on__gte=doc.month, visited_on__lt=month_end
        ).count()
    return pdf.pdf_response(
        request, case=case, template="printouts/assistant_document.html", context=context,
        title=str(heading).capitalize(), filename=f"asystent-{kind}-{case.number}-{doc.pk}",
    )  # fmt: skip


def work_card_pdf(request, pk: int):
    """Seed 002, document 5: the karta of the assistant's work with the family."""
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    case = policy.case_get_for(request.user, assignment.case_id, Action.PRINT)
    context = {
        "case": case, "assignment": assignment,
        "visits": assignment.visits.order_by("visited_on", "pk"), "plans": assignment.plans.order_by("drafted_on"),
        "reports": assignment.monthly_reports.order_by("month"),
        "assessments": assignment.assessments.order_by("assessed_on"),
        "changes": assignment.change_reports.order_by("learnt_on"),
    }  # fmt: skip
    return pdf.pdf_response(
        request, case=case, template="printouts/assistant_work_card.html", context=context,
        title=_("Karta pracy z rodziną"), filename=f"asystent-karta-{case.number}",
    )  # fmt: skip


def time_report_pdf(request, report_pk: int):
    """Seed 002, document 6: the assistant's own report of working time; the families in it are
    the assistant's (their cases go to the access log)."""
    if not policy.user_is_family_assistant(request.user):
        raise PermissionDenied(_("Ta strona jest dla asystentów rodziny."))
    report = get_object_or_404(TimeReport.objects.select_related("assistant"), pk=report_pk, assistant=request.user)
    lines = list(report.lines.select_related("assignment__case__client").order_by("assignment__case__number"))
    access.shown_many(cases=[line.assignment.case for line in lines])
    return pdf.pdf_response(
        request, case=None, template="printouts/assistant_time_report.html",
        context={"report": report, "lines": lines, "total": sum(line.hours for line in lines)},
        title=_("Sprawozdanie z czasu pracy asystenta"), filename=f"czas-pracy-{report.month:%Y-%m}",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def time_report(request):
    """The assistant's monthly working time across their families (seed 002, document 6)."""
    if not policy.user_is_family_assistant(request.user):
        raise PermissionDenied(_("Ta strona jest dla asystentów rodziny."))
    assignments = selectors.assignments_of_assistant(user=request.user).filter(ended_on__isnull=True)
    access.shown_many(cases=[a.case for a in assignments])
    form = forms.TimeReportForm(request.POST or None, assignments=assignments)
    if request.method == "POST" and form.is_valid():
        try:
            services.time_report_write(assistant=request.user, month=form.cleaned_data["month"], hours=form.hours())
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano sprawozdanie z czasu pracy."))
            return redirect("assistants:time_report")
    reports = TimeReport.objects.filter(assistant=request.user).order_by("-month")[:24]
    return render(request, "assistants/time_report.html", {"form": form, "reports": reports})


@require_http_methods(["GET", "POST"])
def authorisations(request):
    """The director authorises persons to approve assistant requests in the director's name."""
    if not policy.user_may_authorise(request.user):
        raise PermissionDenied(_("Upoważnień udziela dyrektor."))
    candidates = policy.users_authorisable_by(request.user)
    form = forms.AuthorisationForm(request.POST or None, users=candidates)
    if request.method == "POST" and "revoke" in request.POST:
        revoke = request.POST.get("revoke", "")
        if not (revoke.isascii() and revoke.isdigit() and len(revoke) < 20):  # not an id: no query (it fails)
            messages.error(request, _("Nie wskazano upoważnienia do cofnięcia."))
            return redirect("assistants:authorisations")
        granted = get_object_or_404(Authorisation, pk=revoke, institution_id=request.user.institution_id)
        services.authorisation_revoke(director=request.user, authorisation=granted)
        messages.success(request, _("Cofnięto upoważnienie."))
        return redirect("assistants:authorisations")
    if request.method == "POST" and form.is_valid():
        try:
            services.authorisation_grant(director=request.user, user=form.cleaned_data["user"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Udzielono upoważnienia."))
            return redirect("assistants:authorisations")
    current = Authorisation.objects.filter(
        institution_id=request.user.institution_id, revoked_at__isnull=True
    ).select_related("user", "granted_by")
    return render(request, "assistants/authorisations.html", {"form": form, "current": current})
