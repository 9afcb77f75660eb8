"""The contract pages through HTTP: draft with its goals and actions, sign, evaluate, amend, end."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.procedure import Stage
from contracts.models import Contract
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory


@pytest.fixture
def case(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    case.client.members.update(pesel="44051401359")
    return case


@pytest.fixture
def worker(client, p):
    client.login(username="worker_a", password=PASSWORD)
    return client


def formset(prefix, rows, total):
    data = {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "40"}  # fmt: skip
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def contract_post(case, **over):
    today = timezone.localdate()
    in_a_month = (today + datetime.timedelta(days=30)).isoformat()
    data = {
        "version": case.version, "kind": "B", "client_member": case.client.members.get().pk, "client_id_document": "",
        "problems": "Długotrwałe bezrobocie", "resources": "Wykształcenie średnie", "limitations": "",
        "main_goal": "Podjęcie zatrudnienia", "period_from": today.isoformat(),
        "period_to": (today + datetime.timedelta(days=120)).isoformat(), "drafted_on": today.isoformat(),
        "resources_used": ["project"], "resources_note": "Projekt aktywizacji",
        # Part I B of the template: the labour office's referral and the causes of unemployment.
        "referral": "PUP w Toruniu, skierowanie nr 123/2026", "unemployment_causes": "Likwidacja zakładu pracy.",
        **formset("goals", [{"text": "Kurs operatora wózka widłowego"}, {"text": ""}], 3),
        **formset("actions", [
            {"side": "client", "description": "Udział w kursie", "deadline": in_a_month, "responsible": "Klient",
             "goal_number": "1"},
            {"side": "worker", "description": "Skierowanie na kurs", "deadline": in_a_month,
             "responsible": "Pracownik"},
        ], 4),
    }  # fmt: skip
    data.update(over)
    return data


def test_a_contract_of_type_b_needs_the_labour_offices_referral(worker, case):
    response = worker.post(reverse("contracts:new", args=[case.pk]), contract_post(case, referral=""))
    assert response.status_code == 200 and not Contract.objects.exists()
    assert "na podstawie skierowania z urzędu pracy" in response.content.decode()


def test_contract_flow_through_the_pages(worker, case):
    assert worker.get(reverse("contracts:new", args=[case.pk])).status_code == 200
    response = worker.post(reverse("contracts:new", args=[case.pk]), contract_post(case))
    contract = Contract.objects.get()
    assert response.status_code == 302 and contract.kind == "B" and contract.goals.count() == 1
    detail = reverse("contracts:detail", args=[case.pk, contract.pk])
    assert "Kurs operatora wózka widłowego" in worker.get(detail).content.decode()
    today = timezone.localdate().isoformat()
    worker.post(
        reverse("contracts:sign", args=[case.pk, contract.pk]), {"version": contract.version, "signed_on": today}
    )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    goal, actions = contract.goals.get(), list(contract.actions.all())
    response = worker.post(
        reverse("contracts:evaluate", args=[case.pk, contract.pk]),
        {"version": contract.version, "evaluated_on": today, "with_client": "on", "summary": "Kurs ukończony",
         f"goal_{goal.pk}": "reached", **{f"action_{a.pk}": "done" for a in actions}},
    )  # fmt: skip
    assert response.status_code == 302
    contract.refresh_from_db()
    response = worker.post(
        reverse("contracts:amend", args=[case.pk, contract.pk]),
        {"version": contract.version, "amended_on": today, "reason": "Oferta pracy", "main_goal": "Utrzymanie pracy",
         "period_to": contract.period_to.isoformat(), "new_goals": "Utrzymanie zatrudnienia przez 3 miesiące",
         **formset("actions", [], 4)},
    )  # fmt: skip
    assert response.status_code == 302
    contract.refresh_from_db()
    page = worker.get(detail).content.decode()
    assert "Wersja sprzed aneksu" in page and "Podjęcie zatrudnienia" in page  # the old main goal stays readable
    response = worker.post(
        reverse("contracts:end", args=[case.pk, contract.pk]),
        {"version": contract.version, "end": "notice_client", "ended_on": today, "reason": "Wyjazd",
         "welfare_threatened": "on"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("/wpisy/zawiadomienie/dodaj/")


def test_half_filled_action_row_is_refused_at_its_fields(worker, case):
    data = contract_post(case)
    data["actions-1-responsible"] = ""
    response = worker.post(reverse("contracts:new", args=[case.pk]), data)
    assert response.status_code == 200 and "To pole jest wymagane." in response.content.decode()
    assert not Contract.objects.exists()


def test_declaration_page(worker, case):
    MemberFactory(client=case.client, is_head=False, relation="child", in_foster_care=True)
    url = reverse("contracts:declaration_new", args=[case.pk])
    parent = case.client.members.get(is_head=True)
    response = worker.post(url, {"parent": parent.pk, "id_card": "XYZ", "signed_on": timezone.localdate().isoformat()})
    assert "Nieprawidłowa seria i numer" in response.content.decode()
    response = worker.post(
        url, {"parent": parent.pk, "id_card": "ABA300000", "signed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302 and response["Location"].endswith("/pdf/")


def test_evaluation_has_no_assumed_status(worker, case):
    from contracts.forms import EvaluationForm
    from mopr.tests.factories import ContractFactory

    contract = ContractFactory(case=case)
    form = EvaluationForm(contract=contract)
    goal_field = form.fields[f"goal_{contract.goals.get().pk}"]
    assert goal_field.choices[0] == ("", "—") and goal_field.required


def test_other_resource_with_a_note_is_one_entry(worker, case):
    worker.post(
        reverse("contracts:new", args=[case.pk]),
        contract_post(case, resources_used=["project", "other"], resources_note="Klub Integracji Społecznej"),
    )
    contract = Contract.objects.get()
    assert sorted(contract.resources_used.values_list("kind", "description")) == [
        ("other", "Klub Integracji Społecznej"),
        ("project", ""),
    ]
