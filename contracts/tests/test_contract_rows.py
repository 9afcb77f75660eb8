"""Issue 16.7: the contract as long as it needs to be – rows of goals and actions are added
("Dodaj cel", "Dodaj działanie", htmx or a plain submit) and removed ("usuń"); an amendment adds,
changes and ends actions, and the earlier version stays readable."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Action, Contract
from contracts.tests.test_contract_views import case, contract_post, formset, worker  # noqa: F401 - fixtures

DAY = datetime.timedelta(days=1)


def errors(response) -> list[str]:
    """The messages a refused form shows (for the assertion's message)."""
    import re

    body = response.content.decode()
    return re.findall(r'(?:invalid-feedback[^>]*>|role="alert">)\s*(?:<strong>)?([^<]+)', body)


def test_add_a_row_brings_the_page_back_with_one_more_and_saves_nothing(worker, case):  # noqa: F811
    url = reverse("contracts:new", args=[case.pk])
    data = contract_post(case, add_row="actions", main_goal="")  # incomplete: no errors shown yet
    response = worker.post(url, data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and not Contract.objects.exists()
    assert 'name="actions-TOTAL_FORMS" value="5"' in body and 'name="actions-4-description"' in body
    assert "Udział w kursie" in body  # what was typed stays
    assert "is-invalid" not in body and "To pole jest wymagane" not in body


def test_a_contract_with_many_goals_and_actions(worker, case):  # noqa: F811
    in_a_month = (timezone.localdate() + 30 * DAY).isoformat()
    goals = [{"text": f"Cel {i}"} for i in range(1, 7)]
    actions = [
        {"side": "client" if i % 2 else "worker", "description": f"Działanie {i}", "deadline": in_a_month,
         "responsible": "Klient" if i % 2 else "Pracownik", "goal_number": str(i % 6 + 1)}
        for i in range(1, 10)
    ]  # fmt: skip
    data = contract_post(case, **formset("goals", goals, 6), **formset("actions", actions, 9))
    response = worker.post(reverse("contracts:new", args=[case.pk]), data)
    assert response.status_code == 302, errors(response)
    contract = Contract.objects.get()
    assert contract.goals.count() == 6 and contract.actions.count() == 9


def test_a_removed_row_is_not_saved(worker, case):  # noqa: F811
    data = contract_post(case)
    data["goals-1-text"] = "Cel wpisany omyłkowo"
    data["goals-1-DELETE"] = "on"
    data.update({"actions-2-side": "client", "actions-2-description": "Działanie do usunięcia",
                 "actions-2-deadline": data["actions-0-deadline"], "actions-2-responsible": "Klient",
                 "actions-2-DELETE": "on"})  # fmt: skip
    response = worker.post(reverse("contracts:new", args=[case.pk]), data)
    assert response.status_code == 302, errors(response)
    contract = Contract.objects.get()
    assert [g.text for g in contract.goals.all()] == ["Kurs operatora wózka widłowego"]
    assert sorted(a.description for a in contract.actions.all()) == ["Skierowanie na kurs", "Udział w kursie"]


def test_an_amendment_changes_ends_and_adds_actions_and_keeps_the_earlier_version(worker, case, p):  # noqa: F811
    worker.post(reverse("contracts:new", args=[case.pk]), contract_post(case))
    contract = Contract.objects.get()
    today = timezone.localdate()
    worker.post(
        reverse("contracts:sign", args=[case.pk, contract.pk]),
        {"version": contract.version, "signed_on": today.isoformat()},
    )
    contract.refresh_from_db()
    course, referral = contract.actions.order_by("pk")
    later = (today + 60 * DAY).isoformat()
    url = reverse("contracts:amend", args=[case.pk, contract.pk])
    page = worker.get(url).content.decode()
    assert 'name="current-0-description"' in page and "Udział w kursie" in page
    data = {
        "version": contract.version, "amended_on": today.isoformat(), "reason": "Kurs przesunięty.",
        "main_goal": contract.main_goal, "period_to": contract.period_to.isoformat(), "new_goals": "",
        "current-TOTAL_FORMS": "2", "current-INITIAL_FORMS": "2", "current-MIN_NUM_FORMS": "0",
        "current-MAX_NUM_FORMS": "1000",
        "current-0-action_id": str(course.pk), "current-0-description": "Udział w kursie (edycja jesienna)",
        "current-0-deadline": later, "current-0-responsible": "Klient",
        "current-1-action_id": str(referral.pk), "current-1-description": referral.description,
        "current-1-deadline": referral.deadline.isoformat(), "current-1-responsible": referral.responsible,
        "current-1-drop": "on",
        **formset("actions", [{"side": "worker", "description": "Pomoc w napisaniu CV", "deadline": later,
                               "responsible": "Pracownik"}], 1),
    }  # fmt: skip
    response = worker.post(url, data)
    assert response.status_code == 302, errors(response)
    course.refresh_from_db()
    referral.refresh_from_db()
    assert course.description == "Udział w kursie (edycja jesienna)" and course.deadline.isoformat() == later
    assert referral.status == Action.Status.DROPPED
    assert contract.actions.filter(description="Pomoc w napisaniu CV").exists()
    [amendment] = contract.amendments.all()
    earlier = {a["description"]: a for a in amendment.previous["actions"]}
    assert "Udział w kursie" in earlier and earlier["Skierowanie na kurs"]["status"] == "w realizacji"
    detail = worker.get(reverse("contracts:detail", args=[case.pk, contract.pk])).content.decode()
    assert "Kurs przesunięty." in detail and "Udział w kursie," in detail  # the earlier version, readable


def test_an_amendment_may_not_change_an_action_of_another_contract(worker, case, p):  # noqa: F811
    from contracts import services
    from mopr.errors import DomainError

    worker.post(reverse("contracts:new", args=[case.pk]), contract_post(case))
    contract = Contract.objects.get()
    services.contract_sign(contract=contract, by=p.worker_a, signed_on=timezone.localdate())
    contract.refresh_from_db()
    with pytest.raises(DomainError, match="tylko działania w realizacji"):
        services.contract_amend(
            contract=contract, by=p.worker_a, amended_on=timezone.localdate(), reason="x",
            main_goal=contract.main_goal, period_to=contract.period_to, new_goals=[], new_actions=[],
            action_changes=[services.ActionChange(action_id=999999, description="x", deadline=timezone.localdate(),
                                                  responsible="x")],
        )  # fmt: skip
