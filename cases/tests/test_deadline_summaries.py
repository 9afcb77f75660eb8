"""The deadline summaries (``cases.models.DeadlineSummary``): the engine's verdict kept per case so
that the register filters and exports "overdue" in SQL. They must say what the engine says:
after a refresh, on every later day until ``valid_until``, after any change of any fact, and when
a refresh and a change race."""

import datetime
import re
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistants.models import Assignment, PeriodicAssessment, Request, WorkPlan
from assistants.tests.test_assistant_deadlines import assistant_for, change, court_notice, ended, monthly, visit
from cases import deadlines
from cases.models import Appointment, Case, DeadlineSummary, Summons, Visit
from cases.procedure import Stage
from cases.services import visit_record
from cases.services.deadline_summaries import deadline_summaries_refresh, stale
from contracts.models import Contract
from mopr.tests.factories import CaseFactory, ContractFactory, MemberFactory, VisitFactory
from refusals.tests.test_monitoring import open_, plan

D = datetime.date
DAY = datetime.timedelta(days=1)
NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


def world(org, p) -> list[Case]:
    """A case for every kind of fact the engine reads, most with a deadline."""
    today = timezone.localdate()

    def case(stage=Stage.PRACA_SOCJALNA, **kw):
        kw = {"first_contact_at": today - 40 * DAY, "reported_at": timezone.now() - 60 * DAY} | kw
        return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=stage, **kw)

    absent = case()  # a repeat visit owed, overdue
    VisitFactory(case=absent, outcome=Visit.Outcome.CHILD_ABSENT, visited_at=timezone.now() - 30 * DAY)
    case(stage=Stage.ROZEZNANIE)  # a new client: the contract due two months after the first contact
    threatened = case()  # a contract ended with the welfare threatened: the court at once
    ContractFactory(case=threatened, signed_on=today - 90 * DAY, ended_on=today - 5 * DAY, welfare_threatened=True)
    assisted = case()  # an assistant for months: reports, visits, a change told nobody
    a = assistant_for(assisted, p, today - 100 * DAY)
    visit(a, today - 20 * DAY, joint=True)
    monthly(a, D(2025, 12, 1))
    WorkPlan.objects.create(assignment=a, author=a.assistant, drafted_on=today - 80 * DAY, assessment="x", goals="y")
    PeriodicAssessment.objects.create(assignment=a, author=a.assistant, assessed_on=today - 10 * DAY, assessment="z")
    change(a, today - 3 * DAY)
    after = case()  # the assistant ended three weeks ago: the worker's control visits
    ended(assistant_for(after, p, today - 200 * DAY), today - 21 * DAY)
    # Where only the date changes the earliest due date: the report of the month the assistant
    # ended in is owed from the next month's first day (10 April, before the control visit on 15
    # April); the control visit, the only deadline left, goes when its period ends (21 April).
    month_end = case(first_contact_at=None)  # no contract owed
    a = assistant_for(month_end, p, D(2026, 2, 1))
    monthly(a, D(2026, 2, 1))
    ended(a, D(2026, 3, 15))
    period_end = case(first_contact_at=None)
    a = assistant_for(period_end, p, D(2026, 1, 5))
    monthly(a, D(2026, 1, 1))
    monthly(a, D(2026, 2, 1))
    ended(a, D(2026, 2, 20))
    court = case()  # a court-ordered assistant the family would not work with: tell the court
    ended(
        assistant_for(court, p, today - 60 * DAY, path=Request.Path.COURT),
        today - 2 * DAY,
        Assignment.End.NO_COOPERATION,
    )
    court_notice(court, p, today - 400 * DAY)
    monitored = case(stage=Stage.MONITORING)  # refusing help: the director's monitoring dates
    plan(open_(monitored, p.worker_a, refused_on=today - 9 * DAY, note_written_on=today - 8 * DAY), p.director_a,
         plan_on=today - 7 * DAY, dates=[today - DAY, today + 30 * DAY])  # fmt: skip
    case(stage=Stage.ZAKONCZENIE)  # nothing owed
    summoned = case(stage=Stage.ROZEZNANIE, first_contact_at=None)  # a summons: the appointment, until it passes
    refused = VisitFactory(case=summoned, outcome=Visit.Outcome.REFUSED, visited_at=timezone.now() - 3 * DAY)
    Summons.objects.create(
        case=summoned, author=p.worker_a, visit=refused, issued_on=today - 2 * DAY,
        appointment_at=timezone.now() + 12 * DAY,
    )  # fmt: skip
    # A visit agreed with the family (issue 17.8): on its day until it passes; a cancelled one never.
    planned = case(stage=Stage.ROZEZNANIE, first_contact_at=None)
    Appointment.objects.create(case=planned, author=p.worker_a, at=timezone.now() + 5 * DAY)
    Appointment.objects.create(case=planned, author=p.worker_a, at=timezone.now() + 2 * DAY,
                               cancelled_at=timezone.now(), cancel_reason="Odwołane")  # fmt: skip
    return list(Case.objects.filter(institution=org.inst_a).order_by("pk"))


def engine(cases) -> dict[int, datetime.date | None]:
    found = deadlines.deadlines_for(Case.objects.select_related("institution").filter(pk__in=[c.pk for c in cases]))
    return {pk: (ds[0].due if ds else None) for pk, ds in found.items()}


def stored(cases) -> dict[int, datetime.date | None]:
    return dict(DeadlineSummary.objects.filter(case__in=cases).values_list("case_id", "next_due"))


def test_a_refresh_stores_the_engines_earliest_due_date(org, p):
    cases = world(org, p)
    assert deadline_summaries_refresh(cases=Case.objects.all()) == len(cases)
    assert stored(cases) == engine(cases)
    verdicts = engine(cases)
    assert sum(due is not None and due < timezone.localdate() for due in verdicts.values()) >= 3
    assert None in verdicts.values()
    assert deadline_summaries_refresh(cases=Case.objects.all()) == 0, "fresh ones are not computed again"


def test_a_refresh_asks_the_same_queries_for_few_cases_as_for_many(org, p):
    def queries_of_a_refresh() -> int:
        DeadlineSummary.objects.update(valid_until=None)
        with CaptureQueriesContext(connection) as ctx:
            deadline_summaries_refresh(cases=Case.objects.all())
        return len(ctx.captured_queries)

    world(org, p)
    few = queries_of_a_refresh()
    world(org, p)
    world(org, p)
    assert queries_of_a_refresh() == few


def test_the_summary_holds_on_every_day_until_valid_until(org, p):
    """Move the clock a day at a time for 75 days, refreshing what ran out as the register would:
    a summary not yet run out is what the engine says that day. A rule that reads the date without
    saying so in ``valid_until`` fails here."""
    cases = world(org, p)
    deadline_summaries_refresh(cases=Case.objects.all())
    ran_out = 0
    for offset in range(1, 76):
        with time_machine.travel(NOW + offset * DAY, tick=False):
            today, now_engine = timezone.localdate(), engine(cases)
            for summary in DeadlineSummary.objects.filter(case__in=cases):
                if today < summary.valid_until:
                    assert now_engine[summary.case_id] == summary.next_due, (summary.case_id, today)
            ran_out += deadline_summaries_refresh(cases=Case.objects.all())
    assert ran_out >= 3, "a month began twice, a control-visit period ended"


FACTS_OF = {
    # label → a row of that model in ``world`` (the first one)
    label: (lambda model: lambda: model.objects.order_by("pk").first())(apps.get_model(label))
    for label in deadlines.fact_sources()
}


@pytest.mark.parametrize("label", sorted(deadlines.fact_sources()))
def test_saving_any_fact_makes_its_case_stale(org, p, label):
    world(org, p)
    deadline_summaries_refresh(cases=Case.objects.all())
    row = FACTS_OF[label]()
    assert row is not None, f"world() makes a {label}"
    case_id = deadlines_case_id(row, label)
    row.save()
    assert DeadlineSummary.objects.get(case_id=case_id).valid_until is None
    assert set(stale(Case.objects.all()).values_list("pk", flat=True)) == {case_id}


def deadlines_case_id(row, label):
    value = row
    for step in deadlines.fact_sources()[label]:
        value = getattr(value, step)
    return value


def test_deleting_a_fact_makes_its_case_stale(org, p):
    cases = world(org, p)
    deadline_summaries_refresh(cases=Case.objects.all())
    contract = Contract.objects.get(welfare_threatened=True)
    contract.goals.all().delete()
    contract.delete()
    assert set(stale(Case.objects.all()).values_list("pk", flat=True)) == {contract.case_id}
    deadline_summaries_refresh(cases=Case.objects.all())
    assert stored(cases) == engine(cases)


def test_a_change_of_a_case_makes_the_clients_cases_stale_and_the_institutions_intervals_all(org, p):
    cases = world(org, p)
    deadline_summaries_refresh(cases=Case.objects.all())
    first = cases[0]
    first.stage = Stage.ZAKONCZENIE
    first.save()
    assert set(stale(Case.objects.all()).values_list("pk", flat=True)) == {first.pk}
    deadline_summaries_refresh(cases=Case.objects.all())
    org.inst_a.repeat_visit_days = 60
    org.inst_a.save()
    assert stale(Case.objects.all()).count() == len(cases)
    deadline_summaries_refresh(cases=Case.objects.all())
    assert stored(cases) == engine(cases)


def test_load_facts_reads_no_table_that_is_not_a_fact_source(org, p):
    """Every table the engine reads must invalidate the summaries when it changes (FACT_SOURCES);
    a fact added to load_facts without it would leave the register's filter wrong."""
    cases = world(org, p)
    with CaptureQueriesContext(connection) as ctx:
        deadlines.load_facts(list(Case.objects.select_related("institution").filter(pk__in=[c.pk for c in cases])))
    read = {table for q in ctx.captured_queries for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', q["sql"])}
    by_table = {model._meta.db_table: model._meta.label for model in apps.get_models()}
    labels = {by_table[t] for t in read}
    assert "refusals.MonitoringDate" in labels and "assistants.AssistantVisit" in labels, labels
    assert labels - {"cases.Case", "mopr.Institution"} <= set(deadlines.fact_sources()), labels


def absent_visit(case) -> Visit:
    """A child of the family was not at home (the family has one: issue 16.9)."""
    if not case.client.members.filter(relation="child").exists():
        MemberFactory(client=case.client, is_head=False, relation="child", birth_date=datetime.date(2016, 1, 1))
    return Visit(
        case=case, visited_at=timezone.now() - 20 * DAY, outcome=Visit.Outcome.CHILD_ABSENT,
        place=Visit.Place.HOME, findings="Dziecka nie było w domu.",
    )  # fmt: skip


def test_the_registers_overdue_filter_follows_a_new_visit(client, org, p):
    """Through the services and the page: a child absent 20 days ago makes the case overdue."""
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE,
                       reported_at=timezone.now() - 25 * DAY)  # fmt: skip
    client.force_login(p.director_a)
    url = reverse("registers:register") + "?overdue=tak"
    assert case.number not in client.get(url).content.decode()
    visit_record(case=case, by=p.worker_a, visit=absent_visit(case))
    assert DeadlineSummary.objects.get(case=case).valid_until is None
    assert case.number in client.get(url).content.decode()
    assert (
        case.number
        in client.get(reverse("registers:register_export", args=["csv"]) + "?overdue=tak").getvalue().decode()
    )


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_during_a_refresh_is_not_lost(org, p, monkeypatch):
    """A refresh has read the facts; a worker records a visit before it stores its verdict. The
    worker's invalidation waits for the refresh's lock (PostgreSQL) or write lock (SQLite), so
    the refresh's old verdict does not stay as if it were fresh."""
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE,
                       reported_at=timezone.now() - 25 * DAY)  # fmt: skip
    computing, go_on = threading.Event(), threading.Event()
    summarize = deadlines.summarize

    def slow_summarize(cases):
        verdicts = summarize(cases)  # the facts as they were: no visit
        computing.set()
        go_on.wait(timeout=10)
        return verdicts

    monkeypatch.setattr(deadlines, "summarize", slow_summarize)
    errors = []

    def refresh():
        try:
            deadline_summaries_refresh(cases=Case.objects.filter(pk=case.pk))
        except Exception as error:  # shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    def record():
        try:
            computing.wait(timeout=10)
            threading.Timer(0.5, go_on.set).start()  # the refresh stores while this one waits
            visit_record(case=case, by=p.worker_a, visit=absent_visit(case))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh), threading.Thread(target=record)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    monkeypatch.setattr(deadlines, "summarize", summarize)
    assert Case.objects.filter(pk=case.pk).filter(pk__in=stale(Case.objects.all())).exists(), "left stale"
    deadline_summaries_refresh(cases=Case.objects.all())
    assert DeadlineSummary.objects.get(case=case).next_due < timezone.localdate()


def test_the_summaries_are_never_joined(org, p):
    """Every reader goes through a correlated subquery on the primary key: joined, SQLite's planner
    (with no statistics for the table until ANALYZE) read the whole table for every case."""
    from registers import selectors

    world(org, p)
    register = selectors.register_cases(user=p.director_a)
    deadline_summaries_refresh(cases=register)
    with CaptureQueriesContext(connection) as ctx:
        list(stale(register))
        list(selectors.filter_overdue(register, want=True))
        list(selectors.filter_overdue(register, want=False))
        list(selectors.iterate_rows(register))
        selectors.overdue_by_worker(tallies=selectors.case_tallies(user=p.director_a, regions=[org.region_a1]))
    table = DeadlineSummary._meta.db_table
    reading = [q["sql"] for q in ctx.captured_queries if table in q["sql"]]
    assert len(reading) >= 5
    assert not [sql for sql in reading if re.search(rf'JOIN\s+"?{table}"?', sql)], reading


def test_the_nightly_command_refreshes_the_stale_and_with_all_every_case(org, p):
    import io

    from django.core.management import call_command

    cases = world(org, p)
    out = io.StringIO()
    call_command("deadlines_refresh", stdout=out)
    assert f"Przeliczono terminy {len(cases)} spraw" in out.getvalue()
    assert stored(cases) == engine(cases)
    call_command("deadlines_refresh", stdout=out)
    assert "Przeliczono terminy 0 spraw" in out.getvalue()
    call_command("deadlines_refresh", "--all", stdout=out)
    assert out.getvalue().count(f"Przeliczono terminy {len(cases)} spraw") == 2


def test_every_case_has_its_summary_row(org, p):
    """The database writes a case's summary row with the case (cases 0028), however the case is
    inserted – here without a signal – so the stale ones are read from the summaries alone. Fails
    if a later migration rebuilds the cases table on SQLite and loses the trigger."""
    template = CaseFactory(region=org.region_a1)
    copy = Case(**{f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields if not f.primary_key})
    copy.client = MemberFactory(is_head=True).client
    copy.number = template.number + "-kopia"
    (made,) = Case.objects.bulk_create([copy])
    assert DeadlineSummary.objects.filter(case_id=made.pk, valid_until__isnull=True).exists()
    assert set(stale(Case.objects.filter(pk=made.pk)).values_list("pk", flat=True)) == {made.pk}
    deadline_summaries_refresh(cases=Case.objects.filter(pk=made.pk))
    assert not stale(Case.objects.filter(pk=made.pk)).exists()
