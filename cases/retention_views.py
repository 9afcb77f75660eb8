"""The director's retention pages (issue 8, item 9): the closed cases past the retention period,
and their anonymisation after a confirmation, run in the background (issue 18.5) with a protocol.
Thin: the policy, one selector, one job started, a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from background.services import job_start
from cases.selectors_retention import retention_due, retention_rows
from mopr import policy
from mopr.errors import DomainError
from mopr.services import client_address


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
    """Without ``confirm``: the confirmation page of the selected cases. With it: the same checks
    again, then the run goes to the background queue and the director to its page (progress, then
    the protocol to download)."""
    _director_only(request)
    ids = _selected_ids(request)
    if "confirm" not in request.POST:
        selected = list(retention_due(user=request.user).filter(pk__in=ids))
        if _refused(request, ids, selected):
            return redirect("cases:retention")
        return render(request, "cases/retention_confirm.html", {"rows": retention_rows(cases=selected)})
    if policy.cases_visible_to(request.user).filter(pk__in=ids).count() != len(set(ids)):
        messages.error(request, _("Nie znaleziono niektórych zaznaczonych spraw."))
        return redirect("cases:retention")
    selected = list(retention_due(user=request.user).filter(pk__in=ids))
    if _refused(request, ids, selected):
        return redirect("cases:retention")
    # Always the queue, even for one case: one path, every run re-checked per case and filed as a protocol.
    numbers = ", ".join(case.number for case in selected)
    title = _("Anonimizacja spraw (%(count)s): %(numbers)s") % {"count": len(selected), "numbers": numbers}
    params = {"cases": [case.pk for case in selected], "address": client_address(request)}
    try:
        job = job_start(by=request.user, kind="retention_anonymise", title=title, params=params)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cases:retention")
    return redirect("background:job", pk=job.pk)


def _refused(request, ids: list[int], selected: list) -> bool:
    """Whether the selection cannot go on (a message says why): nothing selected, or a case that is
    no longer past retention, or held back by another case of its client."""
    held = [row.case.number for row in retention_rows(cases=selected) if row.blocked_by]
    if not ids:
        messages.error(request, _("Nie zaznaczono żadnej sprawy."))
    elif len(selected) != len(set(ids)) or held:
        messages.error(request, _("Nie wszystkie zaznaczone sprawy można teraz zanonimizować. Odśwież listę."))
    else:
        return False
    return True
