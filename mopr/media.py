"""The files under MEDIA_ROOT against the rows that name them (issue 16.10).

A scan is written before its row; a process killed between the two leaves a whole file that no
row names, which retention never deletes and every backup carries. A file lost from the disk
leaves a row whose download fails. ``manage.py media_check`` lists both and may delete the first.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class MediaReport:
    files_without_row: list[str]  # relative to MEDIA_ROOT, with forward slashes
    rows_without_file: list[tuple[str, int, str]]  # (model label, pk, file name)


def _file_fields() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        if model._meta.model_name.startswith("historical"):  # history rows copy the live rows' names
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                found.append((model, field.name))
    return found


def media_check(*, media_root: str | os.PathLike | None = None) -> MediaReport:
    root = Path(media_root or settings.MEDIA_ROOT)
    named: set[str] = set()
    missing: list[tuple[str, int, str]] = []
    for model, field in _file_fields():
        rows = model._base_manager.exclude(**{field: ""}).values_list("pk", field)
        for pk, name in rows.iterator():
            named.add(name)
            if not (root / name).is_file():
                missing.append((model._meta.label, pk, name))
    on_disk = []
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in named:
                on_disk.append(relative)
    return MediaReport(files_without_row=on_disk, rows_without_file=missing)


def media_delete_orphans(
    *, report: MediaReport, older_than: datetime.timedelta, media_root: str | os.PathLike | None = None
) -> list[str]:
    """Delete the files no row names, written longer ago than ``older_than`` (a younger one may
    be an upload whose row is being saved right now)."""
    root = Path(media_root or settings.MEDIA_ROOT)
    cutoff = (timezone.now() - older_than).timestamp()
    deleted = []
    for relative in report.files_without_row:
        path = root / relative
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            deleted.append(relative)
    return deleted
