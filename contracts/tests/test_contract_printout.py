"""The client's copy of the contract against the template of 2010 (Dz.U. 2010 nr 218 poz. 1439) and
the Oświadczenie against Załącznik 2 (issue 15.6, 15.7): what each prints, field by field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.tests.test_karta import flat, pages_of
from cases.tests.test_printouts import save_pngs
from contracts import services
from contracts.models import Contract
from contracts.tests.test_contracts import case, data, draft  # noqa: F401 - the fixture and helpers
from mopr.errors import DomainError
from mopr.tests.factories import PASSWORD

TODAY = timezone.localdate


def pdf_of(client, contract, tmp_path) -> tuple[str, bytes]:
    client.login(username="auditor_a", password=PASSWORD)
    response = client.get(reverse("contracts:pdf", args=[contract.case_id, contract.pk]))
    assert response.status_code == 200
    return flat(" ".join(pages_of(response.content, tmp_path))), response.content


def test_type_a_prints_part_i_a_with_one_date_and_a_place_for_the_stamp(client, case, p, tmp_path):  # noqa: F811
    p.worker_a.sex = "K"
    p.worker_a.save()
    contract = draft(case, p)
    services.contract_sign(contract=contract, by=p.worker_a, signed_on=TODAY())
    text, content = pdf_of(client, contract, tmp_path)
    for expected in [
        "(pieczęć ośrodka pomocy społecznej)", f"Data zawarcia kontraktu socjalnego {TODAY():%d.%m.%Y}",
        "KONTRAKT SOCJALNY",
        "osobą/rodziną a pracownikiem socjalnym w zakresie rozwiązywania trudnej sytuacji życiowej",
        "(część I A i II A)", "Część I A", "Kontrakt zawarty w Toruniu pomiędzy:",
        # The PESEL's 10th digit (5) says a man: no slash forms.
        "Panem", "zamieszkałym", f"reprezentującą {case.institution.name}",
        "Ustalenia – działania stron", "Osoba odpowiedzialna", "Termin realizacji",
        "Część II A – ocena realizacji kontraktu", "Kontrakt obowiązuje.",
    ]:  # fmt: skip
        assert expected in text, expected
    for wrong in ("w Toruń ", "Panią/Panem", "zamieszkałą/zamieszkałym", "reprezentującym Miejski", "Toruń, dnia"):
        assert wrong not in text, wrong
    save_pngs(content, "contract-a")


def test_type_b_prints_part_i_b_and_an_ended_contract_its_end(client, case, p, tmp_path):  # noqa: F811
    contract = draft(
        case, p, kind=Contract.Kind.B, referral="PUP w Toruniu, skierowanie nr 12/2026",
        unemployment_causes="Likwidacja zakładu pracy.", employment_barriers="Brak prawa jazdy.",
    )  # fmt: skip
    services.contract_sign(contract=contract, by=p.worker_a, signed_on=TODAY())
    services.contract_end(
        contract=contract, by=p.worker_a, end=Contract.End.MUTUAL, ended_on=TODAY(), reason="Przeprowadzka."
    )
    text, content = pdf_of(client, Contract.objects.get(pk=contract.pk), tmp_path)
    for expected in [
        "wzmocnienia aktywności i samodzielności życiowej, zawodowej lub przeciwdziałania wykluczeniu społecznemu",
        "(część I B i II B)", "Część I B",
        "Skierowanie z powiatowego urzędu pracy: PUP w Toruniu, skierowanie nr 12/2026",
        "Przyczyny pozostawania bez zatrudnienia: Likwidacja zakładu pracy.",
        "Ograniczenia w podjęciu zatrudnienia: Brak prawa jazdy.",
        "Kontrakt zakończony", "Część II B", "Sposób: rozwiązanie za porozumieniem stron",
        "Uzasadnienie: Przeprowadzka.",
    ]:  # fmt: skip
        assert expected in text, expected
    assert "Kontrakt obowiązuje." not in text and "(część I A i II A)" not in text
    save_pngs(content, "contract-b-ended")


def test_the_period_never_begins_before_the_conclusion(case, p):  # noqa: F811
    """A copy said "period from 29.07" of a contract concluded on 03.08."""
    drafted = TODAY() - datetime.timedelta(days=5)
    contract = draft(case, p, drafted_on=drafted, period_from=drafted)
    services.contract_sign(contract=contract, by=p.worker_a, signed_on=TODAY())
    contract.refresh_from_db()
    assert contract.period_from == contract.signed_on == TODAY()
    with pytest.raises(DomainError, match="najwcześniej w dniu sporządzenia"):
        draft(case, p, drafted_on=TODAY(), period_from=TODAY() - datetime.timedelta(days=1))


def test_a_contract_of_type_b_needs_the_referral_and_the_causes(case, p):  # noqa: F811
    with pytest.raises(DomainError) as caught:
        draft(case, p, kind=Contract.Kind.B)
    assert caught.value.field == "referral"
    with pytest.raises(DomainError) as caught:
        draft(case, p, kind=Contract.Kind.B, referral="PUP 1/2026")
    assert caught.value.field == "unemployment_causes"


def test_without_a_pesel_the_document_type_and_the_recorded_sex(client, case, p, tmp_path):  # noqa: F811
    head = case.client.members.get()
    head.pesel, head.sex, head.id_document = "", "K", "ABA300000"
    head.save()
    contract = draft(case, p, client_id_document="ABA300000", client_id_document_kind="passport")
    text, _content = pdf_of(client, contract, tmp_path)
    assert "Panią" in text and "legitymującą się paszportem ABA300000" in text and "zamieszkałą:" in text
    assert "Data zawarcia kontraktu socjalnego ……" in text and "Projekt – kontrakt nie został jeszcze zawarty." in text
