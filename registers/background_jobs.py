"""The register's and the statistics' work in the background (background/kinds.py): a large export
of the register, the statistics of a long period."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from background.kinds import JobKind, register
from mopr import policy
from mopr.models import AccessLog
from mopr.services import access_log_export, access_log_write
from registers import columns, exports, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query(job) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in job.params.get("query", []):
        data.setlist(key, values)
    return data


def _register_export(job, out, progress):
    from registers.views import export_name, filtered_register

    _register, qs = filtered_register(user=job.requested_by, data=_query(job), summaries=True)
    shown = columns.chosen(job.params.get("columns"))
    total = qs.count()
    progress(0, total)

    def counted(rows):
        for n, row in enumerate(rows, start=1):
            yield row
            progress(n, total)

    rows = counted(selectors.iterate_rows(qs, shown=shown))
    if job.params.get("fmt") == "xlsx":
        handle = exports.xlsx_file(rows, title=_("Rejestr"), shown=shown)
        with handle:
            while chunk := handle.read(1 << 20):
                out.write(chunk)
        return f"{export_name()}.xlsx", XLSX
    for chunk in exports.csv_lines(rows, shown):
        out.write(chunk.encode("utf-8"))
    return f"{export_name()}.csv", "text/csv; charset=utf-8"


def _register_logged(request, job) -> None:
    # The subjects: the cases the same filters select for the same person now.
    from registers.views import filtered_register

    _register, qs = filtered_register(user=job.requested_by, data=_query(job))
    access_log_export(request=request, what=job.title, cases=qs)


def _statistics_export(job, out, progress):
    from registers.views import export_body

    progress(0, 1)
    body, name, content_type = export_body(user=job.requested_by, data=_query(job), fmt=job.params["fmt"])
    out.write(body if isinstance(body, bytes) else body.encode("utf-8"))
    progress(1, 1)
    return name, content_type


def _statistics_logged(request, job) -> None:
    access_log_write(user=request.user, action=AccessLog.Action.EXPORT, what=job.title, request=request)


register(JobKind("register_export", policy.user_oversees_regions, _register_export, _register_logged))
register(JobKind("statistics_export", policy.user_oversees_regions, _statistics_export, _statistics_logged))
