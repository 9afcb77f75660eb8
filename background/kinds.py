"""The kinds of background work, each registered once by the app that owns it (in its
``background_jobs`` module), as the register's columns and the statistics' figures are.

A kind says who may ask for it and download its file (a predicate of the access policy, asked
again at download: a role taken away in between closes the file too), how it runs – writing into
an open binary file and reporting progress (it may also set ``job.summary``, a short report the
job's page shows beside the file) – and what the access log records when its file is downloaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

Progress = Callable[[int, int | None], None]  # (done, total)


@dataclass(frozen=True)
class JobKind:
    key: str
    allowed: Callable[[Any], bool]  # (user) -> may ask and download
    # (job, out, progress) -> (file name, content type); writes the file into ``out``
    run: Callable[[Any, IO[bytes], Progress], tuple[str, str]]
    # (request, job): the access-log row of a download (the cases it holds as subjects)
    log_download: Callable[[Any, Any], None]
    # Progress is written every this many items (None: background.services.PROGRESS_EVERY rows);
    # 1 for work whose every item is slow, such as an anonymisation per case.
    progress_every: int | None = None


_REGISTRY: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    if kind.key in _REGISTRY:
        raise ValueError(f"background job kind {kind.key!r} registered twice")
    _REGISTRY[kind.key] = kind
    return kind


def get(key: str) -> JobKind | None:
    return _REGISTRY.get(key)


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("background_jobs")
