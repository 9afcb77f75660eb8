"""Issue 16.2: an entry's date is the day it happened, and a typo must not become a fact.

Not in the future, not before the report that opened the case, not before the birth of the
person it is about; older than the institution's limit only with an explicit confirmation. The
timeline orders by the day it happened and shows when it was written down where that differs.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import ChildObservation, OfficialNote, Visit
from cases.procedure import Stage
from cases.services.dates import DateNeedsConfirmation
from mopr.errors import DomainError
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def case(org, p):
    return CaseFactory(
        region=org.region_a1,
        worker=p.worker_a,
        accepted_at=timezone.now(),
        stage=Stage.ROZEZNANIE,
        reported_at=timezone.now() - 60 * DAY,
    )


@pytest.fixture
def worker(client, p):
    assert client.login(username="worker_a", password=PASSWORD)
    return client


def visit(when: datetime.datetime) -> Visit:
    return Visit(visited_at=when, outcome=Visit.Outcome.MET, findings="Rozmowa z rodziną.")


def test_a_visit_before_the_report_is_refused_and_the_first_contact_untouched(case, p):
    with pytest.raises(DomainError, match="wcześniejsza niż zgłoszenie") as caught:
        services.visit_record(case=case, by=p.worker_a, visit=visit(case.reported_at - 40 * DAY), date_confirmed=True)
    assert caught.value.field == "visited_at"
    case.refresh_from_db()
    assert case.first_contact_at is None and not Visit.objects.exists()


def test_a_typo_of_a_century_is_refused(case, p):
    typo = timezone.now().replace(year=1926)
    with pytest.raises(DomainError, match="wcześniejsza niż zgłoszenie"):
        services.visit_record(case=case, by=p.worker_a, visit=visit(typo), date_confirmed=True)


def test_a_day_long_past_needs_a_confirmation(case, p):
    long_ago = timezone.now() - 45 * DAY  # after the report, older than 30 days
    with pytest.raises(DateNeedsConfirmation, match="sprzed ponad 30 dni"):
        services.visit_record(case=case, by=p.worker_a, visit=visit(long_ago))
    assert not Visit.objects.exists()
    services.visit_record(case=case, by=p.worker_a, visit=visit(long_ago), date_confirmed=True)
    case.refresh_from_db()
    assert case.first_contact_at == timezone.localdate(long_ago)


def test_a_recent_day_needs_no_confirmation(case, p):
    services.visit_record(case=case, by=p.worker_a, visit=visit(timezone.now() - 29 * DAY))
    assert Visit.objects.count() == 1


def test_the_institution_sets_the_limit(case, p, org):
    org.inst_a.backdate_confirm_days = 7
    org.inst_a.save()
    with pytest.raises(DateNeedsConfirmation, match="sprzed ponad 7 dni"):
        services.note_write(
            case=case, by=p.worker_a, note=OfficialNote(written_on=timezone.localdate() - 8 * DAY, content="x")
        )


def test_an_observation_before_the_childs_birth_is_refused(case, p):
    born = timezone.localdate() - 20 * DAY
    child = MemberFactory(client=case.client, is_head=False, relation="child", birth_date=born)
    observation = ChildObservation(child=child, observed_on=born - 2 * DAY, observation="Niemowlę zadbane.")
    with pytest.raises(DomainError, match="urodzenie osoby") as caught:
        services.child_observation_record(case=case, by=p.worker_a, observation=observation, date_confirmed=True)
    assert caught.value.field == "observed_on"


def test_the_future_stays_refused(case, p):
    with pytest.raises(DomainError, match="z przyszłości"):
        services.visit_record(case=case, by=p.worker_a, visit=visit(timezone.now() + DAY))


def post_note(worker, case, written_on: datetime.date, **extra):
    data = {"written_on": written_on.isoformat(), "content": "Rozmowa telefoniczna z matką.", **extra}
    return worker.post(reverse("cases:entry_add", args=[case.pk, "notatka"]), data)


def test_the_form_asks_for_the_confirmation_at_the_field_and_keeps_the_text(worker, case):
    long_ago = timezone.localdate() - 40 * DAY
    page = worker.get(reverse("cases:entry_add", args=[case.pk, "notatka"])).content.decode()
    assert 'type="hidden" name="date_confirmed"' in page  # no box until it is needed
    response = post_note(worker, case, long_ago)
    body = response.content.decode()
    assert response.status_code == 200 and "sprzed ponad 30 dni" in body
    assert 'type="checkbox" name="date_confirmed"' in body
    assert "Rozmowa telefoniczna z matką." in body and not OfficialNote.objects.exists()
    response = post_note(worker, case, long_ago, date_confirmed="on")
    assert response.status_code == 302
    assert OfficialNote.objects.get().written_on == long_ago


def test_a_date_before_the_report_is_refused_even_when_confirmed(worker, case):
    response = post_note(worker, case, timezone.localdate(case.reported_at) - DAY, date_confirmed="on")
    assert "wcześniejsza niż zgłoszenie" in response.content.decode()
    assert not OfficialNote.objects.exists()


def test_the_timeline_shows_when_a_back_dated_entry_was_written(worker, case, p):
    three_days_ago = timezone.now() - 3 * DAY
    services.visit_record(case=case, by=p.worker_a, visit=visit(three_days_ago))
    page = worker.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "wpisano " + timezone.localdate().strftime("%d.%m.%Y") in page
