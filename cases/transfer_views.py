"""Moving a case to another RPŚ of the municipality (issue 17.3): the coordinator of the case's
region proposes it from the case page; the coordinator of the other region accepts it (giving
it to a worker) or refuses it, from their queue. Thin: the policy and the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors
from cases.forms import DocumentationTransferForm, MoveAcceptForm, MoveForm, MoveRefuseForm
from cases.procedure import CloseReason
from cases.services.entries import documentation_transfer_record
from cases.services.transfer import case_move_accept, case_move_propose, case_move_refuse
from cases.views import form_error
from mopr import policy
from mopr.errors import DomainError
from mopr.models import Region
from mopr.policy import Action


def move_regions(case) -> object:
    return Region.objects.filter(institution_id=case.institution_id).exclude(pk=case.region_id).order_by("code")


@require_POST
def case_move(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.ASSIGN)
    form = MoveForm(request.POST, regions=move_regions(case))
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("Nie przeniesiono sprawy: %(errors)s") % {"errors": errors})
        return redirect("cases:detail", pk=case.pk)
    try:
        case_move_propose(
            case=case, to_region=form.cleaned_data["to_region"], by=request.user, note=form.cleaned_data["note"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Sprawa czeka na przyjęcie przez koordynatora rejonu %(region)s; "
                "do tego czasu prowadzi ją dotychczasowy pracownik."
            )
            % {"region": form.cleaned_data["to_region"]},
        )
    return redirect("cases:detail", pk=case.pk)


@require_POST
def move_decide(request, transfer_pk: int):
    """Accept (with a worker) or refuse a case moving into one of the user's regions."""
    transfer = get_object_or_404(
        policy.moves_pending_into(policy.regions_coordinated_by(request.user)).select_related("case", "to_region"),
        pk=transfer_pk,
    )
    try:
        if request.POST.get("decision") == "accept":
            form = MoveAcceptForm(request.POST, workers=policy.workers_assignable_in(transfer.to_region))
            if not form.is_valid():
                raise DomainError(_("Wybierz pracownika socjalnego, któremu przydzielasz sprawę."))
            case_move_accept(transfer=transfer, by=request.user, worker=form.cleaned_data["worker"])
            messages.success(
                request,
                _("Przyjęto sprawę %(number)s do rejonu %(region)s i przydzielono: %(worker)s.")
                % {"number": transfer.case.number, "region": transfer.to_region, "worker": form.cleaned_data["worker"]},
            )
        else:
            form = MoveRefuseForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Podaj powód odmowy przyjęcia sprawy."))
            case_move_refuse(transfer=transfer, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("Odmówiono przyjęcia sprawy %(number)s; zostaje w dotychczasowym rejonie.")
                % {"number": transfer.case.number},
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("cases:queue")


# --- moving out of the centre's area: the documentation to the new centre ------------------------------


@require_http_methods(["GET", "POST"])
def documentation_transfer_new(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    if not (case.is_closed and case.close_reason == CloseReason.MOVED_OUT):
        raise PermissionDenied(
            _("Pismo przekazujące dokumentację sporządza się po zakończeniu sprawy z przyczyny „%(reason)s”.")
            % {"reason": CloseReason.MOVED_OUT.label}
        )
    form = DocumentationTransferForm(
        request.POST or None,
        institution_id=case.institution_id,
        initial={"enclosures": selectors.documentation_enclosures(case=case)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            documentation_transfer_record(case=case, by=request.user, transfer=form.save(commit=False))
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano przekazanie dokumentacji; pismo (PDF) jest w przebiegu sprawy."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/documentation_transfer_form.html", {"case": case, "form": form})
