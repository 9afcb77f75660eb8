"""Backup and restore of one installation: the database and the uploaded scans in one archive.

The archive (``.tar.gz``) holds

- ``database/db.sqlite3`` (SQLite's online backup API) or ``database/db.pgdump`` (``pg_dump --format=custom``);
- ``media/<path>`` – every file under MEDIA_ROOT;
- ``manifest.json`` – last, because it records the size and SHA-256 of what was actually written: the format
  version, the time, the database engine, the latest applied migration per app, the rows of every concrete model's
  table and every file's path, size and SHA-256.

The row counts describe the dump itself, not the live database a moment later: SQLite's are read from the copy,
PostgreSQL's inside the snapshot that pg_dump is given. So a backup taken while the application runs can still be
checked exactly after a restore.

A restore goes only into an empty database of the same engine, by the engine's own tool, then checks every table's
rows and every file against the manifest. The commands (``manage.py backup``, ``manage.py restore``) only call
these functions; every message a user sees is in Polish.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DatabaseError
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

FORMAT = "mopr-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA_DIR = "media"
# `migrate` itself fills these in a new database; rows in them do not make it "not empty".
FILLED_BY_MIGRATE = frozenset({"django_migrations", "django_content_type", "auth_permission"})
# libpq's connection options that dj-database-url may put into OPTIONS (e.g. ?sslmode=require), and their
# environment variables for pg_dump / pg_restore.
PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; ``problems`` lists each difference found."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        shown = self.problems[:50]
        more = [f"… i jeszcze {len(self.problems) - len(shown)}"] if len(self.problems) > len(shown) else []
        return "\n".join([self.message, *(f"  - {p}" for p in [*shown, *more])])


@dataclass(frozen=True)
class MediaFile:
    path: str  # relative to MEDIA_ROOT, with forward slashes
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str  # "sqlite" | "postgresql"
    tool: str
    dump: str
    dump_size: int
    dump_sha256: str
    migrations: dict[str, str]  # app label -> latest applied migration
    tables: dict[str, str]  # model label -> table
    row_counts: dict[str, int]  # model label -> rows
    media: tuple[MediaFile, ...]
    format_version: int = FORMAT_VERSION

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())

    @property
    def media_bytes(self) -> int:
        return sum(f.size for f in self.media)

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "format_version": self.format_version,
            "created_at": self.created_at,
            "database": {
                "engine": self.engine,
                "tool": self.tool,
                "dump": self.dump,
                "size": self.dump_size,
                "sha256": self.dump_sha256,
            },
            "migrations": self.migrations,
            "models": {
                label: {"table": self.tables[label], "rows": self.row_counts[label]} for label in sorted(self.tables)
            },
            "media": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.media],
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise BackupError("To nie jest archiwum kopii zapasowej mopr (manifest.json innego formatu).")
            if data["format_version"] != FORMAT_VERSION:
                raise BackupError(
                    f"Archiwum ma format w wersji {data['format_version']}, a ta wersja programu odczytuje "
                    f"wersję {FORMAT_VERSION}."
                )
            db, models = data["database"], data["models"]
            if db["dump"] not in DUMPS.values():
                raise BackupError(f"Nieznany plik zrzutu bazy w manifeście: {db['dump']!r}.")
            media = tuple(MediaFile(str(m["path"]), int(m["size"]), str(m["sha256"])) for m in data["media"])
            for f in media:
                _safe_relative(f.path)
            return cls(
                created_at=str(data["created_at"]),
                engine=str(db["engine"]),
                tool=str(db["tool"]),
                dump=str(db["dump"]),
                dump_size=int(db["size"]),
                dump_sha256=str(db["sha256"]),
                migrations={str(k): str(v) for k, v in data["migrations"].items()},
                tables={label: str(m["table"]) for label, m in models.items()},
                row_counts={label: int(m["rows"]) for label, m in models.items()},
                media=media,
                format_version=int(data["format_version"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise BackupError(f"Plik manifest.json w archiwum jest nieczytelny ({e}).") from e


# --- public functions -----------------------------------------------------------------------------------------


def backup_default_name(*, now: datetime.datetime | None = None) -> str:
    return f"mopr-{timezone.localtime(now or timezone.now()):%Y%m%d-%H%M}.tar.gz"


def backup_create(*, target: Path, using: str = DEFAULT_DB_ALIAS, media_root: Path | None = None) -> Manifest:
    """Write the archive to ``target`` (refused if it exists); readable by its owner only (it holds personal data).

    Written under a temporary name and renamed at the end, so a half-written archive never carries the real name.
    """
    target = Path(target)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if target.exists():
        raise BackupError(f"Plik {target} już istnieje – podaj inną nazwę, kopia niczego nie nadpisuje.")
    if not target.parent.is_dir():
        raise BackupError(f"Nie ma katalogu {target.parent} – utwórz go albo wskaż inny.")
    engine = _engine(using)
    settings_dict = connections[using].settings_dict
    created_at = timezone.now().isoformat(timespec="seconds")
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(prefix="mopr-backup-") as tmp:
        dump = Path(tmp) / PurePosixPath(DUMPS[engine]).name
        if engine == "sqlite":
            tool, (migrations, tables, row_counts) = _sqlite_dump(settings_dict, dump)
        else:
            tool, (migrations, tables, row_counts) = _pg_dump(settings_dict, dump)
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as e:
            raise BackupError(f"Plik {partial} już istnieje – czy inna kopia właśnie się zapisuje?") from e
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                dump_size, dump_sha = _add_file(tar, DUMPS[engine], dump)
                media = tuple(
                    MediaFile(rel, *_add_file(tar, f"{MEDIA_DIR}/{rel}", media_root / rel))
                    for rel in _media_paths(media_root)
                )
                manifest = Manifest(
                    created_at=created_at,
                    engine=engine,
                    tool=tool,
                    dump=DUMPS[engine],
                    dump_size=dump_size,
                    dump_sha256=dump_sha,
                    migrations=migrations,
                    tables=tables,
                    row_counts=row_counts,
                    media=media,
                )
                _add_bytes(tar, MANIFEST, manifest.to_json().encode())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def backup_check(*, source: Path) -> Manifest:
    """Check the archive alone, touching no database: every member against the manifest, the dump readable and
    (SQLite) holding the rows the manifest counts."""
    with tempfile.TemporaryDirectory(prefix="mopr-check-") as tmp:
        manifest = _read_archive(Path(source), Path(tmp))
        _check_dump(manifest, Path(tmp) / PurePosixPath(manifest.dump).name)
    return manifest


def backup_restore(*, source: Path, using: str = DEFAULT_DB_ALIAS, media_root: Path | None = None) -> Manifest:
    """Restore the archive into the empty database ``using`` and into ``media_root``, then verify both.

    Refused before anything is written: a damaged archive, another engine, a database with data in it, a file in
    MEDIA_ROOT with the same name and other contents.
    """
    source = Path(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    engine = _engine(using)
    with tempfile.TemporaryDirectory(prefix="mopr-restore-") as tmp:
        manifest = _read_archive(source, Path(tmp))
        if manifest.engine != engine:
            raise BackupError(
                f"Kopia pochodzi z bazy {ENGINE_NAMES.get(manifest.engine, manifest.engine)}, a docelowa baza to "
                f"{ENGINE_NAMES[engine]}. Odtwarzanie między różnymi rodzajami baz (np. kopii z SQLite do "
                f"PostgreSQL) nie jest obsługiwane – odtwórz ją do bazy {ENGINE_NAMES.get(manifest.engine, '')}."
            )
        dump = Path(tmp) / PurePosixPath(manifest.dump).name
        _check_dump(manifest, dump)
        _require_empty(using)
        _require_no_conflicts(manifest, media_root)
        _restore_media(source, manifest, media_root)
        # Django's connection must not hold the old file or a stale view of the schema across the swap.
        connections[using].close()
        if engine == "sqlite":
            _sqlite_restore(connections[using].settings_dict, dump)
        else:
            _pg_restore(connections[using].settings_dict, dump)
        connections[using].close()
    backup_verify(manifest=manifest, using=using, media_root=media_root)
    return manifest


def backup_verify(*, manifest: Manifest, using: str = DEFAULT_DB_ALIAS, media_root: Path | None = None) -> None:
    """Compare the database ``using`` and ``media_root`` with the manifest; raise listing every difference."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[using]
    problems = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        migrations = _latest_migrations(cursor, existing)
        for label, table in sorted(manifest.tables.items()):
            expected = manifest.row_counts[label]
            if table not in existing:
                problems.append(f"{label}: brak tabeli {table} (wierszy w kopii: {expected})")
            elif (found := _count(cursor, table)) != expected:
                problems.append(f"{label} (tabela {table}): wierszy w kopii {expected}, w bazie {found}")
    for app in sorted(set(manifest.migrations) | set(migrations)):
        if manifest.migrations.get(app) != migrations.get(app):
            problems.append(
                f"migracje aplikacji {app}: w kopii {manifest.migrations.get(app, '—')}, "
                f"w bazie {migrations.get(app, '—')}"
            )
    for f in manifest.media:
        path = media_root / f.path
        if not path.is_file():
            problems.append(f"plik {f.path}: brak w {media_root}")
        elif path.stat().st_size != f.size or _sha256_of(path) != f.sha256:
            problems.append(f"plik {f.path}: treść inna niż w kopii (rozmiar lub SHA-256)")
    if problems:
        raise BackupError("Odtworzone dane nie zgadzają się z manifestem kopii:", problems)


def backup_pending_migrations(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations of this code that the database lacks (a backup made by an older version)."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def backup_summary(manifest: Manifest) -> str:
    created = timezone.localtime(datetime.datetime.fromisoformat(manifest.created_at))
    return (
        f"baza {ENGINE_NAMES.get(manifest.engine, manifest.engine)} z {created:%d.%m.%Y %H:%M}: "
        f"wiersze {manifest.total_rows} w tabelach {len(manifest.tables)}, "
        f"pliki {len(manifest.media)} ({_megabytes(manifest.media_bytes)})"
    )


# --- the database, per engine ---------------------------------------------------------------------------------


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DUMPS:
        raise BackupError(f"Kopie zapasowe obsługują bazy SQLite i PostgreSQL, a ta baza to {vendor}.")
    return vendor


def _sqlite_path(settings_dict: dict[str, Any]) -> Path:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("Baza SQLite w pamięci nie ma pliku, z którego lub do którego można zrobić kopię.")
    return Path(name)


def _sqlite_readonly(path: Path) -> sqlite3.Connection:
    # mode=ro: a wrong path is an error rather than a new, empty database.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=20)


def _sqlite_dump(settings_dict: dict[str, Any], dump: Path) -> tuple[str, tuple]:
    path = _sqlite_path(settings_dict)
    if not path.is_file():
        raise BackupError(f"Nie ma pliku bazy danych {path}.")
    # One step (pages=-1) copies the whole database under one read lock: a consistent copy while the app writes.
    with closing(_sqlite_readonly(path)) as src, closing(sqlite3.connect(dump)) as dst:
        src.backup(dst)
    with closing(_sqlite_readonly(dump)) as db:
        cursor = db.cursor()
        state = _state(cursor, _sqlite_tables(cursor))
    return f"sqlite3 backup API (SQLite {sqlite3.sqlite_version})", state


def _sqlite_tables(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in cursor.fetchall()}


def _sqlite_restore(settings_dict: dict[str, Any], dump: Path) -> None:
    path = _sqlite_path(settings_dict)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The backup API replaces the target's pages wholesale, so no table of the empty target is left over.
    with closing(_sqlite_readonly(dump)) as src, closing(sqlite3.connect(path, timeout=20)) as dst:
        src.backup(dst)


def _pg_connect_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Command-line arguments (host, port, user) and environment (password, SSL) for pg_dump / pg_restore."""
    args, env = [], {}
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    # The password goes through the environment: a command line is visible to every user of the machine.
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    env.update({var: str(options[key]) for key, var in PG_OPTIONS.items() if options.get(key)})
    return args, env


def _pg_dump(settings_dict: dict[str, Any], dump: Path) -> tuple[str, tuple]:
    args, env = _pg_connect_args(settings_dict)
    options = settings_dict.get("OPTIONS") or {}
    params = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        **{key: options[key] for key in PG_OPTIONS if options.get(key)},
    }
    tool = _run(["pg_dump", "--version"], {}).strip()
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            with conn.cursor() as cursor:
                # pg_dump reads in the snapshot of this transaction, and the counts below are taken in it too.
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                        *args,
                        "--dbname",
                        str(settings_dict["NAME"]),
                    ],
                    env,
                )
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))")
                state = _state(cursor, {row[0] for row in cursor.fetchall()})
            conn.rollback()
    except psycopg.Error as e:
        raise BackupError(f"Nie można odczytać bazy PostgreSQL {settings_dict['NAME']}: {e}") from e
    return tool, state


def _pg_restore(settings_dict: dict[str, Any], dump: Path) -> None:
    args, env = _pg_connect_args(settings_dict)
    # One transaction: a failure leaves the target as it was. --clean --if-exists also replaces the tables of a
    # database that was migrated but holds no data.
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            *args,
            "--dbname",
            str(settings_dict["NAME"]),
            str(dump),
        ],
        env,
    )


def _check_dump(manifest: Manifest, dump: Path) -> None:
    """The dump is readable by its engine and holds what the manifest says."""
    if manifest.engine == "sqlite":
        try:
            with closing(_sqlite_readonly(dump)) as db:
                cursor = db.cursor()
                cursor.execute("PRAGMA integrity_check")
                verdict = [row[0] for row in cursor.fetchall()]
                existing = _sqlite_tables(cursor)
                problems = [] if verdict == ["ok"] else [f"integrity_check: {'; '.join(verdict[:5])}"]
                for label, table in sorted(manifest.tables.items()):
                    found = _count(cursor, table) if table in existing else None
                    if found != manifest.row_counts[label]:
                        problems.append(
                            f"{label}: wierszy w manifeście {manifest.row_counts[label]}, w zrzucie {found}"
                        )
        except sqlite3.DatabaseError as e:
            problems = [f"zrzut bazy jest nieczytelny: {e}"]
    elif manifest.engine == "postgresql":
        listing = _run(["pg_restore", "--list", str(dump)], {})
        # "1234; 0 16390 TABLE DATA public cases_case postgres"
        with_data = {
            line.split(" TABLE DATA ", 1)[1].split()[1] for line in listing.splitlines() if " TABLE DATA " in line
        }
        problems = [
            f"{label}: wierszy w manifeście {manifest.row_counts[label]}, a w zrzucie brak danych tabeli {table}"
            for label, table in sorted(manifest.tables.items())
            if manifest.row_counts[label] and table not in with_data
        ]
    else:
        problems = [f"nieznany rodzaj bazy: {manifest.engine}"]
    if problems:
        raise BackupError("Zrzut bazy w archiwum nie zgadza się z manifestem:", problems)


def _require_empty(using: str) -> None:
    connection = connections[using]
    try:
        with connection.cursor() as cursor:
            existing = set(connection.introspection.table_names(cursor))
            tables = sorted({t for t in _model_tables().values() if t in existing} - FILLED_BY_MIGRATE)
            filled = [f"{t} (wierszy: {n})" for t in tables if (n := _count(cursor, t))]
    except DatabaseError as e:
        raise BackupError(
            f"Nie można połączyć się z docelową bazą danych {connection.settings_dict['NAME']}: {e}. "
            "Utwórz najpierw pustą bazę (PostgreSQL: createdb)."
        ) from e
    if filled:
        raise BackupError(
            f"Docelowa baza danych {connection.settings_dict['NAME']} nie jest pusta – odtworzenie nadpisałoby jej "
            "dane, więc niczego nie zmieniono. Odtwarzaj kopię do nowej, pustej bazy (wskaż ją w DATABASE_URL). "
            f"Tabele z danymi ({len(filled)}), np.:",
            filled[:10],
        )


def _state(cursor, existing: set[str]) -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
    """(latest migration per app, table per model label, rows per model label) of the tables that exist."""
    tables = {label: table for label, table in _model_tables().items() if table in existing}
    return _latest_migrations(cursor, existing), tables, {label: _count(cursor, t) for label, t in tables.items()}


def _model_tables() -> dict[str, str]:
    # Every concrete model: with the auto-created many-to-many tables and the histories of simple_history.
    models = apps.get_models(include_auto_created=True)
    return {m._meta.label: m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy}


def _latest_migrations(cursor, existing: set[str]) -> dict[str, str]:
    if "django_migrations" not in existing:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _count(cursor, table: str) -> int:
    quoted = '"' + table.replace('"', '""') + '"'
    cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # a table name from the models, quoted
    return int(cursor.fetchone()[0])


def _run(command: list[str], env: dict[str, str]) -> str:
    try:
        result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    except FileNotFoundError as e:
        raise BackupError(
            f"Nie znaleziono programu {command[0]} – zainstaluj klienta PostgreSQL (pakiet postgresql-client) "
            "w wersji serwera bazy lub nowszej."
        ) from e
    if result.returncode:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(f"{command[0]} zakończył się błędem (kod {result.returncode}):", lines)
    return result.stdout


# --- the archive ----------------------------------------------------------------------------------------------


class _Hashing:
    """A file object that hashes what tarfile reads from it, so every file is read once."""

    def __init__(self, file):
        self.file, self.sha256, self.size = file, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.file.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    # No owner names or ids: the archive is restored on another machine by other users.
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    return info


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> tuple[int, str]:
    stat = path.stat()
    with path.open("rb") as file:
        reader = _Hashing(file)
        tar.addfile(_tarinfo(name, stat.st_size, stat.st_mtime), reader)
    return reader.size, reader.sha256.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_tarinfo(name, len(data), timezone.now().timestamp()), io.BytesIO(data))


def _media_paths(media_root: Path) -> list[str]:
    if not media_root.is_dir():
        return []
    paths = []
    for folder, dirs, files in os.walk(media_root):
        dirs.sort()
        paths += [(Path(folder) / f).relative_to(media_root).as_posix() for f in sorted(files)]
    return [p for p in paths if (media_root / p).is_file()]


def _safe_relative(path: str) -> PurePosixPath:
    """A path inside MEDIA_ROOT: never absolute, never climbing out with '..'."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or "\\" in path:
        raise BackupError(f"Niedozwolona ścieżka pliku w archiwum: {path!r}.")
    return pure


def _open_archive(source: Path) -> tarfile.TarFile:
    if not source.is_file():
        raise BackupError(f"Nie ma pliku {source}.")
    # Streamed ("r|gz"): one pass, no index of members held, however many scans the archive has.
    return tarfile.open(source, mode="r|gz")


_READ_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error)


def _read_archive(source: Path, dump_dir: Path) -> Manifest:
    """Read every member once: hash it, write the dump into ``dump_dir``, and compare all with the manifest."""
    found: dict[str, tuple[int, str]] = {}
    problems: list[str] = []
    manifest_text = None
    try:
        with _open_archive(source) as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    problems.append(f"{member.name}: nie jest zwykłym plikiem")
                    continue
                if member.name in found or (member.name == MANIFEST and manifest_text is not None):
                    # A second copy under one name could slip a file past the check; the archive is refused.
                    problems.append(f"{member.name}: występuje w archiwum więcej niż raz")
                    continue
                file = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_text = file.read().decode("utf-8")
                elif member.name in DUMPS.values():
                    with (dump_dir / PurePosixPath(member.name).name).open("wb") as out:
                        found[member.name] = _copy_hashing(file, out)
                else:
                    found[member.name] = _copy_hashing(file, None)
    except _READ_ERRORS as e:
        raise BackupError(f"Nie można odczytać archiwum {source}: plik jest uszkodzony lub niekompletny ({e}).") from e
    if manifest_text is None:
        raise BackupError(
            f"W archiwum {source} nie ma pliku manifest.json – to nie jest kopia mopr albo jest niepełna."
        )
    manifest = Manifest.from_json(manifest_text)
    expected = {manifest.dump: (manifest.dump_size, manifest.dump_sha256)}
    expected |= {f"{MEDIA_DIR}/{f.path}": (f.size, f.sha256) for f in manifest.media}
    for name, (size, sha) in sorted(expected.items()):
        if name not in found:
            problems.append(f"{name}: brak w archiwum")
        elif found[name][0] != size:
            problems.append(f"{name}: rozmiar {found[name][0]} B, w manifeście {size} B")
        elif found[name][1] != sha:
            problems.append(f"{name}: suma SHA-256 inna niż w manifeście (plik zmieniony)")
    problems += [f"{name}: plik spoza manifestu" for name in sorted(set(found) - set(expected))]
    if problems:
        raise BackupError(f"Archiwum {source} nie zgadza się ze swoim manifestem:", problems)
    return manifest


def _copy_hashing(file, out) -> tuple[int, str]:
    sha, size = hashlib.sha256(), 0
    while chunk := file.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return size, sha.hexdigest()


def _sha256_of(path: Path) -> str:
    with path.open("rb") as file:
        return _copy_hashing(file, None)[1]


def _require_no_conflicts(manifest: Manifest, media_root: Path) -> None:
    clashes = [
        f.path
        for f in manifest.media
        if (media_root / f.path).exists()
        and (not (media_root / f.path).is_file() or _sha256_of(media_root / f.path) != f.sha256)
    ]
    if clashes:
        raise BackupError(
            f"W katalogu plików {media_root} są już inne pliki o tych samych nazwach – niczego nie zmieniono. "
            "Odtwarzaj do pustego katalogu (MEDIA_ROOT):",
            clashes,
        )


def _restore_media(source: Path, manifest: Manifest, media_root: Path) -> None:
    """Write the archive's files into ``media_root``, each under a temporary name until its SHA-256 matched."""
    wanted = {f"{MEDIA_DIR}/{f.path}": f for f in manifest.media}
    root = media_root.resolve()
    try:
        with _open_archive(source) as tar:
            for member in tar:
                entry = wanted.get(member.name)
                if entry is None or not member.isfile():
                    continue
                target = root.joinpath(*_safe_relative(entry.path).parts)
                if target.is_file():
                    continue  # the same file is already there (checked by _require_no_conflicts)
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(target.name + ".restoring")
                with partial.open("wb") as out:
                    size, sha = _copy_hashing(tar.extractfile(member), out)
                if (size, sha) != (entry.size, entry.sha256):
                    partial.unlink()
                    raise BackupError(f"Plik {entry.path} zmienił się w archiwum podczas odtwarzania.")
                os.utime(partial, (member.mtime, member.mtime))
                os.replace(partial, target)
    except _READ_ERRORS as e:
        raise BackupError(f"Nie można odczytać archiwum {source} ({e}).") from e


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} kB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
