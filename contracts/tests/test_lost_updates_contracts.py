"""No lost updates in the contract's edit forms: the amendment, the evaluation and the end.

Two sessions (the worker at the desk and in the field, say) open the same form; the first save
wins; the second gets HTTP 409 with what is saved now and what it sent, nothing of it saved, and
the form back with the current version – so saving again is a deliberate overwrite.
"""

import datetime
import re

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from cases.procedure import Stage
from contracts.models import Contract
from mopr.tests.factories import PASSWORD, CaseFactory, ContractFactory

CONFLICT = "Ktoś zmienił te dane po tym, jak otworzyłeś formularz. Nic nie zostało zapisane."


@pytest.fixture
def contract(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    return ContractFactory(case=case)


@pytest.fixture
def sessions(p):
    """Two sessions of the contract's worker, each with its own cookies."""
    browsers = [Browser(), Browser()]
    for browser in browsers:
        assert browser.login(username=p.worker_a.username, password=PASSWORD)
    return browsers


def loaded_version(response) -> int:
    assert response.status_code in (200, 409), response.status_code
    found = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert found, "the form carries no version"
    return int(found.group(1))


def conflict_table(response) -> str:
    page = response.content.decode()
    assert CONFLICT in page and 'role="alert"' in page
    return page.split("<tbody>")[1].split("</tbody>")[0]


def amendment(contract, version, main_goal, period_to=None):
    return {
        "version": version,
        "amended_on": timezone.localdate().isoformat(),
        "reason": "Zmiana sytuacji rodziny",
        "main_goal": main_goal,
        "period_to": (period_to or contract.period_to).isoformat(),
        "new_goals": "",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "40",
    }


def evaluation(contract, version, goal_status, summary):
    goal = contract.goals.get()
    return {
        "version": version,
        "evaluated_on": timezone.localdate().isoformat(),
        "with_client": "on",
        "summary": summary,
        f"goal_{goal.pk}": goal_status,
        **{f"action_{a.pk}": "partly" for a in contract.actions.all()},
    }


def test_a_stale_amendment_shows_both_versions_and_saves_nothing(contract, sessions):
    a, b = sessions
    url = reverse("contracts:amend", args=[contract.case_id, contract.pk])
    version_a, version_b = loaded_version(a.get(url)), loaded_version(b.get(url))
    later = contract.period_to + datetime.timedelta(days=30)
    assert b.post(url, amendment(contract, version_b, "Spłata długu w ratach", later)).status_code == 302

    refused = a.post(url, amendment(contract, version_a, "Podjęcie pracy"))
    assert refused.status_code == 409
    table = conflict_table(refused)
    assert "Spłata długu w ratach" in table and "Podjęcie pracy" in table
    assert later.strftime("%d.%m.%Y") in table  # B's other change, which A's form would undo
    contract.refresh_from_db()
    assert (contract.main_goal, contract.period_to, contract.version) == ("Spłata długu w ratach", later, 2)
    assert contract.amendments.count() == 1

    assert a.post(url, amendment(contract, loaded_version(refused), "Podjęcie pracy")).status_code == 302
    contract.refresh_from_db()
    assert (contract.main_goal, contract.version, contract.amendments.count()) == ("Podjęcie pracy", 3, 2)


def test_a_stale_evaluation_shows_the_goal_statuses_and_saves_nothing(contract, sessions):
    a, b = sessions
    url = reverse("contracts:evaluate", args=[contract.case_id, contract.pk])
    version_a, version_b = loaded_version(a.get(url)), loaded_version(b.get(url))
    assert b.post(url, evaluation(contract, version_b, "partly", "Połowa długu spłacona")).status_code == 302

    refused = a.post(url, evaluation(contract, version_a, "reached", "Dług spłacony"))
    assert refused.status_code == 409
    table = conflict_table(refused)
    assert "osiągnięty częściowo" in table and "osiągnięty" in table.replace("osiągnięty częściowo", "")
    assert contract.evaluations.count() == 1 and contract.goals.get().status == "partly"

    assert a.post(url, evaluation(contract, loaded_version(refused), "reached", "Dług spłacony")).status_code == 302
    assert contract.evaluations.count() == 2 and contract.goals.get().status == "reached"


def test_a_stale_end_form_shows_the_conflict(contract, sessions):
    a, b = sessions
    end_url = reverse("contracts:end", args=[contract.case_id, contract.pk])
    amend_url = reverse("contracts:amend", args=[contract.case_id, contract.pk])
    version_a = loaded_version(a.get(end_url))
    assert b.post(amend_url, amendment(contract, loaded_version(b.get(amend_url)), "Nowy cel")).status_code == 302

    ending = {"version": version_a, "end": "mutual", "ended_on": timezone.localdate().isoformat(),
              "reason": "Rodzina wyprowadza się z Torunia."}  # fmt: skip
    refused = a.post(end_url, ending)
    assert refused.status_code == 409
    assert "Rodzina wyprowadza się z Torunia." in conflict_table(refused)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED and contract.end == ""

    assert a.post(end_url, ending | {"version": loaded_version(refused)}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED
