"""The parts of streets regions serve and the routing of a report by them (issue 19.3)."""

from pathlib import Path

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, ReportForm, TargetGroup
from mopr.errors import DomainError, NotAllowed
from mopr.models import AccessLog
from streets.models import Street, StreetRange
from streets.selectors import house_number_value, region_for_address
from streets.services import region_save, street_import, street_range_add, street_range_remove

SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "ULIC_sample.csv"


@pytest.fixture
def torun(org, p):
    street_import(by=p.director_a, gmina_code="0463011", data=SAMPLE.read_bytes())
    return {s.nazwa_1: s for s in Street.objects.filter(institution=org.inst_a)}


def add(p, region, street, parity="all", low=None, high=None):
    return street_range_add(by=p.director_a, region_id=region.pk, street_id=street.pk, parity=parity,
                            number_from=low, number_to=high)  # fmt: skip


def test_a_street_split_odd_and_even_routes_12_and_13_to_different_regions(org, p, torun):
    add(p, org.region_a1, torun["Lubicka"], "odd")
    add(p, org.region_a2, torun["Lubicka"], "even")
    inst = org.inst_a
    assert region_for_address(institution=inst, street="Lubicka", house_number="13") == org.region_a1
    assert region_for_address(institution=inst, street="ul. Lubicka", house_number="12") == org.region_a2
    assert region_for_address(institution=inst, street="LUBICKA", house_number="12A") == org.region_a2
    assert region_for_address(institution=inst, street="Lubicka", house_number="13/5") == org.region_a1
    # Without a number the table cannot say: the coordinator routes it.
    assert region_for_address(institution=inst, street="Lubicka", house_number="") is None


def test_number_ranges_and_an_address_outside_them(org, p, torun):
    add(p, org.region_a1, torun["Szosa Chełmińska"], low=1, high=99)
    add(p, org.region_a2, torun["Szosa Chełmińska"], low=100)
    inst = org.inst_a
    assert region_for_address(institution=inst, street="Szosa Chełmińska", house_number="99") == org.region_a1
    assert region_for_address(institution=inst, street="Szosa Chełmińska", house_number="100") == org.region_a2
    assert region_for_address(institution=inst, street="Szosa Chełmińska", house_number="2500") == org.region_a2
    # ul. Chełmińska is another street, no region's yet.
    assert region_for_address(institution=inst, street="Chełmińska", house_number="5") is None


def test_names_as_people_type_them(org, p, torun):
    add(p, org.region_a2, torun["Kopernika"])
    for typed in ("Kopernika", "ul. Mikołaja Kopernika", "Mikołaja Kopernika", "ulica Kopernika", "ul.kopernika"):
        assert region_for_address(institution=org.inst_a, street=typed, house_number="7") == org.region_a2, typed
    assert region_for_address(institution=org.inst_a, street="Kopernik", house_number="7") is None
    assert region_for_address(institution=org.inst_b, street="Kopernika", house_number="7") is None
    assert house_number_value("") is None and house_number_value("bl. 4") is None and house_number_value("7b") == 7


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        (("all", None, None), ("odd", None, None), True),
        (("odd", None, None), ("even", None, None), False),
        (("odd", 1, 49), ("odd", 51, None), False),
        (("odd", 1, 51), ("all", 51, None), True),
        (("even", 2, 50), ("odd", 1, 99), False),
        (("all", 1, 10), ("even", 11, 11), False),
        (("all", 1, 10), ("even", 10, 20), True),
        (("odd", 2, 2), ("all", None, None), False),  # no odd number in 2–2
    ],
)
def test_overlap(first, second, overlap):
    one, two = (StreetRange(parity=p, number_from=a, number_to=b) for p, a, b in (first, second))
    assert one.overlaps(two) is overlap and two.overlaps(one) is overlap


def test_an_overlapping_range_is_refused_at_the_field_and_nothing_is_saved(org, p, torun):
    add(p, org.region_a1, torun["Lubicka"], "odd", 1, 99)
    logged = AccessLog.objects.count()
    with pytest.raises(DomainError) as refused:
        add(p, org.region_a2, torun["Lubicka"], "all", 51, 120)
    assert refused.value.field == "number_from"
    assert "wspólne numery" in refused.value.message and "RPŚ-1" in refused.value.message
    assert StreetRange.objects.filter(street=torun["Lubicka"]).count() == 1
    assert AccessLog.objects.count() == logged
    # The even numbers of the same stretch are free.
    add(p, org.region_a2, torun["Lubicka"], "even", 2, 120)
    with pytest.raises(DomainError, match="nie może być większe"):
        add(p, org.region_a2, torun["Mostowa"], "all", 9, 3)


def test_a_whole_street_twice_is_refused_by_the_database_too(org, torun):
    from django.db import IntegrityError, transaction

    # conftest gives Szeroka whole to RPŚ-1; a second whole range past the service cannot be stored.
    with pytest.raises(IntegrityError), transaction.atomic():
        StreetRange.objects.create(region=org.region_a2, street=torun["Szeroka"])


def test_removing_a_range_leaves_its_history_and_a_log_row(org, p, torun):
    added = add(p, org.region_a2, torun["Bema"])
    street_range_remove(by=p.director_a, range_id=added.pk)
    assert not StreetRange.objects.filter(pk=added.pk).exists()
    assert StreetRange.history.filter(id=added.pk, history_type="-").get().history_user == p.director_a
    assert AccessLog.objects.filter(what__startswith="Ulice rejonu RPŚ-2: usunięto ul. Józefa Bema").exists()


def test_regions_are_made_and_renamed_and_their_codes_stay_unique(org, p, sysadmin):
    region = region_save(by=sysadmin, region_id=None, code="RPŚ-3", name="Rejon 3 – Rubinkowo")
    assert region.institution == org.inst_a and region.history.get().history_user == sysadmin
    with pytest.raises(DomainError, match="już jest") as refused:
        region_save(by=sysadmin, region_id=region.pk, code="rpś-1", name="x")
    assert refused.value.field == "code"
    region_save(by=sysadmin, region_id=region.pk, code="RPŚ-4", name="Rejon 4")
    region.refresh_from_db()
    assert (region.code, region.name) == ("RPŚ-4", "Rejon 4")
    # Another centre's code is its own business.
    assert region_save(by=sysadmin, region_id=org.region_a2.pk, code="RPŚ-2", name="Rejon 2").pk == org.region_a2.pk


def test_a_code_case_numbers_begin_with_is_not_given_to_another_region(org, p):
    from mopr.tests.factories import CaseFactory

    CaseFactory(region=org.region_a1, number="RPŚ-1/2026/0001")
    region_save(by=p.director_a, region_id=org.region_a1.pk, code="RPŚ-A", name="Stare Miasto")
    with pytest.raises(DomainError, match="Numery spraw"):
        region_save(by=p.director_a, region_id=org.region_a2.pk, code="RPŚ-1", name="x")


def test_only_the_director_and_the_system_administrator_and_only_their_own_centre(org, p, torun):
    for user in (p.worker_a, p.coordinator_a, p.head_a, p.auditor_a, p.first_contact_a):
        with pytest.raises(NotAllowed):
            add(type("P", (), {"director_a": user}), org.region_a2, torun["Bema"])
        with pytest.raises(NotAllowed):
            region_save(by=user, region_id=org.region_a1.pk, code="X", name="X")
    from mopr.models import Role
    from mopr.tests.factories import UserFactory

    director_b = UserFactory(institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    with pytest.raises(Street.DoesNotExist):
        street_range_add(by=director_b, region_id=org.region_b1.pk, street_id=torun["Bema"].pk)
    with pytest.raises(type(org.region_a1).DoesNotExist):
        street_range_add(by=director_b, region_id=org.region_a1.pk, street_id=torun["Bema"].pk)
    with pytest.raises(type(org.region_a1).DoesNotExist):
        region_save(by=director_b, region_id=org.region_a1.pk, code="RPŚ-9", name="x")
    any_range = StreetRange.objects.filter(region=org.region_a1).first()
    with pytest.raises(StreetRange.DoesNotExist):
        street_range_remove(by=director_b, range_id=any_range.pk)


def _register(p, street: str, number: str, region=None):
    client = services.client_create(
        institution=p.first_contact_a.institution, by=p.first_contact_a, kind="person",
        address=services.AddressData(city="Toruń", street=street, house_number=number),
        members=[services.MemberData(first_name="Jan", last_name="Testowy", relation="head")],
    )  # fmt: skip
    report = services.ReportData(form=ReportForm.PHONE, received_at=timezone.now(), content="Sąsiadka dzwoni.",
                                 reporter_name="Anna Nowak")  # fmt: skip
    services.report_register(
        by=p.first_contact_a, client=client, region=region, target_group=TargetGroup.ELDERLY, report=report
    )
    return Case.objects.get(client=client)


def test_a_report_from_ul_mikolaja_kopernika_7_lands_in_its_region(org, p, torun):
    add(p, org.region_a1, torun["Kopernika"], "odd")
    add(p, org.region_a2, torun["Kopernika"], "even")
    assert _register(p, "ul. Mikołaja Kopernika", "7").region == org.region_a1
    assert _register(p, "Kopernika", "8").region == org.region_a2
    # A number the table does not decide: the chosen region's coordinator routes it.
    with pytest.raises(DomainError, match="wybierz rejon"):
        _register(p, "Kopernika", "")
    case = _register(p, "Kopernika", "", region=org.region_a2)
    assert case.region == org.region_a2 and case.worker is None
