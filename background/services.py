"""Background work: start it (after the request's transaction commits), run it (in the worker),
hand out its file (through the policy, logged), and remove expired files."""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from background import kinds
from background.models import Job
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import User

log = logging.getLogger(__name__)

# Progress is written at most this often (rows), not per row.
PROGRESS_EVERY = 500


def jobs_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs"


def job_start(*, by: User, kind: str, title: str, params: dict) -> Job:
    """Queue ``kind`` for ``by``; the worker picks it up once this transaction has committed."""
    spec = kinds.get(kind)
    if spec is None or not policy.user_may_start_job(by, spec):
        raise NotAllowed(_("Ta rola nie zleca takiej pracy."))
    job = Job.objects.create(institution_id=by.institution_id, requested_by=by, kind=kind, title=title[:300],
                             params=params)  # fmt: skip
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from background.tasks import job_run

    result = job_run.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def job_execute(*, job_id: int) -> Job:
    """Run one job (the worker's task): write its file under a temporary name, then move it in place,
    so that a half-written file is never offered."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != Job.Status.QUEUED:
            return job  # run twice (a retried task): the first run's result stands
        job.status, job.started_at = Job.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    spec = kinds.get(job.kind)
    every = (spec.progress_every if spec else None) or PROGRESS_EVERY
    last = [0]

    def progress(done: int, total: int | None) -> None:
        if done - last[0] >= every or done == total:
            last[0] = done
            Job.objects.filter(pk=job.pk).update(done=done, total=total)

    target = jobs_dir()
    target.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target, prefix=f"job-{job.pk}-", suffix=".part")
    try:
        if spec is None or not policy.user_may_start_job(job.requested_by, spec):
            raise NotAllowed(_("Zlecający nie ma już prawa do tej pracy."))
        with os.fdopen(handle, "wb") as out:
            name, content_type = spec.run(job, out, progress)
        final = target / f"job-{job.pk}"
        os.replace(temporary, final)
    except Exception as error:
        Path(temporary).unlink(missing_ok=True)
        log.exception("background job %s failed", job.pk)
        message = error.message if isinstance(error, DomainError) else _("Nie udało się przygotować pliku.")
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=message, finished_at=timezone.now())
        job.refresh_from_db()
        return job
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, file_path=final.name, file_name=name, content_type=content_type,
        size=final.stat().st_size, summary=job.summary[:2000], finished_at=now,
        expires_at=now + datetime.timedelta(hours=settings.JOB_FILE_HOURS),
    )  # fmt: skip
    job.refresh_from_db()
    return job


def job_file(*, job: Job, by: User) -> Path:
    """The ready file of ``job`` for ``by``: the requester, who may still do this kind of work."""
    spec = kinds.get(job.kind)
    if spec is None or not policy.user_may_download_job(by, job, spec):
        raise NotAllowed(_("Ten plik może pobrać tylko osoba, która go zleciła."))
    if job.status == Job.Status.EXPIRED or (job.expires_at and job.expires_at <= timezone.now()):
        raise DomainError(
            _("Plik usunięto po %(hours)s godzinach – zleć go ponownie.") % {"hours": settings.JOB_FILE_HOURS}
        )
    if job.status != Job.Status.DONE:
        raise DomainError(_("Plik nie jest jeszcze gotowy."))
    return jobs_dir() / job.file_path


def jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Remove the files whose time is up (cron: ``manage.py jobs_expire``); the rows stay, as "usunięty"."""
    now = now or timezone.now()
    expired = list(Job.objects.filter(status=Job.Status.DONE, expires_at__lte=now))
    for job in expired:
        (jobs_dir() / job.file_path).unlink(missing_ok=True)
    Job.objects.filter(pk__in=[j.pk for j in expired]).update(status=Job.Status.EXPIRED, file_path="")
    return len(expired)
