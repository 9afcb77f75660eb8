"""Monthly team meetings (seed 000 IV.3) and inspections (seed 000 VII)."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Inspection, TeamMeeting
from mopr.errors import DomainError
from mopr.models import AccessLog
from mopr.tests.factories import PASSWORD, CaseFactory

TODAY = timezone.localdate


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_meeting_note_with_attendance(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a)
    meeting = services.meeting_record(
        region=org.region_a1,
        by=p.coordinator_a,
        held_on=TODAY(),
        note="Omówiono sytuację rodzin.",
        attendees=[p.worker_a, p.worker_a_2, p.head_a],
        cases_discussed=[case],
        guests="superwizor",
    )
    assert set(meeting.attendees.all()) == {p.worker_a, p.worker_a_2, p.head_a}
    assert meeting.history.get().history_user == p.coordinator_a


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"held_on": "future"}, "z przyszłości"),
        ({"note": " "}, "Notatka"),
        ({"attendees": []}, "obecnych"),
        ({"attendees": "other_region"}, "pracownicy rejonu"),
        ({"cases_discussed": "other_region"}, "sprawy tego rejonu"),
    ],
)
def test_meeting_refusals(org, p, kwargs, message):
    data = {
        "region": org.region_a1,
        "by": p.coordinator_a,
        "held_on": TODAY(),
        "note": "Notatka",
        "attendees": [p.worker_a],
        "cases_discussed": [],
    }
    for key, value in kwargs.items():
        if value == "future":
            value = TODAY() + datetime.timedelta(days=1)
        elif value == "other_region" and key == "attendees":
            value = [p.worker_a2]
        elif value == "other_region":
            value = [CaseFactory(region=org.region_a2)]
        data[key] = value
    with pytest.raises(DomainError, match=message):
        services.meeting_record(**data)
    assert not TeamMeeting.objects.exists()


def test_only_the_regions_people_hold_its_meeting(org, p):
    with pytest.raises(DomainError, match="koordynator rejonu"):
        services.meeting_record(
            region=org.region_a1, by=p.worker_a2, held_on=TODAY(), note="x", attendees=[p.worker_a], cases_discussed=[]
        )


def test_meeting_pages_and_printout(client, org, p, tmp_path):
    login(client, "coordinator_a")
    response = client.post(
        reverse("meetings:meeting_new", args=[org.region_a1.pk]),
        {"held_on": TODAY().isoformat(), "attendees": [p.worker_a.pk, p.worker_a_2.pk], "note": "Ustalenia zespołu"},
    )
    meeting = TeamMeeting.objects.get()
    assert response.status_code == 302
    pdf = client.get(reverse("meetings:meeting_pdf", args=[meeting.pk]))
    path = tmp_path / "m.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "NOTATKA SŁUŻBOWA" in text and "Lista obecności" in text and p.worker_a_2.get_full_name() in text
    assert AccessLog.objects.filter(action=AccessLog.Action.PRINT).count() == 1
    assert login(client, "worker_a2").get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 404
    assert login(client, "director_a").get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 200


def test_inspection_and_its_follow_up(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a)
    inspection = services.inspection_record(
        by=p.coordinator_a,
        region=org.region_a1,
        inspected_worker=p.worker_a,
        held_on=TODAY(),
        scope="Dokumentacja spraw",
        cases=[case],
        findings="Braki w karcie.",
        recommendations="Uzupełnić karty.",
        follow_up_by=TODAY() + datetime.timedelta(days=14),
    )
    with pytest.raises(DomainError, match="koordynator lub kontroler"):
        services.inspection_follow_up_done(inspection=inspection, by=p.worker_a, done_on=TODAY())
    done = services.inspection_follow_up_done(inspection=inspection, by=p.coordinator_a, done_on=TODAY())
    assert done.follow_up_done_on == TODAY()


@pytest.mark.parametrize(
    ("by", "worker", "message"),
    [
        ("worker_a_2", "worker_a", "koordynator rejonu lub upoważniony"),
        ("coordinator_a", "worker_a2", "pracownikiem socjalnym tego rejonu"),
    ],
)
def test_inspection_refusals(org, p, by, worker, message):
    with pytest.raises(DomainError, match=message):
        services.inspection_record(
            by=getattr(p, by),
            region=org.region_a1,
            inspected_worker=getattr(p, worker),
            held_on=TODAY(),
            scope="x",
            cases=[],
            findings="y",
        )
    assert not Inspection.objects.exists()


def test_the_controller_inspects_any_region(org, p):
    inspection = services.inspection_record(
        by=p.auditor_a,
        region=org.region_a2,
        inspected_worker=p.worker_a2,
        held_on=TODAY(),
        scope="Kontrola",
        cases=[],
        findings="Bez uwag",
    )
    assert inspection.inspector == p.auditor_a


def test_inspection_pages(client, org, p):
    login(client, "coordinator_a")
    response = client.post(
        reverse("meetings:inspection_new", args=[org.region_a1.pk]),
        {
            "inspected_worker": p.worker_a.pk,
            "held_on": TODAY().isoformat(),
            "scope": "Akta",
            "findings": "Dobrze",
            "recommendations": "",
            "follow_up_by": (TODAY() + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert "wpisz zalecenia" in response.content.decode()
    assert login(client, "worker_a").get(reverse("meetings:inspections")).status_code == 403
    inspection = services.inspection_record(
        by=p.coordinator_a,
        region=org.region_a1,
        inspected_worker=p.worker_a,
        held_on=TODAY(),
        scope="x",
        cases=[],
        findings="y",
    )
    assert login(client, "worker_a").get(reverse("meetings:inspection", args=[inspection.pk])).status_code == 200
    assert login(client, "worker_a_2").get(reverse("meetings:inspection", args=[inspection.pk])).status_code == 404
    assert login(client, "auditor_a").get(reverse("meetings:inspection_pdf", args=[inspection.pk])).status_code == 200


def test_a_meeting_is_due_every_month(org, p):
    import time_machine

    from cases.deadlines import region_deadlines

    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0), tick=False):
        [due] = [d for d in region_deadlines([org.region_a1])[org.region_a1.pk] if d.rule == "team_meeting"]
        assert due.due == datetime.date(2026, 3, 31) and not due.overdue
        services.meeting_record(
            region=org.region_a1,
            by=p.coordinator_a,
            held_on=datetime.date(2026, 1, 20),
            note="Styczeń",
            attendees=[p.worker_a],
            cases_discussed=[],
        )
        [due] = [d for d in region_deadlines([org.region_a1])[org.region_a1.pk] if d.rule == "team_meeting"]
        assert due.due == datetime.date(2026, 2, 28) and due.overdue  # February had no meeting
        services.meeting_record(
            region=org.region_a1,
            by=p.coordinator_a,
            held_on=datetime.date(2026, 3, 5),
            note="Marzec",
            attendees=[p.worker_a],
            cases_discussed=[],
        )
        [due] = [d for d in region_deadlines([org.region_a1])[org.region_a1.pk] if d.rule == "team_meeting"]
        assert due.due == datetime.date(2026, 4, 30)


def test_inspection_follow_up_is_a_region_deadline_and_shows_to_the_coordinator(client, org, p):
    from cases.deadlines import region_deadlines

    services.inspection_record(
        by=p.coordinator_a,
        region=org.region_a1,
        inspected_worker=p.worker_a,
        held_on=TODAY(),
        scope="x",
        cases=[],
        findings="y",
        recommendations="Uzupełnić",
        follow_up_by=TODAY() + datetime.timedelta(days=7),
    )
    rules = [d.rule for d in region_deadlines([org.region_a1])[org.region_a1.pk]]
    assert rules == ["team_meeting", "inspection_follow_up"]
    page = login(client, "coordinator_a").get(reverse("cases:deadlines")).content.decode()
    assert "Spotkanie zespołu RPŚ-1" in page and "Realizacja zaleceń pokontrolnych" in page


def test_a_benefits_worker_is_not_inspected_for_social_work(org, p):
    with pytest.raises(DomainError, match="pracownikiem socjalnym tego rejonu"):
        services.inspection_record(
            by=p.coordinator_a,
            region=org.region_a1,
            inspected_worker=p.benefits_a,
            held_on=TODAY(),
            scope="x",
            cases=[],
            findings="y",
        )


def test_recommendations_are_not_done_before_the_inspection(org, p):
    inspection = services.inspection_record(
        by=p.coordinator_a,
        region=org.region_a1,
        inspected_worker=p.worker_a,
        held_on=TODAY(),
        scope="x",
        cases=[],
        findings="y",
        recommendations="z",
        follow_up_by=TODAY() + datetime.timedelta(days=5),
    )
    with pytest.raises(DomainError, match="przed kontrolą"):
        services.inspection_follow_up_done(
            inspection=inspection, by=p.coordinator_a, done_on=TODAY() - datetime.timedelta(days=1)
        )
