"""The case search (cases.selectors.search_condition), rewritten in issue 9 to use an index on every
path: what it finds, and that a PESEL is compared whole, never with LIKE."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import selectors, services
from cases.models import Case
from mopr.tests.factories import CaseFactory


@pytest.fixture
def kowalska(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, number="RPŚ-1/2026/0042")
    head = case.client.members.get()
    head.first_name, head.last_name, head.pesel = "Łucja", "Żółkiewska-Kowalska", "44051401359"
    head.save()
    case.client.street, case.client.house_number = "Łódzka", "7"
    case.client.save()
    services.client_refresh_search(client=case.client)
    other = CaseFactory(region=org.region_a1, worker=p.worker_a, number="RPŚ-1/2026/0043")
    services.client_refresh_search(client=other.client)
    return case


def found(q: str) -> set[str]:
    return set(Case.objects.filter(selectors.search_condition(q)).values_list("number", flat=True))


@pytest.mark.parametrize(
    "q",
    ["Żółkiew", "zolkiew", "KOWALSKA", "łucja kowal", "lodzka 7", "44051401359", "0042", "rpś-1/2026/0042"],
)
def test_the_search_finds_names_addresses_pesel_and_numbers_folded(kowalska, q):
    assert found(q) == {"RPŚ-1/2026/0042"}


def test_every_word_must_match(kowalska):
    assert found("łucja nowak") == set()


def test_an_empty_search_is_no_condition(kowalska):
    assert len(found("  ")) == 2


def test_a_pesel_is_compared_whole_on_its_index(kowalska):
    with CaptureQueriesContext(connection) as ctx:
        list(Case.objects.filter(selectors.search_condition("44051401359")))
    sql = ctx.captured_queries[0]["sql"]
    assert '"pesel" = ' in sql and "LIKE" not in sql.upper()


def test_the_case_list_searches_within_what_the_user_may_see(client, kowalska, p):
    client.force_login(p.worker_a2)  # a worker of another region
    page = client.get(reverse("cases:list"), {"q": "Żółkiewska"}).content.decode()
    assert "RPŚ-1/2026/0042" not in page
    client.force_login(p.worker_a)
    page = client.get(reverse("cases:list"), {"q": "Żółkiewska"}).content.decode()
    assert "RPŚ-1/2026/0042" in page and "RPŚ-1/2026/0043" not in page
