"""Stage II and III rules: visits, summons, notifications, contacts, the child, the diagnosis,
notes, flags, and the deadline engine."""

import datetime

import pytest
from django.utils import timezone

from cases import deadlines, services
from cases.deadlines import add_months
from cases.models import (
    Case,
    CaseFlag,
    ChildObservation,
    Diagnosis,
    FlagKind,
    InstitutionContact,
    Notification,
    OfficialNote,
    Summons,
    Visit,
)
from cases.procedure import CloseReason, Stage
from mopr.errors import DomainError, TransitionRefused
from mopr.tests.factories import CaseFactory, MemberFactory, VisitFactory

NOW = timezone.now
TODAY = timezone.localdate


@pytest.fixture
def case(org, p):
    # Reported three weeks ago: the entries below are dated after the report (issue 16.2).
    return CaseFactory(
        region=org.region_a1, worker=p.worker_a, accepted_at=NOW(), stage=Stage.ROZEZNANIE,
        reported_at=NOW() - datetime.timedelta(days=21),
    )  # fmt: skip


def visit(case, p, outcome=Visit.Outcome.MET, days_ago=1):
    return services.visit_record(
        case=case,
        by=p.worker_a,
        visit=Visit(visited_at=NOW() - datetime.timedelta(days=days_ago), outcome=outcome, findings="Ustalenia."),
    )


# --- visits and the first contact ----------------------------------------------------------------


def test_visit_records_first_contact_and_bumps_version(case, p):
    version = case.version
    visit(case, p, days_ago=3)
    case.refresh_from_db()
    assert case.first_contact_at == TODAY() - datetime.timedelta(days=3)
    assert case.version > version
    visit(case, p, days_ago=10)  # an earlier meeting recorded later moves the first contact back
    case.refresh_from_db()
    assert case.first_contact_at == TODAY() - datetime.timedelta(days=10)


def test_refused_visit_is_no_first_contact(case, p):
    visit(case, p, Visit.Outcome.REFUSED)
    case.refresh_from_db()
    assert case.first_contact_at is None


def test_visit_in_the_future_is_refused(case, p):
    with pytest.raises(DomainError, match="z przyszłości") as error:
        visit(case, p, days_ago=-1)
    assert error.value.field == "visited_at"
    assert not Visit.objects.exists()


def test_entries_wait_for_rozeznanie_and_stop_at_closure(org, p):
    intake = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=NOW(), stage=Stage.ZGLOSZENIE)
    with pytest.raises(DomainError, match="Najpierw rozpocznij rozeznanie"):
        visit(intake, p)
    closed = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=NOW(), stage=Stage.ZAKONCZENIE)
    with pytest.raises(DomainError, match="nie dodaje się"):
        visit(closed, p)


# --- summons and notifications ----------------------------------------------------------------


def test_summons_only_after_a_refusal(case, p):
    summons = Summons(issued_on=TODAY(), appointment_at=NOW() + datetime.timedelta(days=7))
    with pytest.raises(DomainError, match="po odmowie kontaktu"):
        services.summons_issue(case=case, by=p.worker_a, summons=summons)
    refused = visit(case, p, Visit.Outcome.REFUSED)
    services.summons_issue(case=case, by=p.worker_a, summons=summons)
    assert summons.visit == refused and summons.author == p.worker_a


def test_summons_appointment_not_before_issue(case, p):
    visit(case, p, Visit.Outcome.REFUSED)
    summons = Summons(issued_on=TODAY(), appointment_at=NOW() - datetime.timedelta(days=3))
    with pytest.raises(DomainError, match="przed datą wezwania"):
        services.summons_issue(case=case, by=p.worker_a, summons=summons)


def test_summons_appointment_just_after_midnight_is_that_local_day(case, p):
    """00:30 in Poland is the previous day in UTC: the appointment is on the issue day, not before."""
    refused = visit(case, p, Visit.Outcome.REFUSED)
    day = timezone.localdate()
    early = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 30)))
    summons = Summons(visit=refused, issued_on=day, appointment_at=early.astimezone(datetime.UTC))
    services.summons_issue(case=case, by=p.worker_a, summons=summons)
    assert summons.pk


def test_notification_and_its_answer(case, p):
    n = Notification(
        service=Notification.Service.FAMILY_COURT,
        service_name="Sąd Rejonowy w Toruniu, III Wydział Rodzinny",
        reason="Brak możliwości ustalenia sytuacji dzieci.",
        sent_on=TODAY() - datetime.timedelta(days=5),
        sent_how=Notification.SentHow.LETTER,
    )
    services.notification_send(case=case, by=p.worker_a, notification=n)
    with pytest.raises(DomainError, match="wcześniejsza"):
        services.notification_record_answer(
            notification=n, by=p.worker_a, answer="x", answered_on=TODAY() - datetime.timedelta(days=9)
        )
    n.refresh_from_db()
    services.notification_record_answer(
        notification=n, by=p.worker_a, answer="Wszczęto postępowanie.", answered_on=TODAY()
    )
    n.refresh_from_db()
    assert n.answer == "Wszczęto postępowanie." and n.history.count() == 2


# --- the child and the mandatory contacts ----------------------------------------------------------------


def test_talk_with_child_needs_recorded_consent(case, p):
    child = MemberFactory(client=case.client, is_head=False, relation="child", birth_date=datetime.date(2016, 4, 1))
    observation = ChildObservation(
        child=child, observed_on=TODAY(), observation="Dziecko spokojne.", talked_with_child=True
    )
    with pytest.raises(DomainError, match="zgody rodzica") as error:
        services.child_observation_record(case=case, by=p.worker_a, observation=observation)
    assert error.value.field == "consent_given_by"
    observation.consent_given_by = "matka, Anna Nowak"
    services.child_observation_record(case=case, by=p.worker_a, observation=observation)
    assert ChildObservation.objects.get().consent_given_by == "matka, Anna Nowak"


def test_the_database_refuses_a_talk_without_consent(case, p):
    from django.db import IntegrityError, transaction

    child = MemberFactory(client=case.client, is_head=False, relation="child")
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildObservation.objects.create(
            case=case, author=p.worker_a, child=child, observed_on=TODAY(), observation="x", talked_with_child=True
        )


def test_child_of_another_family_is_refused(case, p, org):
    stranger = MemberFactory()
    with pytest.raises(DomainError, match="nie należy do rodziny"):
        services.child_observation_record(
            case=case, by=p.worker_a, observation=ChildObservation(child=stranger, observed_on=TODAY(), observation="x")
        )


def test_mandatory_contacts_warn_and_let_the_worker_go_on_with_a_reason(case, p):
    toddler = MemberFactory(
        client=case.client, is_head=False, relation="child", birth_date=TODAY().replace(year=TODAY().year - 3)
    )
    fostered = MemberFactory(
        client=case.client, is_head=False, relation="child", birth_date=datetime.date(2012, 1, 1), in_foster_care=True
    )
    visit(case, p)
    with pytest.raises(TransitionRefused, match="Brakuje obowiązkowych kontaktów") as error:
        services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a)
    assert toddler.full_name in error.value.message and fostered.full_name in error.value.message
    # The worker may go on; the reason stays in the transition record.
    moved = services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a, reason="Przychodnia nie odpowiada.")
    assert moved.stage == Stage.DIAGNOZA
    assert moved.transitions.get(to_stage=Stage.DIAGNOZA).reason == "Przychodnia nie odpowiada."


def test_mandatory_contacts_made_let_the_case_go_on(case, p):
    toddler = MemberFactory(
        client=case.client, is_head=False, relation="child", birth_date=TODAY().replace(year=TODAY().year - 3)
    )
    visit(case, p)
    services.institution_contact_record(
        case=case,
        by=p.worker_a,
        contact=InstitutionContact(
            kind=InstitutionContact.Kind.DISTRICT_CLINIC,
            member=toddler,
            contacted_on=TODAY(),
            form=InstitutionContact.Form.PHONE,
            learnt="Szczepienia aktualne.",
        ),
    )
    assert services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a).stage == Stage.DIAGNOZA


def test_a_child_of_seven_needs_no_clinic_contact(case):
    from cases.procedure import mandatory_contacts_missing

    MemberFactory(
        client=case.client, is_head=False, relation="child", birth_date=TODAY().replace(year=TODAY().year - 7)
    )
    assert mandatory_contacts_missing(case) == []


def test_diagnosis_needs_a_visit_where_the_client_was_met(case, p):
    visit(case, p, Visit.Outcome.NOBODY_HOME)
    with pytest.raises(TransitionRefused, match="spotkano klienta"):
        services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a)


# --- the diagnosis ----------------------------------------------------------------


def _diagnosis(decision, justification=""):
    return Diagnosis(
        diagnosed_on=TODAY(),
        facts="Fakty.",
        resources="Zasoby.",
        decision=decision,
        justification=justification,
        problem_areas=["poverty"],
    )


@pytest.fixture
def in_diagnosis(case, p):
    visit(case, p)
    return services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a)


def test_no_problem_needs_justification_and_closes_as_unfounded(in_diagnosis, p):
    with pytest.raises(DomainError, match="Uzasadnij"):
        services.diagnosis_record(case=in_diagnosis, by=p.worker_a, diagnosis=_diagnosis(Diagnosis.Decision.NO_PROBLEM))
    assert not Diagnosis.objects.exists()
    services.diagnosis_record(
        case=in_diagnosis,
        by=p.worker_a,
        diagnosis=_diagnosis(Diagnosis.Decision.NO_PROBLEM, "Sygnał się nie potwierdził."),
    )
    in_diagnosis.refresh_from_db()
    assert in_diagnosis.stage == Stage.ZAKONCZENIE and in_diagnosis.close_reason == CloseReason.UNFOUNDED
    assert in_diagnosis.close_justification == "Sygnał się nie potwierdził."
    assert in_diagnosis.social_work_started_at is None  # no social work is started (III.2)


def test_social_work_needed_moves_to_stage_iv(in_diagnosis, p):
    services.diagnosis_record(case=in_diagnosis, by=p.worker_a, diagnosis=_diagnosis(Diagnosis.Decision.SOCIAL_WORK))
    in_diagnosis.refresh_from_db()
    assert in_diagnosis.stage == Stage.PRACA_SOCJALNA and in_diagnosis.social_work_started_at == TODAY()


def test_diagnosis_only_at_stage_iii(case, p):
    with pytest.raises(DomainError):
        services.diagnosis_record(case=case, by=p.worker_a, diagnosis=_diagnosis(Diagnosis.Decision.SOCIAL_WORK))


def test_unfounded_closure_and_social_work_need_the_diagnosis(in_diagnosis, p):
    with pytest.raises(TransitionRefused, match="na podstawie diagnozy"):
        services.case_close(case=in_diagnosis, by=p.worker_a, reason=CloseReason.UNFOUNDED, justification="x")
    with pytest.raises(TransitionRefused, match="na podstawie diagnozy"):
        services.case_change_stage(case=in_diagnosis, to=Stage.PRACA_SOCJALNA, by=p.worker_a)


# --- notes and flags ----------------------------------------------------------------


@pytest.mark.parametrize("stage", list(Stage))
def test_official_note_at_any_stage_and_nothing_changed_is_valid(org, p, stage):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=NOW(), stage=stage)
    note = services.note_write(
        case=case, by=p.worker_a, note=OfficialNote(written_on=TODAY(), content="", nothing_changed=True)
    )
    assert note.content == str(OfficialNote.NOTHING_CHANGED) and note.author == p.worker_a


def test_empty_note_is_refused(case, p):
    with pytest.raises(DomainError, match="treść notatki"):
        services.note_write(case=case, by=p.worker_a, note=OfficialNote(written_on=TODAY(), content="  "))


def test_flag_shows_once_and_its_removal_needs_a_reason(case, p):
    flag = services.flag_add(
        case=case, by=p.worker_a, kind=FlagKind.NIEBIESKA_KARTA, started_on=TODAY(), started_by="Policja"
    )
    with pytest.raises(DomainError, match="już aktywne"):
        services.flag_add(case=case, by=p.worker_a, kind=FlagKind.NIEBIESKA_KARTA, started_on=TODAY(), started_by="x")
    with pytest.raises(DomainError, match="powód"):
        services.flag_remove(flag=flag, by=p.worker_a, reason=" ")
    services.flag_remove(flag=flag, by=p.worker_a, reason="Zakończono procedurę.")
    flag.refresh_from_db()
    assert not flag.active and flag.removal_reason == "Zakończono procedurę."
    assert flag.history.filter(removed_at__isnull=True).exists()  # the flag's life stays in the history
    assert CaseFlag.objects.filter(case=case).count() == 1


# --- the deadline engine ----------------------------------------------------------------


def test_add_months_keeps_the_month_end():
    assert add_months(datetime.date(2026, 12, 31), 2) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 1, 15), 2) == datetime.date(2026, 3, 15)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)


def test_repeat_visit_is_due_until_a_later_visit_meets_the_family(case, p, org):
    MemberFactory(client=case.client, is_head=False, relation="child", birth_date=TODAY().replace(year=2016))
    visit(case, p, Visit.Outcome.CHILD_ABSENT, days_ago=10)
    [repeat] = [d for d in deadlines.deadlines_for([case])[case.pk] if d.rule == "repeat_visit"]
    assert repeat.due == TODAY() - datetime.timedelta(days=10 - org.inst_a.repeat_visit_days)
    assert repeat.overdue
    visit(case, p, Visit.Outcome.MET, days_ago=1)
    assert not [d for d in deadlines.deadlines_for([case])[case.pk] if d.rule == "repeat_visit"]


def test_contract_deadline_two_months_from_first_contact_for_a_new_client(case, p, org):
    assert deadlines.deadlines_for([case])[case.pk] == []  # no contact yet
    visit(case, p, days_ago=20)
    case.refresh_from_db()
    [contract] = deadlines.deadlines_for([case])[case.pk]
    assert contract.rule == "contract" and contract.due == add_months(TODAY() - datetime.timedelta(days=20), 2)
    org.inst_a.contract_deadline_months = 1  # the institution's setting
    org.inst_a.save()
    case.refresh_from_db()
    assert deadlines.deadlines_for([case])[case.pk][0].due == add_months(case.first_contact_at, 1)


def test_no_contract_deadline_for_a_client_known_before(case, p, org):
    case.stage = Stage.ZAKONCZENIE  # the earlier case closed; a client has one open case
    case.save()
    later = CaseFactory(
        region=org.region_a1, client=case.client, worker=p.worker_a, accepted_at=NOW(), stage=Stage.ROZEZNANIE
    )
    VisitFactory(case=later)
    later.first_contact_at = TODAY()
    later.save()
    assert deadlines.deadlines_for([later])[later.pk] == []


def test_deadlines_of_many_cases_in_a_fixed_number_of_queries(org, p, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Case

    def count(n):
        cases = [
            CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=NOW(), stage=Stage.ROZEZNANIE)
            for _ in range(n)
        ]
        for c in cases:
            VisitFactory(case=c, outcome=Visit.Outcome.CHILD_ABSENT)
        loaded = list(Case.objects.filter(pk__in=[c.pk for c in cases]).select_related("institution"))
        with CaptureQueriesContext(connection) as queries:
            result = deadlines.deadlines_for(loaded)
        assert all(result[c.pk] for c in cases)
        return len(queries)

    assert count(2) == count(12)


def test_resume_reads_the_suspended_stage_from_the_locked_row(case, p):
    services.case_suspend(case=case, by=p.worker_a, reason="Szpital")
    stale = Case.objects.get(pk=case.pk)
    stale.suspended_from = ""  # a stale copy must not decide where the case goes
    resumed = services.case_resume(case=stale, by=p.worker_a, reason="Powrót")
    assert resumed.stage == Stage.ROZEZNANIE


def test_no_flags_on_a_closed_case(org, p):
    closed = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=NOW(), stage=Stage.ZAKONCZENIE)
    with pytest.raises(DomainError, match="zakończona"):
        services.flag_add(case=closed, by=p.worker_a, kind=FlagKind.CHILD_ABUSE, started_on=TODAY(), started_by="x")
