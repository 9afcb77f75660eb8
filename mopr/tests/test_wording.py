"""Issue 20.5, details people notice: the grammar of a few labels, and the empty lists that say what
is true and what to do next instead of a bare "Brak."."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Client as ClientModel
from cases.procedure import Stage
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


# --- empty lists -------------------------------------------------------------------------------


def test_an_empty_case_page_says_what_is_missing_and_how_to_add_it(client, p, org):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    body = _page(client, p.worker_a, reverse("cases:detail", args=[case.pk]))
    assert "Sprawa nie ma oznaczeń." in body and "Brak aktywnych oznaczeń" not in body
    assert "Nie ma umówionej wizyty ani spotkania." in body and "Brak umówionych" not in body
    assert "Umówione spotkanie pojawi się w Terminach" in body
    assert reverse("cases:appointment_new", args=[case.pk]) in body
    # The auditor reads the case: told what is true, not asked to do what they may not.
    read_only = _page(client, p.auditor_a, reverse("cases:detail", args=[case.pk]))
    assert "Sprawa nie ma oznaczeń." in read_only and "Oznacz ją" not in read_only


def test_a_new_worker_s_start_page_says_where_cases_come_from(client, org):
    from mopr.models import Role
    from mopr.tests.factories import UserFactory

    newcomer = UserFactory(institution=org.inst_a, roles=[(Role.SOCIAL_WORKER, org.region_a1)])
    body = _page(client, newcomer, reverse("home"))
    assert "Nie prowadzisz jeszcze żadnej sprawy. Sprawę przydziela koordynator rejonu" in body
    assert "W najbliższych 7 dniach nie mija żaden termin Twoich spraw." in body
    assert "Brak spraw." not in body and "Brak terminów" not in body


def test_empty_lists_of_the_coordination_and_the_administration(client, p, org):
    CaseFactory(region=org.region_a1, worker=p.worker_a)
    found = _page(client, p.worker_a, reverse("cases:list") + "?q=zzzz")
    assert "Żadna sprawa nie spełnia tych warunków. Zmień wyszukiwane słowa albo filtry." in found
    deadlines = _page(client, p.worker_a, reverse("cases:deadlines"))
    assert "Żaden termin nie jest przekroczony." in deadlines
    queue = _page(client, p.coordinator_a, reverse("cases:queue"))
    assert "Wszystkie zgłoszenia z Twoich rejonów są przydzielone." in queue
    monitoring = _page(client, p.director_a, reverse("refusals:monitoring_queue"))
    assert "Żadna notatka nie czeka na plan działania." in monitoring
    assert "Żadne sprawozdanie nie czeka na decyzję." in monitoring
    authorisations = _page(client, p.director_a, reverse("assistants:authorisations"))
    assert "Nikt nie ma upoważnienia: wnioski zatwierdza tylko dyrektor." in authorisations
    log = _page(client, p.director_a, reverse("access_log") + "?case_number=NIEMA/1")
    assert "Żaden wpis nie spełnia tych warunków." in log
    for body in (found, deadlines, queue, monitoring, authorisations, log):
        assert ">Brak." not in body and "Brak spraw." not in body and "Brak wpisów." not in body
