"""The family-assistant pages through HTTP: request, opinion, approval, assignment and letter,
the assistant's work and end; another assistant's family stays hidden."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assistants.models import Assignment, Request
from cases.procedure import Stage
from mopr.models import Role
from mopr.tests.factories import PASSWORD, CaseFactory, UserFactory


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)


def as_user(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_from_the_workers_request_to_the_end(client, case, p, org):
    today = timezone.localdate().isoformat()
    as_user(client, "worker_a")
    response = client.post(
        reverse("assistants:request_new", args=[case.pk, "pracownik"]),
        {"justification": "Zaniedbania wobec dzieci, niezaradność rodziców.", "consent_on": today},
    )
    req = Request.objects.get()
    assert response.status_code == 302 and req.status == Request.Status.OPINION
    assert case.number in as_user(client, "head_a").get(reverse("assistants:queue")).content.decode()
    client.post(
        reverse("assistants:opinion", args=[req.pk]), {"version": req.version, "positive": "1", "comment": "Zasadne"}
    )
    req.refresh_from_db()
    assert req.status == Request.Status.APPROVAL
    as_user(client, "director_a")
    client.post(reverse("assistants:decide", args=[req.pk]), {"version": req.version, "approve": "1", "comment": ""})
    req.refresh_from_db()
    assert req.status == Request.Status.APPROVED
    client.post(
        reverse("assistants:assign", args=[req.pk]),
        {"version": req.version, "assistant": p.assistant_a.pk, "qualified_on": today, "letter_note": ""},
    )
    assignment = Assignment.objects.get()
    letter = client.get(reverse("assistants:letter_pdf", args=[assignment.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    # The worker sees the decision on the case.
    page = as_user(client, "worker_a").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "zatwierdzony" in page and str(p.assistant_a) in page
    as_user(client, "assistant_a")
    assert case.number in client.get(reverse("assistants:mine")).content.decode()
    response = client.post(
        reverse("assistants:work_add", args=[assignment.pk, "wizyta"]),
        {
            "visited_on": today,
            "started_at": "16:30",
            "joint_with_worker": "on",
            "place": "dom",
            "description": "Pierwsza wizyta",
            "minutes": 90,
        },
    )
    assert response.status_code == 302 and assignment.visits.count() == 1
    client.post(
        reverse("assistants:work_add", args=[assignment.pk, "plan"]),
        {"drafted_on": today, "assessment": "Ocena", "goals": "Cele", "methods": "", "change_reason": ""},
    )
    documents = client.get(reverse("assistants:assignment", args=[assignment.pk])).content.decode()
    assert "plan pracy z rodziną" in documents
    response = client.post(
        reverse("assistants:end", args=[assignment.pk]),
        {"version": assignment.version, "end": "goals_reached", "ended_on": today, "reason": "Cele osiągnięte",
         "final_summary": "Rodzina funkcjonuje samodzielnie."},
    )  # fmt: skip
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end == "goals_reached" and assignment.final_report.summary
    # After the end the family is no longer the assistant's to see.
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_another_assistants_family_is_hidden(client, case, p, org):
    other = UserFactory(username="assistant_b", institution=org.inst_a, roles=[(Role.FAMILY_ASSISTANT, None)])
    req = Request.objects.create(
        case=case, path=Request.Path.COURT, status=Request.Status.ORDERED, requested_by=p.worker_a,
        requested_on=timezone.localdate(), justification="Wyrok", court_name="SR Toruń",
        ruling_reference="III Nsm 1/26",
    )  # fmt: skip
    assignment = Assignment.objects.create(
        case=case, request=req, assistant=p.assistant_a, assigned_by=p.director_a, qualified_on=timezone.localdate()
    )
    as_user(client, other.username)
    for url in (reverse("assistants:assignment", args=[assignment.pk]), reverse("cases:detail", args=[case.pk]),
                reverse("assistants:request", args=[req.pk])):  # fmt: skip
        assert client.get(url).status_code == 404, url
    as_user(client, "assistant_a")
    assert client.get(reverse("assistants:assignment", args=[assignment.pk])).status_code == 200
    assert client.get(reverse("cases:folder", args=[case.pk])).status_code == 200  # reads the family's file
    assert (
        client.get(reverse("cases:entry_add", args=[case.pk, "wizyta"])).status_code == 403
    )  # not the worker's entries


def test_nobody_approves_their_own_request(client, case, p, org):
    org.inst_a.assistant_needs_head_opinion = False
    org.inst_a.save()
    director_worker = UserFactory(
        username="dw", institution=org.inst_a, roles=[(Role.DIRECTOR, None), (Role.SOCIAL_WORKER, org.region_a1)]
    )
    case.worker = director_worker
    case.save()
    as_user(client, "dw")
    client.post(
        reverse("assistants:request_new", args=[case.pk, "pracownik"]),
        {"justification": "Potrzeba wsparcia", "consent_on": timezone.localdate().isoformat()},
    )
    req = Request.objects.get()
    assert req.status == Request.Status.APPROVAL
    assert "Decyzja" not in client.get(reverse("assistants:request", args=[req.pk])).content.decode()
    client.post(reverse("assistants:decide", args=[req.pk]), {"version": req.version, "approve": "1", "comment": ""})
    req.refresh_from_db()
    assert req.status == Request.Status.APPROVAL


def test_the_case_page_offers_a_request_only_when_one_can_be_filed(client, case, p):
    as_user(client, "worker_a")
    url = reverse("cases:detail", args=[case.pk])
    assert "Wniosek o asystenta" in client.get(url).content.decode()
    Request.objects.create(
        case=case,
        path=Request.Path.COURT,
        status=Request.Status.ORDERED,
        requested_by=p.worker_a,
        requested_on=timezone.localdate(),
        justification="Wyrok",
    )
    page = client.get(url).content.decode()
    assert "Wniosek o asystenta</a>" not in page and "Wyrok sądu</a>" not in page


def test_the_one_who_gave_the_opinion_does_not_also_approve(case, p, org):
    from assistants import services
    from mopr import policy
    from mopr.errors import DomainError

    services.authorisation_grant(director=p.director_a, user=p.head_a)
    req = services.request_by_worker(
        case=case, by=p.worker_a, justification="Potrzeba", consent_on=timezone.localdate()
    )
    req = services.request_give_opinion(request=req, by=p.head_a, positive=True, comment="Zasadne")
    assert not policy.user_may_approve(p.head_a, req)
    with pytest.raises(DomainError, match="ktoś inny niż opiniujący"):
        services.request_decide(request=req, by=p.head_a, approve=True, comment="")
    assert services.request_decide(request=req, by=p.director_a, approve=True, comment="").status == "approved"


def test_the_worker_is_told_after_the_change_was_learnt(case, p):
    import datetime

    from assistants import services
    from assistants.models import ChangeReport
    from mopr.errors import DomainError

    req = Request.objects.create(
        case=case,
        path="court",
        status="ordered",
        requested_by=p.worker_a,
        requested_on=timezone.localdate(),
        justification="Wyrok",
    )
    assignment = Assignment.objects.create(
        case=case,
        request=req,
        assistant=p.assistant_a,
        assigned_by=p.director_a,
        qualified_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    change = ChangeReport(
        learnt_on=timezone.localdate(),
        change="Utrata pracy",
        family_told_worker_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(DomainError, match="przed powzięciem") as error:
        services.change_report_write(assignment=assignment, by=p.assistant_a, change=change)
    assert error.value.field == "family_told_worker_on"
