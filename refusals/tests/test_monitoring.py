"""The monitoring of difficult environments that refuse help (seed 003, MGOPS Strzelce
Krajeńskie): the refusal with the statement and the leaflet, the worker's note to the director,
the director's (deputy's) plan of action with the next monitoring dates, the monitoring visits,
the worker's written report and the joint decision; the dates and the court notice in the
deadline engine; who may do what; the pages through HTTP; who the history names.

Today is frozen at Friday 20 March 2026 (Europe/Warsaw)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.deadlines import deadlines_for
from cases.models import Case, Notification
from cases.procedure import CloseReason, Stage
from mopr.errors import DomainError, StaleVersionError
from mopr.models import Role
from mopr.tests.factories import PASSWORD, CaseFactory, UserFactory
from refusals import services
from refusals.models import MonitoringDate, RefusalMonitoring

D = datetime.date
WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=WARSAW)
TODAY = D(2026, 3, 20)
DAY = datetime.timedelta(days=1)
Decision = RefusalMonitoring.Decision
NOTE = "Pani K. (82 l.) odmówiła przyjęcia usług opiekuńczych; mieszka sama, w mieszkaniu zimno."


@pytest.fixture(autouse=True)
def frozen_today(request):
    if request.node.get_closest_marker("browser"):
        yield  # the browser keeps the real clock: a session cookie from a frozen past would expire at once
        return
    with time_machine.travel(NOW, tick=False):
        assert timezone.localdate() == TODAY
        yield


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)


def open_(case, by, **over) -> RefusalMonitoring:
    kwargs = {
        "refused_on": TODAY - 2 * DAY, "statement_taken": True, "leaflet_left": True,
        "note_to_director": NOTE, "note_written_on": TODAY - DAY,
    } | over  # fmt: skip
    return services.monitoring_open(case=case, by=by, **kwargs)


def plan(monitoring, by, dates=None, **over) -> RefusalMonitoring:
    kwargs = {
        "plan_on": TODAY, "dates": dates if dates is not None else [TODAY + 7 * DAY, TODAY + 37 * DAY],
        "contact_close_family": "Córka w Gorzowie – telefon.", "contact_neighbours": "Sołtys wsi Bobrówko.",
        "contact_health": "Pielęgniarka środowiskowa z NZOZ.", "contact_organisations": "Klub seniora.",
    } | over  # fmt: skip
    return services.monitoring_plan(monitoring=monitoring, by=by, **kwargs)


def done(monitoring, by, index=0, on=None) -> MonitoringDate:
    date = monitoring.dates.order_by("due_on")[index]
    return services.monitoring_date_done(date=date, by=by, done_on=on or TODAY, outcome="Drzwi otworzyła, odmawia.")


def report(monitoring, by, **over) -> RefusalMonitoring:
    kwargs = {"report": "Córka odwiedza co tydzień; pielęgniarka bywa co miesiąc.", "report_on": TODAY} | over
    return services.monitoring_report(monitoring=monitoring, by=by, **kwargs)


def decide(monitoring, by, decision=Decision.KEEP_MONITORING, **over) -> RefusalMonitoring:
    kwargs = {"decision_on": TODAY, "decision_note": "", "next_dates": [TODAY + 60 * DAY]} | over
    return services.monitoring_decide(monitoring=monitoring, by=by, decision=decision, **kwargs)


@pytest.fixture
def reported(case, p) -> RefusalMonitoring:
    """A monitoring planned by the director, visited once, reported by the worker."""
    m = plan(open_(case, p.worker_a), p.director_a)
    done(m, p.worker_a)
    return report(m, p.worker_a)


def rules(case) -> list[tuple[str, datetime.date]]:
    fresh = Case.objects.select_related("institution").get(pk=case.pk)
    return [(d.rule, d.due) for d in deadlines_for([fresh])[case.pk] if d.rule.startswith("monitoring")]


# --- 3, 5: the refusal and the note ----------------------------------------------------------------------


def test_the_refusal_records_the_statement_the_leaflet_and_the_note(case, p):
    m = open_(case, p.worker_a, statement_taken=True, leaflet_left=False)
    m.refresh_from_db()
    assert (m.refused_on, m.statement_taken, m.leaflet_left) == (TODAY - 2 * DAY, True, False)
    assert m.note_to_director == NOTE and m.note_written_on == TODAY - DAY and m.author == p.worker_a
    assert services.next_step(m) == "plan"
    assert Case.objects.get(pk=case.pk).version == case.version + 1


def test_a_refusal_is_recorded_only_at_the_monitoring_stage(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    with pytest.raises(DomainError, match="Monitoring"):
        open_(case, p.worker_a)
    assert not RefusalMonitoring.objects.exists()
    # The worker moves the case through the stage machine; then the refusal is recorded.
    case_services.case_change_stage(case=case, to=Stage.MONITORING, by=p.worker_a, reason="Odmowa pomocy.")
    assert open_(case, p.worker_a).case_id == case.pk


def test_one_undecided_monitoring_at_a_time(case, p):
    first = open_(case, p.worker_a)
    with pytest.raises(DomainError, match="już monitoring"):
        open_(case, p.worker_a)
    planned = plan(first, p.director_a)
    with pytest.raises(DomainError, match="już monitoring"):
        open_(case, p.worker_a)
    decide(report(planned, p.worker_a), p.director_a)
    assert open_(case, p.worker_a).pk != first.pk  # a new refusal after the decision


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"refused_on": TODAY + DAY}, "refused_on"),
        ({"note_written_on": TODAY + DAY}, "note_written_on"),
        ({"refused_on": TODAY - DAY, "note_written_on": TODAY - 2 * DAY}, "note_written_on"),
        ({"note_to_director": "   "}, "note_to_director"),
        ({"refused_on": TODAY - 30 * DAY}, "refused_on"),  # before the case was reported
    ],
)
def test_the_refusal_refuses_wrong_data_at_the_field(case, p, over, field):
    with pytest.raises(DomainError) as caught:
        open_(case, p.worker_a, **over)
    assert caught.value.field == field
    assert not RefusalMonitoring.objects.exists()


@pytest.mark.parametrize("who", ["worker_a_2", "coordinator_a", "director_a", "auditor_a"])
def test_only_the_responsible_worker_records_the_refusal(case, p, who):
    with pytest.raises(DomainError):
        open_(case, getattr(p, who))
    assert not RefusalMonitoring.objects.exists()


# --- 6: the plan of action -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["director_a", "head_a"])
def test_the_director_or_the_deputy_sets_the_plan(case, p, who):
    by = getattr(p, who)
    m = plan(open_(case, p.worker_a), by)
    m.refresh_from_db()
    assert m.plan_by == by and m.plan_on == TODAY and m.contact_neighbours == "Sołtys wsi Bobrówko."
    assert [d.due_on for d in m.dates.all()] == [TODAY + 7 * DAY, TODAY + 37 * DAY]
    assert all(d.done_on is None for d in m.dates.all())
    assert services.next_step(m) == "report"


@pytest.mark.parametrize("who", ["worker_a", "coordinator_a", "auditor_a", "assistant_a"])
def test_nobody_else_sets_the_plan(case, p, who):
    m = open_(case, p.worker_a)
    with pytest.raises(DomainError, match="dyrektor"):
        plan(m, getattr(p, who))
    m.refresh_from_db()
    assert m.plan_on is None and not m.dates.exists()


def test_another_institutions_director_does_not_plan(case, p, org):
    director_b = UserFactory(username="director_b", institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    with pytest.raises(DomainError, match="dyrektor"):
        plan(open_(case, p.worker_a), director_b)


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ([], "co najmniej jeden"),
        ([TODAY + 9 * DAY, TODAY + 3 * DAY], "kolejności"),
        ([TODAY + 3 * DAY, TODAY + 3 * DAY], "kolejności"),
        ([TODAY - 5 * DAY], "wcześniejszy"),  # before the plan (dated today)
    ],
)
def test_the_plans_dates(case, p, dates, message):
    m = open_(case, p.worker_a)
    with pytest.raises(DomainError, match=message) as caught:
        plan(m, p.director_a, dates=dates)
    assert caught.value.field == "dates"
    m.refresh_from_db()
    assert m.plan_on is None and not MonitoringDate.objects.exists()


def test_a_late_plan_needs_a_date_today_or_later(case, p):
    m = open_(case, p.worker_a, refused_on=TODAY - 3 * DAY, note_written_on=TODAY - 3 * DAY)
    with pytest.raises(DomainError, match="dzisiejszy lub przyszły"):
        plan(m, p.director_a, plan_on=TODAY - 2 * DAY, dates=[TODAY - DAY])
    # A date already past is fine beside one still to come: the worker may have gone already.
    m = plan(m, p.director_a, plan_on=TODAY - 2 * DAY, dates=[TODAY - DAY, TODAY])
    assert m.dates.count() == 2


def test_the_plan_follows_the_note_and_is_set_once(case, p):
    m = open_(case, p.worker_a)
    with pytest.raises(DomainError) as caught:
        plan(m, p.director_a, plan_on=TODAY - 2 * DAY)
    assert caught.value.field == "plan_on"
    with pytest.raises(DomainError) as caught:
        plan(m, p.director_a, plan_on=TODAY + DAY)
    assert caught.value.field == "plan_on"
    plan(m, p.director_a)
    with pytest.raises(DomainError, match="już ustalony"):
        plan(m, p.head_a)
    assert m.dates.count() == 2


def test_a_stale_plan_form_is_refused(case, p):
    m = open_(case, p.worker_a)
    plan(m, p.director_a, expected_version=m.version)
    with pytest.raises(StaleVersionError):
        plan(m, p.head_a, expected_version=m.version)  # the head's form was loaded before the director saved
    assert RefusalMonitoring.objects.get().plan_by == p.director_a


def test_no_plan_once_the_case_left_the_monitoring_stage(case, p):
    m = open_(case, p.worker_a)
    case_services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a, reason="Przyjmuje pomoc.")
    with pytest.raises(DomainError, match="etapie"):
        plan(m, p.director_a)


# --- 6a, 7: the monitoring visits and the report ---------------------------------------------------------------


def test_the_worker_records_a_monitoring_with_its_outcome(case, p):
    m = plan(open_(case, p.worker_a), p.director_a)
    date = m.dates.order_by("due_on").first()
    with pytest.raises(DomainError) as caught:
        services.monitoring_date_done(date=date, by=p.worker_a, done_on=TODAY, outcome="  ")
    assert caught.value.field == "outcome"
    with pytest.raises(DomainError) as caught:
        services.monitoring_date_done(date=date, by=p.worker_a, done_on=TODAY + DAY, outcome="Wizyta")
    assert caught.value.field == "done_on"
    with pytest.raises(DomainError) as caught:
        services.monitoring_date_done(date=date, by=p.worker_a, done_on=TODAY - DAY, outcome="Wizyta")
    assert caught.value.field == "done_on"  # before the plan
    recorded = done(m, p.worker_a)
    assert recorded.done_on == TODAY and recorded.outcome == "Drzwi otworzyła, odmawia."
    with pytest.raises(DomainError, match="już zapisany"):
        services.monitoring_date_done(date=date, by=p.worker_a, done_on=TODAY, outcome="Jeszcze raz")


@pytest.mark.parametrize("who", ["worker_a_2", "director_a", "auditor_a", "coordinator_a"])
def test_only_the_responsible_worker_records_a_monitoring(case, p, who):
    m = plan(open_(case, p.worker_a), p.director_a)
    with pytest.raises(DomainError):
        done(m, getattr(p, who))
    assert not MonitoringDate.objects.filter(done_on__isnull=False).exists()


def test_the_report_comes_after_the_plan(case, p):
    m = open_(case, p.worker_a)
    with pytest.raises(DomainError, match="plan"):
        report(m, p.worker_a)
    m = plan(m, p.director_a)
    with pytest.raises(DomainError) as caught:
        report(m, p.worker_a, report=" ")
    assert caught.value.field == "report"
    with pytest.raises(DomainError) as caught:
        report(m, p.worker_a, report_on=TODAY - DAY)
    assert caught.value.field == "report_on"
    m = report(m, p.worker_a)
    assert m.report_on == TODAY and services.next_step(m) == "decision"
    with pytest.raises(DomainError, match="już przedstawione"):
        report(m, p.worker_a)


@pytest.mark.parametrize("who", ["director_a", "worker_a_2", "auditor_a"])
def test_the_report_is_the_workers(case, p, who):
    m = plan(open_(case, p.worker_a), p.director_a)
    with pytest.raises(DomainError):
        report(m, getattr(p, who))
    assert RefusalMonitoring.objects.get().report_on is None


# --- 8: the joint decision ------------------------------------------------------------------------------------


def test_the_decision_comes_after_the_report(case, p):
    m = plan(open_(case, p.worker_a), p.director_a)
    with pytest.raises(DomainError, match="sprawozdaniu"):
        decide(m, p.director_a)
    assert RefusalMonitoring.objects.get().decision == ""


@pytest.mark.parametrize("who", ["worker_a", "coordinator_a", "auditor_a"])
def test_a_worker_does_not_decide(reported, p, who):
    with pytest.raises(DomainError, match="dyrektor"):
        decide(reported, getattr(p, who))
    assert RefusalMonitoring.objects.get().decision == ""


@pytest.mark.parametrize("who", ["director_a", "head_a"])
def test_keep_monitoring_adds_the_next_dates(reported, p, who):
    m = decide(reported, getattr(p, who), next_dates=[TODAY + 60 * DAY, TODAY + 90 * DAY])
    assert m.decision == Decision.KEEP_MONITORING and m.decision_by == getattr(p, who) and m.decision_on == TODAY
    assert [d.due_on for d in m.dates.filter(done_on__isnull=True)] == [
        TODAY + 37 * DAY,
        TODAY + 60 * DAY,
        TODAY + 90 * DAY,
    ]
    with pytest.raises(DomainError, match="już podjęta"):
        decide(m, p.director_a)


@pytest.mark.parametrize(
    ("next_dates", "message"),
    [
        ([], "kolejnych terminów"),
        ([TODAY - DAY], "wcześniejszy"),
        ([TODAY + 9 * DAY, TODAY + 3 * DAY], "kolejności"),
        ([TODAY + 37 * DAY], "już w planie"),  # the plan's own date is not a new one
    ],
)
def test_keep_monitoring_needs_new_future_dates(reported, p, next_dates, message):
    with pytest.raises(DomainError, match=message) as caught:
        decide(reported, p.director_a, next_dates=next_dates)
    assert caught.value.field == "next_dates"
    reported.refresh_from_db()
    assert reported.decision == "" and reported.dates.count() == 2  # nothing half saved


@pytest.mark.parametrize("decision", [Decision.FAMILY_COURT, Decision.CARE_HOME_OR_HOSPITAL])
def test_court_or_care_home_needs_a_justification(reported, p, decision):
    with pytest.raises(DomainError) as caught:
        decide(reported, p.director_a, decision=decision, next_dates=[])
    assert caught.value.field == "decision_note"
    m = decide(reported, p.director_a, decision=decision, decision_note="Zagrożenie zdrowia.", next_dates=[])
    assert m.decision == decision and m.dates.count() == 2


def test_the_decision_is_not_dated_before_the_report(reported, p):
    with pytest.raises(DomainError) as caught:
        decide(reported, p.director_a, decision_on=TODAY - DAY)
    assert caught.value.field == "decision_on"
    with pytest.raises(DomainError) as caught:
        decide(reported, p.director_a, decision="nonsense")
    assert caught.value.field == "decision"


def test_a_stale_decision_form_is_refused(reported, p):
    decide(reported, p.director_a, expected_version=reported.version)
    with pytest.raises(StaleVersionError):
        decide(reported, p.head_a, decision=Decision.FAMILY_COURT, decision_note="x", expected_version=reported.version)
    assert RefusalMonitoring.objects.get().decision == Decision.KEEP_MONITORING


# --- history --------------------------------------------------------------------------------------------------


def test_the_history_names_who_took_each_step(case, p):
    m = open_(case, p.worker_a)
    plan(m, p.head_a)
    done(m, p.worker_a)
    report(m, p.worker_a)
    decide(m, p.director_a, next_dates=[TODAY + 60 * DAY])
    steps = list(m.history.order_by("history_id"))
    assert [h.history_user for h in steps] == [p.worker_a, p.head_a, p.worker_a, p.worker_a, p.director_a]
    assert [h.history_type for h in steps] == ["+", "~", "~", "~", "~"]
    assert steps[-1].decision == Decision.KEEP_MONITORING
    first, second, kept = m.dates.order_by("due_on")
    assert [h.history_user for h in first.history.order_by("history_id")] == [p.head_a, p.worker_a]
    assert [h.history_user for h in second.history.all()] == [p.head_a]
    assert [h.history_user for h in kept.history.all()] == [p.director_a]
    assert Case.objects.get(pk=case.pk).history.latest().history_user == p.director_a


# --- the deadline engine --------------------------------------------------------------------------------------


def test_the_plans_dates_are_deadlines_until_done(case, p):
    m = open_(case, p.worker_a)
    assert rules(case) == []
    plan(m, p.director_a)
    assert rules(case) == [("monitoring", TODAY + 7 * DAY), ("monitoring", TODAY + 37 * DAY)]
    deadline = deadlines_for([Case.objects.select_related("institution").get(pk=case.pk)])[case.pk][0]
    assert deadline.label == "Monitoring środowiska odmawiającego pomocy" and not deadline.overdue
    done(m, p.worker_a)
    assert rules(case) == [("monitoring", TODAY + 37 * DAY)]
    decide(report(m, p.worker_a), p.director_a, next_dates=[TODAY + 60 * DAY])
    assert rules(case) == [("monitoring", TODAY + 37 * DAY), ("monitoring", TODAY + 60 * DAY)]


def test_an_overdue_monitoring_date(case, p):
    m = open_(case, p.worker_a, refused_on=TODAY - 3 * DAY, note_written_on=TODAY - 3 * DAY)
    plan(m, p.director_a, plan_on=TODAY - 3 * DAY, dates=[TODAY - DAY, TODAY + DAY])
    overdue = [d for d in deadlines_for([Case.objects.get(pk=case.pk)])[case.pk] if d.overdue]
    assert [(d.rule, d.due) for d in overdue] == [("monitoring", TODAY - DAY)]


def test_no_monitoring_dates_once_the_person_accepts_help_or_the_case_closes(case, p):
    plan(open_(case, p.worker_a), p.director_a)
    case_services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a, reason="Przyjmuje pomoc.")
    assert rules(case) == []


def test_a_family_court_decision_leaves_the_court_to_notify(reported, case, p):
    decide(reported, p.director_a, decision=Decision.FAMILY_COURT, decision_note="Zaniedbanie.", next_dates=[])
    assert ("monitoring_court_notice", TODAY) in rules(case)

    def notify(service, sent_on):
        notification = Notification(
            service=service, service_name="Sąd Rejonowy w Strzelcach Krajeńskich, III Wydział Rodzinny",
            reason="Wniosek o wgląd w sytuację rodziny.", sent_on=sent_on, sent_how=Notification.SentHow.LETTER,
        )  # fmt: skip
        case_services.notification_send(case=case, by=p.worker_a, notification=notification)

    notify(Notification.Service.POLICE, TODAY)  # another service does not count
    notify(Notification.Service.FAMILY_COURT, TODAY - DAY)  # nor the court told before the decision
    assert ("monitoring_court_notice", TODAY) in rules(case)
    notify(Notification.Service.FAMILY_COURT, TODAY)
    assert [r for r, _ in rules(case) if r == "monitoring_court_notice"] == []


def test_no_court_notice_for_other_decisions_or_a_closed_case(reported, case, p):
    decide(reported, p.director_a, decision=Decision.CARE_HOME_OR_HOSPITAL, decision_note="DPS.", next_dates=[])
    assert [r for r, _ in rules(case) if r == "monitoring_court_notice"] == []
    court_case = CaseFactory(region=case.region, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    m = report(plan(open_(court_case, p.worker_a), p.director_a), p.worker_a)
    decide(m, p.director_a, decision=Decision.FAMILY_COURT, decision_note="Zaniedbanie.", next_dates=[])
    case_services.case_close(
        case=court_case, by=p.worker_a, reason=CloseReason.MOVED_OUT, justification="Wyprowadzka do córki."
    )
    assert rules(court_case) == []


def test_monitoring_facts_take_as_many_queries_for_many_cases_as_for_two(org, p):
    def count(n):
        cases = []
        for i in range(n):
            c = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
            m = report(plan(open_(c, p.worker_a), p.director_a), p.worker_a)
            if i % 2:
                decide(m, p.director_a, decision=Decision.FAMILY_COURT, decision_note="x", next_dates=[])
            cases.append(c.pk)
        loaded = list(Case.objects.select_related("institution").filter(pk__in=cases))
        with CaptureQueriesContext(connection) as ctx:
            found = deadlines_for(loaded)
        assert all(any(d.rule == "monitoring" for d in found[pk]) for pk in cases)
        return len(ctx.captured_queries)

    assert count(2) == count(10)


# --- the pages --------------------------------------------------------------------------------------------------


def as_user(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def page(case) -> str:
    return reverse("refusals:monitoring_case", args=[case.pk])


def test_the_whole_procedure_through_the_pages(client, org, p):
    today = TODAY.isoformat()
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    as_user(client, "worker_a")
    # The worker moves the case to monitoring through the stage machine; the case page links to it.
    response = client.post(
        reverse("cases:transition", args=[case.pk]),
        {"version": case.version, "target": Stage.MONITORING, "reason": "Odmowa przyjęcia pomocy.", "confirmed": "1"},
    )
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).stage == Stage.MONITORING
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Monitoring środowiska (odmowa pomocy)" in detail and page(case) in detail
    assert reverse("refusals:monitoring_new", args=[case.pk]) in client.get(page(case)).content.decode()

    response = client.post(
        reverse("refusals:monitoring_new", args=[case.pk]),
        {"refused_on": today, "statement_taken": "on", "leaflet_left": "on", "note_written_on": today,
         "note_to_director": NOTE},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == page(case)
    m = RefusalMonitoring.objects.get()
    assert m.statement_taken and m.leaflet_left and m.author == p.worker_a
    assert "Ustal plan działania" not in client.get(page(case)).content.decode()  # the worker does not plan

    # The director finds it on the list and sets the plan; dates out of order come back at the field.
    as_user(client, "director_a")
    assert case.number in client.get(reverse("refusals:monitoring_queue")).content.decode()
    plan_url = reverse("refusals:monitoring_plan", args=[case.pk, m.pk])
    data = {"version": m.version, "plan_on": today, "contact_close_family": "Syn", "contact_neighbours": "",
            "contact_health": "Pielęgniarka", "contact_organisations": "",
            "date_1": "2026-04-20", "date_2": "2026-04-01"}  # fmt: skip
    refused = client.post(plan_url, data)
    assert refused.status_code == 422 and "kolejności" in refused.content.decode()
    assert refused.context["items"][0]["plan_form"].errors["date_1"]
    response = client.post(plan_url, data | {"date_2": "2026-05-20"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.plan_by == p.director_a and [d.due_on for d in m.dates.all()] == [D(2026, 4, 20), D(2026, 5, 20)]
    assert case.number not in client.get(reverse("refusals:monitoring_queue")).content.decode()

    # The worker sees the dates among the deadlines, records a visit and writes the report.
    as_user(client, "worker_a")
    assert "Monitoring środowiska odmawiającego pomocy" in client.get(reverse("cases:deadlines")).content.decode()
    first = m.dates.order_by("due_on").first()
    response = client.post(
        reverse("refusals:monitoring_date_done", args=[case.pk, m.pk, first.pk]),
        {f"date-{first.pk}-done_on": today, f"date-{first.pk}-outcome": "Nie wpuściła, rozmowa przez drzwi."},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.done_on == TODAY
    m.refresh_from_db()
    response = client.post(
        reverse("refusals:monitoring_report", args=[case.pk, m.pk]),
        {"version": m.version, "report_on": today, "report": "Syn deklaruje codzienne wizyty."},
    )
    assert response.status_code == 302

    # The director and the worker decide: ask the family court; the notice is due until sent.
    as_user(client, "head_a")
    m.refresh_from_db()
    assert case.number in client.get(reverse("refusals:monitoring_queue")).content.decode()
    response = client.post(
        reverse("refusals:monitoring_decide", args=[case.pk, m.pk]),
        {"version": m.version, "decision": Decision.FAMILY_COURT, "decision_on": today,
         "decision_note": "Zaniedbanie, brak opieki."},
    )  # fmt: skip
    assert response.status_code == 302
    as_user(client, "worker_a")
    assert "Wystąpienie do Sądu Rodzinnego" in client.get(reverse("cases:deadlines")).content.decode()
    assert "wystąpienie do sądu rodzinnego" in client.get(page(case)).content.decode()
    client.post(
        reverse("cases:entry_add", args=[case.pk, "zawiadomienie"]),
        {"service": Notification.Service.FAMILY_COURT, "service_name": "Sąd Rejonowy, III Wydział Rodzinny",
         "reason": "Wgląd w sytuację rodziny.", "sent_on": today, "sent_how": Notification.SentHow.LETTER},
    )  # fmt: skip
    assert "Wystąpienie do Sądu Rodzinnego" not in client.get(reverse("cases:deadlines")).content.decode()

    # Through HTTP too, the history names the person who took each step.
    m.refresh_from_db()
    assert [h.history_user for h in m.history.order_by("history_id")] == [
        p.worker_a, p.director_a, p.worker_a, p.worker_a, p.head_a
    ]  # fmt: skip
    assert first.history.latest().history_user == p.worker_a


def test_keep_monitoring_through_the_page(client, reported, case, p):
    as_user(client, "director_a")
    url = reverse("refusals:monitoring_decide", args=[case.pk, reported.pk])
    data = {"version": reported.version, "decision": Decision.KEEP_MONITORING, "decision_on": TODAY.isoformat()}
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert refused.context["items"][0]["decision_form"].errors["next_date_1"]
    assert client.post(url, data | {"next_date_1": "2026-06-01"}).status_code == 302
    assert reported.dates.filter(due_on=D(2026, 6, 1), done_on__isnull=True).exists()


def test_another_regions_worker_and_another_institution_do_not_see_it(client, reported, case):
    for who in ("worker_a2", "outsider", "benefits_a", "first_contact_a"):
        as_user(client, who)
        assert client.get(page(case)).status_code == 404
        assert client.post(reverse("refusals:monitoring_report", args=[case.pk, reported.pk])).status_code == 404


def test_the_auditor_reads_but_does_not_write(client, reported, case):
    as_user(client, "auditor_a")
    body = client.get(page(case)).content.decode()
    assert NOTE in body and "Przedstaw sprawozdanie" not in body and "Zapisz decyzję" not in body
    assert client.get(reverse("refusals:monitoring_new", args=[case.pk])).status_code == 403
    date = reported.dates.filter(done_on__isnull=True).get()
    for url in (
        reverse("refusals:monitoring_plan", args=[case.pk, reported.pk]),
        reverse("refusals:monitoring_decide", args=[case.pk, reported.pk]),
        reverse("refusals:monitoring_report", args=[case.pk, reported.pk]),
        reverse("refusals:monitoring_date_done", args=[case.pk, reported.pk, date.pk]),
    ):
        assert client.post(url, {}).status_code == 403
    assert client.get(reverse("refusals:monitoring_queue")).status_code == 403


def test_a_worker_cannot_plan_or_decide_through_the_pages(client, case, p):
    m = open_(case, p.worker_a)
    as_user(client, "worker_a")
    data = {"version": m.version, "plan_on": TODAY.isoformat(), "date_1": "2026-04-01"}
    assert client.post(reverse("refusals:monitoring_plan", args=[case.pk, m.pk]), data).status_code == 403
    assert client.post(reverse("refusals:monitoring_decide", args=[case.pk, m.pk]), {}).status_code == 403
    assert client.get(reverse("refusals:monitoring_queue")).status_code == 403
    assert RefusalMonitoring.objects.get().plan_on is None


def test_a_monitoring_of_another_case_is_not_reached_through_this_one(client, case, org, p):
    other = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    m = open_(other, p.worker_a)
    as_user(client, "director_a")
    data = {"version": m.version, "plan_on": TODAY.isoformat(), "date_1": "2026-04-01"}
    assert client.post(reverse("refusals:monitoring_plan", args=[case.pk, m.pk]), data).status_code == 404
    assert RefusalMonitoring.objects.get().plan_on is None


def test_the_queue_lists_the_institutions_monitorings_waiting_for_the_director(client, case, org, p):
    waiting_plan = open_(case, p.worker_a)
    other = CaseFactory(region=org.region_a2, worker=p.worker_a2, accepted_at=timezone.now(), stage=Stage.MONITORING)
    waiting_decision = report(plan(open_(other, p.worker_a2), p.director_a), p.worker_a2)
    as_user(client, "head_a")
    response = client.get(reverse("refusals:monitoring_queue"))
    queues = response.context["queues"]
    assert list(queues["plan"]) == [waiting_plan] and list(queues["decision"]) == [waiting_decision]
    as_user(client, "coordinator_b")
    assert client.get(reverse("refusals:monitoring_queue")).status_code == 403


def test_a_case_without_monitoring_shows_no_section(client, org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    as_user(client, "worker_a")
    assert (
        "Monitoring środowiska (odmowa pomocy)"
        not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )


# --- in a real browser: every page of the monitoring, checked with axe-core --------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_monitoring_pages_are_accessible(page, org, p):
    from mopr.tests.browser import check_a11y, login, logout, screenshot

    today = timezone.localdate()
    fresh = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    waiting = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    open_(waiting, p.worker_a, refused_on=today, note_written_on=today)
    planned = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    m = open_(planned, p.worker_a, refused_on=today, note_written_on=today)
    services.monitoring_plan(monitoring=m, by=p.director_a, plan_on=today, dates=[today, today + 7 * DAY])
    services.monitoring_date_done(date=m.dates.order_by("due_on")[0], by=p.worker_a, done_on=today, outcome="Odmawia.")

    login(page, "worker_a")
    page.goto(page_url := reverse("refusals:monitoring_new", args=[fresh.pk]))
    check_a11y(page, "monitoring-new")
    page.get_by_label("Notatka służbowa dla dyrektora lub zastępcy dyrektora").fill(NOTE)
    page.get_by_label("Odebrano oświadczenie o rezygnacji z pomocy").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz").click()
    assert page_url not in page.url and RefusalMonitoring.objects.filter(case=fresh).exists()
    page.goto(reverse("cases:detail", args=[planned.pk]))
    check_a11y(page, "monitoring-case-detail-section")
    page.get_by_role("link", name="Monitoring środowiska: odmowa, plan działania, terminy, decyzja").click()
    check_a11y(page, "monitoring-worker-visit-and-report")
    screenshot(page, "monitoring-worker")
    logout(page)

    login(page, "director_a")
    page.goto(reverse("refusals:monitoring_queue"))
    check_a11y(page, "monitoring-queue")
    page.goto(reverse("refusals:monitoring_case", args=[waiting.pk]))
    check_a11y(page, "monitoring-director-plan")
    screenshot(page, "monitoring-director-plan")
    page.get_by_label("Termin monitoringu 1").fill((today + 3 * DAY).isoformat())
    page.get_by_label("Termin monitoringu 2").fill(today.isoformat())
    page.get_by_role("button", name="Ustal plan działania").click()
    check_a11y(page, "monitoring-director-plan-refused")  # the refusal at the field, on the page again
    assert "kolejności" in page.content()
    services.monitoring_report(monitoring=m, by=p.worker_a, report="Syn odwiedza matkę.", report_on=today)
    page.goto(reverse("refusals:monitoring_case", args=[planned.pk]))
    check_a11y(page, "monitoring-director-decision")
    screenshot(page, "monitoring-director-decision")
