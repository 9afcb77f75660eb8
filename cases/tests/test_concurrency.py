"""Two coordinators assign the same report at the same moment: one wins, the other is told.

Real threads with their own database connections, so the row lock (PostgreSQL) or the
immediate write lock (SQLite) is what decides, not the order of the test's lines."""

import threading

import pytest
from django.db import connection

from cases import services
from cases.models import Case
from mopr.errors import DomainError
from mopr.models import Role
from mopr.tests.factories import CaseFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignment_one_wins_the_other_is_told(org, p):
    second_coordinator = UserFactory(institution=org.inst_a, roles=[(Role.COORDINATOR, org.region_a1)])
    case = CaseFactory(region=org.region_a1)
    loaded_version = case.version  # both coordinators loaded the queue at this version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def assign(name, coordinator, worker):
        try:
            barrier.wait(timeout=10)
            services.case_assign(case=case, worker=worker, by=coordinator, expected_version=loaded_version)
            outcomes[name] = "assigned"
        except DomainError as error:
            outcomes[name] = error.message
        except Exception as error:  # anything else is a failure the assertion below shows
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=assign, args=("first", p.coordinator_a, p.worker_a)),
        threading.Thread(target=assign, args=("second", second_coordinator, p.worker_a_2)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["first", "second"]
    assert list(outcomes.values()).count("assigned") == 1, outcomes
    loser = next(v for v in outcomes.values() if v != "assigned")
    assert "zmieniona przez inną osobę" in loser
    case = Case.objects.get(pk=case.pk)
    winner = p.worker_a if outcomes["first"] == "assigned" else p.worker_a_2
    assert case.worker == winner and case.version == loaded_version + 1
    assert case.history.count() == 2  # created, then one assignment – the loser wrote nothing
