"""The views of the RPŚ register and its exports (seed 000 VI.3), the statistics of any period
(issue 18.1) and the dashboards of a coordinator's regions and the director's centre (SVG charts
drawn on the server, each with its numbers in an accessible table)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from background.services import job_start
from cases import deadlines
from cases.services.deadline_summaries import deadline_summaries_refresh
from mopr import access, pdf, policy
from mopr.models import AccessLog
from mopr.paging import page_of
from mopr.services import access_log_export, access_log_write
from registers import columns, exports, selectors, statistics
from registers.forms import ColumnsForm, RegisterFilter, StatisticsForm
from timesheets import selectors as time_selectors

# --- the register and its exports ------------------------------------------------------------------------


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


# --- statistics ------------------------------------------------------------------------------------------


TITLE = "Statystyka pracy socjalnej"


def _may_see(user) -> None:
    if not policy.user_oversees_regions(user):
        raise PermissionDenied(_("Statystykę oglądają koordynatorzy RPŚ (swoich rejonów) i kierownictwo ośrodka."))


def _table(user, data):
    """The form and, when it is valid, the table; a first visit counts this year to date."""
    today = timezone.localdate()
    data = data if "od" in data else {"od": datetime.date(today.year, 1, 1), "do": today}
    form = StatisticsForm(data, user=user)
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    scope = statistics.cases_in_scope(
        user=user,
        region_id=d["region"].pk if d["region"] else None,
        worker_id=d["worker"].pk if d["worker"] else None,
        target_group=d["target_group"],
        problem_area=d["problem_area"],
    )
    period = statistics.Period(d["od"], d["do"])
    return form, statistics.statistics_table(user=user, period=period, scope=scope, by=d["by"])


def _scope_text(form) -> str:
    d = form.cleaned_data
    parts = [f"okres {d['od']:%d.%m.%Y} – {d['do']:%d.%m.%Y}"]
    for name in ("region", "worker", "target_group", "problem_area", "by"):
        value = d.get(name)
        if value:
            field = form.fields[name]
            shown = str(value) if hasattr(value, "pk") else str(dict(field.choices).get(value, value))
            parts.append(f"{field.label.lower()}: {shown}")
    return "; ".join(parts)


def statistics_page(request):
    _may_see(request.user)
    form, table = _table(request.user, request.GET)
    charts = []
    if table is not None:
        for section, rows in table.sections:
            bars = [(r.figure.title, r.values[0]) for r in rows if isinstance(r.values[0], int)]
            if bars:
                charts.append((section, _bars(bars)))
    # The downloads count what the page shows, also on a first visit (the form's default period).
    query = QueryDict(mutable=True)
    for name, value in form.data.items():
        query[name] = value.isoformat() if hasattr(value, "isoformat") else value
    context = {"form": form, "table": table, "charts": dict(charts), "query_string": query.urlencode()}
    return render(request, "registers/statistics.html", context)


def _bars(bars: list[tuple[str, int]]) -> dict:
    """A horizontal bar per figure, drawn on the server (as the dashboards' charts)."""
    top = max((n for _t, n in bars), default=0) or 1
    width = 400
    return {
        "height": 28 * len(bars),
        "bars": [
            {"label": title, "n": n, "y": 28 * i, "width": round(width * n / top)} for i, (title, n) in enumerate(bars)
        ],
    }


def statistics_export(request, fmt: str):
    if fmt not in ("csv", "xlsx", "pdf"):
        raise Http404
    _may_see(request.user)
    form = StatisticsForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "registers/statistics.html", {"form": form, "table": None, "charts": {}}, status=400)
    d = form.cleaned_data
    described = _scope_text(form)
    if (d["do"] - d["od"]).days > settings.STATISTICS_IMMEDIATE_MAX_DAYS:
        # A long period at a large centre takes a while: the worker counts it (issue 18.5).
        params = {"query": list(request.GET.lists()), "fmt": fmt}
        title = _("Statystyka %(fmt)s: %(what)s") % {"fmt": fmt.upper(), "what": described}
        job = job_start(by=request.user, kind="statistics_export", title=title, params=params)
        return redirect("background:job", pk=job.pk)
    try:
        body, name, content_type = export_body(user=request.user, data=request.GET, fmt=fmt)
    except (pdf.RenderFailed, pdf.RenderTimeout) as error:
        return pdf.print_failed(request, error, title=TITLE)
    # Counts only, no person: logged as an export without subjects.
    access_log_write(user=request.user, action=AccessLog.Action.EXPORT, what=f"Statystyka {fmt.upper()}: {described}",
                     request=request)  # fmt: skip
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export_body(*, user, data, fmt: str) -> tuple[bytes | str, str, str]:
    """The statistics table as a file: (content, file name, content type)."""
    form, table = _table(user, data)
    if table is None:
        raise ValueError("invalid statistics form")
    header = [_("Część"), _("Wskaźnik"), *table.columns, _("Definicja")]
    # Counts stay numbers (a spreadsheet sums them); a median is its text with n.
    rows = [[section, r.figure.title, *(v if isinstance(v, int) else str(v) for v in r.values), r.figure.definition]
            for section, rs in table.sections for r in rs]  # fmt: skip
    name = f"statystyka-{table.period.start:%Y%m%d}-{table.period.end:%Y%m%d}.{fmt}"
    if fmt == "pdf":
        meta = pdf.PrintMeta(title=TITLE, institution=user.institution, printed_by=user.get_full_name())
        body = pdf.render_pdf(
            "printouts/statistics.html", {"table": table, "scope": _scope_text(form)}, meta, user=user
        )
        return body, name, "application/pdf"
    if fmt == "csv":
        return exports.csv_table(header, rows), name, "text/csv; charset=utf-8"
    with exports.xlsx_table(header, rows, title=TITLE) as handle:
        return handle.read(), name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- dashboards ------------------------------------------------------------------------------------------


def dashboard(request):
    user = request.user
    directs = policy.user_reads_institution(user)
    if not policy.user_oversees_regions(user):
        raise PermissionDenied(_("Pulpit jest dla koordynatorów RPŚ i kierownictwa ośrodka."))
    regions = list(selectors.regions_of_dashboard(user))
    deadline_summaries_refresh(cases=selectors.open_cases(user=user, regions=regions))  # the overdue counts read them
    tallies = selectors.case_tallies(user=user, regions=regions)
    by_region = selectors.stages_by_region(tallies=tallies, regions=regions)
    context = {
        "directs": directs,
        "regions": regions,
        "stages": by_region,
        "stage_chart": selectors.chart(by_region),
        "stage_list": list(selectors.STAGE_COLOURS),
        "overdue": selectors.overdue_by_worker_rows(tallies=tallies),
        "waiting": selectors.waiting_for_assignment(tallies=tallies, regions=regions),
        "team": sorted(
            (d for ds in deadlines.region_deadlines(regions).values() for d in ds), key=lambda d: (d.due, d.label)
        ),
    }
    if directs:
        month = timezone.localdate().replace(day=1)
        context |= {
            "pending": selectors.pending_approvals(user=user),
            # An institution's reader's tallies are every case of the centre: its open cases per worker.
            "caseload": time_selectors.caseload(team=user.institution, held=selectors.open_by_worker(tallies=tallies)),
            "time": time_selectors.month_summary_for_team(team=user.institution, month=month),
            "month": month,
        }
    return render(request, "registers/dashboard.html", context)
