"""The RPŚ register and its exports (seed 000 VI.3)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from background.services import job_start
from cases.services.deadline_summaries import deadline_summaries_refresh
from mopr import access, pdf
from mopr.paging import page_of
from mopr.services import access_log_export
from registers import columns, exports, selectors
from registers.forms import ColumnsForm, RegisterFilter


def _filtered(request, *, summaries: bool = False):
    if not selectors.user_may_see_register(request.user):
        raise PermissionDenied(_("Rejestr prowadzą koordynatorzy RPŚ; wgląd mają dyrektor, kierownik i kontroler."))
    return filtered_register(user=request.user, data=request.GET, summaries=summaries)


def filtered_register(*, user, data, summaries: bool = False):
    """The register as filtered and sorted. With ``summaries`` (an export's overdue column) or the
    "overdue" filter, the deadline summaries of its cases are brought up to date first."""
    register = RegisterFilter(data or None, queryset=selectors.register_cases(user=user), user=user)
    qs = register.qs if register.is_bound and register.is_valid() else register.queryset
    if summaries or register.overdue_only:
        deadline_summaries_refresh(cases=qs)
    if register.overdue_only:
        qs = selectors.filter_overdue(qs, want=register.overdue_only == "tak")
    return register, qs.order_by(*register.ordering)


COLUMNS_KEY = "register_columns"


def _shown(request) -> tuple[list[columns.Column], ColumnsForm]:
    """The columns the user chose: from the form when sent (and remembered for the session), else
    the session's, else the defaults."""
    form = ColumnsForm(request.GET if "kolumny" in request.GET else None)
    if form.is_bound and form.is_valid():
        request.session[COLUMNS_KEY] = form.cleaned_data["kolumny"]
    keys = request.session.get(COLUMNS_KEY)
    shown = columns.chosen(keys)
    if not form.is_bound:
        form = ColumnsForm(initial={"kolumny": [c.key for c in shown]})
    return shown, form


def register_page(request):
    register, qs = _filtered(request)
    shown, columns_form = _shown(request)
    params = request.GET.copy()
    params.pop("strona", None)
    page = page_of(request, qs)
    selectors.with_overdue(page.object_list)  # the page's own marks: the engine, live
    columns.prepare(shown, page.object_list)
    access.shown_many(cases=page.object_list)
    return render(
        request,
        "registers/register.html",
        {
            "filter": register,
            "columns_form": columns_form,
            "page": page,
            "rows": [(case, [(column, column.cell(case)) for column in shown]) for case in page.object_list],
            "query_string": params.urlencode(),
            "columns": shown,
            "pdf_max": exports.PDF_MAX_ROWS,
        },
    )


def register_export(request, fmt: str):
    if fmt not in ("csv", "xlsx", "pdf"):
        raise Http404
    register, qs = _filtered(request, summaries=True)
    shown, _form = _shown(request)
    described = register.describe() or _("bez filtrów")
    if fmt != "pdf" and qs.count() > settings.EXPORT_IMMEDIATE_MAX_ROWS:
        # Too long to wait for: the worker writes it, the page shows the progress (issue 18.5).
        params = {"query": list(request.GET.lists()), "fmt": fmt, "columns": [c.key for c in shown]}
        title = _("Rejestr %(fmt)s: %(what)s") % {"fmt": fmt.upper(), "what": described}
        job = job_start(by=request.user, kind="register_export", title=title, params=params)
        return redirect("background:job", pk=job.pk)
    rows = selectors.iterate_rows(qs, shown=shown)
    name = export_name()
    if fmt == "pdf":
        return _register_pdf(request, qs=qs, rows=rows, name=name, described=described, shown=shown)
    access_log_export(request=request, what=f"Rejestr {fmt.upper()}: {described}", cases=qs)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(rows, shown), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        handle = exports.xlsx_file(rows, title=_("Rejestr"), shown=shown)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def export_name() -> str:
    return f"rejestr-{timezone.localtime():%Y-%m-%d-%H%M}"


def _register_pdf(request, *, qs, rows, name: str, described: str, shown):
    """The register as a PDF: the export is logged only once the PDF exists (a refused or failed
    one exported nothing), and a refusal says which limit it met (issue 16.10)."""
    count = qs.count()
    if count > exports.PDF_MAX_ROWS:
        context = {"count": count, "max": exports.PDF_MAX_ROWS, "reason": "rows"}
        return render(request, "registers/export_too_big.html", context, status=413)
    meta = pdf.PrintMeta(
        title=_("Rejestr osób i rodzin objętych pracą socjalną"),
        institution=request.user.institution,
        printed_by=request.user.get_full_name(),
    )
    try:
        body = pdf.render_pdf(
            "printouts/register.html",
            {"rows": [exports.raw_row(c, shown) for c in rows], "header": exports.header(shown), "filters": described},
            meta,
            user=request.user,
        )
    except pdf.RenderBusy as error:
        return pdf.print_failed(request, error, title=meta.title)
    except (pdf.RenderTimeout, pdf.RenderFailed) as error:
        reason = "time" if isinstance(error, pdf.RenderTimeout) else "failed"
        context = {"count": count, "max": exports.PDF_MAX_ROWS, "reason": reason}
        return render(request, "registers/export_too_big.html", context, status=503)
    access_log_export(request=request, what=f"Rejestr PDF: {described}", cases=qs)
    from django.http import HttpResponse

    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
