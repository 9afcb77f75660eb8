"""The case file to hand over (issue 19.5): the page that says what the ZIP will hold, and the ZIP.

Made while the user waits, like a karta: a case of about 80 entries (60 notes, 8 printouts, a
scan: 14 files) took 2–5 s on the development machine (two shared cores), one whose 80 entries are
all letters (40 summonses, 40 notifications: 88 files) 17 s – about 0.2 s a printout, far inside
gunicorn's 120 s (README, Produkcja). A background job would pay only past some 400 printouts,
which no case has. The file is written to a temporary file first (scans may be large), so a
failed render answers with a page, never half a ZIP."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import selectors
from cases.case_file import case_file_name, case_file_plan, case_file_write
from mopr import pdf, policy
from mopr.errors import DomainError
from mopr.policy import Action


@require_http_methods(["GET", "POST"])
def case_file(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.VIEW, selectors.case_with_details(user=request.user, pk=pk))
    if not policy.user_may_export_case_file(request.user, case):
        raise PermissionDenied(policy.case_file_refusal(request.user, case))
    if request.method == "POST":
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            case_file_write(user=request.user, case=case, out=out, request=request)
        except (pdf.RenderTimeout, pdf.RenderFailed) as error:  # RenderBusy too: 429
            out.close()
            return pdf.print_failed(request, error, title=_("Teczka sprawy (ZIP)"), case=case)
        except DomainError as error:  # the right taken away since the page was shown
            out.close()
            messages.error(request, error.message)
            return redirect("cases:detail", pk=case.pk)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=case_file_name(case), content_type="application/zip")
    plan = case_file_plan(user=request.user, case=case)
    return render(request, "cases/case_file.html", {"case": case, "plan": plan})
