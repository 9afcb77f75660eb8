"""The case app's background work (background/kinds.py): the kartas of many closed cases as one ZIP."""

from __future__ import annotations

import datetime

from background.kinds import JobKind, register
from cases.karta_archive import closed_cases, karta_zip
from mopr import policy
from mopr.models import AccessLog
from mopr.services import access_log_write


def _run(job, out, progress):
    closed_before = datetime.date.fromisoformat(job.params["closed_before"])
    cases = list(closed_cases(user=job.requested_by, region_code=job.params["region"], closed_before=closed_before))
    progress(0, len(cases))
    karta_zip(user=job.requested_by, cases=cases, out=out, progress=progress)
    name = f"karty-{job.params['region']}-przed-{closed_before:%Y-%m-%d}.zip".replace("Ś", "S")
    return name, "application/zip"


def _logged(request, job) -> None:
    # Each karta was logged as a print when it was made; the download of the ZIP is a row of its own.
    access_log_write(user=request.user, action=AccessLog.Action.EXPORT, what=job.title, request=request)


register(JobKind("karta_archive", policy.user_oversees_regions, _run, _logged))
