"""The family assistant's due dates in the deadline engine (seed 002, each interval the
institution's setting): the first joint visit, the plan, the visits, the monthly report, the
periodic assessment, a change of the family's situation, the worker's control visits after the
end and telling the court of a court-ordered family's non-cooperation.

Today is frozen at Friday 20 March 2026 (Europe/Warsaw)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assistants.models import (
    Assignment,
    AssistantVisit,
    ChangeReport,
    MonthlyReport,
    PeriodicAssessment,
    Request,
    WorkPlan,
)
from cases.deadlines import deadlines_for
from cases.models import Case, Notification
from cases.procedure import Stage
from mopr.tests.factories import CaseFactory, VisitFactory

D = datetime.date
WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=WARSAW)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        assert timezone.localdate() == D(2026, 3, 20)
        yield


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)


def assistant_for(case, p, qualified_on: datetime.date, path=Request.Path.WORKER) -> Assignment:
    """An assistant working with the family since ``qualified_on``, straight in the database."""
    request = Request.objects.create(
        case=case, path=path, requested_by=p.worker_a, requested_on=qualified_on, justification="Zaniedbania.",
        status=Request.Status.ORDERED if path == Request.Path.COURT else Request.Status.APPROVED,
        consent_on=None if path == Request.Path.COURT else qualified_on,
    )  # fmt: skip
    return Assignment.objects.create(
        case=case, request=request, assistant=p.assistant_a, assigned_by=p.director_a, qualified_on=qualified_on
    )


def ended(assignment, on: datetime.date, end=Assignment.End.GOALS_REACHED) -> Assignment:
    assignment.ended_on, assignment.end, assignment.end_reason = on, end, "Zakończenie."
    assignment.save()
    return assignment


def visit(assignment, on: datetime.date, joint=False) -> AssistantVisit:
    return AssistantVisit.objects.create(
        assignment=assignment,
        author=assignment.assistant,
        visited_on=on,
        joint_with_worker=joint,
        description="Wizyta.",
    )


def monthly(assignment, month: datetime.date) -> MonthlyReport:
    return MonthlyReport.objects.create(assignment=assignment, author=assignment.assistant, month=month, summary="Ok.")


def change(assignment, learnt_on: datetime.date, **told) -> ChangeReport:
    return ChangeReport.objects.create(
        assignment=assignment, author=assignment.assistant, learnt_on=learnt_on, change="Ojciec stracił pracę.", **told
    )


def court_notice(case, p, sent_on: datetime.date, service=Notification.Service.FAMILY_COURT) -> Notification:
    return Notification.objects.create(
        case=case, author=p.worker_a, service=service, service_name="Sąd Rejonowy w Toruniu",
        reason="Rodzina nie podjęła współpracy z asystentem.", sent_on=sent_on, sent_how=Notification.SentHow.LETTER,
    )  # fmt: skip


def due(case, rule: str) -> list[datetime.date]:
    """The due dates of ``rule`` for the case, as a list page loads it."""
    loaded = Case.objects.select_related("institution").filter(pk=case.pk)
    return [d.due for d in deadlines_for(loaded)[case.pk] if d.rule == rule]


def setting(case, **values) -> None:
    for name, value in values.items():
        setattr(case.institution, name, value)
    case.institution.save()


# --- the first joint visit: 14 days from the qualification ------------------------------------------------


def test_first_joint_visit_due_14_days_after_the_qualification(case, p):
    assistant_for(case, p, D(2026, 3, 10))
    assert due(case, "assistant_first_visit") == [D(2026, 3, 24)]


def test_first_joint_visit_is_done_when_a_joint_visit_is_recorded(case, p):
    visit(assistant_for(case, p, D(2026, 3, 10)), D(2026, 3, 18), joint=True)
    assert due(case, "assistant_first_visit") == []


def test_a_visit_without_the_worker_is_not_the_first_joint_visit(case, p):
    visit(assistant_for(case, p, D(2026, 3, 10)), D(2026, 3, 18), joint=False)
    assert due(case, "assistant_first_visit") == [D(2026, 3, 24)]


def test_first_joint_visit_follows_the_institutions_setting(case, p):
    assistant_for(case, p, D(2026, 3, 10))
    setting(case, assistant_first_visit_days=7)
    assert due(case, "assistant_first_visit") == [D(2026, 3, 17)]


def test_no_first_joint_visit_due_after_the_end(case, p):
    ended(assistant_for(case, p, D(2026, 3, 10)), D(2026, 3, 12))
    assert due(case, "assistant_first_visit") == []


# --- the plan of work: 1 month from the qualification -------------------------------------------------------


def test_plan_due_one_month_after_the_qualification(case, p):
    assistant_for(case, p, D(2026, 3, 10))
    assert due(case, "assistant_plan") == [D(2026, 4, 10)]


def test_plan_due_on_the_last_day_of_a_shorter_month(case, p):
    assistant_for(case, p, D(2026, 1, 31))
    assert due(case, "assistant_plan") == [D(2026, 2, 28)]


def test_plan_no_longer_due_once_written(case, p):
    assignment = assistant_for(case, p, D(2026, 3, 10))
    WorkPlan.objects.create(
        assignment=assignment, author=p.assistant_a, drafted_on=D(2026, 3, 19), assessment="Ocena.", goals="Cele."
    )
    assert due(case, "assistant_plan") == []


def test_plan_follows_the_institutions_setting(case, p):
    assistant_for(case, p, D(2026, 3, 10))
    setting(case, assistant_plan_months=2)
    assert due(case, "assistant_plan") == [D(2026, 5, 10)]


# --- the visits: at least every 14 days -------------------------------------------------------------------------


def test_first_visit_due_14_days_after_the_qualification(case, p):
    assistant_for(case, p, D(2026, 3, 10))
    assert due(case, "assistant_visit") == [D(2026, 3, 24)]


def test_next_visit_due_14_days_after_the_last_one(case, p):
    assignment = assistant_for(case, p, D(2026, 2, 1))
    visit(assignment, D(2026, 3, 15))
    visit(assignment, D(2026, 3, 2))
    assert due(case, "assistant_visit") == [D(2026, 3, 29)]


def test_an_overdue_visit_is_overdue(case, p):
    visit(assistant_for(case, p, D(2026, 2, 1)), D(2026, 3, 1))
    [deadline] = [
        d for d in deadlines_for(Case.objects.select_related("institution"))[case.pk] if d.rule == "assistant_visit"
    ]
    assert deadline.due == D(2026, 3, 15) and deadline.overdue and deadline.days_left == -5


def test_visit_interval_follows_the_institutions_setting(case, p):
    visit(assistant_for(case, p, D(2026, 2, 1)), D(2026, 3, 15))
    setting(case, assistant_visit_interval_days=7)
    assert due(case, "assistant_visit") == [D(2026, 3, 22)]


def test_no_visit_due_after_the_end(case, p):
    ended(assistant_for(case, p, D(2026, 2, 1)), D(2026, 3, 1))
    assert due(case, "assistant_visit") == []


# --- the monthly report: the first month without one, by the 10th of the next month ----------------------------


def test_monthly_report_due_on_the_10th_of_the_next_month(case, p):
    assistant_for(case, p, D(2026, 1, 15))
    assert due(case, "assistant_monthly_report") == [D(2026, 2, 10)]


def test_monthly_report_due_for_the_first_month_without_one(case, p):
    assignment = assistant_for(case, p, D(2026, 1, 15))
    monthly(assignment, D(2026, 1, 1))
    assert due(case, "assistant_monthly_report") == [D(2026, 3, 10)]


def test_monthly_report_gap_is_found_before_later_reports(case, p):
    assignment = assistant_for(case, p, D(2025, 12, 3))
    monthly(assignment, D(2025, 12, 1))
    monthly(assignment, D(2026, 2, 1))
    assert due(case, "assistant_monthly_report") == [D(2026, 2, 10)]


def test_monthly_report_not_due_for_the_current_month(case, p):
    assignment = assistant_for(case, p, D(2026, 1, 15))
    monthly(assignment, D(2026, 1, 1))
    monthly(assignment, D(2026, 2, 1))
    assert due(case, "assistant_monthly_report") == []


def test_monthly_report_not_due_in_the_month_of_the_qualification(case, p):
    assistant_for(case, p, D(2026, 3, 2))
    assert due(case, "assistant_monthly_report") == []


def test_monthly_report_follows_the_institutions_setting(case, p):
    assistant_for(case, p, D(2026, 1, 15))
    setting(case, assistant_monthly_report_day=5)
    assert due(case, "assistant_monthly_report") == [D(2026, 2, 5)]


def test_monthly_report_for_the_last_months_still_due_after_the_end(case, p):
    assignment = assistant_for(case, p, D(2026, 1, 15))
    monthly(assignment, D(2026, 1, 1))
    ended(assignment, D(2026, 2, 20))
    assert due(case, "assistant_monthly_report") == [D(2026, 3, 10)]


# --- the periodic assessment: at least every 6 months ------------------------------------------------------------


def test_periodic_assessment_due_six_months_after_the_qualification(case, p):
    assistant_for(case, p, D(2026, 1, 15))
    assert due(case, "assistant_assessment") == [D(2026, 7, 15)]


def test_periodic_assessment_due_six_months_after_the_last_one(case, p):
    assignment = assistant_for(case, p, D(2025, 6, 1))
    for on in (D(2025, 12, 1), D(2026, 3, 1)):
        PeriodicAssessment.objects.create(assignment=assignment, author=p.assistant_a, assessed_on=on, assessment="x")
    assert due(case, "assistant_assessment") == [D(2026, 9, 1)]


def test_periodic_assessment_follows_the_institutions_setting(case, p):
    assistant_for(case, p, D(2026, 1, 15))
    setting(case, assistant_assessment_months=3)
    assert due(case, "assistant_assessment") == [D(2026, 4, 15)]


# --- a change of the family's situation: 7 days for the family, then the assistant tells -----------------------


def test_a_change_is_due_seven_days_after_the_assistant_learnt_of_it(case, p):
    change(assistant_for(case, p, D(2026, 1, 15)), D(2026, 3, 16))
    assert due(case, "assistant_change") == [D(2026, 3, 23)]


def test_each_untold_change_is_due(case, p):
    assignment = assistant_for(case, p, D(2026, 1, 15))
    change(assignment, D(2026, 3, 16))
    change(assignment, D(2026, 3, 1))
    assert due(case, "assistant_change") == [D(2026, 3, 8), D(2026, 3, 23)]


@pytest.mark.parametrize("told", ["family_told_worker_on", "assistant_told_worker_on"])
def test_a_change_is_no_longer_due_once_the_worker_was_told(case, p, told):
    change(assistant_for(case, p, D(2026, 1, 15)), D(2026, 3, 16), **{told: D(2026, 3, 18)})
    assert due(case, "assistant_change") == []


def test_change_follows_the_institutions_setting(case, p):
    change(assistant_for(case, p, D(2026, 1, 15)), D(2026, 3, 16))
    setting(case, family_change_report_days=3)
    assert due(case, "assistant_change") == [D(2026, 3, 19)]


def test_an_untold_change_stays_due_after_the_end(case, p):
    assignment = assistant_for(case, p, D(2026, 1, 15))
    change(assignment, D(2026, 3, 16))
    ended(assignment, D(2026, 3, 18))
    assert due(case, "assistant_change") == [D(2026, 3, 23)]


# --- the worker's control visits for up to 2 months after the end ------------------------------------------------


def test_no_control_visit_while_the_assistant_works(case, p):
    assistant_for(case, p, D(2026, 1, 15))
    assert due(case, "control_visit") == []


def test_control_visit_due_a_month_after_the_end(case, p):
    ended(assistant_for(case, p, D(2025, 11, 3)), D(2026, 3, 10))
    assert due(case, "control_visit") == [D(2026, 4, 10)]


def test_control_visit_due_a_month_after_the_workers_last_visit(case, p):
    ended(assistant_for(case, p, D(2025, 11, 3)), D(2026, 2, 1))
    VisitFactory(case=case, author=p.worker_a, visited_at=datetime.datetime(2026, 3, 1, 11, 0, tzinfo=WARSAW))
    assert due(case, "control_visit") == [D(2026, 4, 1)]


def test_no_control_visit_due_beyond_the_two_months(case, p):
    ended(assistant_for(case, p, D(2025, 11, 3)), D(2026, 2, 1))
    VisitFactory(case=case, author=p.worker_a, visited_at=datetime.datetime(2026, 3, 15, 11, 0, tzinfo=WARSAW))
    assert due(case, "control_visit") == []


def test_no_control_visit_after_the_two_months_have_passed(case, p):
    ended(assistant_for(case, p, D(2025, 6, 2)), D(2026, 1, 10))
    assert due(case, "control_visit") == []


def test_control_visits_follow_the_institutions_setting(case, p):
    ended(assistant_for(case, p, D(2025, 11, 3)), D(2026, 2, 10))
    assert due(case, "control_visit") == [D(2026, 3, 10)]
    setting(case, control_visits_months=1)
    assert due(case, "control_visit") == []


def test_no_control_visit_once_the_case_is_closed(case, p):
    ended(assistant_for(case, p, D(2025, 11, 3)), D(2026, 3, 10))
    case.stage = Stage.ZAKONCZENIE
    case.save()
    assert due(case, "control_visit") == []


# --- a court-ordered assistant: the court is told of the family's non-cooperation --------------------------------


def test_court_is_to_be_told_when_a_court_ordered_family_does_not_cooperate(case, p):
    ended(
        assistant_for(case, p, D(2026, 1, 15), path=Request.Path.COURT), D(2026, 3, 12), Assignment.End.NO_COOPERATION
    )
    assert due(case, "court_non_cooperation") == [D(2026, 3, 12)]


@pytest.mark.parametrize("sent_on", [D(2026, 3, 12), D(2026, 3, 16)])
def test_court_told_on_or_after_the_end_closes_the_deadline(case, p, sent_on):
    ended(
        assistant_for(case, p, D(2026, 1, 15), path=Request.Path.COURT), D(2026, 3, 12), Assignment.End.NO_COOPERATION
    )
    court_notice(case, p, sent_on)
    assert due(case, "court_non_cooperation") == []


def test_a_court_notice_before_the_end_does_not_count(case, p):
    ended(
        assistant_for(case, p, D(2026, 1, 15), path=Request.Path.COURT), D(2026, 3, 12), Assignment.End.NO_COOPERATION
    )
    court_notice(case, p, D(2026, 3, 11))
    assert due(case, "court_non_cooperation") == [D(2026, 3, 12)]


def test_a_notice_to_another_service_does_not_tell_the_court(case, p):
    ended(
        assistant_for(case, p, D(2026, 1, 15), path=Request.Path.COURT), D(2026, 3, 12), Assignment.End.NO_COOPERATION
    )
    court_notice(case, p, D(2026, 3, 13), service=Notification.Service.POLICE)
    assert due(case, "court_non_cooperation") == [D(2026, 3, 12)]


def test_no_court_to_tell_when_the_worker_asked_for_the_assistant(case, p):
    ended(assistant_for(case, p, D(2026, 1, 15)), D(2026, 3, 12), Assignment.End.NO_COOPERATION)
    assert due(case, "court_non_cooperation") == []


def test_no_court_to_tell_when_a_court_ordered_family_reached_its_goals(case, p):
    ended(assistant_for(case, p, D(2026, 1, 15), path=Request.Path.COURT), D(2026, 3, 12), Assignment.End.GOALS_REACHED)
    assert due(case, "court_non_cooperation") == []


# --- the engine over a list --------------------------------------------------------------------------------------


def test_deadlines_of_one_family_do_not_leak_to_another(org, case, p):
    other = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    assistant_for(case, p, D(2026, 3, 10))
    found = deadlines_for(Case.objects.select_related("institution").filter(pk__in=[case.pk, other.pk]))
    assert {d.rule for d in found[case.pk]} >= {"assistant_first_visit", "assistant_plan", "assistant_visit"}
    assert not [d for d in found[other.pk] if d.rule.startswith("assistant")]


def _families(org, p, n: int) -> list[int]:
    """``n`` families with the whole range of the assistant's facts: working, ended, court-ordered."""
    ids = []
    for i in range(n):
        case = CaseFactory(
            region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA
        )
        path = Request.Path.COURT if i % 3 == 0 else Request.Path.WORKER
        assignment = assistant_for(case, p, D(2026, 1, 5), path=path)
        visit(assignment, D(2026, 3, 1), joint=i % 2 == 0)
        monthly(assignment, D(2026, 1, 1))
        change(assignment, D(2026, 3, 16))
        PeriodicAssessment.objects.create(assignment=assignment, author=p.assistant_a, assessed_on=D(2026, 3, 1))
        VisitFactory(case=case, author=p.worker_a, visited_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=WARSAW))
        if i % 2:
            ended(assignment, D(2026, 3, 5), Assignment.End.NO_COOPERATION)
            court_notice(case, p, D(2026, 3, 6))
        ids.append(case.pk)
    return ids


def _queries(ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        found = deadlines_for(Case.objects.select_related("institution").filter(pk__in=ids))
    assert set(found) == set(ids) and all(found.values())
    return len(ctx.captured_queries)


def test_deadlines_of_many_families_take_as_many_queries_as_of_two(org, p):
    ids = _families(org, p, 10)
    assert _queries(ids[:2]) == _queries(ids)
