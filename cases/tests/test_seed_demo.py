"""`manage.py seed_demo`: the demo data covers the whole procedure, is valid, and loads only once."""

import datetime
import io
import itertools
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import timezone

from assistants.models import (
    Assignment,
    AssistantVisit,
    Authorisation,
    ChangeReport,
    Decision,
    FinalReport,
    MonthlyReport,
    PeriodicAssessment,
    Request,
    TimeReport,
    WorkPlan,
)
from assistants.services import documents_status
from cases import services
from cases.deadlines import add_months, deadlines_for, region_deadlines
from cases.management.commands._demo_data import USERS
from cases.management.commands._demo_more import working_days
from cases.management.commands.seed_demo import PASSWORD
from cases.models import (
    Case,
    CaseFlag,
    Client,
    ClientMember,
    Notification,
    Report,
    ReportForm,
    StageTransition,
    TargetGroup,
)
from cases.pesel import pesel_birth_date, pesel_checksum_ok
from cases.procedure import CloseReason, Stage
from meetings.models import Inspection, TeamMeeting
from mopr import policy
from mopr.errors import DomainError
from mopr.models import Institution, Region, Role, RoleAssignment, User
from refusals.models import MonitoringDate, RefusalMonitoring
from timesheets.models import TimeCategory, TimeEntry

MODELS = [
    Institution, User, RoleAssignment, Client, ClientMember, Case, Report, CaseFlag, StageTransition, Notification,
    Request, Decision, Authorisation, Assignment, AssistantVisit, WorkPlan, MonthlyReport, PeriodicAssessment,
    ChangeReport, FinalReport, TimeReport, TeamMeeting, Inspection, RefusalMonitoring, MonitoringDate, TimeEntry,
]  # fmt: skip
DAY = datetime.timedelta(days=1)
HISTORIES = [Case, Request, Assignment, AssistantVisit, TeamMeeting, Inspection, RefusalMonitoring, TimeEntry]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS} | {
        f"{model.__name__} history": model.history.count() for model in HISTORIES
    }


def today() -> datetime.date:
    return timezone.localdate()


def deadlines(case_id: int) -> list:
    case = Case.objects.select_related("institution").get(pk=case_id)
    return deadlines_for([case])[case.pk]


@pytest.fixture
def output(db) -> str:
    return seed()


def test_cases_cover_every_stage_and_side_path(output):
    assert 55 <= Case.objects.count() <= 70
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Case.objects.values_list("target_group", flat=True)) == set(TargetGroup.values)
    queue = Case.objects.filter(stage=Stage.ZGLOSZENIE, worker=None)
    assert queue.exists() and queue.filter(urgent=True).count() >= 2
    assert Case.objects.filter(stage=Stage.ZGLOSZENIE, worker__isnull=False, accepted_at=None).exists()
    anonymous = Report.objects.filter(anonymous=True, needs_verification=True)
    assert anonymous.filter(verified_at=None).exists() and anonymous.exclude(verified_at=None).exists()
    assert Report.objects.filter(form=ReportForm.INSTITUTION).exclude(institution_name="").exists()
    assert CaseFlag.objects.filter(removed_at=None).exists() and CaseFlag.objects.exclude(removed_at=None).exists()
    assert StageTransition.objects.filter(from_stage=Stage.ZAKONCZENIE).exists()  # reopened
    assert StageTransition.objects.filter(from_stage=Stage.ZAWIESZENIE).exclude(to_stage=Stage.ZAKONCZENIE).exists()
    assert len(set(Case.objects.exclude(close_reason="").values_list("close_reason", flat=True))) >= 5
    assert Case.objects.filter(close_reason=CloseReason.UNFOUNDED).exists()


def test_cases_have_a_real_past(output):
    """Built through the services at past moments: numbered per region, with history over months."""
    reported = list(Case.objects.order_by("reported_at").values_list("reported_at", flat=True))
    assert (reported[-1] - reported[0]).days > 120
    for case in Case.objects.all():
        assert case.history.count() >= 1
        stamps = list(case.transitions.values_list("at", flat=True))
        assert stamps == sorted(stamps) and stamps[0] == case.reported_at
    numbers = list(Case.objects.filter(region__code="RPŚ-1").order_by("reported_at").values_list("number", flat=True))
    assert numbers == sorted(numbers)


def test_every_role_has_a_user_who_can_log_in(output, client):
    for role in Role:
        assert RoleAssignment.objects.filter(role=role).exists(), role
    assert RoleAssignment.objects.filter(role=Role.COORDINATOR, region=None).count() == 0
    for username, *_rest in USERS:
        assert client.login(username=username, password=PASSWORD), username
        client.logout()


def test_people_are_valid(output):
    members = ClientMember.objects.all()
    with_pesel = members.exclude(pesel="")
    assert 0 < with_pesel.count() < members.count()  # most, not all
    for member in with_pesel:
        assert pesel_checksum_ok(member.pesel), member.pesel
        assert pesel_birth_date(member.pesel) == member.birth_date
    assert members.filter(in_foster_care=True).exists()
    assert Client.objects.filter(kind=Client.Kind.FAMILY).exists() and Client.objects.filter(kind="person").exists()


def test_output_lists_the_logins(output):
    assert PASSWORD in output and "pracownik1" in output and "koordynator1" in output


def test_second_run_changes_nothing(output):
    before = counts()
    again = seed()
    assert counts() == before
    assert "już" in again and PASSWORD in again and "pracownik1" in again


def test_failure_leaves_nothing(db, monkeypatch):
    def refuse(**kwargs):
        raise DomainError("odmowa")

    monkeypatch.setattr(services, "flag_remove", refuse)
    with pytest.raises(CommandError):
        seed()
    assert not Institution.objects.exists() and not Case.objects.exists() and not User.objects.exists()


# --- what came after the first demo: one seed for all the checks, each a function -----------------------------


def test_family_assistant(output):
    """Seed 002: requests in every status, an assistant at work, one ended, one ordered by a court."""
    check_assistant_requests_in_every_status()
    check_an_assistant_at_work_with_every_document()
    check_an_ended_assistant_and_a_court_order()


def test_registers(output):
    """Team meetings, inspections, refusing environments under monitoring, the workers' time."""
    check_monthly_meetings_with_rps3_overdue()
    check_two_inspections_one_followed_up_one_due()
    check_refusing_environments_are_monitored()
    check_social_workers_record_their_time()


# --- the family assistant (seed 002) -------------------------------------------------------------------------------


def check_assistant_requests_in_every_status():
    statuses = Counter(Request.objects.values_list("path", "status"))
    assert statuses == {
        (Request.Path.WORKER, Request.Status.APPROVED): 2,
        (Request.Path.WORKER, Request.Status.OPINION): 1,
        (Request.Path.WORKER, Request.Status.APPROVAL): 1,
        (Request.Path.COURT, Request.Status.ORDERED): 1,
        (Request.Path.EXTERNAL, Request.Status.NOT_JUSTIFIED): 1,
    }
    for request in Request.objects.filter(path=Request.Path.WORKER):
        assert request.requested_by == request.case.worker and request.consent_on <= request.requested_on
        assert request.case.stage == Stage.PRACA_SOCJALNA
        steps = [(d.step, d.decided_by.username) for d in request.decisions.all()]
        expected = {Request.Status.OPINION: [], Request.Status.APPROVAL: [(Decision.Step.OPINION, "kierownik")]}
        approved = [(Decision.Step.OPINION, "kierownik"), (Decision.Step.APPROVAL, "dyrektor")]
        assert steps == expected.get(request.status, approved)
    assert not Decision.objects.filter(decided_by__in=[r.requested_by for r in Request.objects.all()]).exists()
    answered = Request.objects.get(status=Request.Status.NOT_JUSTIFIED)
    assert answered.support_justified is False and answered.interview_on >= answered.received_on
    assert answered.institution_name and answered.received_on.strftime("%d.%m.%Y") in answered.reply
    ordered = Request.objects.get(path=Request.Path.COURT)
    assert not ordered.decisions.exists() and ordered.assignment.assistant.username == "asystent2"
    # The director authorised the head of department to approve in the director's name.
    authorisation = Authorisation.objects.get()
    assert (authorisation.user.username, authorisation.granted_by.username) == ("kierownik", "dyrektor")
    assert policy.user_acts_as_approver(authorisation.user) == (True, True)


def check_an_assistant_at_work_with_every_document():
    assignment = Assignment.objects.get(assistant__username="asystent1", ended_on=None)
    qualified = assignment.qualified_on
    assert assignment.request.status == Request.Status.APPROVED and (today() - qualified).days > 150
    visits = list(assignment.visits.values_list("visited_on", "joint_with_worker"))
    assert visits[0][1] and (visits[0][0] - qualified).days <= 14 and not any(joint for _day, joint in visits[1:])
    days = [qualified] + [day for day, _joint in visits]
    assert len(visits) >= 10 and all((b - a).days <= 14 for a, b in itertools.pairwise(days))
    assert all(day.weekday() < 5 and day < today() for day, _joint in visits)
    plans = list(assignment.plans.all())
    assert [p.version_number for p in plans] == [1, 2] and plans[1].change_reason
    assert plans[0].drafted_on <= add_months(qualified, 1)
    months = list(assignment.monthly_reports.values_list("month", flat=True))
    assert len(months) >= 5 and months == [add_months(qualified.replace(day=1), n) for n in range(len(months))]
    assert assignment.assessments.count() == 1
    changes = list(assignment.change_reports.all())
    assert len(changes) == 2 and changes[0].assistant_told_worker_on and changes[1].assistant_told_worker_on is None
    assert assignment.time_lines.exists()
    assert [done for _label, done in documents_status(assignment)] == [True] * 7 + [False]  # no final report yet
    rules = {d.rule: d for d in deadlines(assignment.case_id)}
    # The assistant's own work is up to date (the family's contract may await its evaluation: 17.4).
    assert "assistant_change" in rules and not any(d.overdue for r, d in rules.items() if r.startswith("assistant"))


def check_an_ended_assistant_and_a_court_order():
    ended = Assignment.objects.exclude(ended_on=None).get()
    assert ended.end == Assignment.End.GOALS_REACHED and ended.final_report.written_on == ended.ended_on
    months = set(ended.monthly_reports.values_list("month", flat=True))
    assert months == {add_months(ended.qualified_on.replace(day=1), n) for n in range(len(months))}
    assert ended.ended_on.replace(day=1) in months
    assert "control_visit" in {d.rule for d in deadlines(ended.case_id)}
    ordered = Assignment.objects.get(request__path=Request.Path.COURT, ended_on=None)
    assert ordered.visits.filter(joint_with_worker=True).exists() and ordered.plans.exists()
    assert not any(d.overdue for d in deadlines(ordered.case_id) if not d.rule.startswith("contract_"))


# --- registers: team meetings, inspections, refusing environments, time -------------------------------------------


def check_monthly_meetings_with_rps3_overdue():
    by_region = Counter(TeamMeeting.objects.values_list("region__code", flat=True))
    assert by_region["RPŚ-1"] >= 6 and by_region["RPŚ-2"] >= 6 and by_region["RPŚ-3"] == 5
    last_month = add_months(today().replace(day=1), -1)
    assert not TeamMeeting.objects.filter(region__code="RPŚ-3", held_on__gte=last_month).exists()
    for meeting in TeamMeeting.objects.all():
        coordinator = f"koordynator{meeting.region.code[-1]}"
        assert meeting.written_by.username == coordinator and meeting.note.startswith("Omówiono")
        assert meeting.attendees.filter(username=coordinator).exists() and meeting.cases_discussed.exists()
        assert not meeting.cases_discussed.exclude(region=meeting.region).exists()
    overdue = {
        (region.code, d.rule)
        for region in Region.objects.all()
        for d in region_deadlines([region])[region.pk]
        if d.overdue
    }
    assert overdue == {("RPŚ-3", "team_meeting")}


def check_two_inspections_one_followed_up_one_due():
    done, due = Inspection.objects.order_by("held_on")
    assert (done.inspector.username, done.inspected_worker.username) == ("audytor", "pracownik1")
    assert done.follow_up_done_on and done.follow_up_done_on <= done.follow_up_by
    assert due.region.code == "RPŚ-2" and due.follow_up_done_on is None and due.follow_up_by > today()
    assert due.recommendations and due.cases.exists() and done.cases.exists()
    rules = {d.rule for d in region_deadlines([due.region])[due.region_id]}
    assert "inspection_follow_up" in rules


def check_refusing_environments_are_monitored():
    monitored = Case.objects.filter(stage=Stage.MONITORING)
    assert set(RefusalMonitoring.objects.values_list("case", flat=True)) == set(monitored.values_list("pk", flat=True))
    for monitoring in RefusalMonitoring.objects.all():
        assert monitoring.leaflet_left and monitoring.note_to_director and monitoring.plan_on
        assert monitoring.refused_on <= monitoring.note_written_on <= monitoring.plan_on
        assert monitoring.dates.filter(done_on__isnull=False).exists()
        assert monitoring.dates.filter(due_on__gt=today(), done_on=None).exists()  # the next one
    assert RefusalMonitoring.objects.filter(statement_taken=True).count() >= 3
    overdue = MonitoringDate.objects.filter(due_on__lt=today(), done_on=None)
    assert overdue.count() == 1
    assert "monitoring" in {d.rule for d in deadlines(overdue.get().monitoring.case_id) if d.overdue}
    decided = RefusalMonitoring.objects.exclude(decision="").get()
    assert decided.decision == RefusalMonitoring.Decision.FAMILY_COURT and decided.report_on <= decided.decision_on
    assert decided.decision_by.username == "dyrektor"
    notified = Notification.objects.get(case=decided.case, service=Notification.Service.FAMILY_COURT)
    assert notified.sent_on >= decided.decision_on
    assert not {"monitoring_court_notice", "court_notification"} & {d.rule for d in deadlines(decided.case_id)}


def check_social_workers_record_their_time():
    this_month = today().replace(day=1)
    last_month = add_months(this_month, -1)
    assert set(TimeEntry.objects.values_list("category", flat=True)) == set(TimeCategory.values)
    workers = User.objects.filter(role_assignments__role=Role.SOCIAL_WORKER)
    recording = set(TimeEntry.objects.values_list("worker", flat=True))
    assert workers.count() == 6 and recording == set(workers.values_list("pk", flat=True))
    for worker in workers:
        days = dict(
            TimeEntry.objects.filter(worker=worker).values("day").annotate(h=Sum("hours")).values_list("day", "h")
        )
        assert all(day.weekday() < 5 and last_month <= day < today() for day in days), worker
        assert max(days.values()) <= 8
        assert {day for day in days if day < this_month} == set(working_days(last_month, this_month - DAY))
        if working_days(this_month, today() - 2 * DAY):  # the current month, up to yesterday
            assert any(day >= this_month for day in days)
    leave = TimeEntry.objects.filter(category="G").aggregate(h=Sum("hours"))["h"]
    total = TimeEntry.objects.aggregate(h=Sum("hours"))["h"]
    assert 0.03 < leave / total < 0.2  # roughly seed 004's share of leave


def test_this_week_in_the_centre(db, django_capture_on_commit_callbacks):
    """Issue 17: a cover running, a visit agreed, a family moving region, the assistant's urgent
    note waiting in the worker's inbox; what was done long ago is read."""
    from cases.models import Appointment, CaseTransfer
    from inbox.models import Notice
    from mopr import policy
    from staffing.models import Cover

    with django_capture_on_commit_callbacks(execute=True):
        seed()  # the notices are written when the demo commits
    cover = Cover.objects.in_force().get()
    assert (cover.absent.username, cover.substitute.username, cover.set_by.username) == (
        "pracownik2",
        "pracownik1",
        "koordynator1",
    )
    substitute = User.objects.get(username="pracownik1")
    assert policy.case_allows(substitute, Case.objects.filter(worker=cover.absent).exclude(
        stage=Stage.ZAKONCZENIE).exclude(accepted_at=None).first(), policy.Action.WRITE)  # fmt: skip
    appointment = Appointment.objects.get()
    assert appointment.at.date() > today() and appointment.author.username == "pracownik3"
    move = CaseTransfer.objects.get(kind="move", decided_at__isnull=True)
    assert move.to_region.code == "RPŚ-1" and move.by.username == "koordynator3"
    [urgent] = Notice.objects.filter(kind="urgent", read_at__isnull=True)
    assert urgent.recipient == urgent.case.worker and "notatkę służbową" in urgent.text
    assert Notice.objects.filter(kind="move", read_at__isnull=True, recipient__username="koordynator1").exists()
    assert not Notice.objects.filter(kind="assigned", read_at__isnull=True).exists()
