"""Views of the monitoring of environments that refuse help (seed 003): the case's monitoring
page with every step in order and the form of the next step for whoever takes it, the
worker's record of the refusal, and the director's list of monitorings waiting for a plan or a
decision. Thin: the access policy, one service, a DomainError back on the form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.procedure import Stage
from cases.selectors import case_with_details
from cases.views import form_error
from mopr import pdf, policy
from mopr.errors import DomainError
from mopr.policy import Action
from refusals import forms, selectors, services
from refusals.models import MonitoringDate, RefusalMonitoring

# A service names the list of dates; the form has them as numbered fields, the first leads.
FIELD_ALIASES = {"dates": "date_1", "next_dates": "next_date_1"}


def _case(request, pk: int, action: Action = Action.VIEW):
    return policy.case_get_for(request.user, pk, action, case_with_details(user=request.user, pk=pk))


def _monitoring(case, monitoring_pk: int) -> RefusalMonitoring:
    return get_object_or_404(RefusalMonitoring.objects.select_related("case"), pk=monitoring_pk, case=case)


def _error(form, error: DomainError) -> None:
    if error.field in FIELD_ALIASES:
        error = DomainError(error.message, field=FIELD_ALIASES[error.field])
    form_error(form, error)


def _require_director(request, case) -> None:
    if not policy.user_directs_monitoring(request.user, case):
        raise PermissionDenied(_("Plan działania i decyzję ustala dyrektor lub zastępca dyrektora."))


# --- the case's monitoring page ------------------------------------------------------------------------


def monitoring_case(request, pk: int):
    case = _case(request, pk)
    return _render_case(request, case)


def _render_case(request, case, *, bound: dict | None = None, status: int = 200):
    """The page with every monitoring of the case, newest first, each step in the seed's order;
    ``bound`` holds a refused form ((monitoring or date pk, step) → form) to show with its errors."""
    bound = bound or {}
    user = request.user
    may_write = policy.case_allows(user, case, Action.WRITE)
    directs = policy.user_directs_monitoring(user, case)
    in_monitoring = case.stage == Stage.MONITORING
    today = timezone.localdate()
    monitorings = selectors.monitorings_of_case(case=case)
    items = []
    for m in monitorings:
        step = services.next_step(m)
        item = {"m": m, "step": step, "dates": []}
        initial = {"version": m.version}
        for d in m.dates.all():
            form = None
            if may_write and in_monitoring and d.done_on is None:
                form = bound.get((d.pk, "done")) or forms.DateDoneForm(
                    prefix=f"date-{d.pk}", initial={"done_on": min(d.due_on, today)}
                )
            item["dates"].append({"d": d, "form": form})
        if in_monitoring:
            if step == "plan" and directs:
                item["plan_form"] = bound.get((m.pk, "plan")) or forms.PlanForm(initial=initial | {"plan_on": today})
            elif step == "report" and may_write:
                item["report_form"] = bound.get((m.pk, "report")) or forms.ReportForm(
                    initial=initial | {"report_on": today}
                )
            elif step == "decision" and directs:
                item["decision_form"] = bound.get((m.pk, "decision")) or forms.DecisionForm(
                    initial=initial | {"decision_on": today}
                )
        items.append(item)
    context = {
        "case": case,
        "items": items,
        "may_open": may_write and in_monitoring and all(m.decision for m in monitorings),
        "in_monitoring": in_monitoring,
        "directs": directs,
        "may_write": may_write,
        "today": today,
    }
    return render(request, "refusals/monitoring_case.html", context, status=status)


# --- 3, 5: the worker records the refusal and the note ------------------------------------------------------


@require_http_methods(["GET", "POST"])
def monitoring_new(request, pk: int):
    case = _case(request, pk, Action.WRITE)
    form = forms.OpenForm(
        request.POST or None, initial={"refused_on": timezone.localdate(), "note_written_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_open(case=case, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _error(form, error)
        else:
            messages.success(
                request, _("Zapisano odmowę pomocy i notatkę; monitoring czeka na plan działania dyrektora.")
            )
            return redirect("refusals:monitoring_case", pk=case.pk)
    return render(
        request,
        "refusals/monitoring_form.html",
        {"case": case, "form": form, "in_monitoring": case.stage == Stage.MONITORING},
        status=422 if form.is_bound and form.errors else 200,
    )


# --- the steps: each a POST from the monitoring page ----------------------------------------------------------


def _step(request, case, key, form, act, success: str):
    """Validate, call the service, back to the page; a refusal shows the page again with the form."""
    if not form.is_valid():
        messages.error(request, _("Nie zapisano. Popraw zaznaczone pola."))
        return _render_case(request, case, bound={key: form}, status=422)
    try:
        act(form.cleaned_data)
    except DomainError as error:
        _error(form, error)
        # Also at the top: the step's form may be gone from the page if someone took it meanwhile.
        messages.error(request, _("Nie zapisano: %(why)s") % {"why": error.message})
        return _render_case(request, case, bound={key: form}, status=422)
    messages.success(request, success)
    return redirect("refusals:monitoring_case", pk=case.pk)


@require_POST
def monitoring_plan(request, pk: int, monitoring_pk: int):
    case = _case(request, pk)
    _require_director(request, case)
    monitoring = _monitoring(case, monitoring_pk)
    return _step(
        request,
        case,
        (monitoring.pk, "plan"),
        forms.PlanForm(request.POST),
        lambda d: services.monitoring_plan(
            monitoring=monitoring,
            by=request.user,
            plan_on=d["plan_on"],
            dates=d["dates"],
            contact_close_family=d["contact_close_family"],
            contact_neighbours=d["contact_neighbours"],
            contact_health=d["contact_health"],
            contact_organisations=d["contact_organisations"],
            expected_version=d["version"],
        ),
        _("Zapisano plan działania; terminy monitoringu są w terminach sprawy."),
    )


@require_POST
def monitoring_date_done(request, pk: int, monitoring_pk: int, date_pk: int):
    case = _case(request, pk, Action.WRITE)
    monitoring = _monitoring(case, monitoring_pk)
    date = get_object_or_404(
        MonitoringDate.objects.select_related("monitoring__case"), pk=date_pk, monitoring=monitoring
    )
    return _step(
        request,
        case,
        (date.pk, "done"),
        forms.DateDoneForm(request.POST, prefix=f"date-{date.pk}"),
        lambda d: services.monitoring_date_done(date=date, by=request.user, done_on=d["done_on"], outcome=d["outcome"]),
        _("Zapisano monitoring środowiska."),
    )


@require_POST
def monitoring_report(request, pk: int, monitoring_pk: int):
    case = _case(request, pk, Action.WRITE)
    monitoring = _monitoring(case, monitoring_pk)
    return _step(
        request,
        case,
        (monitoring.pk, "report"),
        forms.ReportForm(request.POST),
        lambda d: services.monitoring_report(
            monitoring=monitoring,
            by=request.user,
            report=d["report"],
            report_on=d["report_on"],
            expected_version=d["version"],
        ),
        _("Zapisano sprawozdanie; monitoring czeka na wspólną decyzję z dyrektorem."),
    )


@require_POST
def monitoring_decide(request, pk: int, monitoring_pk: int):
    case = _case(request, pk)
    _require_director(request, case)
    monitoring = _monitoring(case, monitoring_pk)
    return _step(
        request,
        case,
        (monitoring.pk, "decision"),
        forms.DecisionForm(request.POST),
        lambda d: services.monitoring_decide(
            monitoring=monitoring,
            by=request.user,
            decision=d["decision"],
            decision_on=d["decision_on"],
            decision_note=d["decision_note"],
            next_dates=d["next_dates"],
            expected_version=d["version"],
        ),
        _("Zapisano decyzję."),
    )


# --- the papers of seed 003 ------------------------------------------------------------------------------------

# slug → (title, the step recorded that the paper needs)
DOCUMENTS = {
    "oswiadczenie": (_("Oświadczenie o rezygnacji z pomocy"), None),
    "ulotka": (_("Ulotka z danymi kontaktowymi ośrodka"), None),
    "notatka": (_("Notatka służbowa dla dyrektora"), None),
    "plan": (_("Plan działania"), "plan_on"),
    "sprawozdanie": (_("Sprawozdanie z rezultatów działań"), "report_on"),
    "sad": (_("Wniosek do sądu rodzinnego o wgląd w sytuację rodziny"), "decision_on"),
}


def monitoring_pdf(request, pk: int, monitoring_pk: int, doc: str):
    """A paper of seed 003, printed from the monitoring as recorded (the court's application only
    after the joint decision to make it)."""
    case = _case(request, pk, Action.PRINT)
    monitoring = get_object_or_404(
        RefusalMonitoring.objects.select_related("author", "plan_by", "decision_by"), pk=monitoring_pk, case=case
    )
    if doc not in DOCUMENTS:
        raise Http404
    title, needs = DOCUMENTS[doc]
    if needs and getattr(monitoring, needs) is None:
        raise PermissionDenied(_("Ten dokument powstaje po zapisaniu odpowiedniego kroku monitoringu."))
    if doc == "sad" and monitoring.decision != RefusalMonitoring.Decision.FAMILY_COURT:
        raise PermissionDenied(_("Wniosek do sądu rodzinnego wynika tylko z takiej wspólnej decyzji."))
    today = timezone.localdate()
    context = {
        "case": case, "m": monitoring, "doc": doc, "dates": monitoring.dates.order_by("due_on", "pk"),
        "children": [c for c in case.client.members.all() if c.is_child(today)],
        # The family court from the centre's directory of addressees, where it has one.
        "court": policy.directory_visible_to(request.user).filter(kind="family_court", active=True).first(),
    }  # fmt: skip
    return pdf.pdf_response(
        request, case=case, template="printouts/monitoring_document.html", context=context, title=title,
        filename=f"monitoring-{doc}-{case.number}-{monitoring.pk}",
    )  # fmt: skip


# --- the director's list -----------------------------------------------------------------------------------


def monitoring_queue(request):
    """Every monitoring of the institution waiting for the director's (deputy's) plan or decision."""
    if not policy.user_directs_monitorings(request.user):
        raise PermissionDenied(_("Listę monitoringu środowisk prowadzi dyrektor lub zastępca dyrektora."))
    queues = selectors.monitorings_waiting(user=request.user)
    return render(request, "refusals/monitoring_queue.html", {"queues": queues})
