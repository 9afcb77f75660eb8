"""The regions' pages (issue 19.3): who may open them, a region and its streets set up through
them, the import's result, another centre's region not found."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mopr.models import Region, Role
from mopr.tests.factories import PASSWORD, UserFactory
from streets.models import Street, StreetRange

SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "ULIC_sample.csv"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def urls(org) -> list[str]:
    return [
        reverse("streets:regions"),
        reverse("streets:region_new"),
        reverse("streets:region_edit", args=[org.region_a1.pk]),
        reverse("streets:region_ranges", args=[org.region_a1.pk]),
        reverse("streets:teryt_import"),
    ]


def test_worker_and_coordinator_are_refused_and_the_configurers_let_in(client, org, p, sysadmin):
    for user in (p.worker_a, p.coordinator_a):
        login(client, user)
        for url in urls(org):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"code": "X", "name": "X", "action": "add"}).status_code == 403, url
    for user in (p.director_a, sysadmin):
        login(client, user)
        for url in urls(org):
            assert client.get(url).status_code == 200, url


def test_another_centres_director_cannot_touch_a_region_of_this_one(client, org, p):
    director_b = UserFactory(institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    login(client, director_b)
    for url in urls(org)[2:4]:
        assert client.get(url).status_code == 404
    edit = reverse("streets:region_edit", args=[org.region_a1.pk])
    assert client.post(edit, {"code": "RPŚ-9", "name": "x"}).status_code == 404
    ranges = reverse("streets:region_ranges", args=[org.region_a1.pk])
    mine = StreetRange.objects.filter(region=org.region_a1).first()
    assert client.post(ranges, {"action": "remove", "range": mine.pk}).status_code == 404
    own = reverse("streets:region_ranges", args=[org.region_b1.pk])
    assert client.post(own, {"action": "remove", "range": mine.pk}).status_code == 404
    assert StreetRange.objects.filter(pk=mine.pk).exists()
    # Their own page lists their own regions only.
    page = client.get(reverse("streets:regions")).content.decode()
    assert "RPŚ-2" not in page


def test_a_region_set_up_through_the_pages(client, org, p):
    login(client, p.director_a)
    response = client.post(
        reverse("streets:teryt_import"),
        {"gmina_code": "0463011", "file": SimpleUploadedFile("ULIC.csv", SAMPLE.read_bytes())},
    )
    assert response.status_code == 200
    assert "Nowe ulice: 49</li>" in response.content.decode()
    response = client.post(reverse("streets:region_new"), {"code": "RPŚ-3", "name": "Rubinkowo"})
    region = Region.objects.get(institution=org.inst_a, code="RPŚ-3")
    assert response.status_code == 302 and response.url == reverse("streets:region_ranges", args=[region.pk])
    ranges = reverse("streets:region_ranges", args=[region.pk])
    response = client.post(ranges, {"action": "add", "street": "ul. Mikołaja Kopernika", "parity": "odd"})
    assert response.status_code == 302
    # The even numbers to RPŚ-2; then an overlap, refused at the field, nothing saved.
    other = reverse("streets:region_ranges", args=[org.region_a2.pk])
    assert client.post(other, {"action": "add", "street": "Kopernika", "parity": "even"}).status_code == 302
    response = client.post(
        other, {"action": "add", "street": "Kopernika", "parity": "all", "number_from": "5", "number_to": "9"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "wspólne numery" in body and "is-invalid" in body
    assert StreetRange.objects.filter(street__nazwa_1="Kopernika").count() == 2
    # A street the centre does not have; a name of several streets is not guessed.
    response = client.post(other, {"action": "add", "street": "Nieznana", "parity": "all"})
    assert response.status_code == 422 and "Nie ma takiej ulicy" in response.content.decode()
    page = client.get(ranges).content.decode()
    assert "ul. Mikołaja Kopernika: numery nieparzyste" in page
    regions_page = client.get(reverse("streets:regions")).content.decode()
    assert "RPŚ-3" in regions_page and "Bez rejonu" in regions_page
    # The import's page remembers the municipality.
    assert 'value="0463011"' in client.get(reverse("streets:teryt_import")).content.decode()


def test_the_import_page_names_refused_rows_and_a_wrong_code(client, org, p):
    login(client, p.director_a)
    data = (
        "WOJ;POW;GMI;RODZ_GMI;SYM;SYM_UL;CECHA;NAZWA_1;NAZWA_2;STAN_NA\r\n"
        "04;63;01;1;0968139;00001;ul.;Kręta;;2025-01-02\r\n"
        "04;63;01;1;0968139;1;ul.;Zła;;2025-01-02\r\n"
    )
    response = client.post(
        reverse("streets:teryt_import"), {"gmina_code": "0463011", "file": SimpleUploadedFile("u.csv", data.encode())}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "wiersz 3" in body and "SYM_UL" in body
    response = client.post(
        reverse("streets:teryt_import"), {"gmina_code": "0461011", "file": SimpleUploadedFile("u.csv", data.encode())}
    )
    assert response.status_code == 422 and "Sprawdź kod gminy" in response.content.decode()
    response = client.post(
        reverse("streets:teryt_import"), {"gmina_code": "12", "file": SimpleUploadedFile("u.csv", data.encode())}
    )
    assert response.status_code == 422 and "7 cyfr" in response.content.decode()


def test_a_street_by_hand_and_a_region_renamed(client, org, p):
    login(client, p.director_a)
    response = client.post(reverse("streets:regions"), {"name": "Nowa Osiedlowa"})
    assert (
        response.status_code == 302 and Street.objects.filter(institution=org.inst_a, nazwa_1="Nowa Osiedlowa").exists()
    )
    response = client.post(reverse("streets:regions"), {"name": "szeroka"})
    assert response.status_code == 422 and "już jest" in response.content.decode()
    edit = reverse("streets:region_edit", args=[org.region_a2.pk])
    assert client.post(edit, {"code": "RPŚ-1", "name": "x"}).status_code == 422
    assert client.post(edit, {"code": "RPŚ-2", "name": "Chełmińskie Przedmieście"}).status_code == 302
    org.region_a2.refresh_from_db()
    assert org.region_a2.name == "Chełmińskie Przedmieście"


@pytest.mark.parametrize("action", ["", "nonsense"])
def test_a_post_without_a_known_action_says_so(client, org, p, action):
    login(client, p.director_a)
    response = client.post(reverse("streets:region_ranges", args=[org.region_a1.pk]), {"action": action})
    assert response.status_code == 422 and "alert-danger" in response.content.decode()
