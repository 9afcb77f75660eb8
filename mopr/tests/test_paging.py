"""mopr/paging.py: a page read by its ids first holds exactly the rows, in exactly the order, of the
plain paginator – deep pages too – and a wrong page number gives the nearest page."""

from django.core.paginator import Paginator
from django.test import RequestFactory

from cases.selectors import case_list
from mopr.paging import IdsFirstPaginator, page_of
from mopr.tests.factories import CaseFactory


def test_the_same_rows_in_the_same_order_as_the_plain_paginator(org, p):
    for n in range(12):
        CaseFactory(region=org.region_a1, worker=p.worker_a, urgent=n % 3 == 0)
    qs = case_list(user=p.director_a)
    plain, first = Paginator(qs, 5), IdsFirstPaginator(qs, 5)
    assert first.num_pages == plain.num_pages == 3
    for number in (1, 2, 3):
        got = first.page(number)
        assert [c.pk for c in got] == [c.pk for c in plain.page(number)]
        assert all(hasattr(c, "client") and c.client.display_name for c in got)  # rows read in full
    request = RequestFactory().get("/", {"strona": "99"})
    assert page_of(request, qs, 5).number == 3
    assert page_of(RequestFactory().get("/", {"strona": "x"}), qs, 5).number == 1
