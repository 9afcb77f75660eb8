"""The case app's background work (background/kinds.py): the kartas of many closed cases as one ZIP;
the anonymisation of the cases past retention the director selected, with its protocol."""

from __future__ import annotations

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from background.kinds import JobKind, register
from cases.karta_archive import closed_cases, karta_zip
from cases.services.retention import DONE, cases_anonymise_each
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


# --- the retention run ------------------------------------------------------------------------------------

PROTOCOL_HEADER = ["Lp.", "Numer sprawy", "Wynik", "Powód", "Data i godzina", "Zlecił(a)", "Ośrodek"]


def _retention_run(job, out, progress):
    """Anonymise the selected cases one by one (``cases_anonymise_each``: the rule and the
    requester's right re-checked per case, each case logged as the page's anonymisation always was)
    and write the protocol of the run: a CSV row per case – its number, the outcome and why, when,
    who. No personal data: the numbers and the reasons name cases, not people."""
    ids = [int(pk) for pk in job.params["cases"]]
    progress(0, len(ids))
    outcomes = cases_anonymise_each(case_ids=ids, by=job.requested_by, address=job.params.get("address"),
                                    progress=progress)  # fmt: skip
    who = f"{job.requested_by.get_full_name() or job.requested_by.username} ({job.requested_by.username})"
    text = io.StringIO()
    text.write("\ufeff")  # the BOM: Excel reads the Polish letters as UTF-8, as the register's CSV
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(PROTOCOL_HEADER)
    for n, outcome in enumerate(outcomes, start=1):
        number = outcome.number or _("(nie znaleziono; id %(id)s)") % {"id": outcome.case_id}
        at = f"{timezone.localtime(outcome.at):%d.%m.%Y %H:%M:%S}"
        writer.writerow([n, number, outcome.outcome, outcome.reason, at, who, job.institution.short_name])
    out.write(text.getvalue().encode("utf-8"))
    done = sum(1 for outcome in outcomes if outcome.outcome == DONE)
    lines = [_("Zanonimizowano spraw: %(done)s z %(total)s.") % {"done": done, "total": len(outcomes)}]
    lines += [f"{o.number or o.case_id}: {o.outcome} – {o.reason}" for o in outcomes if o.outcome != DONE]
    job.summary = "\n".join(lines)
    return f"protokol-anonimizacji-{timezone.localtime():%Y%m%d-%H%M}-{job.pk}.csv", "text/csv; charset=utf-8"


def _retention_logged(request, job) -> None:
    # Each case's anonymisation was logged when it was done; the download of the protocol is a row of its own.
    access_log_write(user=request.user, action=AccessLog.Action.EXPORT, what=job.title, request=request)


register(JobKind("retention_anonymise", policy.user_may_anonymise, _retention_run, _retention_logged, progress_every=1))
