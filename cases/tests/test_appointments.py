"""Appointments with the family (issue 17.8): planned on a day and an hour, on the worker's
Terminy until the day has passed, moved or cancelled with a reason that stays on the timeline;
the assistant's visits record the hour and the monthly report starts from the month's visits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assistants.models import Assignment, AssistantVisit, Request
from assistants.selectors import monthly_report_start
from cases import deadlines, selectors, timeline
from cases.models import Appointment
from cases.procedure import Stage
from cases.services.appointments import appointment_cancel, appointment_move, appointment_plan
from mopr.errors import DomainError, NotAllowed, StaleVersionError
from mopr.tests.factories import CaseFactory
from staffing import services as staffing


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)


def _at(days: int, hour: int = 16) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _plan(case, by, days=3, **kw):
    return appointment_plan(case=case, by=by, appointment=Appointment(at=_at(days), **kw))


def test_a_planned_visit_is_on_terminy_until_its_day_has_passed(case, p):
    appointment = _plan(case, p.worker_a)
    found = deadlines.deadlines_for([case])[case.pk]
    mine = [d for d in found if d.rule == "appointment"]
    assert [(d.due, d.label) for d in mine] == [
        (_at(3).date(), f"Wizyta w miejscu zamieszkania: {timezone.localtime(_at(3)):%d.%m.%Y} 16:30")
    ]
    assert case in selectors.worker_followed_cases(user=p.worker_a)
    appointment_cancel(appointment=appointment, by=p.worker_a, reason="Klient odwołał – choroba dziecka")
    assert not [d for d in deadlines.deadlines_for([case])[case.pk] if d.rule == "appointment"]


def test_moving_keeps_the_earlier_time_and_the_reason_on_the_timeline(case, p):
    appointment = _plan(case, p.worker_a, note="Rozmowa o szkole")
    appointment_move(appointment=appointment, by=p.worker_a, at=_at(5), reason="Klient poprosił o piątek",
                     version=appointment.version)  # fmt: skip
    appointment.refresh_from_db()
    assert appointment.at == _at(5) and appointment.moves == 1
    with pytest.raises(StaleVersionError):
        appointment_move(appointment=appointment, by=p.worker_a, at=_at(6), reason="x", version=1)
    appointment_cancel(appointment=appointment, by=p.worker_a, reason="Rodzina wyjechała")
    items = [(i.title, i.text) for i in timeline.case_timeline(case=case) if i.kind == "appointment"]
    assert items[0][0].startswith("Umówiono: wizyta w miejscu zamieszkania na ") and items[0][1] == "Rozmowa o szkole"
    assert items[1] == (f"Przełożono spotkanie na {timezone.localtime(_at(5)):%d.%m.%Y %H:%M}",
                        "Klient poprosił o piątek")  # fmt: skip
    assert items[2][0].startswith("Odwołano spotkanie") and items[2][1] == "Rodzina wyjechała"
    with pytest.raises(DomainError, match="odwołane"):
        appointment_move(appointment=appointment, by=p.worker_a, at=_at(7), reason="x")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"days": -1}, "at", "w przyszłości"),
        ({"kind": "other"}, "place", "gdzie"),
    ],
)
def test_a_wrong_appointment_is_refused_at_its_field(case, p, change, field, message):
    days = change.pop("days", 3)
    with pytest.raises(DomainError, match=message) as refused:
        _plan(case, p.worker_a, days=days, **change)
    assert refused.value.field == field and not Appointment.objects.exists()


def test_a_reason_is_required_to_move_or_cancel(case, p):
    appointment = _plan(case, p.worker_a)
    with pytest.raises(DomainError, match="powód") as refused:
        appointment_move(appointment=appointment, by=p.worker_a, at=_at(5), reason=" ")
    assert refused.value.field == "reason"
    with pytest.raises(DomainError, match="powód"):
        appointment_cancel(appointment=appointment, by=p.worker_a, reason="")


@pytest.mark.parametrize("who", ["worker_a_2", "coordinator_a", "assistant_a", "auditor_a"])
def test_only_the_worker_or_the_substitute_plans(case, p, who):
    with pytest.raises(NotAllowed):
        _plan(case, getattr(p, who))


def test_the_substitute_moves_the_absent_workers_appointment(case, p):
    appointment = _plan(case, p.worker_a)
    today = timezone.localdate()
    staffing.cover_set(by=p.coordinator_a, absent=p.worker_a, substitute=p.worker_a_2, starts_on=today,
                       ends_on=today, reason="sick")  # fmt: skip
    appointment_move(appointment=appointment, by=p.worker_a_2, at=_at(4), reason="Pracownik na zwolnieniu")
    appointment.refresh_from_db()
    assert appointment.at == _at(4)


def test_the_pages_plan_move_and_cancel(client, case, p):
    client.force_login(p.worker_a)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:appointment_new", args=[case.pk]) in detail
    at = timezone.localtime(_at(2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("cases:appointment_new", args=[case.pk]), {"kind": "visit", "at": at})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:appointment_move", args=[case.pk, appointment.pk]) in page
    refused = client.post(reverse("cases:appointment_move", args=[case.pk, appointment.pk]),
                          {"at": at, "reason": "x", "version": appointment.version})  # fmt: skip
    assert refused.status_code == 200 and "ten sam termin" in refused.content.decode()
    client.post(reverse("cases:appointment_cancel", args=[case.pk, appointment.pk]),
                {"reason": "Klient odwołał", "version": appointment.version})  # fmt: skip
    appointment.refresh_from_db()
    assert appointment.cancelled_at is not None


def test_the_monthly_report_starts_from_the_months_visits(case, p):
    request = Request.objects.create(case=case, path="worker", status="approved", requested_by=p.worker_a,
                                     requested_on=timezone.localdate(), justification="x")  # fmt: skip
    assignment = Assignment.objects.create(
        case=case, request=request, assistant=p.assistant_a, assigned_by=p.director_a,
        qualified_on=datetime.date(2026, 1, 1),
    )  # fmt: skip
    visit = {"assignment": assignment, "author": p.assistant_a}
    for day, hour in ((3, 16), (17, 10)):
        AssistantVisit.objects.create(
            **visit, visited_on=datetime.date(2026, 11, day), started_at=datetime.time(hour, 0),
            description=f"Wizyta {day}", minutes=90,
        )  # fmt: skip
    AssistantVisit.objects.create(
        **visit, visited_on=datetime.date(2026, 10, 30), description="Październik", minutes=60
    )
    start = monthly_report_start(assignment=assignment, month=datetime.date(2026, 11, 1))
    assert start["month"] == datetime.date(2026, 11, 1)
    text = start["summary"]
    assert "Wizyty w miesiącu 11.2026: 2, razem 3,0 godz." in text
    assert "- 03.11.2026 16:00, 90 min: Wizyta 3" in text and "- 17.11.2026 10:00" in text
    assert "Październik" not in text


def test_a_summons_appointment_is_cancelled_with_its_reason(case, p, client):
    from cases.models import Summons, Visit
    from cases.services.entries import summons_cancel, summons_issue
    from mopr.tests.factories import VisitFactory

    refused = VisitFactory(case=case, author=p.worker_a, outcome=Visit.Outcome.REFUSED,
                           visited_at=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    summons = summons_issue(case=case, by=p.worker_a, summons=Summons(
        visit=refused, issued_on=timezone.localdate(), appointment_at=_at(4)))  # fmt: skip
    assert [d.rule for d in deadlines.deadlines_for([case])[case.pk] if d.rule == "summons"] == ["summons"]
    client.force_login(p.worker_a)
    url = reverse("cases:summons_cancel", args=[case.pk, summons.pk])
    assert url in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    with pytest.raises(DomainError, match="powód"):
        summons_cancel(summons=summons, by=p.worker_a, reason="")
    with pytest.raises(NotAllowed):
        summons_cancel(summons=summons, by=p.worker_a_2, reason="x")
    assert client.post(url, {"reason": "Klientka zadzwoniła: choroba"}).status_code == 302
    assert not [d for d in deadlines.deadlines_for([case])[case.pk] if d.rule == "summons"]
    item = next(i for i in timeline.case_timeline(case=case) if i.kind == "summons")
    assert "odwołany" in item.text and "Klientka zadzwoniła: choroba" in item.text
    assert url not in [link.url for link in item.links]
