"""Issue 20.5, details people notice: the grammar of a few labels, and the empty lists that say what
is true and what to do next instead of a bare "Brak."."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Client as ClientModel
from cases.tests.test_karta import flat, karta
from mopr.tests.factories import CaseFactory, ClientFactory, DiagnosisFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(response.content.decode().split())


# --- grammar -----------------------------------------------------------------------------------


def test_a_family_client_is_named_once_as_a_family(client, p, org):
    family = CaseFactory(region=org.region_a1, worker=p.worker_a)
    body = _page(client, p.worker_a, reverse("cases:detail", args=[family.pk]))
    name = family.client.display_name
    assert name.startswith("Rodzina ")
    assert f"{name}</dd>" in body and "(rodzina)" not in body

    person = ClientFactory(institution=org.inst_a, kind=ClientModel.Kind.PERSON)
    MemberFactory(client=person, first_name="Ewa", last_name="Lis")
    alone = CaseFactory(region=org.region_a1, worker=p.worker_a, client=person)
    assert "Ewa Lis (osoba)</dd>" in _page(client, p.worker_a, reverse("cases:detail", args=[alone.pk]))


def test_a_case_without_a_worker_says_no_one_is_assigned(client, p, org):
    CaseFactory(region=org.region_a1, worker=None)
    body = _page(client, p.coordinator_a, reverse("cases:list"))
    assert "<em>nie przydzielono</em>" in body and "nieprzydzielona" not in body


def test_the_caseload_counts_unfinished_cases_in_one_word(client, p):
    body = _page(client, p.director_a, reverse("timesheets:time_caseload"))
    assert "w sprawach niezakończonych" in body and "nie zakończonych" not in body


def test_the_karta_names_the_diagnosis_s_finding_in_a_sentence(client, p, org, tmp_path):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a)
    DiagnosisFactory(case=case, dysfunctional=True)
    pages, _content = karta(client, case, tmp_path)
    text = flat(" ".join(pages))
    assert "Klient funkcjonuje w sposób dysfunkcyjny i wymaga pomocy: tak" in text
    assert "Funkcjonowanie dysfunkcyjne" not in text
