"""Backup and restore (mopr/backup.py, ``manage.py backup`` / ``restore``).

The main test backs up the demo centre with its scans, restores the archive by ``manage.py restore`` in a process
of its own into a new, empty database of the same engine (a file on SQLite; a database created for the test on
PostgreSQL), and then compares every row of every table and every file with the original. The tests run with
committed transactions (``transaction=True``) so that the SQLite backup API and pg_dump see the data.
"""

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from psycopg import sql

from cases import services
from cases.models import Case, CaseDocument
from mopr.backup import (
    BackupError,
    backup_check,
    backup_create,
    backup_restore,
    backup_verify,
)
from mopr.models import Role, User
from mopr.tests.factories import CaseFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n" + bytes(reversed(range(256))) * 16


# --- helpers ----------------------------------------------------------------------------------------------------


def is_sqlite(settings_dict: dict) -> bool:
    return settings_dict["ENGINE"].endswith("sqlite3")


def pg_params(settings_dict: dict, dbname: str | None = None) -> dict:
    params = {
        "dbname": dbname or settings_dict["NAME"],
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
    }
    return {k: v for k, v in params.items() if v}


def database_url(settings_dict: dict) -> str:
    if is_sqlite(settings_dict):
        return f"sqlite:///{settings_dict['NAME']}"
    auth = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        auth += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{settings_dict['PORT'] or 5432}/{quote(settings_dict['NAME'], safe='')}"


def manage(*args, database: dict, media: Path) -> subprocess.CompletedProcess:
    """``manage.py`` in a process of its own, as an administrator would run it (the exit code is real)."""
    env = {**os.environ, "DATABASE_URL": database_url(database), "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def every_row(settings_dict: dict) -> dict[str, list[str]]:
    """Every row of every table as text, sorted: two databases with equal results hold the same records."""
    if is_sqlite(settings_dict):
        with closing(sqlite3.connect(settings_dict["NAME"])) as db:
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {t: sorted(repr(row) for row in db.execute(f'SELECT * FROM "{t}"')) for t in tables}
    with psycopg.connect(**pg_params(settings_dict)) as db:
        tables = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: sorted(row[0] for row in db.execute(f'SELECT x::text FROM "{t}" AS x')) for t in tables}


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def scan(case: Case, by: User, name: str, content: bytes) -> CaseDocument:
    return services.document_upload(
        case=case,
        by=by,
        document=CaseDocument(kind=CaseDocument.Kind.OTHER, description=name, document_date=timezone.localdate()),
        upload=SimpleUploadedFile(name, content),
    )


def rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes | None], add: dict | None = None) -> Path:
    """A copy of the archive with members changed (``change`` returns new bytes, or None to drop the member)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
        for name, data in (add or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


# --- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def empty_database(tmp_path) -> Iterator[dict]:
    """The connection settings of a new, empty database of the tests' engine (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"mopr_restore_test_{os.getpid()}"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(**pg_params(connection.settings_dict, "postgres"), autocommit=True) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield {**connection.settings_dict, "NAME": name}
        finally:
            admin.execute(drop)


@pytest.fixture
def small_backup(media, tmp_path) -> tuple[Path, CaseDocument]:
    """An archive of one case with one scan."""
    region = RegionFactory()
    worker = UserFactory(institution=region.institution, roles=[(Role.SOCIAL_WORKER, region)])
    document = scan(CaseFactory(region=region, worker=worker, accepted_at=timezone.now()), worker, "skan.pdf", PDF)
    archive = tmp_path / "mala.tar.gz"
    backup_create(target=archive)
    return archive, document


# --- the round trip ---------------------------------------------------------------------------------------------


def test_demo_with_scans_restores_into_an_empty_database_with_every_record_and_file(media, empty_database, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    # Open cases: a closed one takes no new documents (issue 16.6).
    first, second = Case.objects.filter(accepted_at__isnull=False, closed_at__isnull=True).order_by("pk")[:2]
    scans = [
        scan(first, first.worker, "zgoda rodziców.pdf", PDF),
        scan(second, second.worker, "zdjęcie mieszkania.png", PNG),
    ]

    archive = tmp_path / "kopia.tar.gz"
    manifest = backup_create(target=archive)
    assert manifest.engine == connection.vendor
    assert manifest.row_counts["cases.Case"] == Case.objects.count() > 50
    assert manifest.row_counts["cases.CaseDocument"] == CaseDocument.objects.count() >= 2
    assert manifest.migrations["cases"].startswith("0")
    assert {f.path for f in manifest.media} >= {d.file.name for d in scans}
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    rows, files = every_row(connection.settings_dict), files_under(media)

    restored_media = tmp_path / "restored-media"
    result = manage("restore", archive, database=empty_database, media=restored_media)
    assert result.returncode == 0, result.stderr
    assert "Odtworzono kopię" in result.stdout
    assert "migrate" not in result.stdout  # the restored database is at the code's migrations

    restored = every_row(empty_database)
    assert sorted(restored) == sorted(rows)
    assert [table for table in rows if restored[table] != rows[table]] == []
    assert sum(map(len, rows.values())) > 4000  # the demo, not an empty database compared with another
    assert files_under(restored_media) == files
    assert {d.file.name for d in scans} <= set(files)


# --- refusals ---------------------------------------------------------------------------------------------------


def test_restore_refuses_a_database_with_data_and_changes_nothing(small_backup, tmp_path):
    archive, _document = small_backup
    before = every_row(connection.settings_dict)

    with pytest.raises(BackupError, match="nie jest pusta") as refused:
        backup_restore(source=archive, media_root=tmp_path / "other-media")
    assert "cases_case (wierszy: 1)" in str(refused.value)

    result = manage("restore", archive, database=connection.settings_dict, media=tmp_path / "other-media")
    assert result.returncode == 1
    assert "nie jest pusta" in result.stderr
    assert every_row(connection.settings_dict) == before
    assert not (tmp_path / "other-media").exists()


def test_restore_refuses_a_backup_of_another_engine(small_backup, tmp_path):
    archive, _document = small_backup
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def engine(name, data):
        text = data.decode()
        return text.replace(f'"engine": "{connection.vendor}"', f'"engine": "{other}"').encode()

    changed = rewrite(archive, tmp_path / "inna-baza.tar.gz", lambda n, d: engine(n, d) if n == "manifest.json" else d)
    with pytest.raises(BackupError, match=r"między różnymi rodzajami baz .* nie jest obsługiwane"):
        backup_restore(source=changed, media_root=tmp_path / "other-media")


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("changed", "suma SHA-256 inna niż w manifeście"),
        ("removed", "brak w archiwum"),
        ("added", "plik spoza manifestu"),
        ("duplicated", "występuje w archiwum więcej niż raz"),
        ("truncated", "uszkodzony lub niekompletny"),
    ],
)
def test_a_tampered_archive_fails_the_check(small_backup, tmp_path, tamper, expected):
    archive, document = small_backup
    name = f"media/{document.file.name}"
    out = tmp_path / "zmienione.tar.gz"
    if tamper == "changed":  # one byte, same size
        rewrite(archive, out, lambda n, d: d[:-1] + bytes([d[-1] ^ 1]) if n == name else d)
    elif tamper == "removed":
        rewrite(archive, out, lambda n, d: None if n == name else d)
    elif tamper == "added":
        rewrite(archive, out, lambda n, d: d, add={"media/cases/0/podrzucony.pdf": PDF})
    elif tamper == "duplicated":  # a second member of the same name, which a careless reader would take
        rewrite(archive, out, lambda n, d: d, add={name: PDF[::-1]})
    else:
        out.write_bytes(archive.read_bytes()[:-200])

    assert backup_check(source=archive).media[0].path == document.file.name
    with pytest.raises(BackupError, match=expected):
        backup_check(source=out)


def test_verify_lists_every_row_and_file_that_differs(small_backup, media):
    archive, document = small_backup
    manifest = backup_check(source=archive)
    backup_verify(manifest=manifest)  # the database it was taken from matches

    (media / document.file.name).write_bytes(PDF + b"x")
    CaseDocument.objects.filter(pk=document.pk).delete()
    with pytest.raises(BackupError) as differs:
        backup_verify(manifest=manifest)
    assert "cases.CaseDocument (tabela cases_casedocument): wierszy w kopii 1, w bazie 0" in str(differs.value)
    assert f"plik {document.file.name}: treść inna" in str(differs.value)


# --- the commands' exit codes -----------------------------------------------------------------------------------


def test_commands_exit_codes(small_backup, media, tmp_path):
    _archive, document = small_backup
    db = connection.settings_dict
    folder = tmp_path / "kopie"
    folder.mkdir()

    made = manage("backup", "--output", folder, database=db, media=media)
    assert made.returncode == 0, made.stderr
    [written] = folder.glob("mopr-*.tar.gz")
    assert len(written.name) == len("mopr-20260101-1200.tar.gz")
    assert "Zapisano kopię zapasową" in made.stdout

    again = manage("backup", "--output", written, database=db, media=media)
    assert (again.returncode, "już istnieje" in again.stderr) == (1, True)
    nowhere = manage("backup", "--output", tmp_path / "brak" / "x.tar.gz", database=db, media=media)
    assert (nowhere.returncode, "Nie ma katalogu" in nowhere.stderr) == (1, True)

    checked = manage("restore", "--check", written, database=db, media=media)
    assert (checked.returncode, "jest kompletne i zgodne z manifestem" in checked.stdout) == (0, True)
    name = f"media/{document.file.name}"
    changed = rewrite(written, tmp_path / "zmienione.tar.gz", lambda n, d: d[::-1] if n == name else d)
    refused = manage("restore", "--check", changed, database=db, media=media)
    assert refused.returncode == 1
    assert f"{name}: suma SHA-256 inna niż w manifeście" in refused.stderr
