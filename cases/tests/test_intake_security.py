"""Issue 14.3 and 14.4: what the intake's look-ups may reveal, and into which region a report goes.

Found by an attack as a hostile insider: PESEL numbers read digit by digit through the duplicate
search, any client's name and address by ``?klient=<id>``, and a worker of RPŚ-1 taking over
an RPŚ-2 family by choosing their own region."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, Client
from cases.procedure import Stage
from cases.tests.test_intake import INTAKE, login, new_client_post
from mopr import selectors as log_selectors
from mopr.models import AccessLog, AccessLogSubject
from mopr.tests.factories import CaseFactory

PESEL = "44051401359"


@pytest.fixture
def family_of_a2(org, p):
    """A family of RPŚ-2 (Łódzka) with a closed case: nobody of RPŚ-1 may see it."""
    client = services.client_create(
        institution=org.inst_a,
        by=p.worker_a2,
        kind="family",
        address=services.AddressData(city="Toruń", street="Łódzka", house_number="7", flat_number="2"),
        members=[services.MemberData(first_name="Łucja", last_name="Żółkiewska", pesel=PESEL)],
    )
    CaseFactory(region=org.region_a2, client=client, worker=p.worker_a2, stage=Stage.ZAKONCZENIE)
    return client


def report_post(**extra):
    return {k: v for k, v in new_client_post().items() if not k.startswith(("head-", "client-", "members-"))} | extra


@pytest.mark.parametrize("prefix", ["44", "4405", "440514", "4405140135"])
def test_a_part_of_a_pesel_finds_nobody(client, p, family_of_a2, prefix):
    login(client, p.first_contact_a)
    body = client.get(INTAKE, {"q": prefix}).content.decode()
    assert "Żółkiewska" not in body and "Podaj cały numer PESEL" in body


def test_the_whole_pesel_shows_only_what_recognises_the_person(client, p, family_of_a2):
    login(client, p.worker_a)
    body = client.get(INTAKE, {"q": PESEL}).content.decode()
    assert "Żółkiewska" in body and "1944" in body and "Łódzka" in body
    assert PESEL not in body.replace(f'value="{PESEL}"', "")  # the number is not printed back
    assert "Łódzka 7" not in body and "/2" not in body  # no house or flat number


def test_another_regions_open_case_shows_as_its_region_only(client, p, family_of_a2, org):
    case = family_of_a2.cases.get()
    Case.objects.filter(pk=case.pk).update(stage=Stage.ROZEZNANIE)  # open it without the services
    login(client, p.worker_a)
    body = client.get(INTAKE, {"q": "Łucja Żółkiewska"}).content.decode()
    assert "tak, w RPŚ-2" in body and case.number not in body
    login(client, p.worker_a2)
    assert case.number in client.get(INTAKE, {"q": "Łucja Żółkiewska"}).content.decode()


def test_a_client_opens_by_number_only_when_the_search_offered_it(client, p, family_of_a2):
    login(client, p.worker_a)
    assert client.get(INTAKE, {"klient": family_of_a2.pk}).status_code == 404
    client.get(INTAKE, {"q": PESEL})
    page = client.get(INTAKE, {"klient": family_of_a2.pk})
    assert page.status_code == 200 and "Żółkiewska" in page.content.decode()
    assert "Łódzka 7" not in page.content.decode()
    # Another session of the same user was not offered it.
    from django.test import Client

    other = Client()
    login(other, p.worker_a)
    assert other.get(INTAKE, {"klient": family_of_a2.pk}).status_code == 404


def test_every_look_up_is_in_the_access_log_and_in_the_persons_report(client, p, family_of_a2):
    login(client, p.first_contact_a)
    client.get(INTAKE, {"q": PESEL})
    client.get(INTAKE, {"q": "Jan Nieistniejący"})  # finds nobody: logged all the same
    client.get(INTAKE, {"klient": family_of_a2.pk})
    lookups = AccessLog.objects.filter(user=p.first_contact_a, action=AccessLog.Action.LOOKUP)
    assert lookups.count() == 2
    assert AccessLogSubject.objects.filter(log__in=lookups, client=family_of_a2).count() == 1
    assert AccessLog.objects.filter(user=p.first_contact_a, action=AccessLog.Action.VIEW, client=family_of_a2).exists()
    report = log_selectors.client_access_report(user=p.director_a, client=family_of_a2)
    assert {r.action for r in report if r.user == p.first_contact_a} == {"lookup", "view"}


def test_look_ups_are_limited_per_hour(client, p, family_of_a2, settings):
    settings.INTAKE_LOOKUPS_PER_HOUR = 3
    login(client, p.first_contact_a)
    for _ in range(3):
        assert client.get(INTAKE, {"q": PESEL}).status_code == 200
    refused = client.get(INTAKE, {"q": PESEL})
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Wyczerpano limit wyszukiwań" in body and "Żółkiewska" not in body
    # Another user is not held up by it.
    login(client, p.worker_a)
    assert client.get(INTAKE, {"q": PESEL}).status_code == 200


# --- 14.4: the region follows the address --------------------------------------------------------


def test_a_worker_cannot_register_another_regions_family_into_their_own_region(client, p, family_of_a2, org):
    login(client, p.worker_a)
    client.get(INTAKE, {"q": PESEL})
    refused = client.post(f"{INTAKE}?klient={family_of_a2.pk}", report_post(region=org.region_a1.pk))
    assert refused.status_code == 200
    assert "należy do rejonu RPŚ-2" in refused.content.decode()
    assert family_of_a2.cases.count() == 1  # nothing saved

    # Without a region it goes where the family lives, to that region's coordinator.
    client.post(f"{INTAKE}?klient={family_of_a2.pk}", report_post())
    case = family_of_a2.cases.exclude(stage=Stage.ZAKONCZENIE).get()
    assert case.region == org.region_a2 and case.worker is None
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:client_edit", args=[case.pk])).status_code == 404


def test_an_address_the_street_table_does_not_know_waits_for_the_chosen_regions_coordinator(client, p, org):
    login(client, p.worker_a)
    response = client.post(
        f"{INTAKE}?nowy=1", new_client_post(**{"client-street": "Nieznana", "region": org.region_a1.pk})
    )
    assert response.status_code == 302
    case = Case.objects.get(client__street="Nieznana")
    assert case.region == org.region_a1 and case.worker is None  # the coordinator assigns it


def test_a_worker_takes_at_once_a_report_about_an_address_of_their_region(client, p, org):
    login(client, p.worker_a)
    client.post(f"{INTAKE}?nowy=1", new_client_post())  # Szeroka: RPŚ-1
    case = Case.objects.get(client__street="Szeroka")
    assert case.region == org.region_a1 and case.worker == p.worker_a and case.accepted_at is not None


def test_a_homeless_client_is_taken_by_the_worker_of_the_chosen_region(client, p, org):
    login(client, p.worker_a)
    client.post(f"{INTAKE}?nowy=1", new_client_post(**{"client-street": "", "region": org.region_a1.pk}))
    case = Case.objects.get(client__in=Client.objects.filter(street=""))
    assert case.worker == p.worker_a
