"""Issue 9: every list and detail page asks the database a fixed number of times – the same for
two rows as for a full page, and for a case with 5 entries as for one with 50. An N+1 (a query
per row or per entry) fails here long before it is slow at 100,000 cases; the times themselves
are measured by ``make bench``, never in a test."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import (
    CaseFlag,
    ChildObservation,
    DocumentReview,
    FlagKind,
    InstitutionContact,
    Notification,
    OfficialNote,
    Visit,
)
from cases.procedure import Stage
from mopr.tests.factories import CaseFactory, ContractFactory, MemberFactory, VisitFactory

_serial = itertools.count(1)
# A sanity ceiling on top of the equality: a page that needs more is worth a look anyway.
# The register page is the heaviest: its columns, the filters and the access-log row with its subjects
# (and, since issue 17, the menu's count of unread notifications and the appointments the deadline
# engine reads when it recomputes the stale summaries; since issue 18, the page's ids before its rows,
# mopr/paging.py, which keeps page 3,500 of 100,000 as fast as the first).
CEILING = 49


def queries(client, url, *, lists_cases: bool = True) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
        elif lists_cases:
            # A page that lists no case would prove nothing.
            assert re.search(rb'href="/sprawy/\d+/"', response.content), url
    return len(ctx.captured_queries)


def make_case(org, p, *, stage=Stage.PRACA_SOCJALNA, region=None, worker=None):
    """A case with what a list row shows: a family of three, a flag, a visit, a contract."""
    n = next(_serial)
    now = timezone.now()
    case = CaseFactory(
        region=region or org.region_a1, worker=worker or p.worker_a, accepted_at=now, stage=stage,
        number=f"RPŚ-1/2026/{n:04d}", reported_at=now - datetime.timedelta(days=n % 50 + 1), urgent=n % 2 == 0,
    )  # fmt: skip
    head = case.client.members.get()
    head.last_name = f"Żółkiewska{n}"
    head.pesel = f"{n:011d}"
    head.save()
    MemberFactory(client=case.client, is_head=False, relation="child", first_name="Łucja")
    MemberFactory(client=case.client, is_head=False, relation="spouse", first_name="Jan")
    services.client_refresh_search(client=case.client)
    CaseFlag.objects.create(case=case, kind=FlagKind.NIEBIESKA_KARTA, started_on=timezone.localdate(),
                            started_by="Policja", created_by=p.worker_a)  # fmt: skip
    # A month ago: the repeat visit is overdue, so the "overdue" filter lists the case.
    VisitFactory(case=case, author=case.worker, outcome=Visit.Outcome.CHILD_ABSENT,
                 visited_at=now - datetime.timedelta(days=30))  # fmt: skip
    if stage == Stage.PRACA_SOCJALNA:
        ContractFactory(case=case, signed_on=timezone.localdate())
    return case


def add_entries(case, count: int) -> None:
    """``count`` entries of the kinds the case folder shows, round robin."""
    today = timezone.localdate()
    child = case.client.members.filter(relation="child").first()
    author = case.worker
    for i in range(count):
        common = {"case": case, "author": author}
        match i % 6:
            case 0:
                VisitFactory(case=case, author=author, visited_at=timezone.now() - datetime.timedelta(days=i + 1))
            case 1:
                OfficialNote.objects.create(**common, written_on=today, content=f"Notatka {i}")
            case 2:
                InstitutionContact.objects.create(**common, kind="school", contacted_on=today, form="phone",
                                                  learnt="Frekwencja dobra.", member=child)  # fmt: skip
            case 3:
                DocumentReview.objects.create(**common, kind="income", reviewed_on=today, findings="Zasiłek.")
            case 4:
                Notification.objects.create(**common, service="police", service_name="KMP Toruń", reason="Awantura",
                                            sent_on=today, sent_how="letter")  # fmt: skip
            case 5:
                ChildObservation.objects.create(**common, child=child, observed_on=today, observation="Pogodne.")


@pytest.fixture
def director(client, p):
    client.force_login(p.director_a)
    return client


# --- the case list --------------------------------------------------------------------------------------------

LIST = reverse("cases:list")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?stage=praca_socjalna",
        "?urgent=on&flag=niebieska_karta",
        "?q=%C5%BC%C3%B3%C5%82kiewska",  # "żółkiewska": a search by a surname fragment, folded
        "?q=RP%C5%9A-1%2F2026",  # a case-number fragment
    ],
)
def test_case_list_queries_do_not_grow_with_the_rows(director, org, p, query):
    for _ in range(2):
        make_case(org, p)
    few = queries(director, LIST + query)
    for _ in range(28):  # more than a page
        make_case(org, p)
    assert queries(director, LIST + query) == few <= CEILING


def test_case_list_search_by_pesel_is_a_fixed_number_of_queries(director, org, p):
    first = make_case(org, p)
    pesel = first.client.members.get(is_head=True).pesel
    few = queries(director, f"{LIST}?q={pesel}")
    for _ in range(10):
        make_case(org, p)
    assert queries(director, f"{LIST}?q={pesel}") == few <= CEILING


def test_a_workers_case_list_as_well(client, org, p):
    client.force_login(p.worker_a)
    make_case(org, p)
    few = queries(client, LIST)
    for _ in range(28):
        make_case(org, p)
    assert queries(client, LIST) == few <= CEILING


# --- the case detail ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", [Stage.ROZEZNANIE, Stage.PRACA_SOCJALNA])
def test_case_detail_queries_do_not_grow_with_the_entries(client, org, p, stage):
    case = make_case(org, p, stage=stage)
    client.force_login(case.worker)
    url = reverse("cases:detail", args=[case.pk])
    add_entries(case, 5)
    five = queries(client, url, lists_cases=False)
    add_entries(case, 45)
    assert queries(client, url, lists_cases=False) == five <= 70


# --- the register -------------------------------------------------------------------------------------------

REGISTER = reverse("registers:register")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=klient",
        "?sort=pracownik",
        "?status=otwarte&niebieska_karta=tak&sort=-zgloszenie",
        "?q=%C5%BC%C3%B3%C5%82kiewska",
        "?overdue=tak",
    ],
)
def test_register_queries_do_not_grow_with_the_rows(director, org, p, query):
    for _ in range(2):
        make_case(org, p)
    few = queries(director, REGISTER + query)
    for _ in range(28):
        make_case(org, p)
    assert queries(director, REGISTER + query) == few <= CEILING


def test_register_csv_export_queries_grow_by_chunks_not_rows(director, org, p):
    """The export reads the cursor in chunks: 2 and 28 rows are one chunk, the same queries."""
    url = reverse("registers:register_export", args=["csv"])
    for _ in range(2):
        make_case(org, p)
    few = queries(director, url)
    for _ in range(26):
        make_case(org, p)
    assert queries(director, url) == few <= CEILING


# --- the start pages (issue 17.6) ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["worker_a", "coordinator_a", "director_a"])
def test_the_start_page_queries_do_not_grow_with_the_cases(client, org, p, persona):
    from mopr.tests.factories import force_login_verified

    force_login_verified(client, getattr(p, persona))
    lists = persona == "worker_a"  # the others' panels count and link to lists
    for _ in range(2):
        make_case(org, p)
    few = queries(client, reverse("home"), lists_cases=lists)
    for _ in range(12):
        make_case(org, p)
    assert queries(client, reverse("home"), lists_cases=lists) == few <= CEILING
