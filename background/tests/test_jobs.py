"""Issue 18.5: a large export goes to the queue and the page shows its progress; the file is the
requester's only, logged when downloaded, removed after its time – on the database backend (the
embedded default) and on RQ with Redis (production)."""

import csv
import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from background.models import Job
from background.services import jobs_dir, jobs_expire
from mopr.models import AccessLog, RoleAssignment
from mopr.tests.factories import PASSWORD, CaseFactory

EXPORT = reverse("registers:register_export", args=["csv"])


@pytest.fixture
def cases(org, p):
    return [CaseFactory(region=org.region_a1, worker=p.worker_a) for _n in range(4)]


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def start(client, commit, url=EXPORT, query=None):
    with commit(execute=True):
        response = client.get(url, query or {})
    assert response.status_code == 302, response.status_code
    job = Job.objects.get()
    assert response["Location"] == reverse("background:job", args=[job.pk])
    return job


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def rows_of(job) -> list[list[str]]:
    text = (jobs_dir() / job.file_path).read_text("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@override_settings(EXPORT_IMMEDIATE_MAX_ROWS=2)
def test_a_large_export_runs_on_the_database_queue(client, cases, p, commit, run_worker):
    login(client, p.director_a)
    job = start(client, commit)
    assert job.status == Job.Status.QUEUED and job.task_id
    # The page polls while the work waits or runs …
    poll = client.get(reverse("background:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in poll and "czeka w kolejce" in poll
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (4, 4)
    assert len(rows_of(job)) == 5 and rows_of(job)[0][0] == "Numer sprawy"
    # … and stops once it is done, offering the file.
    poll = client.get(reverse("background:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in poll and reverse("background:job_download", args=[job.pk]) in poll
    # Downloaded: logged with the cases it holds.
    assert not AccessLog.objects.filter(action="export").exists()  # not before the download
    response = client.get(reverse("background:job_download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    log = AccessLog.objects.get(action="export")
    assert log.subjects.count() == 4


@override_settings(EXPORT_IMMEDIATE_MAX_ROWS=2)
def test_only_the_requester_downloads_and_only_while_they_may(client, cases, p, commit, run_worker):
    login(client, p.director_a)
    job = start(client, commit)
    run_worker()
    for other in (p.head_a, p.auditor_a, p.worker_a):
        login(client, other)
        assert client.get(reverse("background:job_download", args=[job.pk])).status_code == 404
        assert client.get(reverse("background:job", args=[job.pk])).status_code == 404
    # The director's role taken away: the file closes too.
    RoleAssignment.objects.filter(user=p.director_a).delete()
    p.director_a.__dict__.pop("_mopr_roles", None)
    login(client, p.director_a)
    response = client.get(reverse("background:job_download", args=[job.pk]), follow=True)
    assert "tylko osoba, która go zleciła" in response.content.decode()


@override_settings(EXPORT_IMMEDIATE_MAX_ROWS=2, JOB_FILE_HOURS=1)
def test_the_file_is_removed_after_its_time(client, cases, p, commit, run_worker):
    login(client, p.director_a)
    job = start(client, commit)
    run_worker()
    job.refresh_from_db()
    path = jobs_dir() / job.file_path
    assert path.exists()
    assert jobs_expire(now=timezone.now()) == 0
    assert jobs_expire(now=timezone.now() + datetime.timedelta(hours=1, seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.EXPIRED and not path.exists()
    response = client.get(reverse("background:job_download", args=[job.pk]), follow=True)
    assert "zleć go ponownie" in response.content.decode()


def test_a_small_export_stays_immediate(client, cases, p):
    login(client, p.director_a)
    response = client.get(EXPORT)
    assert response.status_code == 200 and not Job.objects.exists()


@override_settings(STATISTICS_IMMEDIATE_MAX_DAYS=30)
def test_the_statistics_of_a_long_period_go_to_the_queue(client, cases, p, commit, run_worker):
    login(client, p.director_a)
    url = reverse("registers:statistics_export", args=["csv"])
    job = start(client, commit, url, {"od": "2026-01-01", "do": "2026-06-30"})
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.file_name == "statystyka-20260101-20260630.csv"
    assert rows_of(job)[1][:2] == ["Praca socjalna", "Rodziny objęte pracą socjalną w okresie"]


@override_settings(EXPORT_IMMEDIATE_MAX_ROWS=2)
def test_a_failure_ends_the_job_with_a_message_and_no_file(client, cases, p, commit, run_worker, monkeypatch):
    from registers import exports

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
        yield  # pragma: no cover

    monkeypatch.setattr(exports, "csv_lines", broken)
    login(client, p.director_a)
    job = start(client, commit)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == "Nie udało się przygotować pliku." and not job.file_path
    assert not list(jobs_dir().glob(f"job-{job.pk}*"))


REDIS = "redis://127.0.0.1:6379/15"
RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@override_settings(EXPORT_IMMEDIATE_MAX_ROWS=2, TASKS=RQ, RQ_QUEUES={"default": {"URL": REDIS}})
def test_the_same_export_runs_on_rq_with_redis(client, cases, p, commit):
    import django_rq
    from django_tasks_rq.backend import Job as RQJob
    from rq import SimpleWorker

    connection = django_rq.get_connection("default")
    try:
        connection.ping()
    except Exception:
        pytest.fail("Redis is expected at 127.0.0.1:6379 (see README: production with RQ)")
    connection.flushdb()
    login(client, p.director_a)
    job = start(client, commit)
    worker = django_rq.get_worker("default", job_class=RQJob, worker_class=SimpleWorker)
    assert worker.work(burst=True)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and len(rows_of(job)) == 5
    connection.flushdb()


def test_the_kartas_of_closed_cases_as_one_zip(client, org, p, commit, run_worker):
    import zipfile

    from cases.procedure import Stage

    closed = [
        CaseFactory(region=org.region_a1, worker=p.worker_a, stage=Stage.ZAKONCZENIE, closed_at=timezone.now()
                    - datetime.timedelta(days=40 + n), close_reason="other") for n in range(2)
    ]  # fmt: skip
    CaseFactory(region=org.region_a1, worker=p.worker_a, stage=Stage.ZAKONCZENIE, closed_at=timezone.now(),
                close_reason="other")  # closed after the day: not in it  # fmt: skip
    login(client, p.director_a)
    url = reverse("cases:karta_archive")
    day = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    page = client.get(url, {"region": org.region_a1.pk, "closed_before": day}).content.decode()
    assert "Do archiwum trafi 2 kart" in page
    with commit(execute=True):
        response = client.post(url, {"region": org.region_a1.pk, "closed_before": day})
    job = Job.objects.get()
    assert response["Location"] == reverse("background:job", args=[job.pk])
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.file_name.endswith(".zip") and (job.done, job.total) == (2, 2)
    with zipfile.ZipFile(jobs_dir() / job.file_path) as archive:
        names = sorted(archive.namelist())
        assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
        assert archive.read(names[0]).startswith(b"%PDF")
    # Each karta was logged as a print when made; the download as an export.
    assert AccessLog.objects.filter(action="print", case__in=closed).count() == 2
    client.get(reverse("background:job_download", args=[job.pk]))
    assert AccessLog.objects.filter(action="export", what__startswith="Archiwum kart").count() == 1
    # A social worker has no archive to make.
    login(client, p.worker_a)
    assert client.get(url).status_code == 403
