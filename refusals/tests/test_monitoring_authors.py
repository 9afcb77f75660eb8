"""Issue 16.9: who did what, in words that fit – the monitoring's visits and report name their
author, the joint decision of seed 003 names both the director and the worker; a visit's outcome
fits the household; a contact with the family, a neighbour, the village head or a club is an
entry of its own."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import CommunityContact, Visit
from cases.procedure import Stage
from cases.timeline import case_timeline
from mopr.errors import DomainError
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory
from refusals.tests.test_monitoring import NOW, TODAY, decide, done, open_, plan, report


@pytest.fixture
def case(org, p):
    with time_machine.travel(NOW, tick=False):  # the monitoring's dates are of 20 March 2026
        return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)


@time_machine.travel(NOW, tick=False)
def test_the_visits_the_report_and_the_joint_decision_name_who(case, p):
    m = plan(open_(case, p.worker_a), p.director_a)
    date = done(m, p.worker_a)
    m = report(m, p.worker_a)
    m = decide(m, p.director_a)
    assert date.done_by == p.worker_a and m.report_by == p.worker_a
    assert m.decision_by == p.director_a and m.decision_worker == p.worker_a
    items = {i.title: i for i in case_timeline(case=case)}
    decision = next(i for t, i in items.items() if t.startswith("Wspólna decyzja"))
    assert decision.author == f"{p.director_a.get_full_name()} i {p.worker_a.get_full_name()}"
    visit = next(i for t, i in items.items() if t.startswith("Monitoring środowiska (termin"))
    assert visit.author == p.worker_a


@time_machine.travel(NOW, tick=False)
def test_the_monitoring_page_shows_the_authors(client, case, p):
    m = plan(open_(case, p.worker_a), p.director_a)
    done(m, p.worker_a)
    m = report(m, p.worker_a)
    decide(m, p.director_a)
    assert client.login(username="worker_a", password=PASSWORD)
    page = client.get(reverse("refusals:monitoring_case", args=[case.pk])).content.decode()
    worker, director = p.worker_a.get_full_name(), p.director_a.get_full_name()
    assert page.count(worker) >= 3 and director in page
    assert TODAY.strftime("%d.%m.%Y") in page


def test_an_old_man_alone_who_let_the_worker_in_and_refused(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    visit = case_services.visit_record(
        case=case, by=p.worker_a,
        visit=Visit(visited_at=timezone.now(), outcome=Visit.Outcome.MET_REFUSED_HELP, findings="Wpuścił, odmówił."),
    )  # fmt: skip
    case.refresh_from_db()
    assert "dzieci" not in visit.get_outcome_display()
    assert case.first_contact_at == timezone.localdate()  # he was met: the first contact
    with pytest.raises(DomainError, match="nie ma dziecka"):
        case_services.visit_record(
            case=case, by=p.worker_a,
            visit=Visit(visited_at=timezone.now(), outcome=Visit.Outcome.CHILD_ABSENT, findings="x"),
        )  # fmt: skip


def test_a_child_absent_is_recorded_where_there_is_a_child(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    MemberFactory(
        client=case.client, is_head=False, relation="child", birth_date=timezone.localdate().replace(year=2020)
    )
    case_services.visit_record(
        case=case, by=p.worker_a,
        visit=Visit(visited_at=timezone.now(), outcome=Visit.Outcome.CHILD_ABSENT, findings="Syn w szkole."),
    )  # fmt: skip
    assert Visit.objects.count() == 1


def test_a_contact_with_the_village_head_is_an_entry_of_its_own(client, org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    assert client.login(username="worker_a", password=PASSWORD)
    response = client.post(
        reverse("cases:entry_add", args=[case.pk, "kontakt-otoczenie"]),
        {"kind": "village_head", "person": "Sołtys wsi Bobrówko, Jan Lis", "contacted_on": timezone.localdate(),
         "form": "phone", "learnt": "Pan K. sam robi zakupy, sąsiedzi pomagają z opałem."},
    )  # fmt: skip
    assert response.status_code == 302
    contact = CommunityContact.objects.get()
    assert contact.author == p.worker_a
    [item] = [i for i in case_timeline(case=case) if i.kind == "community"]
    assert item.source.startswith("sołtys") and "Jan Lis" in item.source
    karta = client.get(reverse("cases:karta_preview", args=[case.pk])).content.decode()
    assert "Kontakt z otoczeniem: sołtys" in karta and "sąsiedzi pomagają z opałem" in karta
