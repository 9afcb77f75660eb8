"""The director's retention pages (issue 8, item 9): the closed cases past the retention period,
and their anonymisation after a confirmation. Thin: the policy, one selector, one service, a
message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors_retention import retention_due, retention_rows
from cases.services.retention import cases_anonymise
from mopr import policy
from mopr.errors import DomainError


def _director_only(request) -> None:
    if not policy.user_may_anonymise(request.user):
        raise PermissionDenied(_("Sprawy po okresie przechowywania przegląda i anonimizuje tylko dyrektor ośrodka."))


def _selected_ids(request) -> list[int]:
    ids = []
    for value in request.POST.getlist("cases"):
        try:
            number = int(value)
        except ValueError:
            continue
        if -(2**63) <= number < 2**63:  # beyond: no such case (and SQLite cannot compare it)
            ids.append(number)
    return ids


def retention_list(request):
    """Closed cases past the retention period, oldest closure first; the ones a client's other
    case holds back are listed without a checkbox, with the reason."""
    _director_only(request)
    rows = retention_rows(cases=retention_due(user=request.user))
    return render(
        request,
        "cases/retention_list.html",
        {
            "rows": rows,
            "retention_years": request.user.institution.retention_years,
            "anonymisable": sum(1 for row in rows if not row.blocked_by),
        },
    )


@require_POST
def retention_anonymise(request):
    """Without ``confirm``: the confirmation page of the selected cases. With it: anonymise them
    (all or none) and go back to the list with a message."""
    _director_only(request)
    ids = _selected_ids(request)
    if "confirm" not in request.POST:
        selected = list(retention_due(user=request.user).filter(pk__in=ids))
        held = [row.case.number for row in retention_rows(cases=selected) if row.blocked_by]
        if not ids:
            messages.error(request, _("Nie zaznaczono żadnej sprawy."))
        elif len(selected) != len(set(ids)) or held:
            messages.error(request, _("Nie wszystkie zaznaczone sprawy można teraz zanonimizować. Odśwież listę."))
        else:
            return render(request, "cases/retention_confirm.html", {"rows": retention_rows(cases=selected)})
        return redirect("cases:retention")
    cases = list(policy.cases_visible_to(request.user).filter(pk__in=ids))
    try:
        if len(cases) != len(set(ids)):
            raise DomainError(_("Nie znaleziono niektórych zaznaczonych spraw."))
        done = cases_anonymise(cases=cases, by=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Zanonimizowano sprawy (%(count)s): %(numbers)s.")
            % {"count": len(done), "numbers": ", ".join(c.number for c in done)},
        )
    return redirect("cases:retention")
