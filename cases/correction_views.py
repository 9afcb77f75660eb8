"""Correcting and withdrawing an entry (issue 16.1): the entry's own form with its values, and the
reason; the service decides (cases/services/corrections.py) and the page offers what it allows."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.corrections import correctable, label_of
from cases.forms import CorrectionForm, WithdrawForm, reveal_confirmation
from cases.services import corrections as services
from cases.services.dates import DateNeedsConfirmation
from cases.views import form_error
from mopr import policy
from mopr.errors import DomainError
from mopr.policy import Action


def _entry_for(request, pk: int, kind: str, entry_pk: int):
    spec = correctable(kind)
    if spec is None:
        raise Http404
    case = policy.case_get_for(request.user, pk, Action.VIEW)
    entry = get_object_or_404(spec.model.objects, pk=entry_pk, case=case)
    if not policy.entry_allows_correction(request.user, case, entry):
        raise PermissionDenied(policy.correction_refusal(request.user, case))
    return spec, case, entry


@require_http_methods(["GET", "POST"])
def entry_correct(request, pk: int, kind: str, entry_pk: int):
    spec, case, entry = _entry_for(request, pk, kind, entry_pk)
    label = label_of(entry)
    # The form works on a copy: its validation writes the new values onto the instance it edits.
    copy = type(entry).objects.get(pk=entry.pk)
    form = spec.form(request.POST or None, instance=copy, case=case)
    for name in (*spec.exclude, "version"):
        form.fields.pop(name, None)
    reason_form = CorrectionForm(request.POST or None, prefix="sprostowanie")
    if request.method == "POST" and all([form.is_valid(), reason_form.is_valid()]):
        values = {name: form.cleaned_data[name] for name in spec.fields(form)}
        try:
            correction = services.entry_correct(
                entry=entry,
                by=request.user,
                reason=reason_form.cleaned_data["reason"],
                values=values,
                date_confirmed=form.cleaned_data.get("date_confirmed", False),
            )
        except DateNeedsConfirmation as error:
            reveal_confirmation(form, error)
        except DomainError as error:
            form_error(reason_form if error.field == "reason" else form, error)
        else:
            messages.success(request, _("Zapisano sprostowanie: %(entry)s.") % {"entry": correction.entry_label})
            return redirect("cases:detail", pk=case.pk)
    context = {"case": case, "entry": entry, "label": label, "form": form, "reason_form": reason_form}
    return render(request, "cases/correction_form.html", context)


@require_http_methods(["GET", "POST"])
def entry_withdraw(request, pk: int, kind: str, entry_pk: int):
    spec, case, entry = _entry_for(request, pk, kind, entry_pk)
    if not spec.withdrawable:
        raise Http404
    label = label_of(entry)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_withdraw(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Wycofano wpis: %(entry)s. Jego treść pozostaje w historii sprawy.") % {"entry": label}
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/withdraw_form.html", {"case": case, "entry": entry, "label": label, "form": form})
