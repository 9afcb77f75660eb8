"""The family assistant (seed 002, Łask; seed 000 IV.6–8, Toruń): the three ways in, the
approval chain, the assignment and who sees the family, the assistant's work, the end and the
eight documents. Services and policy only; the due dates are in test_assistant_deadlines.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assistants import services
from assistants.models import (
    Assignment,
    AssistantVisit,
    ChangeReport,
    Decision,
    FinalReport,
    MonthlyReport,
    PeriodicAssessment,
    Request,
    WorkPlan,
)
from cases.deadlines import add_months
from cases.models import CaseDocument
from cases.procedure import Stage
from mopr import policy
from mopr.errors import DomainError
from mopr.models import AppendOnlyError, Role
from mopr.tests.factories import CaseFactory, UserFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
CONSENT = "Rodzina zapoznała się z ofertą i pisemnie zgodziła się na asystenta."


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)


@pytest.fixture
def other_case(org, p):
    """A second family of the same worker and region."""
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)


@pytest.fixture
def assistant_b(org):
    return UserFactory(username="assistant_b", institution=org.inst_a, roles=[(Role.FAMILY_ASSISTANT, None)])


def worker_request(case, by, **over) -> Request:
    kwargs = {"justification": "Duży stopień zaniedbań wobec dzieci.", "consent_on": TODAY() - DAY} | over
    return services.request_by_worker(case=case, by=by, **kwargs)


def institution_request(case, by) -> Request:
    return services.request_from_institution(
        case=case, by=by, institution_name="Szkoła Podstawowa nr 5 w Toruniu", received_on=TODAY() - 5 * DAY,
        justification="Dzieci często nieobecne w szkole.",
    )  # fmt: skip


def court_request(case, by) -> Request:
    return services.request_by_court(
        case=case, by=by, court_name="Sąd Rejonowy w Toruniu, III Wydział Rodzinny i Nieletnich",
        ruling_reference="III Nsm 123/26 z 2.02.2026", ruled_on=TODAY() - 10 * DAY,
    )  # fmt: skip


def in_status(case, p, status, by=None) -> Request:
    """A request already in ``status``, straight in the database."""
    return Request.objects.create(
        case=case, path=Request.Path.WORKER, status=status, requested_by=by or p.worker_a, requested_on=TODAY(),
        justification="Zaniedbania.", consent_on=TODAY(),
    )  # fmt: skip


def approved(case, p) -> Request:
    request = worker_request(case, p.worker_a)
    request = services.request_give_opinion(request=request, by=p.head_a, positive=True, comment="Zasadny.")
    return services.request_decide(request=request, by=p.director_a, approve=True, comment="")


def assign(case, p, assistant=None, qualified_on=None) -> Assignment:
    return services.assistant_assign(
        request=approved(case, p), by=p.director_a, assistant=assistant or p.assistant_a,
        qualified_on=qualified_on or TODAY() - 40 * DAY,
    )  # fmt: skip


@pytest.fixture
def assignment(case, p) -> Assignment:
    return assign(case, p)


def end(assignment, by, **over) -> Assignment:
    kwargs = {
        "end": Assignment.End.GOALS_REACHED, "ended_on": TODAY() - DAY, "reason": "Cele planu osiągnięte.",
        "final_summary": "Rodzina samodzielnie organizuje opiekę nad dziećmi.",
    } | over  # fmt: skip
    return services.assignment_end(assignment=assignment, by=by, **kwargs)


def write(kind: str, assignment, by, on: datetime.date | None = None):
    """Record one item of the assistant's work of ``kind`` dated ``on`` (today by default)."""
    on = on or TODAY()
    match kind:
        case "visit":
            visit = AssistantVisit(visited_on=on, description="Rozmowa z matką o planie dnia dzieci.")
            return services.visit_record(assignment=assignment, by=by, visit=visit)
        case "plan":
            plan = WorkPlan(drafted_on=on, assessment="Matka niezaradna.", goals="Regularne posiłki dzieci.")
            return services.plan_write(assignment=assignment, by=by, plan=plan)
        case "monthly":
            report = MonthlyReport(month=on, summary="Cztery wizyty, rodzina współpracuje.")
            return services.monthly_report_write(assignment=assignment, by=by, report=report)
        case "assessment":
            assessment = PeriodicAssessment(assessed_on=on, assessment="Sytuacja się poprawia.")
            return services.assessment_write(assignment=assignment, by=by, assessment=assessment)
        case "change":
            change = ChangeReport(learnt_on=on, change="Ojciec podjął pracę.")
            return services.change_report_write(assignment=assignment, by=by, change=change)
    raise AssertionError(kind)


WORK_KINDS = ["visit", "plan", "monthly", "assessment", "change"]


def scan(case, author) -> CaseDocument:
    return CaseDocument.objects.create(
        case=case, author=author, kind=CaseDocument.Kind.CONSENT, description="Zgoda rodziny na asystenta",
        document_date=TODAY(), file="cases/scan.pdf", original_name="zgoda.pdf", content_type="application/pdf",
        size=1024,
    )  # fmt: skip


# --- 1. the ways in: the worker's request --------------------------------------------------------


def test_worker_request_in_social_work_waits_for_the_heads_opinion(case, p):
    request = worker_request(case, p.worker_a, consent_on=TODAY() - 3 * DAY)
    assert request.path == Request.Path.WORKER
    assert request.status == Request.Status.OPINION
    assert request.consent_on == TODAY() - 3 * DAY
    assert request.requested_by == p.worker_a and request.requested_on == TODAY()


@pytest.mark.parametrize("stage", [Stage.ROZEZNANIE, Stage.DIAGNOZA, Stage.MONITORING, Stage.ZAKONCZENIE])
def test_worker_request_only_in_stage_iv(org, p, stage):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=stage)
    with pytest.raises(DomainError, match="etap IV"):
        worker_request(case, p.worker_a)
    assert not Request.objects.exists()


def test_worker_request_needs_the_written_consent_date(case, p):
    with pytest.raises(DomainError) as caught:
        worker_request(case, p.worker_a, consent_on=None)
    assert caught.value.field == "consent_on"


def test_worker_request_consent_date_not_in_future(case, p):
    with pytest.raises(DomainError) as caught:
        worker_request(case, p.worker_a, consent_on=TODAY() + DAY)
    assert caught.value.field == "consent_on"
    assert caught.value.message == "Data nie może być z przyszłości."


def test_worker_request_needs_a_justification(case, p):
    with pytest.raises(DomainError) as caught:
        worker_request(case, p.worker_a, justification="   ")
    assert caught.value.field == "justification"


def test_worker_request_keeps_the_scanned_consent_of_the_same_case(case, p):
    document = scan(case, p.worker_a)
    request = worker_request(case, p.worker_a, consent_scan=document)
    assert Request.objects.get(pk=request.pk).consent_scan == document


def test_worker_request_refuses_a_scanned_consent_of_another_case(case, other_case, p):
    with pytest.raises(DomainError) as caught:
        worker_request(case, p.worker_a, consent_scan=scan(other_case, p.worker_a))
    assert caught.value.field == "consent_scan"
    assert not Request.objects.exists()


@pytest.mark.parametrize("who", ["worker_a_2", "coordinator_a", "outsider"])
def test_only_the_cases_worker_files_a_worker_request(case, p, who):
    with pytest.raises(DomainError):
        worker_request(case, getattr(p, who))


# --- 1. the ways in: an external institution's request ----------------------------------------------


def test_institution_request_waits_for_the_workers_interview(case, p):
    request = institution_request(case, p.worker_a)
    assert request.path == Request.Path.EXTERNAL
    assert request.status == Request.Status.INTERVIEW
    assert request.institution_name == "Szkoła Podstawowa nr 5 w Toruniu"
    assert request.received_on == TODAY() - 5 * DAY


def test_institution_request_needs_the_institutions_name(case, p):
    with pytest.raises(DomainError) as caught:
        services.request_from_institution(
            case=case, by=p.worker_a, institution_name=" ", received_on=TODAY(), justification="x"
        )
    assert caught.value.field == "institution_name"


def test_interview_justified_and_wanted_goes_on_with_the_consent(case, p):
    request = services.request_record_interview(
        request=institution_request(case, p.worker_a), by=p.worker_a, interview_on=TODAY(), support_justified=True,
        family_wants=True, reply="Rodzina zostanie objęta wsparciem asystenta.", consent_on=TODAY(),
    )  # fmt: skip
    assert request.status == Request.Status.OPINION
    assert request.consent_on == TODAY()
    assert request.reply == "Rodzina zostanie objęta wsparciem asystenta."


def test_interview_justified_and_wanted_needs_the_consent_date(case, p):
    with pytest.raises(DomainError) as caught:
        services.request_record_interview(
            request=institution_request(case, p.worker_a), by=p.worker_a, interview_on=TODAY(),
            support_justified=True, family_wants=True, reply="Obejmiemy rodzinę wsparciem.",
        )  # fmt: skip
    assert caught.value.field == "consent_on"


@pytest.mark.parametrize(("justified", "wants"), [(False, True), (True, False), (False, False)])
def test_interview_not_justified_or_not_wanted_ends_with_the_reply(case, p, justified, wants):
    request = services.request_record_interview(
        request=institution_request(case, p.worker_a), by=p.worker_a, interview_on=TODAY(),
        support_justified=justified, family_wants=wants, reply="Wsparcie asystenta nie jest obecnie zasadne.",
        consent_on=TODAY(),
    )  # fmt: skip
    request.refresh_from_db()
    assert request.status == Request.Status.NOT_JUSTIFIED
    assert request.reply == "Wsparcie asystenta nie jest obecnie zasadne."
    assert (request.support_justified, request.family_wants) == (justified, wants)
    assert request.consent_on is None


def test_interview_needs_the_reply_to_the_institution(case, p):
    request = institution_request(case, p.worker_a)
    with pytest.raises(DomainError) as caught:
        services.request_record_interview(
            request=request, by=p.worker_a, interview_on=TODAY(), support_justified=False, family_wants=False,
            reply="  ",
        )  # fmt: skip
    assert caught.value.field == "reply"
    request.refresh_from_db()
    assert request.status == Request.Status.INTERVIEW


def test_interview_not_before_the_request_arrived(case, p):
    with pytest.raises(DomainError) as caught:
        services.request_record_interview(
            request=institution_request(case, p.worker_a), by=p.worker_a, interview_on=TODAY() - 30 * DAY,
            support_justified=False, family_wants=False, reply="Niezasadne.",
        )  # fmt: skip
    assert caught.value.field == "interview_on"


@pytest.mark.parametrize("who", ["worker_a_2", "assistant_a", "outsider"])
def test_only_the_cases_worker_records_the_interview(case, p, who):
    request = institution_request(case, p.worker_a)
    with pytest.raises(DomainError):
        services.request_record_interview(
            request=request, by=getattr(p, who), interview_on=TODAY(), support_justified=False, family_wants=False,
            reply="Niezasadne.",
        )  # fmt: skip


@pytest.mark.parametrize("way", [institution_request, court_request])
def test_another_institution_cannot_register_a_request(case, p, way):
    with pytest.raises(DomainError):
        way(case, p.outsider)


# --- 1. the ways in: a court order -------------------------------------------------------------------


def test_court_order_needs_no_approval(case, p):
    request = court_request(case, p.worker_a)
    assert request.path == Request.Path.COURT
    assert request.status == Request.Status.ORDERED
    assert request.ruling_reference == "III Nsm 123/26 z 2.02.2026"
    assignment = services.assistant_assign(request=request, by=p.head_a, assistant=p.assistant_a, qualified_on=TODAY())
    assert assignment.active
    assert not request.decisions.exists()


def test_court_order_needs_the_court_and_the_ruling(case, p):
    with pytest.raises(DomainError) as caught:
        services.request_by_court(case=case, by=p.worker_a, court_name="Sąd Rejonowy", ruling_reference=" ",
                                  ruled_on=TODAY())  # fmt: skip
    assert caught.value.field == "ruling_reference"


# --- 1. one open request / one active assistant per case ---------------------------------------------


@pytest.mark.parametrize(
    "second",
    [
        lambda case, p: worker_request(case, p.worker_a),
        lambda case, p: institution_request(case, p.worker_a),
        lambda case, p: court_request(case, p.worker_a),
    ],
    ids=["worker", "institution", "court"],
)
def test_one_open_request_per_case(case, p, second):
    worker_request(case, p.worker_a)
    with pytest.raises(DomainError, match="wniosek w toku"):
        second(case, p)
    assert Request.objects.count() == 1


def test_no_new_request_while_an_assistant_works_with_the_family(case, p, assignment):
    with pytest.raises(DomainError, match="asystent pracuje"):
        institution_request(case, p.worker_a)


@pytest.mark.parametrize(
    "first", [approved, lambda case, p: court_request(case, p.worker_a)], ids=["approved", "court"]
)
def test_no_new_request_while_an_approved_request_awaits_its_assistant(case, p, first):
    first(case, p)
    with pytest.raises(DomainError):
        worker_request(case, p.worker_a)


def test_a_new_request_after_the_institutions_request_was_not_justified(case, p):
    services.request_record_interview(
        request=institution_request(case, p.worker_a), by=p.worker_a, interview_on=TODAY(), support_justified=False,
        family_wants=False, reply="Niezasadne.",
    )  # fmt: skip
    assert worker_request(case, p.worker_a).status == Request.Status.OPINION


def test_a_new_request_after_a_rejection(case, p):
    request = services.request_give_opinion(
        request=worker_request(case, p.worker_a), by=p.head_a, positive=False, comment="Brak podstaw."
    )
    services.request_decide(request=request, by=p.director_a, approve=False, comment="Brak podstaw.")
    assert worker_request(case, p.worker_a).status == Request.Status.OPINION


# --- 2. the approval chain ----------------------------------------------------------------------------


@pytest.mark.parametrize("positive", [True, False])
def test_heads_opinion_positive_or_negative_goes_on_to_approval(case, p, positive):
    request = services.request_give_opinion(
        request=worker_request(case, p.worker_a), by=p.head_a, positive=positive, comment="Opinia kierownika."
    )
    assert request.status == Request.Status.APPROVAL
    decision = request.decisions.get()
    assert (decision.step, decision.positive) == (Decision.Step.OPINION, positive)
    assert (decision.comment, decision.decided_by) == ("Opinia kierownika.", p.head_a)


def test_without_the_heads_opinion_a_request_goes_straight_to_approval(org, case, p):
    org.inst_a.assistant_needs_head_opinion = False
    org.inst_a.save()
    assert worker_request(case, p.worker_a).status == Request.Status.APPROVAL


def test_without_the_heads_opinion_the_interview_goes_straight_to_approval(org, case, p):
    org.inst_a.assistant_needs_head_opinion = False
    org.inst_a.save()
    request = services.request_record_interview(
        request=institution_request(case, p.worker_a), by=p.worker_a, interview_on=TODAY(), support_justified=True,
        family_wants=True, reply="Obejmiemy rodzinę wsparciem.", consent_on=TODAY(),
    )  # fmt: skip
    assert request.status == Request.Status.APPROVAL


def test_no_opinion_where_the_institution_has_none(org, case, p):
    org.inst_a.assistant_needs_head_opinion = False
    org.inst_a.save()
    with pytest.raises(DomainError, match="nie czeka na opinię"):
        services.request_give_opinion(request=worker_request(case, p.worker_a), by=p.head_a, positive=True, comment="")


@pytest.mark.parametrize("who", ["director_a", "coordinator_a", "worker_a_2", "auditor_a"])
def test_only_the_head_gives_the_opinion(case, p, who):
    request = worker_request(case, p.worker_a)
    with pytest.raises(DomainError, match="kierownik działu"):
        services.request_give_opinion(request=request, by=getattr(p, who), positive=True, comment="Popieram.")
    assert not request.decisions.exists()


def test_head_of_another_institution_gives_no_opinion(org, case, p):
    head_b = UserFactory(institution=org.inst_b, roles=[(Role.HEAD_OF_DEPARTMENT, None)])
    with pytest.raises(DomainError):
        services.request_give_opinion(request=worker_request(case, p.worker_a), by=head_b, positive=True, comment="")


def test_head_gives_no_opinion_on_their_own_request(org, p):
    head_worker = UserFactory(
        institution=org.inst_a, roles=[(Role.HEAD_OF_DEPARTMENT, None), (Role.SOCIAL_WORKER, org.region_a1)]
    )
    case = CaseFactory(region=org.region_a1, worker=head_worker, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    request = worker_request(case, head_worker)
    with pytest.raises(DomainError, match="nie ten, kto złożył wniosek"):
        services.request_give_opinion(request=request, by=head_worker, positive=True, comment="Popieram.")


def test_director_approves(case, p):
    request = approved(case, p)
    assert request.status == Request.Status.APPROVED
    decision = request.decisions.get(step=Decision.Step.APPROVAL)
    assert decision.positive and decision.decided_by == p.director_a and not decision.as_authorised


def test_director_rejects_with_a_comment(case, p):
    request = services.request_give_opinion(
        request=worker_request(case, p.worker_a), by=p.head_a, positive=False, comment="Rodzina radzi sobie."
    )
    request = services.request_decide(request=request, by=p.director_a, approve=False, comment="Brak przesłanek.")
    assert request.status == Request.Status.REJECTED
    assert request.decisions.get(step=Decision.Step.APPROVAL).comment == "Brak przesłanek."


def test_rejection_requires_a_comment(case, p):
    request = services.request_give_opinion(
        request=worker_request(case, p.worker_a), by=p.head_a, positive=False, comment="Rodzina radzi sobie."
    )
    with pytest.raises(DomainError) as caught:
        services.request_decide(request=request, by=p.director_a, approve=False, comment="  ")
    assert caught.value.field == "comment"
    request.refresh_from_db()
    assert request.status == Request.Status.APPROVAL


def test_no_decision_before_the_heads_opinion(case, p):
    with pytest.raises(DomainError, match="nie czeka na zatwierdzenie"):
        services.request_decide(request=worker_request(case, p.worker_a), by=p.director_a, approve=True, comment="")


def test_a_decided_request_is_not_decided_again(case, p):
    request = approved(case, p)
    with pytest.raises(DomainError, match="nie czeka na zatwierdzenie"):
        services.request_decide(request=request, by=p.director_a, approve=False, comment="Jednak nie.")


def test_a_person_the_director_authorised_approves_and_the_decision_says_so(case, p):
    services.authorisation_grant(director=p.director_a, user=p.coordinator_a)
    request = services.request_give_opinion(
        request=worker_request(case, p.worker_a), by=p.head_a, positive=True, comment="Zasadny."
    )
    request = services.request_decide(request=request, by=p.coordinator_a, approve=True, comment="Z upoważnienia.")
    assert request.status == Request.Status.APPROVED
    decision = request.decisions.get(step=Decision.Step.APPROVAL)
    assert decision.decided_by == p.coordinator_a and decision.as_authorised


def test_a_revoked_authorisation_no_longer_approves(case, p):
    authorisation = services.authorisation_grant(director=p.director_a, user=p.coordinator_a)
    services.authorisation_revoke(director=p.director_a, authorisation=authorisation)
    request = services.request_give_opinion(
        request=worker_request(case, p.worker_a), by=p.head_a, positive=True, comment="Zasadny."
    )
    assert not policy.user_acts_as_approver(p.coordinator_a)[0]
    with pytest.raises(DomainError, match="upoważniona"):
        services.request_decide(request=request, by=p.coordinator_a, approve=True, comment="")


@pytest.mark.parametrize("who", ["head_a", "coordinator_a", "worker_a"])
def test_only_the_director_grants_an_authorisation(p, who):
    with pytest.raises(DomainError, match="dyrektor"):
        services.authorisation_grant(director=getattr(p, who), user=p.worker_a_2)


def test_the_director_authorises_only_staff_of_the_centre(p):
    with pytest.raises(DomainError) as caught:
        services.authorisation_grant(director=p.director_a, user=p.outsider)
    assert caught.value.field == "user"


@pytest.mark.parametrize("who", ["first_contact_a", "benefits_a", "auditor_a", "assistant_a"])
def test_only_who_runs_social_work_may_be_authorised(client, p, who):
    """Issue 14.8: the approver reads the children's justification; the desk, the benefits worker
    (even with a second role), the auditor and the assistant are not offered and are refused."""
    from django.urls import reverse

    from mopr.tests.factories import PASSWORD

    user = getattr(p, who)
    with pytest.raises(DomainError, match="pracownika socjalnego") as caught:
        services.authorisation_grant(director=p.director_a, user=user)
    assert caught.value.field == "user"
    assert user not in policy.users_authorisable_by(p.director_a)
    assert {p.worker_a, p.coordinator_a, p.head_a} <= set(policy.users_authorisable_by(p.director_a))
    client.login(username="director_a", password=PASSWORD)
    page = client.get(reverse("assistants:authorisations")).content.decode()
    assert f'value="{user.pk}"' not in page


def test_an_authorisation_stops_counting_when_the_person_stops_running_social_work(case, p):
    from mopr.models import RoleAssignment

    services.authorisation_grant(director=p.director_a, user=p.coordinator_a)
    assert policy.user_acts_as_approver(p.coordinator_a)[0]
    RoleAssignment.objects.filter(user=p.coordinator_a).delete()
    p.coordinator_a._mopr_roles = None
    assert not policy.user_acts_as_approver(p.coordinator_a)[0]


def test_only_the_centres_director_revokes_an_authorisation(org, p):
    authorisation = services.authorisation_grant(director=p.director_a, user=p.coordinator_a)
    director_b = UserFactory(institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    with pytest.raises(DomainError):
        services.authorisation_revoke(director=director_b, authorisation=authorisation)
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is None


def test_director_does_not_approve_their_own_request(org, p):
    director_worker = UserFactory(
        institution=org.inst_a, roles=[(Role.DIRECTOR, None), (Role.SOCIAL_WORKER, org.region_a1)]
    )
    case = CaseFactory(
        region=org.region_a1, worker=director_worker, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA
    )
    request = services.request_give_opinion(
        request=worker_request(case, director_worker), by=p.head_a, positive=True, comment="Zasadny."
    )
    with pytest.raises(DomainError, match="własnego wniosku"):
        services.request_decide(request=request, by=director_worker, approve=True, comment="")
    assert not policy.user_may_approve(director_worker, request)


def test_an_authorised_worker_does_not_approve_their_own_request(case, p):
    services.authorisation_grant(director=p.director_a, user=p.worker_a)
    request = services.request_give_opinion(
        request=worker_request(case, p.worker_a), by=p.head_a, positive=True, comment="Zasadny."
    )
    with pytest.raises(DomainError, match="własnego wniosku"):
        services.request_decide(request=request, by=p.worker_a, approve=True, comment="")


@pytest.mark.parametrize("who", ["worker_a", "worker_a_2", "coordinator_a", "auditor_a", "head_a", "assistant_a"])
def test_who_is_neither_director_nor_authorised_does_not_approve(case, p, who):
    request = in_status(case, p, Request.Status.APPROVAL, by=p.worker_a2)
    with pytest.raises(DomainError, match="upoważniona"):
        services.request_decide(request=request, by=getattr(p, who), approve=True, comment="")
    assert not request.decisions.exists()


def test_director_of_another_institution_does_not_approve(org, case, p):
    director_b = UserFactory(institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    request = services.request_give_opinion(
        request=worker_request(case, p.worker_a), by=p.head_a, positive=True, comment="Zasadny."
    )
    with pytest.raises(DomainError):
        services.request_decide(request=request, by=director_b, approve=True, comment="")
    assert not policy.user_may_approve(director_b, request)


def test_a_decision_is_not_changed(case, p):
    decision = approved(case, p).decisions.get(step=Decision.Step.APPROVAL)
    decision.positive = False
    with pytest.raises(AppendOnlyError):
        decision.save()
    assert Decision.objects.get(pk=decision.pk).positive


def test_a_decision_is_not_deleted(case, p):
    decision = approved(case, p).decisions.get(step=Decision.Step.APPROVAL)
    with pytest.raises(AppendOnlyError):
        decision.delete()
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_decisions_are_not_deleted_in_bulk(case, p):
    approved(case, p)
    with pytest.raises(AppendOnlyError):
        Decision.objects.all().delete()


def test_a_request_keeps_its_history(case, p):
    request = approved(case, p)
    history = list(request.history.order_by("history_id"))
    assert [h.status for h in history] == [Request.Status.OPINION, Request.Status.APPROVAL, Request.Status.APPROVED]
    assert [h.history_user for h in history] == [p.worker_a, p.head_a, p.director_a]


def test_a_decision_is_its_own_record_of_who_and_when(case, p):
    """A decision never changes, so its row is the history: who decided, when, in whose name."""
    decision = approved(case, p).decisions.get(step=Decision.Step.APPROVAL)
    assert decision.decided_by == p.director_a and decision.decided_at is not None and not decision.as_authorised


# --- 3. assignment ------------------------------------------------------------------------------------


def test_director_assigns_an_assistant_after_approval(case, p):
    request = approved(case, p)
    assignment = services.assistant_assign(
        request=request, by=p.director_a, assistant=p.assistant_a, qualified_on=TODAY() - 2 * DAY,
        letter_note="Asystent: p. Kowalska.",
    )  # fmt: skip
    assert assignment.active and assignment.case == case and assignment.assistant == p.assistant_a
    assert assignment.assigned_by == p.director_a and assignment.qualified_on == TODAY() - 2 * DAY
    assert assignment.history.get().history_user == p.director_a


@pytest.mark.parametrize(
    "status", [Request.Status.INTERVIEW, Request.Status.OPINION, Request.Status.APPROVAL, Request.Status.REJECTED,
               Request.Status.NOT_JUSTIFIED]
)  # fmt: skip
def test_assign_only_after_approval_or_court_order(case, p, status):
    request = in_status(case, p, status)
    with pytest.raises(DomainError, match="po zatwierdzeniu"):
        services.assistant_assign(request=request, by=p.director_a, assistant=p.assistant_a, qualified_on=TODAY())
    assert not Assignment.objects.exists()


def test_head_assigns_an_assistant(case, p):
    assignment = services.assistant_assign(
        request=approved(case, p), by=p.head_a, assistant=p.assistant_a, qualified_on=TODAY()
    )
    assert assignment.assigned_by == p.head_a


def test_a_person_the_director_authorised_assigns_an_assistant(case, p):
    services.authorisation_grant(director=p.director_a, user=p.coordinator_a)
    assignment = services.assistant_assign(
        request=approved(case, p), by=p.coordinator_a, assistant=p.assistant_a, qualified_on=TODAY()
    )
    assert assignment.assigned_by == p.coordinator_a


@pytest.mark.parametrize("who", ["worker_a", "coordinator_a", "auditor_a", "assistant_a"])
def test_worker_coordinator_auditor_or_assistant_does_not_assign(case, p, who):
    request = approved(case, p)
    with pytest.raises(DomainError, match="zatwierdzający lub kierownik"):
        services.assistant_assign(request=request, by=getattr(p, who), assistant=p.assistant_a, qualified_on=TODAY())


def test_director_of_another_institution_does_not_assign(org, case, p):
    director_b = UserFactory(institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    with pytest.raises(DomainError):
        services.assistant_assign(
            request=approved(case, p), by=director_b, assistant=p.assistant_a, qualified_on=TODAY()
        )


@pytest.mark.parametrize("who", ["worker_a_2", "assistant_of_b", "inactive_assistant"])
def test_only_a_family_assistant_of_the_centre_is_assigned(org, case, p, who):
    candidates = {
        "worker_a_2": p.worker_a_2,
        "assistant_of_b": UserFactory(institution=org.inst_b, roles=[(Role.FAMILY_ASSISTANT, None)]),
        "inactive_assistant": UserFactory(
            institution=org.inst_a, is_active=False, roles=[(Role.FAMILY_ASSISTANT, None)]
        ),
    }
    with pytest.raises(DomainError) as caught:
        services.assistant_assign(
            request=approved(case, p), by=p.director_a, assistant=candidates[who], qualified_on=TODAY()
        )
    assert caught.value.field == "assistant"
    assert list(policy.assistants_assignable(org.inst_a.pk)) == [p.assistant_a]


def test_a_request_gets_one_assistant(case, p, assistant_b):
    request = approved(case, p)
    services.assistant_assign(request=request, by=p.director_a, assistant=p.assistant_a, qualified_on=TODAY())
    with pytest.raises(DomainError, match="już asystenta"):
        services.assistant_assign(request=request, by=p.director_a, assistant=assistant_b, qualified_on=TODAY())


def test_one_active_assistant_per_case(case, p, assistant_b, assignment):
    second = in_status(case, p, Request.Status.APPROVED)
    with pytest.raises(DomainError):
        services.assistant_assign(request=second, by=p.director_a, assistant=assistant_b, qualified_on=TODAY())


def test_qualification_date_not_in_future(case, p):
    with pytest.raises(DomainError) as caught:
        services.assistant_assign(
            request=approved(case, p), by=p.director_a, assistant=p.assistant_a, qualified_on=TODAY() + DAY
        )
    assert caught.value.field == "qualified_on"


# --- 3. who sees the family ---------------------------------------------------------------------------


def test_assistant_sees_only_the_families_assigned_to_them(case, other_case, p, assignment):
    assert list(policy.cases_visible_to(p.assistant_a)) == [case]
    assert policy.case_is_visible(p.assistant_a, case)
    assert not policy.case_is_visible(p.assistant_a, other_case)


def test_assistant_does_not_see_another_assistants_family(case, other_case, p, assistant_b, assignment):
    assign(other_case, p, assistant=assistant_b)
    assert list(policy.cases_visible_to(p.assistant_a)) == [case]
    assert list(policy.cases_visible_to(assistant_b)) == [other_case]
    assert not policy.case_is_visible(p.assistant_a, other_case)
    assert not policy.case_is_visible(assistant_b, case)


def test_assistant_no_longer_sees_the_family_after_the_end(case, p, assignment):
    end(assignment, p.assistant_a)
    assert not policy.cases_visible_to(p.assistant_a).exists()
    assert not policy.case_is_visible(p.assistant_a, case)


def test_the_cases_worker_still_sees_the_assisted_family(case, p, assignment):
    assert policy.case_is_visible(p.worker_a, case)
    assert policy.case_allows(p.worker_a, case, policy.Action.WRITE)
    end(assignment, p.assistant_a)
    assert case in policy.cases_visible_to(p.worker_a)


def test_assistant_work_only_for_the_assigned_assistant(case, p, assistant_b, assignment):
    assert policy.case_allows(p.assistant_a, case, policy.Action.ASSISTANT_WORK)
    for user in (p.worker_a, p.coordinator_a, p.head_a, p.director_a, p.auditor_a, assistant_b, p.outsider):
        assert not policy.case_allows(user, case, policy.Action.ASSISTANT_WORK), user


def test_assistant_work_ends_with_the_assignment(case, p, assignment):
    end(assignment, p.assistant_a)
    assert not policy.case_allows(p.assistant_a, case, policy.Action.ASSISTANT_WORK)


def test_assistant_does_not_write_the_workers_entries(case, p, assignment):
    assert policy.case_allows(p.assistant_a, case, policy.Action.VIEW)
    for action in (policy.Action.WRITE, policy.Action.TRANSITION, policy.Action.ASSIGN):
        assert not policy.case_allows(p.assistant_a, case, action)


def test_assistant_sees_only_their_own_assignments(case, other_case, p, assistant_b, assignment):
    theirs = assign(other_case, p, assistant=assistant_b)
    assert list(policy.assignments_visible_to(p.assistant_a)) == [assignment]
    assert set(policy.assignments_visible_to(p.worker_a)) == {assignment, theirs}
    assert not policy.assignments_visible_to(p.outsider).exists()


def test_requests_visible_to_the_head_and_approvers_and_the_families_workers(org, case, p, assignment):
    other_region = CaseFactory(
        region=org.region_a2, worker=p.worker_a2, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA
    )
    elsewhere = worker_request(other_region, p.worker_a2)
    mine = assignment.request
    assert set(policy.requests_visible_to(p.head_a)) == {mine, elsewhere}
    assert set(policy.requests_visible_to(p.director_a)) == {mine, elsewhere}
    assert set(policy.requests_visible_to(p.worker_a)) == {mine}
    assert set(policy.requests_visible_to(p.worker_a2)) == {elsewhere}
    assert set(policy.requests_visible_to(p.assistant_a)) == {mine}
    assert not policy.requests_visible_to(p.outsider).exists()


def test_an_authorised_person_sees_every_request_of_the_centre(org, case, p):
    other_region = CaseFactory(
        region=org.region_a2, worker=p.worker_a2, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA
    )
    requests = {worker_request(case, p.worker_a), worker_request(other_region, p.worker_a2)}
    assert set(policy.requests_visible_to(p.coordinator_a)) != requests
    services.authorisation_grant(director=p.director_a, user=p.coordinator_a)
    assert set(policy.requests_visible_to(p.coordinator_a)) == requests


# --- 4. the assistant's work ----------------------------------------------------------------------------


def test_assistant_records_a_visit(p, assignment):
    visit = services.visit_record(
        assignment=assignment, by=p.assistant_a,
        visit=AssistantVisit(visited_on=TODAY() - DAY, joint_with_worker=True, description="Wspólna wizyta.",
                             minutes=90),
    )  # fmt: skip
    visit.refresh_from_db()
    assert (visit.assignment, visit.author, visit.joint_with_worker) == (assignment, p.assistant_a, True)
    assert visit.history.get().history_user == p.assistant_a


@pytest.mark.parametrize("kind", WORK_KINDS)
@pytest.mark.parametrize("who", ["worker_a", "director_a", "assistant_b"])
def test_only_the_assigned_assistant_records_the_work(p, assistant_b, assignment, kind, who):
    by = assistant_b if who == "assistant_b" else getattr(p, who)
    with pytest.raises(DomainError, match="przydzielony asystent"):
        write(kind, assignment, by)


@pytest.mark.parametrize("kind", ["visit", "plan", "assessment", "change"])
def test_no_work_after_the_end(p, assignment, kind):
    end(assignment, p.assistant_a)
    with pytest.raises(DomainError, match="zakończona"):
        write(kind, assignment, p.assistant_a)


def test_monthly_report_still_written_after_the_end(p, assignment):
    end(assignment, p.assistant_a)
    report = write("monthly", assignment, p.assistant_a)
    assert report.month == TODAY().replace(day=1)


@pytest.mark.parametrize(
    ("kind", "field"),
    [("visit", "visited_on"), ("plan", "drafted_on"), ("assessment", "assessed_on"), ("change", "learnt_on")],
)
def test_work_dated_in_the_future_is_refused(p, assignment, kind, field):
    with pytest.raises(DomainError) as caught:
        write(kind, assignment, p.assistant_a, on=TODAY() + DAY)
    assert caught.value.field == field
    assert caught.value.message == "Data nie może być z przyszłości."


def test_monthly_report_for_a_month_not_yet_begun_is_refused(p, assignment):
    with pytest.raises(DomainError) as caught:
        write("monthly", assignment, p.assistant_a, on=add_months(TODAY().replace(day=1), 1))
    assert caught.value.field == "month"
    assert "miesiąca" in caught.value.message


@pytest.mark.parametrize("field", ["family_told_worker_on", "assistant_told_worker_on"])
def test_change_told_in_the_future_is_refused(p, assignment, field):
    change = ChangeReport(learnt_on=TODAY(), change="Rozstanie rodziców.", **{field: TODAY() + DAY})
    with pytest.raises(DomainError) as caught:
        services.change_report_write(assignment=assignment, by=p.assistant_a, change=change)
    assert caught.value.field == field


def test_visit_before_the_qualification_is_refused(p, assignment):
    with pytest.raises(DomainError) as caught:
        write("visit", assignment, p.assistant_a, on=assignment.qualified_on - DAY)
    assert caught.value.field == "visited_on"


def test_a_second_plan_needs_the_reason_for_the_change(p, assignment):
    write("plan", assignment, p.assistant_a)
    with pytest.raises(DomainError) as caught:
        write("plan", assignment, p.assistant_a)
    assert caught.value.field == "change_reason"
    assert assignment.plans.count() == 1


def test_a_second_plan_is_a_new_version_and_the_first_stays(p, assignment):
    first = write("plan", assignment, p.assistant_a, on=TODAY() - 10 * DAY)
    amended = WorkPlan(drafted_on=TODAY(), assessment="Nowa ocena.", goals="Nowe cele.", change_reason="Ojciec wrócił.")
    second = services.plan_write(assignment=assignment, by=p.assistant_a, plan=amended)
    assert [(p_.version_number, p_.goals) for p_ in assignment.plans.all()] == [
        (1, "Regularne posiłki dzieci."),
        (2, "Nowe cele."),
    ]
    assert second.pk != first.pk and second.change_reason == "Ojciec wrócił."


def test_one_monthly_report_per_month(p, assignment):
    first = write("monthly", assignment, p.assistant_a, on=TODAY().replace(day=1))
    assert first.month == TODAY().replace(day=1)
    with pytest.raises(DomainError) as caught:
        write("monthly", assignment, p.assistant_a, on=TODAY())
    assert caught.value.field == "month"
    assert assignment.monthly_reports.count() == 1


def test_time_report_covers_the_assistants_own_families(org, case, other_case, p, assignment):
    second = assign(other_case, p)
    report = services.time_report_write(
        assistant=p.assistant_a, month=TODAY(), hours={assignment.pk: Decimal("20.5"), second.pk: Decimal(12)}
    )
    assert report.month == TODAY().replace(day=1)
    assert {(line.assignment, line.hours) for line in report.lines.all()} == {
        (assignment, Decimal("20.5")),
        (second, Decimal(12)),
    }


def test_time_report_refuses_another_assistants_family(other_case, p, assistant_b, assignment):
    theirs = assign(other_case, p, assistant=assistant_b)
    with pytest.raises(DomainError) as caught:
        services.time_report_write(
            assistant=p.assistant_a, month=TODAY(), hours={assignment.pk: Decimal(10), theirs.pk: Decimal(5)}
        )
    assert caught.value.field == "hours"
    assert not theirs.time_lines.exists()


@pytest.mark.parametrize("value", [None, Decimal(-1), Decimal(401)], ids=["none", "negative", "over_400"])
def test_time_report_needs_sensible_hours(p, assignment, value):
    hours = {} if value is None else {assignment.pk: value}
    with pytest.raises(DomainError) as caught:
        services.time_report_write(assistant=p.assistant_a, month=TODAY(), hours=hours)
    assert caught.value.field == "hours"


def test_one_time_report_per_month(p, assignment):
    services.time_report_write(assistant=p.assistant_a, month=TODAY(), hours={assignment.pk: Decimal(8)})
    with pytest.raises(DomainError) as caught:
        services.time_report_write(assistant=p.assistant_a, month=TODAY(), hours={assignment.pk: Decimal(9)})
    assert caught.value.field == "month"


def test_time_report_for_a_month_not_yet_begun_is_refused(p, assignment):
    with pytest.raises(DomainError) as caught:
        services.time_report_write(
            assistant=p.assistant_a, month=add_months(TODAY().replace(day=1), 1), hours={assignment.pk: Decimal(8)}
        )
    assert caught.value.field == "month"


def test_assistant_writes_a_periodic_assessment(p, assignment):
    assessment = write("assessment", assignment, p.assistant_a, on=TODAY() - DAY)
    assert list(assignment.assessments.all()) == [assessment]
    assert assessment.author == p.assistant_a


def test_assistant_records_a_change_of_the_familys_situation(p, assignment):
    change = write("change", assignment, p.assistant_a, on=TODAY() - 2 * DAY)
    assert list(assignment.change_reports.all()) == [change]
    assert change.family_told_worker_on is None and change.assistant_told_worker_on is None


@pytest.mark.parametrize("closer", ["assistant_a", "worker_a"])
def test_a_change_is_closed_when_the_worker_was_told(p, assignment, closer):
    change = write("change", assignment, p.assistant_a, on=TODAY() - 9 * DAY)
    closed = services.change_report_close(
        change=change, by=getattr(p, closer), family_told_on=None, assistant_told_on=TODAY() - DAY
    )
    assert (closed.family_told_worker_on, closed.assistant_told_worker_on) == (None, TODAY() - DAY)
    assert closed.history.latest().history_user == getattr(p, closer)


def test_closing_a_change_needs_the_date_the_worker_was_told(p, assignment):
    change = write("change", assignment, p.assistant_a)
    with pytest.raises(DomainError) as caught:
        services.change_report_close(change=change, by=p.assistant_a, family_told_on=None, assistant_told_on=None)
    assert caught.value.field == "family_told_worker_on"


@pytest.mark.parametrize("who", ["worker_a_2", "director_a", "assistant_b"])
def test_only_the_assistant_or_the_cases_worker_closes_a_change(p, assistant_b, assignment, who):
    change = write("change", assignment, p.assistant_a)
    by = assistant_b if who == "assistant_b" else getattr(p, who)
    with pytest.raises(DomainError, match="asystent lub pracownik"):
        services.change_report_close(change=change, by=by, family_told_on=TODAY(), assistant_told_on=None)


def test_closing_a_change_with_a_future_date_is_refused(p, assignment):
    change = write("change", assignment, p.assistant_a)
    with pytest.raises(DomainError) as caught:
        services.change_report_close(change=change, by=p.assistant_a, family_told_on=TODAY() + DAY,
                                     assistant_told_on=None)  # fmt: skip
    assert caught.value.field == "family_told_worker_on"


# --- 5. the end -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", list(Assignment.End))
def test_the_assistants_work_ends_with_date_reason_and_final_report(p, assignment, reason):
    ended = end(assignment, p.worker_a, end=reason, ended_on=TODAY() - 3 * DAY, reason="Uzasadnienie zakończenia.")
    ended.refresh_from_db()
    assert (ended.end, ended.ended_on, ended.end_reason) == (reason, TODAY() - 3 * DAY, "Uzasadnienie zakończenia.")
    assert not ended.active
    final = FinalReport.objects.get(assignment=ended)
    assert (final.written_on, final.author) == (TODAY() - 3 * DAY, p.worker_a)
    assert final.summary == "Rodzina samodzielnie organizuje opiekę nad dziećmi."


@pytest.mark.parametrize("field", ["reason", "final_summary"])
def test_the_end_needs_the_reason_and_the_final_report(p, assignment, field):
    with pytest.raises(DomainError) as caught:
        end(assignment, p.assistant_a, **{field: "  "})
    assert caught.value.field == field
    assignment.refresh_from_db()
    assert assignment.active and not FinalReport.objects.exists()


def test_the_end_needs_a_date(p, assignment):
    with pytest.raises(DomainError) as caught:
        end(assignment, p.assistant_a, ended_on=None)
    assert caught.value.field == "ended_on"


def test_the_end_needs_one_of_the_four_reasons(p, assignment):
    with pytest.raises(DomainError) as caught:
        end(assignment, p.assistant_a, end="")
    assert caught.value.field == "end"


@pytest.mark.parametrize("offset", [DAY, -100 * DAY], ids=["tomorrow", "before_qualification"])
def test_the_end_date_between_the_qualification_and_today(p, assignment, offset):
    with pytest.raises(DomainError) as caught:
        end(assignment, p.assistant_a, ended_on=TODAY() + offset)
    assert caught.value.field == "ended_on"


@pytest.mark.parametrize("who", ["worker_a_2", "director_a", "head_a"])
def test_only_the_assistant_or_the_cases_worker_ends_the_work(p, assignment, who):
    with pytest.raises(DomainError, match="asystent lub pracownik"):
        end(assignment, getattr(p, who))
    assignment.refresh_from_db()
    assert assignment.active


def test_the_work_ends_once(p, assignment):
    end(assignment, p.assistant_a)
    with pytest.raises(DomainError, match="już zakończona"):
        end(assignment, p.worker_a)
    assert FinalReport.objects.count() == 1


def test_a_new_request_after_the_end(case, p, assignment):
    end(assignment, p.worker_a)
    assert worker_request(case, p.worker_a).status == Request.Status.OPINION


def test_after_the_end_the_documents_show_the_final_report(p, assignment):
    assert dict(services.documents_status(assignment))["sprawozdanie z pracy asystenta rodziny z rodziną"] is False
    ended = end(assignment, p.assistant_a)
    assert services.documents_status(ended)[-1] == ("sprawozdanie z pracy asystenta rodziny z rodziną", True)


# --- 6. the eight documents of seed 002 ---------------------------------------------------------------------

SEED_002_DOCUMENTS = [
    "pisemna zgoda rodziny na wsparcie asystenta",
    "pismo przydzielające rodzinie asystenta",
    "plan pracy z rodziną",
    "miesięczne sprawozdanie z pracy z rodziną",
    "karta pracy z rodziną (wizyty)",
    "miesięczne sprawozdanie z czasu pracy asystenta",
    "okresowa ocena sytuacji rodziny (raz na pół roku)",
    "sprawozdanie z pracy asystenta rodziny z rodziną",
]


def test_documents_status_lists_the_eight_documents_of_seed_002(assignment):
    assert [str(label) for label, _present in services.documents_status(assignment)] == SEED_002_DOCUMENTS


def test_documents_status_at_the_start_has_the_consent_and_the_letter(assignment):
    present = [present for _label, present in services.documents_status(assignment)]
    assert present == [True, True, False, False, False, False, False, False]


def test_documents_status_shows_each_document_as_it_is_written(p, assignment):
    for kind in ["plan", "monthly", "visit", "assessment"]:
        write(kind, assignment, p.assistant_a)
    services.time_report_write(assistant=p.assistant_a, month=TODAY(), hours={assignment.pk: Decimal(10)})
    assert [present for _label, present in services.documents_status(assignment)] == [True] * 7 + [False]
    ended = end(assignment, p.assistant_a, ended_on=TODAY())
    assert all(present for _label, present in services.documents_status(ended))


def test_documents_status_consent_missing_on_a_request_without_it(case, p):
    request = in_status(case, p, Request.Status.APPROVED)
    request.consent_on = None
    request.save()
    assignment = services.assistant_assign(request=request, by=p.director_a, assistant=p.assistant_a,
                                           qualified_on=TODAY())  # fmt: skip
    assert services.documents_status(assignment)[0] == ("pisemna zgoda rodziny na wsparcie asystenta", False)


def test_documents_status_a_court_order_needs_no_consent(case, p):
    assignment = services.assistant_assign(
        request=court_request(case, p.worker_a), by=p.head_a, assistant=p.assistant_a, qualified_on=TODAY()
    )
    assert services.documents_status(assignment)[0][1] is True
