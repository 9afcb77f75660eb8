"""Issue 18.5 for retention: the director's anonymisation run goes to the background queue, with its
progress on the job's page and a protocol to download; each case in its own transaction, the rule
and the requester's right re-checked per case (a case reopened since the POST is skipped and
reported), each case logged as the page's anonymisation always was."""

import csv
import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from background.models import Job
from background.services import jobs_dir
from cases import services
from cases.procedure import CloseReason, Stage
from cases.services import retention
from cases.services.retention import DONE, NOT_TRIED, REFUSED, cases_anonymise_each
from mopr.models import AccessLog, RoleAssignment
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory

URL = reverse("cases:retention_anonymise")
SURNAME = "Jabłonowska"


def ago(*, years: int) -> datetime.datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today.replace(year=today.year - years), datetime.time(12)))


def closed_case(org, p, *, closed_at, region=None):
    region = region or org.region_a1
    return CaseFactory(
        region=region, worker=p.worker_a if region.institution_id == org.inst_a.pk else None,
        accepted_at=closed_at - datetime.timedelta(days=200), reported_at=closed_at - datetime.timedelta(days=210),
        stage=Stage.ZAKONCZENIE, closed_at=closed_at, close_reason=CloseReason.CONTRACT_COMPLETED,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def due(org, p):
    """Three cases past retention, of three clients, oldest closure first; each client has a name."""
    cases = [closed_case(org, p, closed_at=ago(years=11 + n)) for n in (2, 1, 0)]
    for case in cases:
        MemberFactory(client=case.client, last_name=SURNAME)
    return cases


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def start(client, commit, cases) -> Job:
    with commit(execute=True):
        response = client.post(URL, {"cases": [c.pk for c in cases], "confirm": "1"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("background:job", args=[job.pk])
    return job


def protocol(job) -> list[list[str]]:
    text = (jobs_dir() / job.file_path).read_text("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def anonymised(case) -> bool:
    case.refresh_from_db()
    return case.anonymised_at is not None


def test_the_post_starts_a_job_which_anonymises_and_writes_the_protocol(
    client, due, p, django_capture_on_commit_callbacks, run_worker
):
    login(client, p.director_a)
    job = start(client, django_capture_on_commit_callbacks, due)
    assert job.kind == "retention_anonymise" and job.params["cases"] == [c.pk for c in due] and job.task_id
    assert "Anonimizacja spraw (3)" in job.title and due[0].number in job.title
    assert not any(anonymised(c) for c in due)  # nothing done in the request
    page = client.get(reverse("background:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in page and "czeka w kolejce" in page

    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (3, 3)
    assert all(anonymised(c) for c in due)
    rows = protocol(job)
    assert rows[0] == ["Lp.", "Numer sprawy", "Wynik", "Powód", "Data i godzina", "Zlecił(a)", "Ośrodek"]
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [(c.number, DONE, "") for c in due]
    assert all("(director_a)" in r[5] and r[6] == "MOPR Toruń" for r in rows[1:])
    assert SURNAME not in (jobs_dir() / job.file_path).read_text("utf-8")  # no personal data in it
    assert job.file_name.startswith("protokol-anonimizacji-") and job.file_name.endswith(".csv")

    # Logged as the page's anonymisation always was: a row per case, the director's, from the request's address.
    logs = AccessLog.objects.filter(action=AccessLog.Action.ANONYMISE).order_by("case_id")
    assert [(r.case_id, r.user_id, r.address) for r in logs] == [(c.pk, p.director_a.pk, "127.0.0.1") for c in due]
    assert logs[0].what == f"{due[0].number} – anonimizacja danych osobowych"

    # The page says the outcome and offers the protocol; its download is logged too.
    page = client.get(reverse("background:job", args=[job.pk])).content.decode()
    assert "Zanonimizowano spraw: 3 z 3." in page and reverse("background:job_download", args=[job.pk]) in page
    response = client.get(reverse("background:job_download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, what=job.title).count() == 1


def test_a_case_reopened_between_the_post_and_the_run_is_skipped_and_reported(
    client, due, p, django_capture_on_commit_callbacks, run_worker
):
    login(client, p.director_a)
    job = start(client, django_capture_on_commit_callbacks, due)
    reopened = due[1]
    services.case_reopen(case=reopened, by=p.worker_a, reason="Nowe zgłoszenie")  # before the worker runs

    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (3, 3)
    assert anonymised(due[0]) and anonymised(due[2]) and not anonymised(reopened)  # the rest went on
    rows = protocol(job)
    assert [r[2] for r in rows[1:]] == [DONE, REFUSED, DONE]
    assert rows[2][1] == reopened.number and "nie jest zakończona" in rows[2][3]
    reopened.client.refresh_from_db()
    assert reopened.client.anonymised_at is None and reopened.client.members.filter(last_name=SURNAME).exists()
    assert AccessLog.objects.filter(action=AccessLog.Action.ANONYMISE).count() == 2
    page = client.get(reverse("background:job", args=[job.pk])).content.decode()
    assert "Zanonimizowano spraw: 2 z 3." in page and f"{reopened.number}: nie zanonimizowano" in page


def test_the_post_checks_as_the_confirmation_did(client, due, org, p):
    """A case no longer past retention when the confirmation is sent, or none selected: no job."""
    login(client, p.director_a)
    services.case_reopen(case=due[0], by=p.worker_a, reason="Nowe zgłoszenie")
    response = client.post(URL, {"cases": [c.pk for c in due], "confirm": "1"}, follow=True)
    assert "Nie wszystkie zaznaczone sprawy" in response.content.decode()
    response = client.post(URL, {"confirm": "1"}, follow=True)
    assert "Nie zaznaczono żadnej sprawy" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("cases:retention") and not Job.objects.exists()


def test_a_user_without_the_right_cannot_start_it_nor_download_the_protocol(
    client, due, p, django_capture_on_commit_callbacks, run_worker
):
    for other in (p.head_a, p.auditor_a, p.worker_a, p.coordinator_a):
        login(client, other)
        assert client.post(URL, {"cases": [due[0].pk], "confirm": "1"}).status_code == 403
    assert not Job.objects.exists() and not anonymised(due[0])

    login(client, p.director_a)
    job = start(client, django_capture_on_commit_callbacks, due[:1])
    run_worker()
    download = reverse("background:job_download", args=[job.pk])
    for other in (p.head_a, p.auditor_a, p.worker_a):
        login(client, other)
        assert client.get(download).status_code == 404
        assert client.get(reverse("background:job", args=[job.pk])).status_code == 404
    # The director's role taken away: the protocol closes too.
    RoleAssignment.objects.filter(user=p.director_a).delete()
    response = login(client, p.director_a).get(download, follow=True)
    assert "tylko osoba, która go zleciła" in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_a_director_who_lost_the_role_before_the_run_anonymises_nothing(
    client, due, p, django_capture_on_commit_callbacks, run_worker
):
    login(client, p.director_a)
    job = start(client, django_capture_on_commit_callbacks, due)
    RoleAssignment.objects.filter(user=p.director_a).delete()
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "nie ma już prawa" in job.error and not job.file_path
    assert not any(anonymised(c) for c in due)


def test_the_role_is_read_again_before_each_case(due, p):
    """Taken away during the run: the cases after it are not tried."""

    def progress(done, total):
        if done == 1:
            RoleAssignment.objects.filter(user=p.director_a).delete()

    outcomes = cases_anonymise_each(case_ids=[c.pk for c in due], by=p.director_a, progress=progress)
    assert [o.outcome for o in outcomes] == [DONE, NOT_TRIED, NOT_TRIED]
    assert "nie jest już (aktywnym) dyrektorem" in outcomes[1].reason
    assert anonymised(due[0]) and not anonymised(due[1]) and not anonymised(due[2])


def test_an_unexpected_error_leaves_the_done_ones_done_and_the_rest_untouched(due, p, monkeypatch):
    real = retention.case_anonymise

    def broken(*, case, **kwargs):
        if case.pk == due[1].pk:
            raise RuntimeError("disk full")
        return real(case=case, **kwargs)

    monkeypatch.setattr(retention, "case_anonymise", broken)
    outcomes = cases_anonymise_each(case_ids=[c.pk for c in due], by=p.director_a)
    assert [o.outcome for o in outcomes] == [DONE, REFUSED, NOT_TRIED]
    assert "Błąd techniczny" in outcomes[1].reason and due[1].number in outcomes[2].reason
    assert anonymised(due[0]) and not anonymised(due[1]) and not anonymised(due[2])


def test_another_institutions_case_is_not_found_and_not_named(org, p, due):
    other = closed_case(org, p, closed_at=ago(years=12), region=org.region_b1)
    outcomes = cases_anonymise_each(case_ids=[other.pk, due[0].pk], by=p.director_a)
    assert [(o.number, o.outcome) for o in outcomes] == [("", REFUSED), (due[0].number, DONE)]
    assert outcomes[0].reason == "Nie znaleziono sprawy." and not anonymised(other)


REDIS = "redis://127.0.0.1:6379/14"  # not test_jobs.py's 15: the two may run at once under xdist
RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=RQ, RQ_QUEUES={"default": {"URL": REDIS}})
def test_the_same_run_on_rq_with_redis(client, due, p, django_capture_on_commit_callbacks):
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
    job = start(client, django_capture_on_commit_callbacks, due)
    worker = django_rq.get_worker("default", job_class=RQJob, worker_class=SimpleWorker)
    assert worker.work(burst=True)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and [r[2] for r in protocol(job)[1:]] == [DONE] * 3
    assert all(anonymised(c) for c in due)
    connection.flushdb()
