"""The dashboards: what a coordinator and the director see, with numbers in tables too."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cases.models import Visit
from cases.procedure import Stage
from mopr.tests.factories import PASSWORD, CaseFactory, VisitFactory

URL = reverse("registers:dashboard")


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def populate(org, p):
    now = timezone.now()
    for _ in range(3):
        CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=now, stage=Stage.PRACA_SOCJALNA)
    CaseFactory(region=org.region_a1)  # waiting for assignment
    late = CaseFactory(region=org.region_a1, worker=p.worker_a_2, accepted_at=now, stage=Stage.ROZEZNANIE)
    VisitFactory(case=late, outcome=Visit.Outcome.CHILD_ABSENT, visited_at=now - datetime.timedelta(days=40))
    CaseFactory(region=org.region_a2, worker=p.worker_a2, accepted_at=now, stage=Stage.DIAGNOZA)


def test_coordinator_sees_their_regions(client, org, p):
    populate(org, p)
    page = login(client, "coordinator_a").get(URL).content.decode()
    assert "Pulpit koordynatora" in page and "RPŚ-1" in page and "RPŚ-2</th>" not in page
    assert "<svg" in page and "Liczba spraw na każdym etapie" in page  # a chart and its table
    assert p.worker_a_2.get_full_name() in page  # overdue by worker
    assert "Spotkanie zespołu RPŚ-1" in page
    assert "Obciążenie" not in page  # the director's sections are not the coordinator's


def test_director_sees_all_regions_side_by_side(client, org, p):
    populate(org, p)
    page = login(client, "director_a").get(URL).content.decode()
    for expected in (
        "Pulpit kierownictwa",
        "RPŚ-1</th>",
        "RPŚ-2</th>",
        "Obciążenie pracowników względem normy",
        "Czas pracy według kategorii",
        "Czeka na decyzję",
    ):
        assert expected in page, expected


def test_every_number_links_to_the_list_it_counts(client, org, p):
    """Issue 17.6: a count is a way into the register (or the queue) that lists those cases."""
    populate(org, p)
    page = login(client, "director_a").get(URL).content.decode()
    register = reverse("registers:register")
    assert f'{register}?region={org.region_a1.pk}&amp;stage=praca_socjalna">3<' in page
    assert f'{register}?region={org.region_a2.pk}">1<' in page
    assert f'{register}?status=otwarte&amp;overdue=tak&amp;worker={p.worker_a_2.pk}">1<' in page
    assert f'{register}?worker={p.worker_a.pk}&amp;status=otwarte">3<' in page
    assert f'{register}?region={org.region_a1.pk}&amp;stage=zgloszenie">1<' in page
    coordinator = login(client, "coordinator_a").get(URL).content.decode()
    assert f'href="{reverse("cases:queue")}">1<' in coordinator


def test_others_are_refused(client, org, p):
    for username in ("worker_a", "assistant_a", "first_contact_a"):
        assert login(client, username).get(URL).status_code == 403


def test_fixed_number_of_queries(client, org, p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "director_a")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    populate(org, p)
    few = count()
    populate(org, p)
    populate(org, p)
    assert count() == few


def test_overdue_by_worker_counts_what_the_engine_marks_and_follows_a_change(org, p):
    from cases import deadlines
    from cases.models import Case
    from cases.services.deadline_summaries import deadline_summaries_refresh
    from registers import selectors as dash

    populate(org, p)
    nobody = CaseFactory(region=org.region_a1, stage=Stage.ROZEZNANIE)  # overdue, no worker yet
    VisitFactory(case=nobody, author=p.worker_a, outcome=Visit.Outcome.CHILD_ABSENT,
                 visited_at=timezone.now() - datetime.timedelta(days=40))  # fmt: skip
    cases = dash.open_cases(user=p.coordinator_a, regions=[org.region_a1])
    deadline_summaries_refresh(cases=cases)
    marked = [c for c in deadlines.annotate(cases.select_related("institution", "worker")) if c.overdue]
    expected: dict[str, int] = {}
    for case in marked:
        expected[str(case.worker) if case.worker else "—"] = (
            expected.get(str(case.worker) if case.worker else "—", 0) + 1
        )

    def by_worker():
        return dash.overdue_by_worker(tallies=dash.case_tallies(user=p.coordinator_a, regions=[org.region_a1]))

    assert by_worker() == sorted(expected.items(), key=lambda i: (-i[1], i[0]))
    assert dict(by_worker()) == {p.worker_a_2.get_full_name(): 1, "—": 1}
    # The late visit is repeated: the summary goes stale, the refresh takes the case off the count.
    late = Case.objects.get(worker=p.worker_a_2)
    VisitFactory(case=late, author=p.worker_a_2, outcome=Visit.Outcome.MET, visited_at=timezone.now())
    deadline_summaries_refresh(cases=cases)
    assert dict(by_worker()) == {"—": 1}


def test_the_directors_caseload_counted_from_the_tallies_is_the_caseloads_own(client, org, p):
    """The dashboard counts the director's caseload from its one read of the cases (every case of
    the centre); it must be what the caseload counts by itself, closed and unassigned cases aside."""
    from registers import selectors
    from timesheets import selectors as time_selectors

    populate(org, p)
    CaseFactory(region=org.region_a2, worker=p.worker_a, stage=Stage.ZAKONCZENIE)  # closed: not held
    CaseFactory(region=org.region_a2, worker=p.worker_a, stage=Stage.DIAGNOZA)  # another region's case
    CaseFactory(region=org.region_b1, stage=Stage.DIAGNOZA)  # another centre's
    regions = list(selectors.regions_of_dashboard(p.director_a))
    tallies = selectors.case_tallies(user=p.director_a, regions=regions)

    def rows(caseload):
        return [(r.worker.pk, r.open_cases, r.held_cases) for r in caseload]

    own = rows(time_selectors.caseload(team=org.inst_a))
    assert own and any(held for _pk, _open, held in own)
    assert rows(time_selectors.caseload(team=org.inst_a, held=selectors.open_by_worker(tallies=tallies))) == own
    login(client, "director_a")
    page = client.get(reverse("registers:dashboard"))
    assert [(r.worker.pk, r.open_cases, r.held_cases) for r in page.context["caseload"]] == own
