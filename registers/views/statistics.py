"""Statistics for any period (issue 18.1): the page with its chart, and CSV, XLSX and PDF of the
same table."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from background.services import job_start
from mopr import pdf, policy
from mopr.models import AccessLog
from mopr.services import access_log_write
from registers import exports, statistics
from registers.forms import StatisticsForm

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
