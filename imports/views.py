"""The import of clients and open cases (issue 19.4): the template to download, the upload that
starts a dry run, the file's page with every family's outcome, and the import itself. Thin: the
policy, one service per action, a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from imports import selectors, services, table
from imports.forms import ImportUploadForm
from mopr import policy
from mopr.errors import DomainError


def _allowed(request) -> None:
    if not policy.user_may_import_cases(request.user):
        raise PermissionDenied(_("Sprawy z poprzedniego systemu importuje dyrektor lub administrator systemu."))


@require_http_methods(["GET", "POST"])
def import_list(request):
    _allowed(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                stored = services.import_file_store(by=request.user, name=upload.name, content=upload.read())
                services.import_start(by=request.user, import_file=stored, dry_run=True)
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("Wgrano plik; trwa próba importu – niczego jeszcze nie zapisano."))
                return redirect("imports:file", pk=stored.pk)
        status = 422
    files = Paginator(selectors.import_files_for(user=request.user), 20).get_page(request.GET.get("strona"))
    return render(request, "imports/import_list.html", {"form": form, "files": files, "columns": table.COLUMNS},
                  status=status)  # fmt: skip


def import_file(request, pk: int):
    _allowed(request)
    stored = get_object_or_404(selectors.import_files_for(user=request.user), pk=pk)
    job = stored.import_job or stored.dry_job
    if request.headers.get("HX-Request") and job is not None:
        response = render(request, "imports/_run.html", {"file": stored, "job": job})
        if job.finished:
            response["HX-Refresh"] = "true"  # the whole page: the outcomes and the next step
        return response
    outcomes = selectors.import_outcomes(import_file=stored)
    errors_only = request.GET.get("bledy") == "1"
    shown = [o for o in outcomes if o.status == services.ERROR] if errors_only else outcomes
    page = Paginator(shown, 100).get_page(request.GET.get("strona"))
    context = {"file": stored, "job": job, "page": page, "errors_only": errors_only, "count": len(outcomes),
               "errors": sum(1 for o in outcomes if o.status == services.ERROR)}  # fmt: skip
    return render(request, "imports/import_file.html", context)


@require_POST
def import_confirm(request, pk: int):
    _allowed(request)
    stored = get_object_or_404(selectors.import_files_for(user=request.user), pk=pk)
    dry_run = request.POST.get("action") == "dry_run"
    try:
        services.import_start(by=request.user, import_file=stored, dry_run=dry_run)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Próba importu rozpoczęta.") if dry_run else _("Import rozpoczęty."))
    return redirect("imports:file", pk=stored.pk)


def import_template(request, fmt: str):
    _allowed(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    data = table.template_dataset()
    if fmt == "csv":
        body = ("\ufeff" + data.export("csv", delimiter=";")).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    else:
        body, content_type = data.export("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="wzor-importu-spraw.{fmt}"'
    return response
