"""Issue 17.4: the contract's follow-up. An action past its date without an evaluation and a
contract past its period without an end are deadlines – in the engine, on Terminy, in the
overdue marks – and an expired contract reads as awaiting evaluation or end, not "obowiązuje"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.deadlines import deadlines_for
from cases.models import Case
from contracts.models import Action, Contract
from mopr.tests.factories import PASSWORD, ContractFactory

DAY = datetime.timedelta(days=1)


def rules(case) -> dict[str, datetime.date]:
    fresh = Case.objects.select_related("institution").get(pk=case.pk)
    return {d.rule: d.due for d in deadlines_for([fresh])[case.pk] if d.rule.startswith("contract_")}


@pytest.fixture
def contract(org, p) -> Contract:
    contract = ContractFactory(case__region=org.region_a1, case__worker=p.worker_a, case__accepted_at=timezone.now())
    first, _second = contract.actions.order_by("pk")
    first.deadline = timezone.localdate() + 10 * DAY
    first.save()
    return contract


def test_the_earliest_action_not_evaluated_and_the_period_end_are_due(contract):
    assert rules(contract.case) == {
        "contract_actions": timezone.localdate() + 10 * DAY,
        "contract_end": contract.period_to,
    }


def test_an_evaluated_action_is_no_longer_due(contract):
    first = contract.actions.order_by("deadline", "pk").first()
    first.status = Action.Status.DONE
    first.save()
    assert rules(contract.case)["contract_actions"] == contract.period_to  # the other one's date


def test_an_expired_contract_is_overdue_and_says_it_waits(client, contract, p):
    Contract.objects.filter(pk=contract.pk).update(
        period_from=timezone.localdate() - 200 * DAY, period_to=timezone.localdate() - 60 * DAY
    )
    Action.objects.filter(contract=contract).update(deadline=timezone.localdate() - 90 * DAY)
    fresh = Case.objects.select_related("institution").get(pk=contract.case_id)
    due = {d.rule: d for d in deadlines_for([fresh])[fresh.pk]}
    assert due["contract_end"].overdue and due["contract_actions"].overdue
    assert client.login(username="worker_a", password=PASSWORD)
    page = client.get(reverse("cases:detail", args=[contract.case_id])).content.decode()
    assert "czeka na ewaluację i zakończenie" in page and "– obowiązuje" not in page
    terminy = client.get(reverse("cases:deadlines")).content.decode()
    assert "Koniec okresu kontraktu" in terminy and "Ocena działań kontraktu" in terminy


def test_an_ended_contract_has_nothing_due(contract):
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED, ended_on=timezone.localdate())
    assert rules(contract.case) == {}
