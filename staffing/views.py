"""Views of absence cover and hand-over. Thin: the policy decides who sees and does what, the
services write and refuse with a reason the page shows at the field."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.services.transfer import cases_hand_over
from cases.views import form_error
from mopr import policy
from mopr.errors import DomainError
from staffing import selectors, services
from staffing.forms import CoverEndForm, CoverForm, HandoverForm


@require_http_methods(["GET", "POST"])
def covers(request):
    """Zastępstwa: the covers running and planned, the history, and a new cover."""
    user = request.user
    if not policy.user_sets_covers(user):
        raise PermissionDenied(policy.cover_refusal())
    absent_choices = policy.workers_coverable_by(user)
    form = CoverForm(
        request.POST or None,
        absent_choices=absent_choices,
        substitute_choices=policy.substitutes_for(None, institution_id=user.institution_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cover = services.cover_set(by=user, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Ustalono zastępstwo: %(cover)s.") % {"cover": cover})
            return redirect("staffing:covers")
    current = list(selectors.covers_current(user=user))
    context = {
        "form": form,
        "current": [(c, policy.user_may_set_cover(user, c.absent)) for c in current],
        "past": selectors.covers_past(user=user),
    }
    return render(request, "staffing/covers.html", context)


@require_POST
def cover_end(request, pk: int):
    cover = get_object_or_404(policy.covers_visible_to(request.user), pk=pk)
    form = CoverEndForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Odśwież stronę i spróbuj ponownie."))
        services.cover_end(cover=cover, by=request.user, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Zakończono zastępstwo: %(cover)s.") % {"cover": cover})
    return redirect("staffing:covers")


@require_http_methods(["GET", "POST"])
def handover(request):
    """Przekazanie spraw: the coordinator hands chosen (or all) open cases of a worker – one who
    leaves, above all – to another worker of the region, in one step."""
    user = request.user
    if not policy.user_hands_over(user):
        raise PermissionDenied(_("Sprawy przekazuje koordynator rejonu."))
    holders = selectors.handover_holders(user=user)
    worker = None
    form = None
    chosen = request.GET.get("pracownik") or request.POST.get("pracownik")
    if chosen:
        worker = next((h.worker for h in holders if str(h.worker.pk) == chosen), None)
        if worker is None:
            raise Http404
        cases = selectors.handover_cases(user=user, worker=worker)
        receivers = policy.workers_receiving_in(policy.regions_coordinated_by(user)).exclude(pk=worker.pk)
        form = HandoverForm(request.POST or None, cases=cases, receivers=receivers)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                transfers = cases_hand_over(
                    cases=list(data["cases"]), to=data["to"], by=user, reason=data["reason"], note=data["note"]
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Przekazano spraw: %(n)s – %(to)s. Każdą z nich nowy pracownik przyjmuje do realizacji.")
                    % {"n": len(transfers), "to": data["to"]},
                )
                return redirect("staffing:handover")
    context = {
        "holders": holders,
        "worker": worker,
        "form": form,
        "waiting": selectors.handovers_waiting(user=user),
    }
    return render(request, "staffing/handover.html", context)
