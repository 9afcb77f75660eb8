"""The import's runs in the background (background/kinds.py): the dry run and the import, each
writing its protocol – a CSV row per family of the file."""

from __future__ import annotations

from django.utils import timezone

from background.kinds import JobKind, register
from imports.models import ImportFile
from imports.services import import_run, outcomes_summary, protocol_write
from mopr import policy
from mopr.models import AccessLog
from mopr.services import access_log_write


def _run(job, out, progress):
    import_file = ImportFile.objects.get(pk=job.params["file"], institution_id=job.institution_id)
    dry_run = bool(job.params["dry_run"])
    outcomes = import_run(by=job.requested_by, import_file=import_file, dry_run=dry_run, progress=progress)
    protocol_write(outcomes=outcomes, out=out)
    job.summary = outcomes_summary(outcomes, dry_run=dry_run)
    kind = "proba-importu" if dry_run else "protokol-importu"
    return f"{kind}-{timezone.localtime():%Y%m%d-%H%M}-{job.pk}.csv", "text/csv; charset=utf-8"


def _logged(request, job) -> None:
    access_log_write(user=request.user, action=AccessLog.Action.EXPORT, what=job.title, request=request)


register(JobKind("cases_import", policy.user_may_import_cases, _run, _logged, progress_every=25))
