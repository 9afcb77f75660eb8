"""Time accounting and caseload (seed 004, the Toruń pilot): the rules of recording a day, the
monthly summaries with the seed's percentages, who sees whose time, the caseload against the
institution's norms, fixed query counts, and the pages through HTTP with bad input."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.procedure import Stage
from mopr import policy
from mopr.errors import DomainError
from mopr.models import Role
from mopr.tests.factories import PASSWORD, CaseFactory, ClientFactory, MemberFactory, UserFactory
from timesheets import selectors as sel
from timesheets.models import TimeEntry
from timesheets.services import time_record

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
D = Decimal
MARCH = datetime.date(2025, 3, 1)  # a past month of 31 days

# Seed 004, "Rodziny z Dziećmi – pracownicy socjalni", X.2012–VIII.2013: hours and the printed %.
SEED_FAMILIES_HOURS = {
    "A": D("1600.5"), "B": D("392.5"), "C": D("236.5"), "D": D("928.5"), "E": D("1484"),
    "F": D("1027"), "G": D("704"), "H": D("434.5"), "I": D("417.5"),
}  # fmt: skip
SEED_FAMILIES_PERCENT = {"A": 22, "B": 5, "C": 3, "D": 13, "E": 20, "F": 14, "G": 10, "H": 6, "I": 6}
# Seed 004, "Osoby Pozostające Bez Pracy – pracownicy socjalni": hours and the printed %.
SEED_UNEMPLOYED_HOURS = {
    "A": D("1238.5"), "B": D("280.5"), "C": D("73.5"), "D": D("491.5"), "E": D("2350"),
    "F": D("1415.5"), "G": D("864"), "H": D("476"), "I": D("179"),
}  # fmt: skip
SEED_UNEMPLOYED_PERCENT = {"A": 17, "B": 4, "C": 1, "D": 7, "E": 32, "F": 19, "G": 12, "H": 6, "I": 2}


def record(worker, day, by=None, **hours):
    return time_record(worker=worker, day=day, hours_by_category={k: D(v) for k, v in hours.items()}, by=by or worker)


def entries(worker, day=None):
    qs = TimeEntry.objects.filter(worker=worker)
    if day:
        qs = qs.filter(day=day)
    return {e.category: e.hours for e in qs}


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


# --- recording a day: the rules -----------------------------------------------------------------------


def test_a_worker_records_their_day_and_a_second_save_replaces_it(p):
    day = TODAY() - DAY
    record(p.worker_a, day, A="3.5", E="2", I="0.75")
    assert entries(p.worker_a, day) == {"A": D("3.5"), "E": D("2"), "I": D("0.75")}
    record(p.worker_a, day, A="4", B="1")  # E and I left out: removed
    assert entries(p.worker_a, day) == {"A": D("4"), "B": D("1")}
    record(p.worker_a, day, A="0", B="1")  # 0 removes the category
    assert entries(p.worker_a, day) == {"B": D("1")}
    record(p.worker_a, day)
    assert entries(p.worker_a, day) == {}


def test_other_days_are_left_alone(p):
    record(p.worker_a, TODAY() - 2 * DAY, A="8")
    record(p.worker_a, TODAY() - DAY, B="8")
    record(p.worker_a, TODAY() - DAY, C="1")
    assert entries(p.worker_a, TODAY() - 2 * DAY) == {"A": D("8")}


def test_today_and_a_full_24_hours_are_accepted(p):
    record(p.worker_a, TODAY(), G="24")
    record(p.worker_a, TODAY() - DAY, A="12", E="12")
    assert entries(p.worker_a, TODAY()) == {"G": D("24")}


@pytest.mark.parametrize(
    ("hours", "field", "message"),
    [
        ({"A": "-1"}, "A", "Liczba godzin nie może być ujemna."),
        ({"B": "24.5"}, "B", "W jednej kategorii najwyżej 24 godziny na dzień."),
        ({"A": "12", "E": "10", "I": "2.5"}, "day", "przekracza 24 godziny"),
        ({"C": "1.125"}, "C", "z dokładnością do 0,01"),
        ({"D": "siedem"}, "D", "Podaj liczbę godzin"),
        ({"D": "NaN"}, "D", "Podaj liczbę godzin"),
    ],
)
def test_bad_hours_are_refused_at_the_field(p, hours, field, message):
    record(p.worker_a, TODAY() - DAY, A="1")
    with pytest.raises(DomainError) as error:
        time_record(worker=p.worker_a, day=TODAY() - DAY, hours_by_category=hours, by=p.worker_a)
    assert error.value.field == field and message in error.value.message
    assert entries(p.worker_a) == {"A": D("1")}  # nothing changed


def test_a_day_in_the_future_is_refused(p):
    with pytest.raises(DomainError) as error:
        record(p.worker_a, TODAY() + DAY, A="1")
    assert error.value.field == "day" and "z przyszłości" in error.value.message
    assert not TimeEntry.objects.exists()


def test_an_unknown_category_is_refused(p):
    with pytest.raises(DomainError, match="Nieznana kategoria"):
        time_record(worker=p.worker_a, day=TODAY(), hours_by_category={"Z": D(1)}, by=p.worker_a)


def test_history_names_the_person_who_recorded(p):
    day = TODAY() - DAY
    record(p.worker_a, day, A="2", B="1")
    record(p.worker_a, day, by=p.coordinator_a, A="3")  # A updated, B removed by the coordinator
    history = TimeEntry.history.order_by("history_id")
    assert [(h.category, h.history_type, h.history_user.username) for h in history] == [
        ("A", "+", "worker_a"),
        ("B", "+", "worker_a"),
        ("A", "~", "coordinator_a"),
        ("B", "-", "coordinator_a"),
    ]


@pytest.mark.parametrize("who", ["worker_a", "worker_a2", "benefits_a", "coordinator_a", "outsider", "coordinator_b"])
def test_time_staff_record_their_own_time(p, who):
    person = getattr(p, who)
    record(person, TODAY(), E="1")
    assert entries(person) == {"E": D("1")}


@pytest.mark.parametrize("who", ["head_a", "director_a", "auditor_a", "assistant_a", "first_contact_a"])
def test_others_record_no_time(p, who):
    with pytest.raises(DomainError, match="rejestrują pracownicy socjalni"):
        record(getattr(p, who), TODAY(), E="1")


@pytest.mark.parametrize(
    ("by", "worker", "allowed"),
    [
        ("coordinator_a", "worker_a", True),  # a social worker of the coordinator's region
        ("coordinator_a", "benefits_a", True),  # holds a social-worker role in A1 too
        ("coordinator_a", "worker_a2", False),  # another region
        ("worker_a_2", "worker_a", False),  # a colleague
        ("director_a", "worker_a", False),  # reads, does not record
        ("coordinator_b", "worker_a", False),  # another institution
    ],
)
def test_who_may_correct_someone_elses_time(p, by, worker, allowed):
    if allowed:
        record(getattr(p, worker), TODAY(), by=getattr(p, by), A="2")
        assert entries(getattr(p, worker)) == {"A": D("2")}
    else:
        with pytest.raises(DomainError, match="tylko koordynator rejonu"):
            record(getattr(p, worker), TODAY(), by=getattr(p, by), A="2")


def test_an_inactive_user_records_nothing_but_their_coordinator_may_correct(p):
    p.worker_a.is_active = False
    p.worker_a.save()
    with pytest.raises(DomainError):
        record(p.worker_a, TODAY(), A="1")
    record(p.worker_a, TODAY(), by=p.coordinator_a, A="1")
    assert entries(p.worker_a) == {"A": D("1")}


# --- the monthly summaries and the seed's percentages --------------------------------------------------


def spread(hours_by_category, workers, month):
    """Record the hours over the workers' days of ``month``, at most 24 h a day, via the service."""
    first, following = sel.month_bounds(month)
    days = [first + i * DAY for i in range((following - first).days)]
    slots = [(w, d) for w in workers for d in days]
    plan: dict = {}
    slot, room = 0, D(24)
    for category, amount in hours_by_category.items():
        while amount:
            put = min(amount, room)
            key = slots[slot]
            plan.setdefault(key, {})
            plan[key][category] = plan[key].get(category, D(0)) + put
            amount -= put
            room -= put
            if not room:
                slot, room = slot + 1, D(24)
    for (worker, day), hours in plan.items():
        time_record(worker=worker, day=day, hours_by_category=hours, by=worker)
    return plan


def team_of_workers(org, n, region=None):
    region = region or org.region_a1
    return [
        UserFactory(institution=org.inst_a, roles=[(Role.SOCIAL_WORKER, region)], last_name=f"Zespół{i:02d}")
        for i in range(n)
    ]


def test_the_seed_column_families_with_children_through_the_team_summary(org):
    """The seed's hours of the "Rodziny z dziećmi" social workers, recorded day by day by twelve
    workers of one region in one month, come back to the half hour, with whole percents.

    The seed prints E as 20 %, but 1484 of the column's own 7225 h is 20.54 % → 21 %; every
    printed percent of that column (E's 20 included) is the hours over 7392 – the total printed
    under the *other* column (whose own hours add up to 7368.5). We compute against the sum of
    the hours recorded, so E is 21; ``percent`` against 7392 gives the printed column exactly."""
    workers = team_of_workers(org, 12)
    spread(SEED_FAMILIES_HOURS, workers, MARCH)
    summary = sel.month_summary_for_team(team=org.region_a1, month=MARCH)
    assert {row.category: row.hours for row in summary.rows} == SEED_FAMILIES_HOURS
    assert summary.total == D("7225") and summary.total_text == "7225" and summary.percent_total == 100
    assert summary.percents == SEED_FAMILIES_PERCENT | {"E": 21}
    assert {c: sel.percent(h, D("7392")) for c, h in SEED_FAMILIES_HOURS.items()} == SEED_FAMILIES_PERCENT
    assert summary.rows[0].description == "praca socjalna z osobą/rodziną w środowisku"
    assert [r.hours_text for r in summary.rows][:2] == ["1600,5", "392,5"]
    assert len(summary.workers) == 12 and sum(w.total for w in summary.workers) == D("7225")
    # The same month for the institution, and another month is empty.
    assert sel.month_summary_for_team(team=org.inst_a, month=MARCH).total == D("7225")
    assert sel.month_summary_for_team(team=org.region_a1, month=datetime.date(2025, 4, 1)).total == 0


def test_the_seed_column_unemployed_is_reproduced_exactly():
    total = sum(SEED_UNEMPLOYED_HOURS.values())
    assert total == D("7368.5")  # the seed prints 7392 under it; the percents agree either way
    assert {c: sel.percent(h, total) for c, h in SEED_UNEMPLOYED_HOURS.items()} == SEED_UNEMPLOYED_PERCENT
    assert {c: sel.percent(h, D(7392)) for c, h in SEED_UNEMPLOYED_HOURS.items()} == SEED_UNEMPLOYED_PERCENT


def test_percent_rounds_half_up_and_nothing_is_zero():
    assert sel.percent(D("1"), D("8")) == 13  # 12.5
    assert sel.percent(D("1"), D("3")) == 33
    assert sel.percent(D("0"), D("0")) == 0
    assert sel.hours_text(D("7.50")) == "7,5" and sel.hours_text(D("0.25")) == "0,25" and sel.hours_text(None) == "0"


def test_a_workers_month_counts_only_that_month_and_that_worker(p):
    record(p.worker_a, datetime.date(2025, 2, 28), A="8")
    record(p.worker_a, datetime.date(2025, 3, 1), A="6", E="2")
    record(p.worker_a, datetime.date(2025, 3, 31), B="4", E="4")
    record(p.worker_a, datetime.date(2025, 4, 1), A="8")
    record(p.worker_a_2, datetime.date(2025, 3, 10), A="8")
    summary = sel.month_summary_for_worker(worker=p.worker_a, month=MARCH)
    assert summary.total == D(16)
    assert {r.category: (r.hours, r.percent) for r in summary.rows if r.hours} == {
        "A": (D(6), 38),  # 37.5 → 38
        "B": (D(4), 25),
        "E": (D(6), 38),
    }
    assert [r.category for r in summary.rows] == list("ABCDEFGHI")
    empty = sel.month_summary_for_worker(worker=p.worker_a, month=datetime.date(2024, 1, 1))
    assert empty.total == 0 and empty.percent_total == 0 and all(r.percent == 0 for r in empty.rows)


def test_a_region_team_holds_its_workers_and_coordinators_only(org, p):
    record(p.worker_a, MARCH, A="1")
    record(p.worker_a2, MARCH, A="5")
    record(p.coordinator_a, MARCH, F="2")
    record(p.outsider, MARCH, A="7")
    a1 = sel.month_summary_for_team(team=org.region_a1, month=MARCH)
    assert {w.worker.username for w in a1.workers} == {"worker_a", "worker_a_2", "coordinator_a"}
    assert a1.total == D(3)
    # The benefits worker (also a social worker of A1) is listed under the set of their job.
    benefits = sel.month_summary_for_team(team=org.region_a1, month=MARCH, category_set=sel.BENEFITS)
    assert {w.worker.username for w in benefits.workers} == {"benefits_a"} and benefits.total == 0
    whole = sel.month_summary_for_team(team=org.inst_a, month=MARCH)
    assert {w.worker.username for w in whole.workers} == {
        "worker_a", "worker_a_2", "worker_a2", "coordinator_a",
    }  # fmt: skip
    assert whole.total == D(8)


def test_a_worker_who_left_counts_for_the_months_they_worked(org, p):
    record(p.worker_a, MARCH, A="3")
    p.worker_a.is_active = False
    p.worker_a.save()
    march = sel.month_summary_for_team(team=org.region_a1, month=MARCH)
    assert "worker_a" in {w.worker.username for w in march.workers}
    april = sel.month_summary_for_team(team=org.region_a1, month=datetime.date(2025, 4, 1))
    assert "worker_a" not in {w.worker.username for w in april.workers}


# --- who sees whose time -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        ("worker_a", {"worker_a"}),
        ("worker_a_2", {"worker_a_2"}),
        ("benefits_a", {"benefits_a"}),
        ("coordinator_a", {"worker_a", "worker_a_2", "coordinator_a", "benefits_a"}),
        ("head_a", "all_a"),
        ("director_a", "all_a"),
        ("auditor_a", "all_a"),
        ("assistant_a", set()),
        ("first_contact_a", set()),
        ("outsider", {"outsider"}),
        ("coordinator_b", {"outsider", "coordinator_b"}),
    ],
)
def test_who_sees_whose_time(p, viewer, visible):
    everybody = {
        "worker_a", "worker_a_2", "worker_a2", "coordinator_a", "head_a", "director_a", "auditor_a",
        "assistant_a", "first_contact_a", "benefits_a", "outsider", "coordinator_b",
    }  # fmt: skip
    if visible == "all_a":
        visible = everybody - {"outsider", "coordinator_b"}
    user = getattr(p, viewer)
    seen = {name for name in everybody if policy.time_may_view(user, getattr(p, name))}
    assert seen == visible


def test_team_pages_are_for_coordinators_and_the_institutions_readers(p, org):
    assert [policy.user_sees_team_time(getattr(p, n)) for n in ("coordinator_a", "head_a", "auditor_a")] == [True] * 3
    assert not any(policy.user_sees_team_time(getattr(p, n)) for n in ("worker_a", "benefits_a", "assistant_a"))
    assert list(policy.regions_for_time(p.coordinator_a)) == [org.region_a1]
    assert set(policy.regions_for_time(p.director_a)) == {org.region_a1, org.region_a2}
    assert not policy.regions_for_time(p.worker_a).exists()


# --- caseload against the norm ------------------------------------------------------------------------


def open_cases(worker, region, n, stage=Stage.PRACA_SOCJALNA):
    return [CaseFactory(region=region, worker=worker, accepted_at=timezone.now(), stage=stage) for _ in range(n)]


def by_name(rows):
    return {row.worker.username: row for row in rows}


def test_caseload_counts_open_cases_against_the_institutions_norm(org, p):
    open_cases(p.worker_a, org.region_a1, 3)
    open_cases(p.worker_a, org.region_a1, 2, stage=Stage.ZAKONCZENIE)  # closed: not counted
    open_cases(p.worker_a_2, org.region_a1, 1, stage=Stage.ZGLOSZENIE)
    rows = by_name(sel.caseload(team=org.inst_a))
    assert set(rows) == {"worker_a", "worker_a_2", "worker_a2", "benefits_a"}  # no coordinator-only, no readers
    assert (rows["worker_a"].open_cases, rows["worker_a"].norm, rows["worker_a"].over_norm) == (3, 20, False)
    assert rows["worker_a"].regions == ("RPŚ-1",)
    assert (rows["benefits_a"].benefits_worker, rows["benefits_a"].norm, rows["benefits_a"].open_cases) == (True, 80, 0)

    org.inst_a.caseload_norm_social_worker = 2
    org.inst_a.save()
    rows = by_name(sel.caseload(team=org.inst_a))
    assert rows["worker_a"].over_norm and not rows["worker_a_2"].over_norm
    org.inst_a.caseload_norm_social_worker = 3
    org.inst_a.save()
    assert not by_name(sel.caseload(team=org.inst_a))["worker_a"].over_norm  # at the norm is not over it


def test_caseload_counts_families_of_open_cases_not_case_rows(org, p):
    """A family's earlier, closed case is not a second family (and the database allows one open
    case per client, so open cases and families agree)."""
    client = ClientFactory(institution=org.inst_a)
    MemberFactory(client=client)
    for stage in (Stage.ZAKONCZENIE, Stage.PRACA_SOCJALNA):
        CaseFactory(region=org.region_a1, client=client, worker=p.worker_a, stage=stage)
    open_cases(p.worker_a, org.region_a1, 1)
    assert by_name(sel.caseload(team=org.inst_a))["worker_a"].open_cases == 2


def test_the_benefits_norm_follows_the_institution(org, p):
    org.inst_a.caseload_norm_benefits_worker = 60
    org.inst_a.save()
    assert by_name(sel.caseload(team=org.region_a1))["benefits_a"].norm == 60


def test_caseload_scope_follows_the_viewer(org, p):
    def names(user):
        return set(by_name(sel.caseload(team=policy.time_scope(user))))

    assert names(p.worker_a) == {"worker_a"}
    assert names(p.benefits_a) == {"benefits_a"}
    assert names(p.coordinator_a) == {"worker_a", "worker_a_2", "benefits_a"}
    assert names(p.head_a) == {"worker_a", "worker_a_2", "worker_a2", "benefits_a"}
    assert names(p.coordinator_b) == {"outsider"}
    assert policy.time_scope(p.assistant_a) is None and policy.time_scope(p.first_contact_a) is None


def test_a_worker_who_left_shows_while_holding_open_cases(org, p):
    open_cases(p.worker_a, org.region_a1, 1)
    p.worker_a.is_active = p.worker_a_2.is_active = False
    p.worker_a.save()
    p.worker_a_2.save()
    names = set(by_name(sel.caseload(team=org.region_a1)))
    assert "worker_a" in names and "worker_a_2" not in names


# --- a fixed number of queries ------------------------------------------------------------------------


def queries_of(fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_team_summary_and_caseload_in_a_fixed_number_of_queries(org, django_assert_num_queries):
    small = team_of_workers(org, 2, org.region_a2)
    for w in small:
        record(w, MARCH, A="4", E="3")
        open_cases(w, org.region_a2, 2)
    n_summary = queries_of(lambda: sel.month_summary_for_team(team=org.region_a2, month=MARCH))
    n_caseload = queries_of(lambda: sel.caseload(team=org.region_a2))
    assert n_summary <= 3 and n_caseload <= 3
    for w in team_of_workers(org, 6, org.region_a2):
        record(w, MARCH, A="4", B="1", I="1")
        open_cases(w, org.region_a2, 3)
    with django_assert_num_queries(n_summary):
        summary = sel.month_summary_for_team(team=org.region_a2, month=MARCH)
    with django_assert_num_queries(n_caseload):
        rows = sel.caseload(team=org.region_a2)
    assert len(summary.workers) == 8 and len(rows) == 8


def test_a_workers_month_in_one_query(p, django_assert_num_queries):
    record(p.worker_a, MARCH, A="4", E="3")
    with django_assert_num_queries(1):
        sel.month_summary_for_worker(worker=p.worker_a, month=MARCH)


# --- the pages ---------------------------------------------------------------------------------------


def week_url(**query):
    from urllib.parse import urlencode

    return reverse("timesheets:time_week") + (f"?{urlencode(query)}" if query else "")


def cell(day, category):
    return f"h_{day:%Y%m%d}_{category}"


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def test_the_week_grid_saves_the_days_of_the_week(client, p):
    login(client, "worker_a")
    monday = monday_of(TODAY()) - 7 * DAY  # last week: every day editable
    url = week_url(tydzien=f"{monday:%Y-%m-%d}")
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    # Every cell has its label (category and day) for screen readers.
    assert (
        f'for="id_{cell(monday, "A")}"' in body and "praca socjalna z osobą/rodziną w środowisku, poniedziałek" in body
    )
    response = client.post(url, {cell(monday, "A"): "3,5", cell(monday, "E"): "4", cell(monday + DAY, "I"): "1.25"})
    assert response.status_code == 302 and response["Location"] == url
    assert entries(p.worker_a, monday) == {"A": D("3.5"), "E": D("4")}
    assert entries(p.worker_a, monday + DAY) == {"I": D("1.25")}
    body = client.get(url).content.decode()
    assert 'value="3,5"' in body and "Zapisano czas pracy." in body
    # Clearing a cell removes the entry.
    client.post(url, {cell(monday, "A"): "", cell(monday, "E"): "4", cell(monday + DAY, "I"): "1,25"})
    assert entries(p.worker_a, monday) == {"E": D("4")}
    # A day the sent form did not hold (a page loaded the day before) is left as it is.
    client.post(url, {cell(monday, "E"): "5"})
    assert entries(p.worker_a, monday) == {"E": D("5")} and entries(p.worker_a, monday + DAY) == {"I": D("1.25")}


def test_the_week_grid_offers_no_future_days(client, p):
    login(client, "worker_a")
    monday = monday_of(TODAY())
    tomorrow = TODAY() + DAY
    body = client.get(week_url()).content.decode()
    assert f'name="{cell(TODAY(), "A")}"' in body and f'name="{cell(tomorrow, "A")}"' not in body
    next_week = monday + 7 * DAY
    body = client.get(week_url(tydzien=f"{next_week:%Y-%m-%d}")).content.decode()
    assert "dzień z przyszłości" in body and "Zapisz tydzień" not in body
    # A forged cell of a future day is ignored.
    response = client.post(week_url(), {cell(tomorrow, "A"): "5", cell(TODAY(), "B"): "1"})
    assert response.status_code == 302 and entries(p.worker_a) == {"B": D("1")}


def test_bad_hours_in_the_grid_give_a_polish_message_and_save_nothing(client, p):
    login(client, "worker_a")
    monday = monday_of(TODAY()) - 7 * DAY
    url = week_url(tydzien=f"{monday:%Y-%m-%d}")
    response = client.post(url, {cell(monday, "A"): "osiem", cell(monday + DAY, "B"): "2"})
    body = response.content.decode()
    assert response.status_code == 200 and "Podaj liczbę godzin, np. 7,5." in body and 'aria-invalid="true"' in body
    response = client.post(url, {cell(monday, "A"): "-2", cell(monday + DAY, "B"): "2"})
    assert "Liczba godzin nie może być ujemna." in response.content.decode()
    response = client.post(url, {cell(monday, "A"): "20", cell(monday, "E"): "5", cell(monday + DAY, "B"): "2"})
    body = response.content.decode()
    assert response.status_code == 200 and "przekracza 24 godziny" in body and 'role="alert"' in body
    assert not TimeEntry.objects.exists()  # the good day of the week was not saved either
    response = client.post(url, {cell(monday, "A"): "1" * 20})
    assert response.status_code == 200 and not TimeEntry.objects.exists()


def test_a_bad_week_choice_is_a_message_not_an_error(client, p):
    login(client, "worker_a")
    response = client.get(week_url(tydzien="wczoraj"))
    assert response.status_code == 200 and "Wpisz poprawną datę." in response.content.decode()
    for far in ("9999-12-31", "0001-01-01"):
        response = client.get(week_url(tydzien=far))
        assert response.status_code == 200 and "Podaj datę z lat 1900–2999." in response.content.decode()


@pytest.mark.parametrize("who", ["head_a", "director_a", "auditor_a", "assistant_a", "first_contact_a"])
def test_the_week_grid_is_for_time_staff(client, p, who):
    login(client, who)
    assert client.get(week_url()).status_code == 403


def test_a_coordinator_corrects_a_workers_week(client, p):
    login(client, "coordinator_a")
    monday = monday_of(TODAY()) - 7 * DAY
    url = week_url(pracownik=p.worker_a.pk, tydzien=f"{monday:%Y-%m-%d}")
    body = client.get(url).content.decode()
    assert "Poprawiasz czas pracy osoby" in body
    assert client.post(url, {cell(monday, "D"): "2"}).status_code == 302
    assert entries(p.worker_a) == {"D": D("2")} and entries(p.coordinator_a) == {}
    assert TimeEntry.history.get().history_user == p.coordinator_a
    assert client.get(week_url(pracownik=p.worker_a2.pk)).status_code == 403  # another region
    assert client.get(week_url(pracownik=p.outsider.pk)).status_code == 404  # another institution
    assert client.get(week_url(pracownik="abc")).status_code == 404
    assert client.get(week_url(pracownik=999999)).status_code == 404
    assert client.get(week_url(pracownik="9" * 25)).status_code == 404
    login(client, "worker_a_2")
    assert client.get(week_url(pracownik=p.worker_a.pk)).status_code == 403


def month_url(user, month="2025-03"):
    return reverse("timesheets:time_worker_month", args=[user.pk, month])


def test_a_workers_month_page_looks_like_the_seed(client, p):
    record(p.worker_a, datetime.date(2025, 3, 3), A="6", E="2")
    record(p.worker_a, datetime.date(2025, 3, 4), B="4", E="4")
    login(client, "worker_a")
    response = client.get(month_url(p.worker_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<caption>Czas pracy według kategorii" in body and '<th scope="row">A</th>' in body
    assert "przygotowanie dokumentacji" in body and ">38<" in body and ">16<" in body and ">100<" in body
    assert "Wpisz czas pracy" in body


@pytest.mark.parametrize(
    ("who", "status"),
    [("worker_a", 200), ("coordinator_a", 200), ("director_a", 200), ("worker_a_2", 403), ("outsider", 404)],
)
def test_who_opens_a_workers_month(client, p, who, status):
    login(client, who)
    assert client.get(month_url(p.worker_a)).status_code == status


BAD_URLS = [
    "/czas-pracy/{pk}/2025-13/",
    "/czas-pracy/{pk}/0000-01/",
    "/czas-pracy/{pk}/2025-3/",
    "/czas-pracy/{pk}/marzec/",
    "/czas-pracy/abc/2025-03/",
    "/czas-pracy/999999/2025-03/",
    "/czas-pracy/99999999999999999999999/2025-03/",
    "/czas-pracy/zespol/2025-00/",
    "/czas-pracy/{pk}/9999-12/",
    "/czas-pracy/zespol/0001-01/",
]


@pytest.mark.parametrize("bad", BAD_URLS)
def test_bad_months_and_users_are_404(client, p, bad):
    login(client, "director_a")
    assert client.get(bad.format(pk=p.worker_a.pk)).status_code == 404


def team_url(month="2025-03", **query):
    from urllib.parse import urlencode

    return reverse("timesheets:time_team_month", args=[month]) + (f"?{urlencode(query)}" if query else "")


def test_the_team_month_with_the_region_filter(client, org, p):
    record(p.worker_a, MARCH, A="6")
    record(p.worker_a2, MARCH, B="2")
    login(client, "head_a")
    body = client.get(team_url()).content.decode()
    assert "Cały ośrodek" in body and p.worker_a2.get_full_name() in body and ">8<" in body
    body = client.get(team_url(rejon=org.region_a2.pk)).content.decode()
    assert "Rejon: RPŚ-2" in body and p.worker_a.get_full_name() not in body
    login(client, "coordinator_a")
    body = client.get(team_url()).content.decode()
    assert p.worker_a.get_full_name() in body and p.worker_a2.get_full_name() not in body
    for bad in (org.region_a2.pk, org.region_b1.pk, "abc", "99999999999999999999999"):
        response = client.get(team_url(rejon=bad))
        body = response.content.decode()
        assert response.status_code == 200 and "Wybierz rejon z listy." in body and "<caption>" not in body


@pytest.mark.parametrize("who", ["worker_a", "benefits_a", "assistant_a", "first_contact_a", "outsider"])
def test_the_team_month_is_closed_to_workers_and_others(client, p, who):
    login(client, who)
    assert client.get(team_url()).status_code == 403


def test_the_caseload_page(client, org, p):
    open_cases(p.worker_a, org.region_a1, 3)
    open_cases(p.worker_a2, org.region_a2, 1)
    url = reverse("timesheets:time_caseload")
    login(client, "coordinator_a")
    body = client.get(url).content.decode()
    assert p.worker_a.get_full_name() in body and p.worker_a2.get_full_name() not in body
    assert "powyżej normy" not in body and "dolną granicą" in body
    org.inst_a.caseload_norm_social_worker = 2
    org.inst_a.save()
    body = client.get(url).content.decode()
    assert "powyżej normy: 3 przy normie 2" in body
    login(client, "worker_a_2")
    body = client.get(url).content.decode()
    assert p.worker_a_2.get_full_name() in body and p.worker_a.get_full_name() not in body
    login(client, "director_a")
    body = client.get(url + f"?rejon={org.region_a2.pk}").content.decode()
    assert p.worker_a2.get_full_name() in body and p.worker_a.get_full_name() not in body
    assert "Wybierz rejon z listy." in client.get(url + "?rejon=xyz").content.decode()


# --- the benefits worker's own categories (seed 004, "… – pracownik ds. świadczeń") ------------------

# Seed 004, "Osoby Pozostające Bez Pracy – pracownik ds. świadczeń", X–VIII: hours and the printed %.
SEED_BENEFITS_OBOP_HOURS = {
    "A": D("23.5"), "B": D("31"), "C": D("245.5"), "D": D("353.5"), "E": D("0"), "F": D("0"), "G": D("181.5"),
    "H": D("2"), "I": D("334.5"), "J": D("270.5"), "K": D("252"), "L": D("40"), "Ł": D("114"),
}  # fmt: skip
SEED_BENEFITS_OBOP_PERCENT = {
    "A": 1, "B": 2, "C": 13, "D": 19, "E": 0, "F": 0, "G": 10, "H": 0, "I": 18, "J": 15, "K": 14, "L": 2, "Ł": 6,
}  # fmt: skip
# Seed 004, "Rodziny z Dziećmi – pracownik ds. świadczeń", X–VIII.
SEED_BENEFITS_RZD_HOURS = {
    "A": D("23"), "B": D("17.5"), "C": D("420"), "D": D("323"), "E": D("1.5"), "F": D("45"), "G": D("189.5"),
    "H": D("5.5"), "I": D("216"), "J": D("242.5"), "K": D("261.5"), "L": D("35"), "Ł": D("68"),
}  # fmt: skip
SEED_BENEFITS_RZD_PERCENT = {
    "A": 1, "B": 1, "C": 23, "D": 17, "E": 0, "F": 2, "G": 10, "H": 0, "I": 12, "J": 13, "K": 14, "L": 2, "Ł": 4,
}  # fmt: skip


def benefits_workers(org, n):
    return [
        UserFactory(institution=org.inst_a, roles=[(Role.BENEFITS_WORKER, None)], last_name=f"Świadczenia{i:02d}")
        for i in range(n)
    ]


def test_the_benefits_worker_records_in_the_categories_of_their_job(p):
    day = TODAY() - DAY
    time_record(worker=p.benefits_a, day=day, hours_by_category={"G": D(3), "J": D(2), "Ł": D(1)}, by=p.benefits_a)
    stored = {(e.category_set, e.category): e.hours for e in TimeEntry.objects.filter(worker=p.benefits_a)}
    assert stored == {("benefits", "G"): D(3), ("benefits", "J"): D(2), ("benefits", "Ł"): D(1)}
    entry = TimeEntry.objects.get(worker=p.benefits_a, category="G")
    assert entry.category_label == "G – Wprowadzanie decyzji do systemu informatycznego"
    assert entry.history.get().history_user == p.benefits_a  # simple-history keeps recording
    # A of the one set is not A of the other: both coexist on one day.
    record(p.worker_a, day, A="2")
    record(p.benefits_a, day, A="3", G="3")
    assert TimeEntry.objects.filter(day=day, category="A").count() == 2
    assert sel.month_summary_for_worker(worker=p.worker_a, month=day).percents["A"] == 100
    benefits = sel.month_summary_for_worker(worker=p.benefits_a, month=day, category_set=sel.BENEFITS)
    assert benefits.total == D(6) and benefits.percents["A"] == 50


def test_a_social_worker_cannot_record_a_benefits_category_nor_the_reverse(p):
    day = TODAY() - DAY
    with pytest.raises(DomainError) as error:
        time_record(worker=p.worker_a, day=day, hours_by_category={"J": D(1)}, by=p.worker_a)
    assert error.value.message.startswith("Kategoria J nie należy do Twojego zestawu. Pracownik socjalny")
    with pytest.raises(DomainError) as error:
        time_record(worker=p.worker_a, day=day, hours_by_category={"A": D(1)}, by=p.worker_a, category_set="benefits")
    assert error.value.message == (
        "Pracownik socjalny rejestruje czas w kategoriach pracy socjalnej (A–I); kategorie pracownika ds. "
        "świadczeń (A–Ł) nie są dla niego dostępne."
    )
    # The benefits worker (who also holds a social-worker role: seed 001 still keeps them out of it).
    with pytest.raises(DomainError) as error:
        time_record(worker=p.benefits_a, day=day, hours_by_category={"A": D(1)}, by=p.benefits_a, category_set="social")
    assert error.value.message.startswith("Pracownik ds. świadczeń rejestruje czas w kategoriach swojego stanowiska")
    # A coordinator correcting the benefits worker's day records in the benefits worker's set.
    time_record(worker=p.benefits_a, day=day, hours_by_category={"K": D(8)}, by=p.coordinator_a)
    assert TimeEntry.objects.get(worker=p.benefits_a).category_set == "benefits"
    assert not TimeEntry.objects.filter(worker=p.worker_a).exists()


def test_the_database_refuses_a_letter_outside_its_set(p):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(worker=p.worker_a, day=TODAY(), category="J", hours=1)  # social: A–I only
    TimeEntry.objects.create(worker=p.worker_a, day=TODAY(), category_set="benefits", category="J", hours=1)


def test_hours_kept_in_the_other_set_stay_and_count_to_the_day(p):
    """A row the benefits worker wrote in the social set before their set existed (the migration
    kept it there) is neither re-labelled nor removed by recording the day, and counts to 24 h."""
    day = TODAY() - DAY
    TimeEntry.objects.create(worker=p.benefits_a, day=day, category="A", hours=20)  # the default: social
    with pytest.raises(DomainError, match="przekracza 24 godziny"):
        record(p.benefits_a, day, J="5")
    record(p.benefits_a, day, J="4")
    assert {(e.category_set, e.category) for e in TimeEntry.objects.filter(worker=p.benefits_a)} == {
        ("social", "A"), ("benefits", "J"),
    }  # fmt: skip


def test_the_week_grid_offers_the_benefits_worker_their_categories_only(client, p):
    login(client, "benefits_a")
    monday = monday_of(TODAY()) - 7 * DAY
    body = client.get(week_url(tydzien=f"{monday:%Y-%m-%d}")).content.decode()
    assert "Wprowadzanie decyzji do systemu informatycznego" in body and "Doskonalenie zawodowe NAKŁADKA" in body
    assert "praca socjalna z osobą/rodziną w środowisku" not in body
    assert f'name="{cell(monday, "Ł")}"' in body and f'name="{cell(monday, "J")}"' in body
    response = client.post(
        week_url(tydzien=f"{monday:%Y-%m-%d}"),
        {cell(monday, "C"): "4", cell(monday, "Ł"): "1,5", f"s_{monday:%Y%m%d}": "unemployed"},
    )
    assert response.status_code == 302
    stored = {(e.category_set, e.category, e.target_group, e.hours) for e in TimeEntry.objects.all()}
    assert stored == {("benefits", "C", "unemployed", D(4)), ("benefits", "Ł", "unemployed", D("1.5"))}
    # The social worker's grid has no benefits cell; a forged one is not a field and saves nothing.
    login(client, "worker_a")
    body = client.get(week_url(tydzien=f"{monday:%Y-%m-%d}")).content.decode()
    assert f'name="{cell(monday, "J")}"' not in body and "Wprowadzanie decyzji" not in body
    client.post(week_url(tydzien=f"{monday:%Y-%m-%d}"), {cell(monday, "A"): "2", cell(monday, "J"): "3"})
    assert {(e.category_set, e.category) for e in TimeEntry.objects.filter(worker=p.worker_a)} == {("social", "A")}


@pytest.mark.parametrize(
    ("hours", "printed"),
    [(SEED_BENEFITS_OBOP_HOURS, SEED_BENEFITS_OBOP_PERCENT), (SEED_BENEFITS_RZD_HOURS, SEED_BENEFITS_RZD_PERCENT)],
)
def test_the_seed_benefits_tables_with_their_overlays(org, hours, printed):
    """Both of the seed's benefits tables add up to 1848 h (11 months × 168 h) with L and Ł, and
    every printed percent is of those 1848 h: the overlays are inside the 100 %. Without them C
    of OBOP would be 245,5 / 1694 = 14 %, the seed prints 13 %."""
    workers = benefits_workers(org, 3)
    spread({c: h for c, h in hours.items() if h}, workers, MARCH)
    summary = sel.time_summary(team=org.inst_a, first=MARCH, last=MARCH).of_set(sel.BENEFITS)
    assert summary.total == D(1848) and summary.percents == printed
    assert summary.overlay_total == hours["L"] + hours["Ł"]
    assert [r.category for r in summary.rows if r.overlay] == ["L", "Ł"]
    assert summary.rows[11].description.endswith("inne NAKŁADKA")
    assert sel.percent(D("245.5"), D(1694)) == 14 and SEED_BENEFITS_OBOP_PERCENT["C"] == 13


# --- summaries over a range of months, per team, per standard, per worker ---------------------------------


def test_a_range_summary_per_team_standard_and_worker(org, p):
    """X.2024–VIII.2025 as in the seed: hours in October and August count, September does not."""
    record(p.worker_a, datetime.date(2024, 10, 1), A="6", I="2")
    time_record(worker=p.worker_a, day=datetime.date(2025, 8, 29), hours_by_category={"E": D(8)}, by=p.worker_a,
                target_group="family_children")  # fmt: skip
    record(p.worker_a, datetime.date(2025, 9, 1), A="8")  # outside the range
    time_record(worker=p.worker_a_2, day=datetime.date(2025, 1, 15), hours_by_category={"A": D(4), "G": D(4)},
                by=p.worker_a_2, target_group="unemployed")  # fmt: skip
    time_record(worker=p.benefits_a, day=datetime.date(2025, 3, 3), hours_by_category={"C": D(6), "L": D(2)},
                by=p.benefits_a, target_group="unemployed")  # fmt: skip
    summary = sel.time_summary(team=org.region_a1, first=datetime.date(2024, 10, 1), last=datetime.date(2025, 8, 1))
    assert summary.label == "X.2024–VIII.2025"
    social = summary.of_set(sel.SOCIAL)
    assert social.total == D(24) and social.percents["A"] == 42 and social.percents["E"] == 33  # 10/24, 8/24
    assert {w.worker.username: w.total for w in social.workers} == {
        "worker_a": D(16), "worker_a_2": D(8), "coordinator_a": D(0),
    }  # fmt: skip
    benefits = summary.of_set(sel.BENEFITS)
    assert benefits.total == D(8) and benefits.percents == {c.value: 0 for c in sel.categories_of(sel.BENEFITS)} | {
        "C": 75, "L": 25,
    }  # fmt: skip
    assert [w.worker.username for w in benefits.workers] == ["benefits_a"]
    by_standard = {(t.title, t.total) for t in summary.by_standard}
    assert by_standard == {
        ("Rodziny z dziećmi – pracownik socjalny", D(8)),
        ("Osoby pozostające bez pracy – pracownik socjalny", D(8)),
        ("Osoby pozostające bez pracy – pracownik ds. świadczeń", D(8)),
        ("Bez przypisania do standardu – pracownik socjalny", D(8)),
    }
    unemployed = next(t for t in summary.by_standard if t.title.startswith("Osoby pozostające bez pracy – prac"))
    assert unemployed.percents["A"] == 50 and unemployed.percents["G"] == 50


def range_url(fmt=None, **query):
    from urllib.parse import urlencode

    name = "timesheets:time_summary_export" if fmt else "timesheets:time_summary"
    return reverse(name, args=[fmt] if fmt else []) + (f"?{urlencode(query)}" if query else "")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"od": "2025-08", "do": "2024-10"}, "do", "Miesiąc końcowy nie może być wcześniejszy niż początkowy."),
        ({"od": "2023-01", "do": "2025-01"}, "do", "Zestawienie obejmuje najwyżej 24 miesiące – skróć okres."),
        ({"od": "październik", "do": "2025-01"}, "od", "Podaj miesiąc, np. 2025-03."),
        ({"od": "0999-01", "do": "2025-01"}, "od", "Podaj miesiąc z lat 1900–2999."),
    ],
)
def test_the_range_form_says_what_is_wrong_at_the_field(client, p, query, field, message):
    from timesheets.forms import MonthRangeForm

    form = MonthRangeForm(query)
    assert not form.is_valid() and form.errors[field] == [message]
    login(client, "coordinator_a")
    response = client.get(range_url(**query))
    assert response.status_code == 400 and message in response.content.decode()
    assert client.get(range_url("csv", **query)).status_code == 400  # no file of a wrong range
    assert MonthRangeForm({"od": "2023-01", "do": "2024-12"}).is_valid()  # exactly 24 months


def test_the_range_page_and_its_exports(client, org, p):
    import io

    from openpyxl import load_workbook

    from mopr.models import AccessLog

    time_record(worker=p.worker_a, day=MARCH, hours_by_category={"A": D(6), "E": D(2)}, by=p.worker_a,
                target_group="family_children")  # fmt: skip
    time_record(worker=p.benefits_a, day=MARCH, hours_by_category={"G": D(3), "Ł": D(1)}, by=p.benefits_a)
    p.worker_a.first_name = "=HYPERLINK(1)"  # a name a spreadsheet would run
    p.worker_a.save()
    login(client, "coordinator_a")
    query = {"od": "2025-03", "do": "2025-03"}
    body = client.get(range_url(**query)).content.decode()
    assert "III.2025" in body and "Rodziny z dziećmi – pracownik socjalny" in body
    assert "w tym nakładki: 1 godz." in body and "Wprowadzanie decyzji do systemu informatycznego" in body
    csv_text = client.get(range_url("csv", **query)).content.decode()
    assert csv_text.startswith("\ufeff") and '"Rejon: RPŚ-1";"pracownik socjalny";"A"' in csv_text.replace(
        '"zespół";"III.2025";', ""
    )
    assert "\"'=HYPERLINK(1)" in csv_text  # the register's safe_cell
    assert '"pracownik";"III.2025";"\'=HYPERLINK(1) ' in csv_text
    assert '"Ł";"Doskonalenie zawodowe NAKŁADKA";"tak";"1";"25"' in csv_text
    xlsx = client.get(range_url("xlsx", **query))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "Zestawienie"
    assert any(row[4] == "Ł" and row[7] == 1 and row[8] == 25 for row in values)
    cells = [c for row in sheet.iter_rows() for c in row]
    name = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert name.data_type == "s" and all(c.data_type != "f" for c in cells)  # text, never a formula
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, what__startswith="Czas pracy CSV").exists()
    assert (
        client.get(reverse("timesheets:time_summary_export", args=["pdf"]) + "?od=2025-03&do=2025-03").status_code
        == 404
    )
    # A worker sees only their own hours; the export too.
    login(client, "worker_a_2")
    assert "=HYPERLINK" not in client.get(range_url("csv", **query)).content.decode()


def test_the_range_summary_in_a_fixed_number_of_queries(client, org, p, django_assert_max_num_queries):
    first, last = datetime.date(2024, 10, 1), datetime.date(2025, 8, 1)
    for worker in team_of_workers(org, 2):
        record(worker, MARCH, A="4", E="3")
    login(client, "coordinator_a")
    query = {"od": "2024-10", "do": "2025-08"}
    with CaptureQueriesContext(connection) as small:
        assert client.get(range_url(**query)).status_code == 200
    for worker in [*team_of_workers(org, 6), *benefits_workers(org, 2)]:
        record(worker, MARCH, A="4", B="1")
    with django_assert_max_num_queries(len(small)):
        assert client.get(range_url(**query)).status_code == 200
    with django_assert_max_num_queries(len(small) + 1):  # the access log's row
        assert client.get(range_url("csv", **query)).status_code == 200
    n = queries_of(lambda: sel.time_summary(team=org.region_a1, first=first, last=last))
    assert n == 2


def test_the_default_range_runs_from_the_last_october(client, p):
    import time_machine

    login(client, "worker_a")
    with time_machine.travel(datetime.datetime(2025, 8, 20, 12, tzinfo=datetime.UTC)):
        assert "X.2024–VIII.2025" in client.get(range_url()).content.decode()
    with time_machine.travel(datetime.datetime(2025, 11, 20, 12, tzinfo=datetime.UTC)):
        assert "X.2025–XI.2025" in client.get(range_url()).content.decode()


# --- the benefits worker's caseload: the people they serve ---------------------------------------------------


def test_the_benefits_workers_caseload_counts_the_families_they_referred(org, p):
    """Families of open cases whose report the benefits worker took: 2 open of 3 clients (one with
    two reports counts once), a closed case and another institution's report are not counted."""
    from mopr.tests.factories import ReportFactory

    first, second, closed = open_cases(p.worker_a, org.region_a1, 2) + open_cases(
        p.worker_a, org.region_a1, 1, stage=Stage.ZAKONCZENIE
    )
    ReportFactory(case=first, received_by=p.benefits_a)
    ReportFactory(case=first, received_by=p.benefits_a)
    ReportFactory(case=second, received_by=p.benefits_a)
    ReportFactory(case=closed, received_by=p.benefits_a)
    ReportFactory(case=CaseFactory(region=org.region_a2, worker=p.worker_a2), received_by=p.first_contact_a)
    rows = by_name(sel.caseload(team=org.inst_a))
    assert (rows["benefits_a"].open_cases, rows["benefits_a"].held_cases, rows["benefits_a"].norm) == (2, 0, 80)
    assert rows["worker_a"].open_cases == 2  # the social worker's count is still their open cases
    org.inst_a.caseload_norm_benefits_worker = 1
    org.inst_a.save()
    assert by_name(sel.caseload(team=org.inst_a))["benefits_a"].over_norm


# --- every page as every persona (for the lead's permission sweep) -------------------------------------

SWEEP = {
    # name: (url builder, {persona: status})
    "time_week": {
        "anonymous": 302, "worker_a": 200, "worker_a_2": 200, "worker_a2": 200, "coordinator_a": 200,
        "head_a": 403, "director_a": 403, "auditor_a": 403, "assistant_a": 403, "first_contact_a": 403,
        "benefits_a": 200, "outsider": 200, "coordinator_b": 200,
    },
    "time_worker_month": {
        "anonymous": 302, "worker_a": 200, "worker_a_2": 403, "worker_a2": 403, "coordinator_a": 200,
        "head_a": 200, "director_a": 200, "auditor_a": 200, "assistant_a": 403, "first_contact_a": 403,
        "benefits_a": 403, "outsider": 404, "coordinator_b": 404,
    },
    "time_team_month": {
        "anonymous": 302, "worker_a": 403, "worker_a_2": 403, "worker_a2": 403, "coordinator_a": 200,
        "head_a": 200, "director_a": 200, "auditor_a": 200, "assistant_a": 403, "first_contact_a": 403,
        "benefits_a": 403, "outsider": 403, "coordinator_b": 200,
    },
    "time_summary": {
        "anonymous": 302, "worker_a": 200, "worker_a_2": 200, "worker_a2": 200, "coordinator_a": 200,
        "head_a": 200, "director_a": 200, "auditor_a": 200, "assistant_a": 403, "first_contact_a": 403,
        "benefits_a": 200, "outsider": 200, "coordinator_b": 200,
    },
    "time_caseload": {
        "anonymous": 302, "worker_a": 200, "worker_a_2": 200, "worker_a2": 200, "coordinator_a": 200,
        "head_a": 200, "director_a": 200, "auditor_a": 200, "assistant_a": 403, "first_contact_a": 403,
        "benefits_a": 200, "outsider": 200, "coordinator_b": 200,
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SWEEP))
def test_every_time_page_as_every_persona(client, p, name):
    month = f"{TODAY():%Y-%m}"
    args = {"time_worker_month": [p.worker_a.pk, month], "time_team_month": [month]}.get(name, [])
    url = reverse(f"timesheets:{name}", args=args)
    failures = []
    for persona, expected in SWEEP[name].items():
        client.logout()
        if persona != "anonymous":
            login(client, persona)
        status = client.get(url).status_code
        if status != expected:
            failures.append(f"{persona}: {status} (expected {expected})")
    assert not failures, f"{url}: " + "; ".join(failures)


# --- in the browser: keyboard entry and WCAG A/AA on every page ------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_time_pages_in_the_browser(page, p, org):
    from mopr.tests.browser import check_a11y, login, logout, screenshot

    login(page, "worker_a")
    monday = monday_of(TODAY()) - 7 * DAY
    page.goto(week_url(tydzien=f"{monday:%Y-%m-%d}"))
    check_a11y(page, "time-week")
    # The label of every cell names the category and the day; typing goes cell by cell with Tab.
    page.get_by_label(f"A – praca socjalna z osobą/rodziną w środowisku, {monday_label(monday)}").fill("3,5")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.get_by_label(f"E – przygotowanie dokumentacji, {monday_label(monday + DAY)}").fill("30")
    page.get_by_role("button", name="Zapisz tydzień").click()
    page.locator("#error-summary").wait_for()
    check_a11y(page, "time-week-error")
    screenshot(page, "time-week-error")
    page.get_by_label(f"E – przygotowanie dokumentacji, {monday_label(monday + DAY)}").fill("7,5")
    page.get_by_role("button", name="Zapisz tydzień").click()
    page.get_by_text("Zapisano czas pracy.").wait_for()
    assert entries(p.worker_a) == {"A": D("3.5"), "B": D("2"), "E": D("7.5")}
    screenshot(page, "time-week")
    page.goto(month_url(p.worker_a, f"{monday:%Y-%m}"))
    check_a11y(page, "time-worker-month")
    logout(page)
    login(page, "coordinator_a")
    page.goto(team_url(f"{monday:%Y-%m}"))
    check_a11y(page, "time-team-month")
    screenshot(page, "time-team-month")
    open_cases(p.worker_a, org.region_a1, 3)
    org.inst_a.caseload_norm_social_worker = 2
    org.inst_a.save()
    page.goto(reverse("timesheets:time_caseload"))
    check_a11y(page, "time-caseload")
    screenshot(page, "time-caseload")
    page.goto(range_url(od=f"{monday:%Y-%m}", do=f"{monday:%Y-%m}"))
    check_a11y(page, "time-summary")
    page.goto(range_url(od=f"{monday:%Y-%m}", do="2000-01"))  # the error at the field
    check_a11y(page, "time-summary-error")


def monday_label(day):
    from timesheets.forms import day_label

    return day_label(day)
