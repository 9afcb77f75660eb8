"""Shared fixtures: the personas every test speaks of (after healthchecks' BaseTestCase).

- ``org``: institution A with regions A1 and A2, institution B with region B1;
- ``p``: the people – a worker of region A1 (``worker_a``), a second worker of A1
  (``worker_a_2``), a worker of region A2 (``worker_a2``), the coordinator of A1, the head of
  department, the director, the auditor, a family assistant, the first-contact desk, a
  benefits worker of A, and ``outsider``: a worker of institution B.
"""

import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from mopr.models import Institution, Region, Role, User
from mopr.tests.factories import InstitutionFactory, RegionFactory, UserFactory

# Browser fixtures and helpers (browser, page, check_a11y, screenshot, login): see mopr/tests/browser.py.
pytest_plugins = ["mopr.tests.browser"]


def pytest_configure(config):
    """The pages name their static files by content hash (issue 20.4), which needs collectstatic's manifest
    even in tests (DEBUG is false). Collected here when it is missing or older than a static source, so a
    plain ``pytest`` works from a fresh clone: 3–9 s then (brotli and gzip of every file), ~0.1 s otherwise.
    Once per run: in the controller of an xdist run, before the workers start."""
    if hasattr(config, "workerinput"):
        return
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    # Two runs in one checkout (two people, two sessions) collect one after the other, not over each other.
    lock = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = root / "staticfiles.json"
        made = manifest.stat().st_mtime if manifest.exists() else 0
        sources = (storage.path(path) for finder in finders.get_finders() for path, storage in finder.list([]))
        if any(Path(source).stat().st_mtime > made for source in sources):
            started = time.monotonic()
            call_command("collectstatic", "--noinput", verbosity=0)
            print(f"conftest: collectstatic into {root} in {time.monotonic() - started:.1f} s")
    finally:
        os.close(lock)  # and with it the lock


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but its static files come through the application's WhiteNoise, from
    STATIC_ROOT with the hashed names and the cache headers of production. (pytest-django's own handler
    looks every /static/ path up in the finders, which know no hashed names: every stylesheet a 404.)"""
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _the_application
    server.start()
    yield server
    server.stop()


def _the_application(handler):
    return handler


@dataclass
class Org:
    inst_a: Institution
    region_a1: Region
    region_a2: Region
    inst_b: Institution
    region_b1: Region


@dataclass
class People:
    worker_a: User
    worker_a_2: User
    worker_a2: User
    coordinator_a: User
    head_a: User
    director_a: User
    auditor_a: User
    assistant_a: User
    first_contact_a: User
    benefits_a: User
    outsider: User
    coordinator_b: User


@pytest.fixture
def org(db) -> Org:
    inst_a = InstitutionFactory(
        name="Miejski Ośrodek Pomocy Rodzinie w Toruniu",
        short_name="MOPR Toruń",
        procedure_basis="przyjętej Zarządzeniem nr 30/2023 Dyrektora MOPR Toruń",
    )
    inst_b = InstitutionFactory(
        name="Miejsko-Gminny Ośrodek Pomocy Społecznej w Łasku",
        name_genitive="Miejsko-Gminnego Ośrodka Pomocy Społecznej w Łasku",
        name_locative="Miejsko-Gminnym Ośrodku Pomocy Społecznej w Łasku",
        short_name="MGOPS Łask",
        city="Łask",
        city_locative="Łasku",
    )
    return Org(
        inst_a=inst_a,
        region_a1=RegionFactory(institution=inst_a, code="RPŚ-1", streets="Szeroka\nŻeglarska\nMostowa"),
        region_a2=RegionFactory(institution=inst_a, code="RPŚ-2", streets="Łódzka\nGrudziądzka"),
        inst_b=inst_b,
        region_b1=RegionFactory(institution=inst_b, code="RPŚ-1", streets="Szeroka"),
    )


@pytest.fixture
def p(org) -> People:
    a = org.inst_a
    return People(
        worker_a=UserFactory(username="worker_a", institution=a, roles=[(Role.SOCIAL_WORKER, org.region_a1)]),
        worker_a_2=UserFactory(username="worker_a_2", institution=a, roles=[(Role.SOCIAL_WORKER, org.region_a1)]),
        worker_a2=UserFactory(username="worker_a2", institution=a, roles=[(Role.SOCIAL_WORKER, org.region_a2)]),
        coordinator_a=UserFactory(username="coordinator_a", institution=a, roles=[(Role.COORDINATOR, org.region_a1)]),
        head_a=UserFactory(username="head_a", institution=a, roles=[(Role.HEAD_OF_DEPARTMENT, None)]),
        director_a=UserFactory(username="director_a", institution=a, roles=[(Role.DIRECTOR, None)]),
        auditor_a=UserFactory(username="auditor_a", institution=a, roles=[(Role.AUDITOR, None)]),
        assistant_a=UserFactory(username="assistant_a", institution=a, roles=[(Role.FAMILY_ASSISTANT, None)]),
        first_contact_a=UserFactory(username="first_contact_a", institution=a, roles=[(Role.FIRST_CONTACT, None)]),
        benefits_a=UserFactory(
            username="benefits_a",
            institution=a,
            roles=[(Role.BENEFITS_WORKER, None), (Role.SOCIAL_WORKER, org.region_a1)],
        ),
        outsider=UserFactory(username="outsider", institution=org.inst_b, roles=[(Role.SOCIAL_WORKER, org.region_b1)]),
        coordinator_b=UserFactory(
            username="coordinator_b", institution=org.inst_b, roles=[(Role.COORDINATOR, org.region_b1)]
        ),
    )


@pytest.fixture
def sysadmin(org) -> User:
    """The system administrator of institution A (issue 19): sets the centre up, reads no case."""
    return UserFactory(username="admin_a", institution=org.inst_a, roles=[(Role.SYSTEM_ADMIN, None)])


@pytest.fixture
def run_worker(monkeypatch):
    """The background queue's own worker (``manage.py db_worker --batch``) run once, in the test: it
    closes the connections between tasks – the test database's too – so that is kept open here."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, interval=0, verbosity=0)
