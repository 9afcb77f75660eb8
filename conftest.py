"""Shared fixtures: the personas every test speaks of (after healthchecks' BaseTestCase).

- ``org``: institution A with regions A1 and A2, institution B with region B1;
- ``p``: the people – a worker of region A1 (``worker_a``), a second worker of A1
  (``worker_a_2``), a worker of region A2 (``worker_a2``), the coordinator of A1, the head of
  department, the director, the auditor, a family assistant, the first-contact desk, a
  benefits worker of A, and ``outsider``: a worker of institution B.
"""

from dataclasses import dataclass

import pytest

from mopr.models import Institution, Region, Role, User
from mopr.tests.factories import InstitutionFactory, RegionFactory, UserFactory

# Browser fixtures and helpers (browser, page, check_a11y, screenshot, login): see mopr/tests/browser.py.
pytest_plugins = ["mopr.tests.browser"]


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
