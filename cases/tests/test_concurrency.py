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


@pytest.mark.django_db(transaction=True)
def test_two_interleaved_intakes_for_one_client_open_one_case(org, p):
    """Issue 14.6: with no case open there is no case row to lock; the client's row is the lock,
    so the second intake joins the case the first one opened instead of opening another."""
    import datetime

    from django.utils import timezone

    from cases.models import Client, Report, ReportForm
    from mopr.tests.factories import ClientFactory

    client = ClientFactory(institution=org.inst_a, street="Szeroka")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def intake(name, user):
        try:
            barrier.wait(timeout=10)
            services.report_register(
                by=user,
                client=Client.objects.get(pk=client.pk),
                region=org.region_a1,
                target_group="family_children",
                report=services.ReportData(
                    received_at=timezone.now() - datetime.timedelta(minutes=5), form=ReportForm.PHONE, content=name
                ),
            )
            outcomes[name] = "registered"
        except Exception as error:
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=intake, args=("first", p.worker_a)),
        threading.Thread(target=intake, args=("second", p.first_contact_a)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert outcomes == {"first": "registered", "second": "registered"}, outcomes
    cases = list(Case.objects.filter(client=client))
    assert len(cases) == 1, [c.number for c in cases]
    assert Report.objects.filter(case=cases[0]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_open_case_of_a_client(org, p):
    """The invariant holds without the services too: a partial unique index (both databases)."""
    from django.db import IntegrityError, transaction

    from cases.procedure import Stage

    first = CaseFactory(region=org.region_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(region=org.region_a1, client=first.client, stage=Stage.ROZEZNANIE)
    # A closed case beside the open one is fine: that is the client's history.
    CaseFactory(region=org.region_a1, client=first.client, stage=Stage.ZAKONCZENIE)
    assert Case.objects.filter(client=first.client).count() == 2
