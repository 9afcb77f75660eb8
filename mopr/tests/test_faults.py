"""Issue 16.10: a fault ends in a clear Polish message and leaves nothing behind. Each test
injects its fault: a full disk, a process killed between the file and the row, a database that
is busy or dropped the connection, a night the clocks change."""

import datetime
import errno
import io
import os
import time

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, close_old_connections, connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from cases import selectors
from cases.forms import VisitForm
from cases.models import Case, CaseDocument
from cases.procedure import Stage
from cases.tests.test_entry_views import upload
from mopr.media import media_check
from mopr.tests.factories import PASSWORD, CaseFactory, force_login_verified


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # the storage follows the setting (Django's setting_changed)
    return tmp_path


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)


@pytest.fixture
def worker(client, p):
    assert client.login(username="worker_a", password=PASSWORD)
    return client


def files_in(root) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# --- the disk ---------------------------------------------------------------------------------------


def test_an_upload_onto_a_full_disk_says_so_and_leaves_no_file(worker, case, media, monkeypatch):
    real_save = FileSystemStorage._save

    def half_then_full(self, name, content):
        # Write what fits, then the disk is full: as the kernel answers a write past the end.
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as half:
            half.write(b"%PDF-1.7 half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", half_then_full)
    response = upload(worker, case, "wyrok.pdf", b"%PDF-1.7 the whole ruling")
    body = response.content.decode()
    assert response.status_code == 200 and "brak miejsca" in body
    assert not CaseDocument.objects.exists() and files_in(media) == []
    monkeypatch.setattr(FileSystemStorage, "_save", real_save)
    assert upload(worker, case, "wyrok.pdf", b"%PDF-1.7 the whole ruling").status_code == 302


def test_a_row_refused_after_the_file_was_written_deletes_the_file(worker, case, media, monkeypatch):
    from cases.services import entries

    def refuse(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(entries, "_entry_save", refuse)
    with pytest.raises(OperationalError):
        upload(worker, case, "skan.pdf", b"%PDF-1.7 skan")
    assert files_in(media) == [] and not CaseDocument.objects.exists()


def test_media_check_lists_files_without_a_row_and_rows_without_a_file(worker, case, media):
    upload(worker, case, "a.pdf", b"%PDF-1.7 a")
    upload(worker, case, "b.pdf", b"%PDF-1.7 b")
    kept, lost = CaseDocument.objects.order_by("pk")
    os.remove(media / lost.file.name)
    orphan = media / f"cases/{case.pk}/killed-mid-upload.pdf"
    orphan.write_bytes(b"%PDF-1.7 a worker was killed before the row")
    report = media_check()
    assert report.files_without_row == [f"cases/{case.pk}/killed-mid-upload.pdf"]
    assert report.rows_without_file == [("cases.CaseDocument", lost.pk, lost.file.name)]
    with pytest.raises(CommandError):
        call_command("media_check", "--delete-orphans", stdout=io.StringIO())
    assert orphan.exists()  # younger than a day: maybe an upload under way
    old = time.time() - 2 * 86400
    os.utime(orphan, (old, old))
    with pytest.raises(CommandError):  # the row without a file is still reported
        call_command("media_check", "--delete-orphans", stdout=io.StringIO())
    assert not orphan.exists() and (media / kept.file.name).exists()


# --- the database -------------------------------------------------------------------------------------


def broken_client(user) -> HttpClient:
    http = HttpClient(raise_request_exception=False)
    force_login_verified(http, user)
    return http


@pytest.mark.parametrize("admins", [[], [("Admin", "it@mopr.example")]])
def test_the_error_page_says_the_administrator_was_told_only_when_someone_is(case, p, settings, monkeypatch, admins):
    settings.ADMINS = admins

    def broken(**kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(selectors, "case_with_details", broken)
    response = broken_client(p.worker_a).get(reverse("cases:detail", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 500
    assert ("Administrator został powiadomiony" in body) is bool(admins)
    assert "Zgłoś go administratorowi" in body or admins


def test_a_busy_database_answers_try_again_not_500(case, p, monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(selectors, "case_with_details", locked)
    response = broken_client(p.worker_a).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "Spróbuj ponownie" in response.content.decode()


def test_sqlite_runs_in_wal_mode_and_postgresql_without_jit(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        else:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_before_the_next_request(org, p):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL drops connections; SQLite has none to drop")
    import psycopg

    http = HttpClient()
    force_login_verified(http, p.worker_a)
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 600  # a persistent connection, as in production
    try:
        assert http.get(reverse("home")).status_code == 200
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        # What the server does when a request starts (the test client leaves it out).
        close_old_connections()
        assert http.get(reverse("home")).status_code == 200
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.close()


# --- the clock -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        ("2026-03-29T02:30", datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)),  # skipped: 03:30 CEST
        ("2026-10-25T02:30", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC)),  # twice: the first
        ("2026-10-25T12:00", datetime.datetime(2026, 10, 25, 11, 0, tzinfo=datetime.UTC)),
    ],
)
def test_a_visit_on_the_night_the_clocks_change_can_be_recorded(case, typed, utc):
    form = VisitForm(data={"visited_at": typed, "place": "home", "outcome": "met"}, case=case)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["visited_at"].astimezone(datetime.UTC) == utc


# --- the PDF helper ------------------------------------------------------------------------------------


def frozen_helper(after_ready: str) -> list[str]:
    """A helper that says "ready" and then does ``after_ready`` (Python statements) for ever."""
    import sys

    script = (
        "import pickle, sys, time\n"
        "def frame(obj):\n"
        "    data = pickle.dumps(obj)\n"
        "    return len(data).to_bytes(8, 'big') + data\n"
        "out = sys.stdout.buffer\n"
        "out.write(frame(('ready', None))); out.flush()\n" + after_ready
    )
    return [sys.executable, "-c", script]


@pytest.mark.parametrize(
    "after_ready",
    [
        "time.sleep(600)\n",  # reads nothing: a big page fills the pipe and the write would block
        "sys.stdin.buffer.read(1 << 16); out.write(frame(('ok', b'x' * 100))[:20]); out.flush(); time.sleep(600)\n",
    ],
    ids=["stops-reading", "stops-half-way"],
)
def test_a_frozen_pdf_helper_ends_at_the_deadline_and_is_replaced(after_ready):
    from mopr.pdf_worker import Renderer, RenderTimeout

    renderer = Renderer(command=frozen_helper(after_ready))
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        renderer.render("<p>" + "x" * (2 << 20) + "</p>", static_dir=".", variant="pdf/a-3b", timeout=2)
    assert time.monotonic() - started < 10
    assert renderer._process is None  # killed; the next render starts a fresh helper


def test_a_render_queued_behind_a_frozen_one_waits_only_its_own_limit():
    from mopr.pdf_worker import Renderer, RenderTimeout

    renderer = Renderer(command=frozen_helper("time.sleep(600)\n"))
    renderer._lock.acquire()  # a render under way that does not end
    try:
        started = time.monotonic()
        with pytest.raises(RenderTimeout):
            renderer.render("<p>x</p>", static_dir=".", variant="pdf/a-3b", timeout=1)
        assert time.monotonic() - started < 5
    finally:
        renderer._lock.release()


@pytest.mark.django_db(transaction=True)
def test_a_write_lock_held_too_long_gives_try_again_and_readers_are_not_blocked(org, p):
    """SQLite: another process holds the write lock (a backup, a long import). Reading goes on
    (WAL); the page's own write (its access-log row) waits its timeout, then the page says
    "try again" (503) instead of an error."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's single writer lock")
    import sqlite3

    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    http = HttpClient(raise_request_exception=False)
    force_login_verified(http, p.worker_a)
    connection.close()
    options = connection.settings_dict["OPTIONS"]
    old_timeout, options["timeout"] = options["timeout"], 1
    holder = sqlite3.connect(connection.settings_dict["NAME"], timeout=1)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held
        assert Case.objects.filter(pk=case.pk).exists()  # a reader is not blocked (WAL)
        response = http.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 503 and "Spróbuj ponownie" in response.content.decode()
    finally:
        holder.rollback()
        holder.close()
        options["timeout"] = old_timeout
        connection.close()
    assert http.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_fault_that_is_not_a_busy_database_is_not_called_one(case, p, monkeypatch):
    from django.db import connection as db

    if db.vendor != "sqlite":
        pytest.skip("SQLite's own wording of a missing table")

    def missing(**kwargs):
        raise OperationalError("no such table: cases_case")

    monkeypatch.setattr(selectors, "case_with_details", missing)
    response = broken_client(p.worker_a).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 500 and "zajęta" not in response.content.decode()
