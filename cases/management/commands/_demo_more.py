"""More of the demo (seed_demo.py): the family assistant, the refusing environments, the team meetings, the
inspections and the time accounting – each through its service, at its past moment.

Two kinds of steps. A story's steps (seed_demo.Story) follow one another by days: the assistant's scenarios are
stories that reach social work, ask for an assistant and end at the assignment; a monitored case ends at the
director's plan. The calendar's steps lie on a day (``Demo.at``): a team meeting, a worker's day of time, and
what a story's last step plans while it runs – the assistant's visits, plans and reports of the months since the
assignment, the monitoring visits of the director's plan. Nothing lies after yesterday: today is the user's.
"""

import datetime
import functools
from decimal import Decimal
from functools import partial

from django.db.models import Q
from django.utils import timezone

from assistants import services as assistants
from assistants.models import Assignment, AssistantVisit, ChangeReport, MonthlyReport, PeriodicAssessment, WorkPlan
from cases import services
from cases.deadlines import add_months
from cases.management.commands._demo_data import (
    ASSESSMENT,
    ASSISTANT_REQUESTS,
    CHANGES,
    COURT,
    COURT_ADDRESS,
    COURT_NOTICE,
    FINAL,
    INSPECTIONS,
    JOINT_VISIT,
    LETTER_NOTE,
    MEETING_GUESTS,
    MEETING_TOPICS,
    MONITORING,
    MONITORING_DECISION,
    MONITORING_OUTCOMES,
    MONITORING_REPORT,
    MONTHLY,
    PLANS,
    SCHOOL_REQUEST,
    STAGE_REMARKS,
    VISIT_PLACES,
    VISITS,
)
from cases.models import Case, Notification, ReportForm
from cases.procedure import Stage
from meetings import services as meetings
from refusals import services as monitoring
from refusals.models import RefusalMonitoring
from timesheets.services import time_record

DAY = datetime.timedelta(days=1)
PS = Stage.PRACA_SOCJALNA
MEETING_MONTHS = 6  # team meetings of the last half year
TIME_REPORT_MONTHS = 8  # the assistants' monthly time reports


# --- the calendar: working days of a Polish office ---------------------------------------------------------------


def easter(year: int) -> datetime.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    g = (19 * a + b - b // 4 - (b - (b + 8) // 25 + 1) // 3 + 15) % 30
    weekday = (32 + 2 * (b % 4) + 2 * (c // 4) - g - c % 4) % 7
    shift = (a + 11 * g + 22 * weekday) // 451
    month, day = divmod(g + weekday - 7 * shift + 114, 31)
    return datetime.date(year, month, day + 1)


@functools.cache
def holidays(year: int) -> frozenset[datetime.date]:
    """Public holidays in Poland that can fall on a weekday (24 December since 2025)."""
    fixed = [(1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 24), (12, 25), (12, 26)]
    sunday = easter(year)
    return frozenset({datetime.date(year, m, d) for m, d in fixed} | {sunday + DAY, sunday + 60 * DAY})


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def working_day(day: datetime.date, step: datetime.timedelta = DAY) -> datetime.date:
    """``day`` or the next working day (the one before, with ``step=-DAY``)."""
    while not is_working_day(day):
        day += step
    return day


def working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + n * DAY for n in range((last - first).days + 1) if is_working_day(first + n * DAY)]


def moment(rng, day: datetime.date, start: float = 8, end: float = 15) -> datetime.datetime:
    """A moment of ``day`` between the hours ``start`` and ``end``."""
    minutes = rng.randint(int(start * 60), int(end * 60))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))


def on(demo, day: datetime.date, run, start: float = 8, end: float = 15) -> None:
    demo.at(moment(demo.rng, day, start, end), run)


# --- the family assistant (seed 002): the scenarios are stories ----------------------------------------------------


def _request(s, justification: str, days=(14, 35)):
    def run():
        consent_on = timezone.localdate() - s.rng.randint(0, 3) * DAY
        s.request = assistants.request_by_worker(
            case=s.case, by=s.worker, justification=justification, consent_on=consent_on
        )

    return s.then(days, run)


def _opinion(s, comment: str, days=(1, 4)):
    def run():
        head = s.demo.users["kierownik"]
        s.request = assistants.request_give_opinion(request=s.request, by=head, positive=True, comment=comment)

    return s.then(days, run)


def _approve(s, comment: str, days=(1, 5)):
    def run():
        director = s.demo.users["dyrektor"]
        s.request = assistants.request_decide(request=s.request, by=director, approve=True, comment=comment)

    return s.then(days, run)


def _assign(s, assistant: str, by: str, plans, days=(1, 4), end_after=None, changes=False):
    """The assignment; while it runs it plans the assistant's work up to yesterday, or up to the end
    ``end_after`` days (a range) before today."""

    def run():
        users = s.demo.users
        s.assignment = assistants.assistant_assign(
            request=s.request, by=users[by], assistant=users[assistant], qualified_on=timezone.localdate(),
            letter_note=LETTER_NOTE,
        )  # fmt: skip
        end_on = working_day(s.demo.yesterday - s.rng.randint(*end_after) * DAY, -DAY) if end_after else None
        assistant_work(s, plans, end_on=end_on, changes=changes)

    return s.then(days, run)


def assistant_at_work(s):
    """The worker's request through the head's opinion and the director's approval to asystent1, at work for
    about half a year: the joint visit, two versions of the plan, visits, monthly reports, the periodic assessment
    and two changes of the family's situation (one the assistant told the worker of, one still open)."""
    s.quiet = (185, 200)
    justification, opinion, approval = ASSISTANT_REQUESTS["at_work"]
    s.intake().through(PS)
    _request(s, justification)
    _opinion(s, opinion)
    _approve(s, approval)
    _assign(s, "asystent1", "dyrektor", PLANS["at_work"], changes=True)


def assistant_ended(s):
    """An assistant's work ended a month ago with the goals reached and the final report; the worker's control
    visits of the next two months are due."""
    s.quiet = (110, 140)
    justification, opinion, approval = ASSISTANT_REQUESTS["ended"]
    s.intake().through(PS)
    _request(s, justification)
    _opinion(s, opinion)
    _approve(s, approval)
    _assign(s, "asystent1", "kierownik", PLANS["ended"], end_after=(25, 40))


def assistant_requested(s, waiting: str):
    """A request waiting for the head's opinion ("opinion") or, after it, for the director ("approval")."""
    s.quiet = (1, 6)
    justification, opinion, _approval = ASSISTANT_REQUESTS[waiting]
    s.intake().through(PS)
    _request(s, justification)
    if waiting == "approval":
        _opinion(s, opinion)


def court_ordered(s):
    """A family court orders an assistant for the parents of a child in foster care: no approval; the head
    assigns asystent2."""
    s.quiet = (75, 110)
    s.intake(form=ReportForm.INSTITUTION).through(PS)

    def order():
        ruled_on = timezone.localdate() - s.rng.randint(7, 14) * DAY
        reference = f"III Nsm {s.rng.randint(100, 899)}/{ruled_on:%y}, postanowienie z dnia {ruled_on:%d.%m.%Y}"
        s.request = assistants.request_by_court(
            case=s.case, by=s.worker, court_name=COURT, ruling_reference=reference, ruled_on=ruled_on
        )

    s.then((20, 45), order)
    _assign(s, "asystent2", "kierownik", PLANS["court"], days=(2, 6))


def school_request(s):
    """A school asks for an assistant; the worker's community interview finds it not justified and answers."""
    s.quiet = (10, 40)
    institution, address, justification, reply = SCHOOL_REQUEST
    s.intake().through(PS)

    def receive():
        received_on = timezone.localdate() - s.rng.randint(1, 3) * DAY
        s.request = assistants.request_from_institution(
            case=s.case, by=s.worker, institution_name=institution, institution_address=address,
            received_on=received_on, justification=justification,
        )  # fmt: skip

    def answer():
        today = timezone.localdate()
        s.request = assistants.request_record_interview(
            request=s.request, by=s.worker, interview_on=today, support_justified=False, family_wants=False,
            reply=reply.format(received=s.request.received_on, interview=today),
        )  # fmt: skip

    s.then((15, 40), receive).then((5, 12), answer)


ASSISTANT_SCENARIOS = [
    ("family", assistant_at_work), ("family", assistant_ended), ("foster_family", court_ordered),
    ("family", partial(assistant_requested, waiting="opinion")),
    ("family", partial(assistant_requested, waiting="approval")), ("family", school_request),
]  # fmt: skip


def assistant_work(s, plans, end_on: datetime.date | None = None, changes=False) -> None:
    """Plan the assistant's work from the assignment up to yesterday or to ``end_on``: the first visit together
    with the worker within 14 days, visits about every two weeks, the plan within a month (and its second version),
    the monthly report early in the next month, the periodic assessment within six months, the end."""
    demo, rng, assignment = s.demo, s.rng, s.assignment
    assistant, qualified, last = assignment.assistant, assignment.qualified_on, end_on or demo.yesterday
    by = {"assignment": assignment, "by": assistant}

    visits, day = [], working_day(qualified + rng.randint(3, 9) * DAY)
    while day <= last:  # never more than 14 days apart
        visits.append(day)
        day = working_day(day + rng.randint(11, 14) * DAY, -DAY)
    for n, day in enumerate(visits):
        joint = n == 0
        description, place = (JOINT_VISIT, VISIT_PLACES[0]) if joint else (rng.choice(VISITS), rng.choice(VISIT_PLACES))
        minutes = 90 if joint else rng.choice([60, 60, 90, 120])
        visit = AssistantVisit(visited_on=day, joint_with_worker=joint, description=description, place=place,
                               minutes=minutes)  # fmt: skip
        on(demo, day, partial(assistants.visit_record, visit=visit, **by), 8, 12)

    plan_days = [working_day(qualified + rng.randint(*gap) * DAY) for gap in ((12, 24), (85, 110))]
    for day, (assessment, goals, methods, reason) in zip(plan_days, plans, strict=False):
        if day <= last:
            plan = WorkPlan(drafted_on=day, assessment=assessment, goals=goals, methods=methods, change_reason=reason)
            on(demo, day, partial(assistants.plan_write, plan=plan, **by), 12, 15)

    month, n = qualified.replace(day=1), 0
    while month <= last.replace(day=1):  # each month's report early in the next; at the end, the rest at once
        written = working_day(add_months(month, 1) + rng.randint(1, 5) * DAY)
        if month == last.replace(day=1) or written > last:
            if end_on is None:
                break
            written = end_on
        count = sum(1 for day in visits if day.replace(day=1) == month)
        summary = f"Wizyty w miesiącu: {count}. {MONTHLY[n % len(MONTHLY)]}" if count else (
            "Rodzina zakwalifikowana pod koniec miesiąca; pierwsza wizyta w kolejnym miesiącu.")  # fmt: skip
        report = MonthlyReport(month=month, summary=summary)
        on(demo, written, partial(assistants.monthly_report_write, report=report, **by), 12, 13)
        month, n = add_months(month, 1), n + 1

    assessed = working_day(min(qualified + rng.randint(150, 170) * DAY, last - rng.randint(10, 20) * DAY), -DAY)
    if end_on is None and (assessed - qualified).days >= 120:  # the first after about half a year
        assessment = PeriodicAssessment(assessed_on=assessed, assessment=ASSESSMENT)
        on(demo, assessed, partial(assistants.assessment_write, assessment=assessment, **by), 12, 15)
    if changes:  # seed 002, 4.8: the family did not tell the worker in 7 days, the assistant did; a new one
        learnt = working_day(qualified + rng.randint(60, 80) * DAY)
        older = ChangeReport(learnt_on=learnt, change=CHANGES[0])
        on(demo, learnt, partial(assistants.change_report_write, change=older, **by), 13, 15)
        told = working_day(learnt + 8 * DAY)
        close = partial(assistants.change_report_close, change=older, by=assistant, family_told_on=None)
        on(demo, told, partial(close, assistant_told_on=told), 13, 15)
        learnt = working_day(demo.yesterday - rng.randint(0, 2) * DAY, -DAY)
        recent = ChangeReport(learnt_on=learnt, change=CHANGES[1])
        on(demo, learnt, partial(assistants.change_report_write, change=recent, **by), 13, 15)
    if end_on is not None:
        end = partial(assistants.assignment_end, end=Assignment.End.GOALS_REACHED, ended_on=end_on,
                      reason="Osiągnięcie celów planu pracy z rodziną.", final_summary=FINAL)  # fmt: skip
        on(demo, end_on, partial(end, **by), 14, 14)


def assistant_time_report(demo, assistant, month: datetime.date):
    """Document 6: the assistant's working time in ``month`` across the families assigned then."""

    def run():
        following = add_months(month, 1)
        active = Assignment.objects.filter(assistant=assistant, qualified_on__lt=following).filter(
            Q(ended_on=None) | Q(ended_on__gte=month)
        )
        hours = {}
        for assignment in active.order_by("pk"):
            visits = assignment.visits.filter(visited_on__gte=month, visited_on__lt=following)
            minutes = sum(visits.values_list("minutes", flat=True))
            hours[assignment.pk] = Decimal(round(minutes / 30 + demo.rng.randint(8, 20))) / 2  # with the paperwork
        if hours:
            assistants.time_report_write(assistant=assistant, month=month, hours=hours)

    return run


# --- refusing environments (seed 003): a story step and the plan's dates -----------------------------------------


def monitored(s, kind="planned"):
    """For a case just moved to monitoring: the refusal with the statement and the leaflet, the note to the
    director, the director's plan of action with its dates. The dates up to yesterday are done by the worker
    but the last of an "overdue" monitoring; a "decided" one has the report, the joint decision to ask the family
    court and the worker's notification of the court."""
    s.quiet = {"planned": (45, 110), "overdue": (50, 100), "decided": (60, 110)}[kind]
    note, contacts = MONITORING[s.key]
    director = "dyrektor" if s.key in ("addiction", "family") else "kierownik"  # or the deputy

    def refusal():
        refused_on = timezone.localdate(s.case.transitions.latest("at").at)
        s.monitoring = monitoring.monitoring_open(
            case=s.case, by=s.worker, refused_on=refused_on, statement_taken=s.key != "homeless", leaflet_left=True,
            note_to_director=note, note_written_on=timezone.localdate(),
        )  # fmt: skip

    def plan():
        dates, interval = [timezone.localdate()], 21 if kind != "planned" else s.rng.choice([21, 28])
        while dates[-1] <= s.demo.yesterday + DAY:  # up to the first one after today
            dates.append(working_day(dates[-1] + interval * DAY))
        s.monitoring = monitoring.monitoring_plan(
            monitoring=s.monitoring, by=s.demo.users[director], plan_on=dates[0], dates=dates[1:],
            contact_close_family=contacts[0], contact_neighbours=contacts[1], contact_health=contacts[2],
            contact_organisations=contacts[3],
        )  # fmt: skip
        monitoring_work(s, kind, director)

    s.then((0, 1), refusal).then((1, 6), plan)


def monitoring_work(s, kind: str, director: str) -> None:
    demo, rng = s.demo, s.rng
    past = [date for date in s.monitoring.dates.order_by("due_on") if date.due_on <= demo.yesterday]
    if kind == "overdue":
        past = past[:-1]
    done_days = []
    for date in past:
        done_on = working_day(date.due_on + rng.randint(0, 2) * DAY)
        done_on = done_on if done_on <= demo.yesterday else date.due_on
        done_days.append(done_on)
        done = partial(monitoring.monitoring_date_done, date=date, by=s.worker, done_on=done_on)
        on(demo, done_on, partial(done, outcome=rng.choice(MONITORING_OUTCOMES)), 9, 13)
    if kind == "decided":  # the report after a visit at least two weeks ago, the decision, the court's notification
        reported = working_day(max(d for d in done_days if d <= demo.yesterday - 14 * DAY) + rng.randint(1, 2) * DAY)
        decided = working_day(reported + rng.randint(1, 3) * DAY)
        told = working_day(decided + rng.randint(1, 2) * DAY)
        assert told <= demo.yesterday, told
        report = partial(monitoring.monitoring_report, monitoring=s.monitoring, by=s.worker, report=MONITORING_REPORT)
        on(demo, reported, partial(report, report_on=reported), 13, 15)
        court = RefusalMonitoring.Decision.FAMILY_COURT
        decide = partial(monitoring.monitoring_decide, monitoring=s.monitoring, by=demo.users[director],
                         decision=court, decision_note=MONITORING_DECISION)  # fmt: skip
        on(demo, decided, partial(decide, decision_on=decided), 10, 12)
        notice = Notification(service=Notification.Service.FAMILY_COURT, service_name=COURT_ADDRESS,
                              reason=COURT_NOTICE, sent_on=told, sent_how=Notification.SentHow.LETTER)  # fmt: skip
        on(demo, told, partial(services.notification_send, case=s.case, by=s.worker, notification=notice), 10, 14)


# --- the calendar: team meetings, inspections, time, the director's authorisation ------------------------------


def plan_calendar(demo) -> None:
    """Every record that belongs to a day rather than to a case's story."""
    today = demo.yesterday + DAY
    plan_meetings(demo, today)
    plan_inspections(demo, today)
    plan_authorisation(demo, today)
    plan_assistant_time(demo, today)
    plan_time(demo, today)
    plan_week(demo, today)


def plan_week(demo, today: datetime.date) -> None:
    """Issue 17: this week in the centre – a worker on sick leave with a colleague standing in, a
    visit agreed for the days ahead, a family moving to another region, and the assistant's urgent
    note on a family's case."""
    from cases.models import Appointment, OfficialNote
    from cases.services.appointments import appointment_plan
    from cases.services.transfer import case_move_propose
    from staffing.services import cover_set

    users, yesterday = demo.users, demo.yesterday
    sick_from = working_day(yesterday - 2 * DAY, -DAY)

    def cover() -> None:
        cover_set(
            by=users["koordynator1"], absent=users["pracownik2"], substitute=users["pracownik1"],
            starts_on=sick_from, ends_on=today + 5 * DAY, reason="sick",
        )  # fmt: skip

    working = [Stage.ROZEZNANIE, Stage.DIAGNOZA, Stage.PRACA_SOCJALNA]

    def open_case_of(worker: str) -> Case:
        return Case.objects.filter(worker=users[worker], stage__in=working).order_by("-stage", "pk").first()

    def visit() -> None:
        at = timezone.make_aware(datetime.datetime.combine(today + 2 * DAY, datetime.time(16, 0)))
        appointment_plan(case=open_case_of("pracownik3"), by=users["pracownik3"],
                         appointment=Appointment(at=at, note="Rozmowa o postępach syna w szkole."))  # fmt: skip

    def move() -> None:
        case = Case.objects.filter(region=demo.regions["RPŚ-3"], stage__in=working).order_by("pk").first()
        note = "Rodzina zamieszkała przy ul. Szerokiej 12/4 (umowa najmu od 1. dnia miesiąca)."
        case_move_propose(case=case, to_region=demo.regions["RPŚ-1"], by=users["koordynator3"], note=note)

    def urgent() -> None:
        assignment = (
            Assignment.objects.filter(assistant=users["asystent1"], ended_on__isnull=True).order_by("pk").first()
        )
        services.note_write(case=assignment.case, by=users["asystent1"], note=OfficialNote(
            written_on=yesterday, content="Wieczorna wizyta: ojciec pod wpływem alkoholu, dzieci u sąsiadki. "
            "Matka zapowiada złożenie wniosku o Niebieską Kartę; umówiono ją z pracownikiem socjalnym na rano.",
        ))  # fmt: skip

    on(demo, sick_from, cover, 7.5, 8)
    on(demo, yesterday, visit, 10, 11)
    on(demo, yesterday, move, 11, 12)
    on(demo, yesterday, urgent, 19, 20)


def plan_meetings(demo, today: datetime.date) -> None:
    """The monthly meeting of each team in the second week; RPŚ-3 did not meet last month (overdue)."""
    this_month = today.replace(day=1)
    for weekday, (code, region) in enumerate(demo.regions.items(), start=1):  # RPŚ-1 meets on Tuesdays, …
        for back in range(MEETING_MONTHS, -1, -1):
            if code == "RPŚ-3" and back < 2:
                continue
            day = add_months(this_month, -back).replace(day=8)
            day = working_day(day + (weekday - day.weekday()) % 7 * DAY)
            if day <= demo.yesterday:
                on(demo, day, partial(team_meeting, demo, region), 12, 15)


def plan_inspections(demo, today: datetime.date) -> None:
    """The auditor's inspection with its recommendations done; a coordinator's, due after today."""
    rng, done = demo.rng, []
    held = working_day(today - rng.randint(75, 90) * DAY)
    on(demo, held, partial(inspection, demo, done, "audytor", "pracownik1", INSPECTIONS[0], 30), 10, 14)
    follow_up = working_day(held + rng.randint(18, 26) * DAY)
    auditor = demo.users["audytor"]
    on(demo, follow_up, lambda: meetings.inspection_follow_up_done(inspection=done[0], by=auditor, done_on=follow_up))
    held = working_day(today - rng.randint(10, 16) * DAY)
    on(demo, held, partial(inspection, demo, [], "koordynator2", "pracownik4", INSPECTIONS[1], 45), 10, 14)


def plan_authorisation(demo, today: datetime.date) -> None:
    """The director authorises the head of department to approve assistant requests in the director's name."""
    granted = working_day(today - demo.rng.randint(50, 70) * DAY)
    grant = partial(assistants.authorisation_grant, director=demo.users["dyrektor"], user=demo.users["kierownik"])
    on(demo, granted, grant, 9, 11)


def plan_assistant_time(demo, today: datetime.date) -> None:
    """Each assistant's monthly time report, early in the next month."""
    for back in range(TIME_REPORT_MONTHS, 0, -1):
        month = add_months(today.replace(day=1), -back)
        day = working_day(add_months(month, 1) + demo.rng.randint(1, 4) * DAY)
        for name in ("asystent1", "asystent2"):
            if day <= demo.yesterday:
                on(demo, day, assistant_time_report(demo, demo.users[name], month), 13, 15)


def plan_time(demo, today: datetime.date) -> None:
    """Seed 004: each social worker's hours of every working day of the last full month and of this one, written
    at the end of the day: a leave of a few days (G), four days of training (F), the rest ordinary days."""
    rng, days = demo.rng, working_days(add_months(today.replace(day=1), -1), demo.yesterday)
    for no in range(1, 7):
        worker = demo.users[f"pracownik{no}"]
        start = rng.randrange(len(days) - 1)
        leave, training = set(days[start : start + rng.randint(2, 5)]), set(rng.sample(days, 4))
        for day in days:
            hours = {"G": 8} if day in leave else {"F": 7, "E": 1} if day in training else working_hours(rng)
            record = partial(time_record, worker=worker, day=day, by=worker)
            on(demo, day, partial(record, hours_by_category={c: Decimal(h) for c, h in hours.items()}), 15.25, 15.75)


def working_hours(rng) -> dict[str, Decimal]:
    """An ordinary day of 8 hours in the categories of seed 004: visits (A) with the travel (I), the office (B),
    a contract signed (C), work for the client (D), projects (H), a training hour (F); the rest documentation (E)."""
    choices = {"B": "0 0.5 0.5 1 1", "C": "0 0 0 0.5 1", "D": "0.5 1 1.5 1.5 2", "H": "0 0 0 1 2", "F": "0 0 0 0 0.5"}
    if rng.random() < 0.85:  # a day with visits in the clients' homes
        choices |= {"A": "1.5 2 2.5 3 3.5", "I": "0.5 0.75 1"}
    hours = {category: rng.choice(values.split(" ")) for category, values in choices.items()}
    hours = {c: Decimal(h) for c, h in hours.items() if h != "0"}
    for category in ("C", "B", "H", "D"):  # at least an hour of documentation: other work of the day gives way
        excess = sum(hours.values()) - 7
        if excess > 0 and category in hours:
            hours[category] = max(Decimal(0), hours[category] - excess)
    hours["E"] = Decimal(8) - sum(hours.values())
    return {c: h for c, h in sorted(hours.items()) if h > 0}


def team_meeting(demo, region) -> None:
    """Seed 000 IV.3: the coordinator's note with the attendance list and the cases the team discussed."""
    rng, no = demo.rng, int(region.code[-1])
    coordinator, workers = demo.users[f"koordynator{no}"], [demo.users[f"pracownik{2 * no - i}"] for i in (1, 0)]
    cases = list(
        Case.objects.filter(region=region, reported_at__lt=timezone.now(), worker__isnull=False)
        .exclude(stage=Stage.ZAKONCZENIE)
        .order_by("pk")
    )
    discussed = sorted(rng.sample(cases, min(len(cases), rng.randint(2, 4))), key=lambda case: case.pk)
    attendees = [coordinator, *workers]
    if rng.random() < 0.2:  # one of the workers on leave
        attendees.remove(rng.choice(workers))
    if rng.random() < 0.35:  # the head of department comes now and then
        attendees.append(demo.users["kierownik"])
    lines = [f"{case.number} – {STAGE_REMARKS[case.stage]}." for case in discussed]
    note = "Omówiono sprawy:\n" + "\n".join(lines) + "\n" + rng.choice(MEETING_TOPICS)
    meetings.meeting_record(
        region=region, by=coordinator, held_on=timezone.localdate(), note=note, attendees=attendees,
        cases_discussed=discussed, guests=rng.choice(MEETING_GUESTS),
    )  # fmt: skip


def inspection(demo, held: list, inspector: str, worker: str, texts, follow_up_days: int) -> None:
    """Seed 000 VII: the inspection of a worker's social work with its protocol and recommendations."""
    inspected = demo.users[worker]
    region = demo.regions[f"RPŚ-{(int(worker[-1]) + 1) // 2}"]
    cases = list(Case.objects.filter(region=region, worker=inspected, reported_at__lt=timezone.now()).order_by("pk"))
    scope, findings, recommendations = texts
    today = timezone.localdate()
    record = meetings.inspection_record(
        by=demo.users[inspector], region=region, inspected_worker=inspected, held_on=today, scope=scope,
        cases=demo.rng.sample(cases, min(3, len(cases))), findings=findings, recommendations=recommendations,
        follow_up_by=today + follow_up_days * DAY,
    )  # fmt: skip
    held.append(record)
