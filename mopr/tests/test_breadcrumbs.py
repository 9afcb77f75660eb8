"""Issue 20.1: breadcrumbs on every page below the start page, from the page's address and the few
declarations of mopr/breadcrumbs.py – a page that is a step up from another must have its label, a
step the user may not open is not offered. (The URL sweep checks every page shows a trail.)"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from mopr import breadcrumbs
from mopr.tests.factories import PASSWORD, CaseFactory, ContractFactory

SAMPLE = {"int": "1", "slug": "x", "str": "csv", "yyyy_mm": "2026-01", "path": "x"}


def _paths(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern, route)
        elif isinstance(pattern, URLPattern) and not route.startswith("admin/"):
            yield "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)


def test_every_page_that_is_a_step_up_has_its_label():
    missing = set()
    for path in _paths():
        parts = path.rstrip("/").split("/")
        while len(parts) > 1:
            parts = parts[:-1]
            try:
                match = resolve("/".join(parts) + "/")
            except Resolver404:
                continue
            if match.view_name not in breadcrumbs.LABELS:
                missing.add(f"{match.view_name} (above {path})")
    assert not missing, "Label these pages in mopr/breadcrumbs.py LABELS: " + ", ".join(sorted(missing))


def test_the_declarations_name_pages_that_exist():
    names = {m.view_name for m in map(resolve, _paths())}
    for name in [*breadcrumbs.LABELS, *breadcrumbs.PARENTS, *breadcrumbs.PARENTS.values(), *breadcrumbs.VISIBLE]:
        assert name in names, name
    assert set(breadcrumbs.PARENTS.values()) <= set(breadcrumbs.LABELS)


def crumbs(client, username, url):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    page = client.get(url).content.decode()
    found = re.search(r'<nav aria-label="Ścieżka".*?</nav>', page, re.S)
    return re.findall(r">([^<]+)</a>", found.group(0)) if found else []


@pytest.mark.django_db
def test_a_deep_page_shows_every_step_the_user_may_open(client, org, p, sysadmin):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a)
    contract = ContractFactory(case=case)
    amend = reverse("contracts:detail", args=[case.pk, contract.pk])
    assert crumbs(client, "worker_a", amend) == ["Start", "Sprawy", f"Sprawa {case.number}"]
    assert crumbs(client, "worker_a", reverse("cases:detail", args=[case.pk])) == ["Start", "Sprawy"]
    assert crumbs(client, "worker_a", reverse("home")) == []
    # The settings' pages hang under the settings; the region's streets under the region.
    ranges = reverse("streets:region_ranges", args=[org.region_a1.pk])
    assert crumbs(client, "admin_a", ranges) == ["Start", "Ustawienia ośrodka", "Rejony i ulice", "Rejon RPŚ-1"]
    # A benefits worker who may not open the case list is not offered it.
    assert crumbs(client, "first_contact_a", reverse("cases:intake")) == ["Start"]
