"""Issue 18.1: every figure of the statistics on a small data set built by hand, with the numbers
written here (docs/statistics.md defines each). The period is the first half of 2026."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assistants.models import Assignment, Request
from cases.models import CaseFlag, ClientMember, Diagnosis, FlagKind, Notification, Visit
from cases.procedure import CloseReason, Stage
from cases.tests.test_printouts import save_pngs
from contracts.models import Contract
from mopr.models import AccessLog
from mopr.tests.factories import PASSWORD, CaseFactory, ContractFactory, MemberFactory
from refusals.models import RefusalMonitoring
from registers import statistics

D = datetime.date
P = statistics.Period(D(2026, 1, 1), D(2026, 6, 30))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def world(org, p):
    def case(region=org.region_a1, **kw):
        kw.setdefault("worker", p.worker_a if region == org.region_a1 else p.worker_a2)
        kw.setdefault("accepted_at", at(D(2025, 1, 1)))
        return CaseFactory(region=region, **kw)

    c1 = case(stage=Stage.PRACA_SOCJALNA, social_work_started_at=D(2025, 11, 1), reported_at=at(D(2025, 10, 1)),
              target_group="unemployed")  # fmt: skip
    child1 = MemberFactory(client=c1.client, is_head=False, relation="child")
    child2 = MemberFactory(client=c1.client, is_head=False, relation="child")
    c2 = case(stage=Stage.ZAKONCZENIE, social_work_started_at=D(2026, 2, 1), closed_at=at(D(2026, 5, 10)),
              close_reason=CloseReason.CONTRACT_COMPLETED, reported_at=at(D(2026, 1, 10)),
              first_contact_at=D(2026, 1, 20))  # fmt: skip
    case(
        stage=Stage.ZAKONCZENIE,
        social_work_started_at=D(2025, 3, 1),
        closed_at=at(D(2025, 12, 20)),
        close_reason=CloseReason.OTHER,
        reported_at=at(D(2025, 2, 1)),
    )  # c3: ended before the period
    case(stage=Stage.PRACA_SOCJALNA, social_work_started_at=D(2026, 8, 1), reported_at=at(D(2026, 7, 20)))  # c4
    case(stage=Stage.ZAKONCZENIE, closed_at=at(D(2026, 3, 1)), close_reason=CloseReason.UNFOUNDED,
         reported_at=at(D(2026, 2, 1)))  # c5: no social work  # fmt: skip
    c6 = case(region=org.region_a2, stage=Stage.ZAKONCZENIE, social_work_started_at=D(2026, 6, 30),
              closed_at=at(D(2026, 7, 15)), close_reason=CloseReason.REFUSAL, reported_at=at(D(2026, 6, 1)),
              first_contact_at=D(2026, 6, 5))  # fmt: skip
    c7 = case(stage=Stage.PRACA_SOCJALNA, social_work_started_at=D(2026, 1, 5), reported_at=at(D(2025, 9, 20)),
              first_contact_at=D(2025, 10, 1))  # fmt: skip
    case(stage=Stage.ROZEZNANIE, reported_at=at(D(2026, 3, 1)))  # c8: waits for the first contact
    CaseFactory(region=org.region_b1, stage=Stage.PRACA_SOCJALNA, social_work_started_at=D(2026, 1, 10))  # inst. B

    def contract(c, number, signed, ended=None, end="", covered=()):
        k = ContractFactory(case=c, number=number, signed_on=signed, ended_on=ended, end=end,
                            status=Contract.Status.ENDED if ended else Contract.Status.SIGNED,
                            period_from=signed, period_to=signed + datetime.timedelta(days=180),
                            drafted_on=signed)  # fmt: skip
        k.covered_members.set(covered)
        return k

    contract(c1, 1, D(2025, 12, 1), D(2026, 2, 20), Contract.End.MUTUAL, covered=[child1])
    contract(c1, 2, D(2026, 3, 1), covered=[child1, child2])
    contract(c2, 1, D(2026, 2, 15), D(2026, 5, 1), Contract.End.COMPLETED)
    draft = ContractFactory(case=c6, number=1, status=Contract.Status.DRAFT, signed_on=None)
    assert draft.signed_on is None
    contract(c7, 1, D(2026, 1, 10))

    Diagnosis.objects.create(case=c2, author=p.worker_a, diagnosed_on=D(2026, 1, 30), facts="x", resources="y",
                             decision="social_work", problem_areas=["poverty"])  # fmt: skip

    def assignment(c, qualified, ended=None):
        request = Request.objects.create(case=c, path="court", status="ordered", requested_by=p.worker_a,
                                         requested_on=qualified, justification="x")  # fmt: skip
        Assignment.objects.create(case=c, request=request, assistant=p.assistant_a, assigned_by=p.director_a,
                                  qualified_on=qualified, ended_on=ended)  # fmt: skip

    assignment(c1, D(2025, 6, 1), D(2026, 1, 15))
    assignment(c6, D(2026, 7, 1))

    def flag(c, kind, started, removed=None):
        CaseFlag.objects.create(case=c, kind=kind, started_on=started, started_by="Policja", created_by=p.worker_a,
                                removed_at=at(removed) if removed else None)  # fmt: skip

    flag(c1, FlagKind.NIEBIESKA_KARTA, D(2025, 10, 1), D(2026, 1, 5))
    flag(c2, FlagKind.NIEBIESKA_KARTA, D(2026, 4, 1))
    flag(c6, FlagKind.CHILD_ABUSE, D(2026, 7, 1))

    def notification(c, service, sent):
        Notification.objects.create(case=c, author=p.worker_a, service=service, reason="x", sent_on=sent,
                                    sent_how="letter")  # fmt: skip

    notification(c1, Notification.Service.FAMILY_COURT, D(2026, 2, 2))
    notification(c1, Notification.Service.FAMILY_COURT, D(2026, 3, 3))
    notification(c2, Notification.Service.POLICE, D(2026, 2, 2))

    RefusalMonitoring.objects.create(case=c6, author=p.worker_a2, refused_on=D(2026, 6, 1), note_to_director="x",
                                     note_written_on=D(2026, 6, 1))  # fmt: skip

    def visit(c, outcome, day):
        Visit.objects.create(case=c, author=p.worker_a, visited_at=at(day), outcome=outcome)

    visit(c1, Visit.Outcome.CHILD_ABSENT, D(2026, 3, 1))
    visit(c1, Visit.Outcome.MET, D(2026, 3, 5))
    visit(c2, Visit.Outcome.CHILD_ABSENT, D(2026, 4, 1))
    visit(c6, Visit.Outcome.CHILD_ABSENT, D(2026, 6, 28))  # due 5.07: not this period's
    return {"c1": c1, "c2": c2, "c6": c6}


def values(user, by="", period=P, **scope):
    table = statistics.statistics_table(
        user=user, period=period, scope=statistics.cases_in_scope(user=user, **scope), by=by
    )
    return {row.figure.key: [str(v) for v in row.values] for row in table.rows}, table.columns


EXPECTED = {
    # social work: c1 (from 2025), c2 (begun, ended: contract completed), c6 (begun on the last day), c7 (begun)
    "sw_families": "4", "sw_persons": "6", "sw_begun": "3", "sw_ongoing": "3",
    "sw_ended_contract_completed": "1", "sw_ended_refusal": "0", "sw_ended_unfounded": "0", "sw_ended_other": "0",
    # contracts: k2 and k4 and k5 signed in the period; k1 ended otherwise (mutual), k2 completed; c6's draft never
    "contracts_concluded": "3", "contracts_concluded_persons": "5", "contracts_in_force": "4",
    "contracts_in_force_persons": "5", "contracts_completed": "1", "contracts_completed_persons": "1",
    "contracts_ended_otherwise": "1", "contracts_ended_otherwise_persons": "2",
    # the assistant of c1 ended on 15.01: the family counts for the period (not in the register's column today)
    "assistant_families": "1", "assistant_begun": "0", "assistant_ended": "1",
    "nk_families": "2", "nk_begun": "1", "child_abuse": "0",
    "court_notifications": "2", "court_families": "1",
    "monitoring_families": "1", "monitoring_begun": "1",
    # reported in the period: c2 (10, 20, 36 days), c5 (closed, never met), c6 (4 days), c8 (waits)
    "days_first_contact": "7 (n=2, czeka 1)", "days_diagnosis": "20 (n=1, czeka 1)",
    "days_contract": "36 (n=1, czeka 1)",
    "repeat_visit_kept": "1", "repeat_visit_missed": "1",
    # first contracts signed in the period: c2's 26 days after the first contact, c7's after three months
    "contract_deadline_kept": "1", "contract_deadline_missed": "1",
}  # fmt: skip


def test_every_figure_on_the_hand_built_data(world, p):
    got, columns = values(p.director_a)
    assert columns == ["Ogółem"]
    assert {k: got[k][0] for k in EXPECTED} == EXPECTED
    assert set(got) == set(EXPECTED) | {f"sw_ended_{r}" for r in CloseReason.values}


def test_a_breakdown_and_a_scope(world, p, org):
    got, columns = values(p.director_a, by="region")
    assert columns == ["Ogółem", "RPŚ-1", "RPŚ-2"]
    assert got["sw_families"] == ["4", "3", "1"]
    assert got["monitoring_families"] == ["1", "0", "1"]
    got, _c = values(p.director_a, target_group="unemployed")
    assert got["sw_families"] == ["1"] and got["sw_persons"] == ["3"]
    got, columns = values(p.director_a, by="problem_area")
    assert "ubóstwo" in columns and got["sw_families"][columns.index("ubóstwo")] == "1"
    # A coordinator counts their regions only.
    got, _c = values(p.coordinator_a)
    assert got["sw_families"] == ["3"]


def test_a_year_is_not_the_sum_of_its_halves(world, p):
    first, _c = values(p.director_a)
    second, _c = values(p.director_a, period=statistics.Period(D(2026, 7, 1), D(2026, 12, 31)))
    year, _c = values(p.director_a, period=statistics.Period(D(2026, 1, 1), D(2026, 12, 31)))
    # c1 and c7 run through both halves: counted once in the year.
    assert int(year["sw_families"][0]) < int(first["sw_families"][0]) + int(second["sw_families"][0])
    assert year["sw_families"] == ["5"]  # and c4, begun in August


def test_the_page_the_exports_and_the_log(client, world, p, settings):
    settings.STATISTICS_IMMEDIATE_MAX_DAYS = 366  # half a year at once (a longer one: background/tests)
    assert client.login(username=p.director_a.username, password=PASSWORD)
    url = reverse("registers:statistics")
    query = {"od": "2026-01-01", "do": "2026-06-30", "by": "region"}
    page = client.get(url, query).content.decode()
    assert "Rodziny objęte pracą socjalną w okresie" in page and "każda rodzina" in page  # the definition beside
    response = client.get(reverse("registers:statistics_export", args=["csv"]), query)
    text = response.content.decode("utf-8").lstrip("\ufeff")
    assert '"Praca socjalna";"Rodziny objęte pracą socjalną w okresie";"4";"3";"1";' in text
    assert AccessLog.objects.filter(action="export", what__startswith="Statystyka CSV").count() == 1
    xlsx = client.get(reverse("registers:statistics_export", args=["xlsx"]), query)
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    pdf = client.get(reverse("registers:statistics_export", args=["pdf"]), query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert save_pngs(pdf.content, "statistics")  # test-output/pdf/statistics-*.png: look at them


def test_a_wrong_period_is_said_at_the_field(client, world, p):
    assert client.login(username=p.director_a.username, password=PASSWORD)
    page = client.get(reverse("registers:statistics"), {"od": "2026-06-30", "do": "2026-01-01"}).content.decode()
    assert "Koniec okresu nie może być przed jego początkiem." in page
    response = client.get(reverse("registers:statistics_export", args=["csv"]), {"od": "x", "do": ""})
    assert response.status_code == 400


def test_who_sees_the_statistics(client, world, p):
    for user, status in ((p.worker_a, 403), (p.assistant_a, 403), (p.auditor_a, 200), (p.coordinator_a, 200)):
        client.logout()
        assert client.login(username=user.username, password=PASSWORD)
        assert client.get(reverse("registers:statistics")).status_code == status, user.username


def test_members_counted_once_per_family(world):
    assert ClientMember.objects.filter(client=world["c1"].client).count() == 3


def test_the_repeat_visit_term_counts_local_days_to_the_due_day_itself(org, p):
    """II.6 at its edges: days are the centre's local days (a visit at 00:30 on 1 April is that
    day's, not UTC's 31 March); a meeting on the due day keeps the term, a day later misses it,
    and a meeting before the absent visit does not count."""
    days = org.inst_a.repeat_visit_days
    scope = statistics.cases_in_scope(user=p.director_a)
    figures = {f.key: f for f in statistics.figures()}

    def counted():
        return {k: figures[k].count(scope, P) for k in ("repeat_visit_kept", "repeat_visit_missed")}

    def visit(c, outcome, when):
        Visit.objects.create(case=c, author=p.worker_a, visited_at=when, outcome=outcome)

    late = timezone.make_aware(datetime.datetime(2026, 4, 1, 0, 30))
    on_due, after_due, before = (CaseFactory(region=org.region_a1, worker=p.worker_a) for _ in range(3))
    visit(on_due, Visit.Outcome.CHILD_ABSENT, late)
    visit(on_due, Visit.Outcome.MET, at(D(2026, 4, 1) + datetime.timedelta(days=days), 20))
    visit(after_due, Visit.Outcome.CHILD_ABSENT, late)
    visit(after_due, Visit.Outcome.MET, at(D(2026, 4, 2) + datetime.timedelta(days=days), 8))
    visit(before, Visit.Outcome.CHILD_ABSENT, at(D(2026, 5, 10)))
    visit(before, Visit.Outcome.MET, at(D(2026, 5, 9)))
    assert counted() == {"repeat_visit_kept": 1, "repeat_visit_missed": 2}
    # A term that ends after the period is not this period's.
    visit(CaseFactory(region=org.region_a1, worker=p.worker_a), Visit.Outcome.CHILD_ABSENT, at(D(2026, 6, 30)))
    assert counted() == {"repeat_visit_kept": 1, "repeat_visit_missed": 2}
