"""The letters of a case (issue 15.8, 15.9): the summons to a person with the place, day, hour and
phones, and its appointment on the worker's Terminy; the note of a report for the reporter to
sign; a notification addressed from the centre's directory."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cases import deadlines, services
from cases.models import Notification, Summons, Visit
from cases.procedure import Stage
from cases.tests.test_karta import flat, pages_of
from cases.tests.test_printouts import save_pngs
from mopr.models import DirectoryEntry
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory, ReportFactory


def text_of(client, url, tmp_path, name=None):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if name:
        save_pngs(response.content, name)
    return flat(" ".join(pages_of(response.content, tmp_path)))


def summoned(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    head = case.client.members.get()
    head.first_name, head.last_name, head.pesel, head.sex = "Paulina", "Bączkowska", "", "K"
    head.save()
    services.visit_record(
        case=case, by=p.worker_a,
        visit=Visit(visited_at=timezone.now() - datetime.timedelta(days=1), outcome=Visit.Outcome.REFUSED),
    )  # fmt: skip
    appointment = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=7),
                                                                datetime.time(10, 30)))  # fmt: skip
    summons = services.summons_issue(
        case=case, by=p.worker_a,
        summons=Summons(issued_on=timezone.localdate(), appointment_at=appointment, room="pokój 12"),
    )  # fmt: skip
    return case, summons, appointment


def test_the_summons_goes_to_a_person_with_the_day_hour_place_and_phones(client, org, p, tmp_path):
    org.inst_a.phone = "56 611 42 00"
    org.inst_a.save()
    p.worker_a.phone = "56 611 42 17"
    p.worker_a.save()
    case, summons, appointment = summoned(org, p)
    client.login(username="worker_a", password=PASSWORD)
    text = text_of(client, reverse("cases:summons_pdf", args=[case.pk, summons.pk]), tmp_path, "summons")
    for expected in [
        "Pani Paulina Bączkowska",  # a person, not "Rodzina …"
        "wzywam Panią do stawienia się w siedzibie Miejskiego Ośrodka Pomocy Rodzinie w Toruniu",  # the genitive
        "pokój 12", f"w dniu {appointment:%d.%m.%Y} o godz. 10:30", "o Pani sytuacji",
        "pod numerem 56 611 42 17", "tel. 56 611 42 00", "Znak sprawy: " + case.number,
    ]:  # fmt: skip
        assert expected in text, expected
    assert "Pani/Pana" not in text and "Rodzina Paulina" not in text


def test_the_appointment_is_on_the_workers_terminy_until_its_day_has_passed(client, org, p):
    case, _summons, appointment = summoned(org, p)
    found = deadlines.deadlines_for([case])[case.pk]
    assert any(d.rule == "summons" and d.due == timezone.localdate(appointment) for d in found)
    client.login(username="worker_a", password=PASSWORD)
    assert "Stawiennictwo na wezwanie" in client.get(reverse("cases:deadlines")).content.decode()
    import time_machine

    with time_machine.travel(appointment + datetime.timedelta(days=1), tick=False):
        assert not any(d.rule == "summons" for d in deadlines.deadlines_for([case])[case.pk])


def test_a_summons_to_another_member_of_the_family(org, p):
    case, _s, appointment = summoned(org, p)
    father = MemberFactory(client=case.client, is_head=False, relation="spouse", first_name="Artur", sex="M")
    summons = services.summons_issue(
        case=case, by=p.worker_a, summons=Summons(addressee=father, issued_on=timezone.localdate(),
                                                  appointment_at=appointment),
    )  # fmt: skip
    assert summons.addressee == father


def test_the_note_of_a_report_is_for_the_reporter_and_the_worker_to_sign(client, org, p, tmp_path):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now())
    report = ReportFactory(case=case, received_by=p.first_contact_a, reporter_name="Maria Wiśniewska",
                           reporter_contact="tel. 600 100 200", content="Dzieci same w domu.")  # fmt: skip
    client.login(username="worker_a", password=PASSWORD)
    text = text_of(client, reverse("cases:report_pdf", args=[case.pk, report.pk]), tmp_path, "report-note")
    for expected in ["NOTATKA ZE ZGŁOSZENIA", "Maria Wiśniewska, tel. 600 100 200", "Dzieci same w domu.",
                     f"Przyjął(a) zgłoszenie: {p.first_contact_a.get_full_name()}", "podpis zgłaszającego",
                     "data i podpis osoby przyjmującej zgłoszenie"]:  # fmt: skip
        assert expected in text, expected


def test_a_notification_takes_its_addressee_from_the_directory(client, org, p, tmp_path):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    court = DirectoryEntry.objects.create(
        institution=org.inst_a, kind="family_court", name="Sąd Rejonowy w Toruniu",
        department="III Wydział Rodzinny i Nieletnich", address="ul. Piekary 51, 87-100 Toruń",
    )  # fmt: skip
    notification = services.notification_send(
        case=case, by=p.worker_a,
        notification=Notification(service=Notification.Service.FAMILY_COURT, addressee=court, reason="Wgląd.",
                                  sent_on=timezone.localdate(), sent_how=Notification.SentHow.LETTER),
    )  # fmt: skip
    assert "III Wydział Rodzinny i Nieletnich" in notification.service_name
    court.address = "ul. Nowa 1"  # the directory changes later: the letter as sent does not
    court.save()
    client.login(username="worker_a", password=PASSWORD)
    text = text_of(client, reverse("cases:notification_pdf", args=[case.pk, notification.pk]), tmp_path)
    assert "ul. Piekary 51, 87-100 Toruń" in text and "ul. Nowa 1" not in text
