"""Merging two client records of one person (issue 16.3), from the case of the record kept."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.forms import ClientMergeForm
from cases.services.merge import client_merge
from cases.views import form_error
from mopr import policy
from mopr.errors import DomainError
from mopr.policy import Action


@require_http_methods(["GET", "POST"])
def client_merge_view(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.VIEW)
    if not policy.user_may_merge_clients(request.user, case.client):
        raise PermissionDenied(policy.merge_refusal())
    form = ClientMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = policy.cases_visible_to(request.user).filter(number=form.cleaned_data["other_case"]).first()
        if other is None:
            form.add_error("other_case", _("Nie znaleziono takiej sprawy (albo nie masz do niej dostępu)."))
        else:
            try:
                merge = client_merge(case=case, other_case=other, by=request.user, reason=form.cleaned_data["reason"])
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Połączono rekordy klienta. %(summary)s") % {"summary": merge.summary})
                return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/client_merge.html", {"case": case, "form": form})
