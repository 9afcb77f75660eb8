"""Intake (stage I): the forms, routing to a region, duplicate search, bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, Client, Report
from cases.procedure import Stage
from mopr.tests.factories import PASSWORD

INTAKE = reverse("cases:intake")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def new_client_post(**overrides):
    received = timezone.localtime() - datetime.timedelta(hours=2)
    data = {
        "head-first_name": "Łucja",
        "head-last_name": "Żółkiewska",
        "head-pesel": "44051401359",
        "head-birth_date": "",
        "head-id_document": "",
        "client-kind": "family",
        "client-street": "Szeroka",
        "client-house_number": "12",
        "client-flat_number": "3",
        "client-postal_code": "87-100",
        "client-city": "Toruń",
        "client-phone": "",
        "client-email": "",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "15",
        "members-0-first_name": "Zosia",
        "members-0-last_name": "Żółkiewska",
        "members-0-pesel": "",
        "members-0-birth_date": "2019-03-02",
        "members-0-relation": "child",
        "members-1-relation": "child",  # the empty second row, as a browser sends it
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
        "form": "phone",
        "reporter_name": "Maria Wiśniewska",
        "reporter_contact": "600 100 200",
        "content": "Dzieci zostają wieczorami same w domu.",
        "region": "",
        "target_group": "family_children",
    }
    data.update(overrides)
    return data


def test_new_client_and_report_routes_by_street_to_the_coordinator(client, p, org):
    login(client, p.first_contact_a)
    response = client.post(INTAKE + "?nowy=1", new_client_post(urgent="on"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.region == org.region_a1  # "Szeroka" is a street of RPŚ-1
    assert case.worker is None and case.urgent
    assert [m.full_name for m in case.client.members.all()] == ["Łucja Żółkiewska", "Zosia Żółkiewska"]
    assert case.client.members.get(is_head=True).birth_date == datetime.date(1944, 5, 14)  # from the PESEL
    report = case.reports.get()
    assert report.received_by == p.first_contact_a and report.urgent
    # The first-contact desk does not read case files: it goes back to its start page.
    assert response["Location"] == reverse("home")


def test_worker_of_the_region_takes_the_report_at_once(client, p, org):
    login(client, p.worker_a)
    response = client.post(INTAKE + "?nowy=1", new_client_post())
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.worker == p.worker_a and case.accepted_at is not None and case.transferred_at is None


def test_worker_of_another_region_sends_it_to_the_coordinator(client, p, org):
    login(client, p.worker_a2)
    client.post(INTAKE + "?nowy=1", new_client_post())
    case = Case.objects.get()
    assert case.region == org.region_a1 and case.worker is None


def test_unknown_street_asks_for_the_region(client, p):
    login(client, p.worker_a)
    response = client.post(INTAKE + "?nowy=1", new_client_post(**{"client-street": "Nieznana"}))
    assert response.status_code == 200
    assert "Nie rozpoznano rejonu" in response.content.decode()
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("head-pesel", "44051401358", "cyfra kontrolna"),
        ("head-pesel", "1234", "11 cyfr"),
        ("received_at", "2999-01-01T10:00", "Data nie może być z przyszłości."),
        ("received_at", "2026-02-30T10:00", "Wpisz poprawną datę/godzinę."),
        ("members-0-birth_date", "2999-01-01", "Data nie może być z przyszłości."),
        ("client-postal_code", "87100", "00-000"),
        ("content", "", "To pole jest wymagane."),
        ("form", "telepatia", "Wybierz poprawną wartość"),
        ("head-birth_date", "1950-01-01", "nie zgadza się z numerem PESEL"),
    ],
)
def test_bad_input_gets_a_polish_message_and_nothing_is_saved(client, p, field, value, message):
    login(client, p.worker_a)
    response = client.post(INTAKE + "?nowy=1", new_client_post(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Client.objects.exists() and not Case.objects.exists()


def test_an_anonymous_phone_call_is_a_phone_call_to_verify(client, p):
    # Issue 16.5: the channel and the anonymity are two facts; no reporter means "to verify".
    login(client, p.worker_a)
    client.post(INTAKE + "?nowy=1", new_client_post(form="phone", reporter_name="", reporter_contact=""))
    report = Report.objects.get()
    assert report.form == "phone" and report.anonymous
    assert report.needs_verification and report.verified_at is None
    page = client.get(reverse("cases:detail", args=[report.case_id])).content.decode()
    assert "telefoniczne, anonimowe" in page


def test_a_named_reporter_is_not_anonymous_on_any_channel(client, p):
    login(client, p.worker_a)
    client.post(INTAKE + "?nowy=1", new_client_post(form="letter", reporter_name="Jan Sąsiad"))
    report = Report.objects.get()
    assert not report.anonymous and not report.needs_verification


def test_nobody_signs_an_anonymous_report(client, p):
    login(client, p.worker_a)
    response = client.post(
        INTAKE + "?nowy=1", new_client_post(form="oral", reporter_name="", reporter_contact="", reporter_signed="on")
    )
    assert "anonimowego nikt nie podpisuje" in response.content.decode()
    assert not Report.objects.exists()


def test_the_old_anonymous_channel_is_no_longer_offered(client, p):
    login(client, p.worker_a)
    response = client.post(INTAKE + "?nowy=1", new_client_post(form="anonymous", reporter_name=""))
    assert response.status_code == 200 and not Report.objects.exists()


def test_institution_report_needs_the_institution(client, p):
    login(client, p.worker_a)
    response = client.post(INTAKE + "?nowy=1", new_client_post(form="institution"))
    assert "Podaj nazwę instytucji" in response.content.decode()


def test_duplicate_search_by_name_without_diacritics_and_by_pesel(client, p, org):
    services.client_create(
        institution=org.inst_a,
        by=p.worker_a,
        kind="person",
        address=services.AddressData(city="Łódź", street="Łódzka"),
        members=[services.MemberData(first_name="Łucja", last_name="Żółkiewska", pesel="44051401359")],
    )
    services.client_create(
        institution=org.inst_b,
        by=p.outsider,
        kind="person",
        address=services.AddressData(city="Łask", street="Szeroka"),
        members=[services.MemberData(first_name="Łucja", last_name="Żółkiewska")],
    )
    login(client, p.first_contact_a)
    for q in ("lucja zolkiewska", "ŁUCJA ŻÓŁKIEWSKA", "44051401359", "Żółkiewska Łódzka"):
        response = client.get(INTAKE, {"q": q})
        body = response.content.decode()
        assert body.count("Zgłoszenie dla tego klienta") == 1, q  # not the other institution's client
    # Issue 14.3: a part of a number or one word finds nobody and says why.
    for q, why in (
        ("4405", "Podaj cały numer PESEL"),
        ("44051401358", "cyfra kontrolna"),
        ("zolkiewska", "co najmniej dwa słowa"),
        ("Łucja 4405", "Podaj cały numer PESEL"),
    ):
        body = client.get(INTAKE, {"q": q}).content.decode()
        assert "Zgłoszenie dla tego klienta" not in body and why in body, q


def test_report_for_existing_client_with_open_case_joins_that_case(client, p, org):
    existing = services.client_create(
        institution=org.inst_a,
        by=p.worker_a,
        kind="person",
        address=services.AddressData(city="Toruń", street="Szeroka"),
        members=[services.MemberData(first_name="Jan", last_name="Kos")],
    )
    login(client, p.worker_a)
    client.get(INTAKE, {"q": "Jan Kos"})  # the search offers the client; only then may it be opened
    data = {k: v for k, v in new_client_post().items() if not k.startswith(("head-", "client-", "members-"))}
    client.post(f"{INTAKE}?klient={existing.pk}", data)
    first = Case.objects.get()
    client.post(f"{INTAKE}?klient={existing.pk}", data | {"urgent": "on"})
    assert Case.objects.count() == 1
    first.refresh_from_db()
    assert first.reports.count() == 2 and first.urgent


def test_intake_for_a_client_of_another_institution_is_404(client, p, org):
    other = services.client_create(
        institution=org.inst_b,
        by=p.outsider,
        kind="person",
        address=services.AddressData(city="Łask"),
        members=[services.MemberData(first_name="Jan", last_name="Kos")],
    )
    login(client, p.worker_a)
    assert client.get(f"{INTAKE}?klient={other.pk}").status_code == 404
    assert client.get(f"{INTAKE}?klient=abc").status_code == 404


def test_coordinator_assigns_and_worker_accepts(client, p, org):
    login(client, p.first_contact_a)
    client.post(INTAKE + "?nowy=1", new_client_post())
    case = Case.objects.get()
    login(client, p.coordinator_a)
    assert case.number in client.get(reverse("cases:queue")).content.decode()
    response = client.post(
        reverse("cases:assign", args=[case.pk]), {"worker": p.worker_a.pk, "version": case.version, "next": "queue"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.worker == p.worker_a and case.transferred_by == p.coordinator_a and case.accepted_at is None
    # A benefits worker is never offered and never accepted (seed 001).
    response = client.post(
        reverse("cases:assign", args=[case.pk]), {"worker": p.benefits_a.pk, "version": case.version}
    )
    assert response.status_code == 422
    login(client, p.worker_a)
    assert case.number in client.get(reverse("home")).content.decode()
    client.post(reverse("cases:accept", args=[case.pk]))
    case.refresh_from_db()
    assert case.accepted_at is not None
    response = client.post(
        reverse("cases:transition", args=[case.pk]), {"target": Stage.ROZEZNANIE, "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ROZEZNANIE


def test_second_assignment_with_a_stale_form_is_told(client, p, org):
    login(client, p.first_contact_a)
    client.post(INTAKE + "?nowy=1", new_client_post())
    case = Case.objects.get()
    login(client, p.coordinator_a)
    loaded_version = case.version
    client.post(reverse("cases:assign", args=[case.pk]), {"worker": p.worker_a.pk, "version": loaded_version})
    response = client.post(
        reverse("cases:assign", args=[case.pk]), {"worker": p.worker_a_2.pk, "version": loaded_version}
    )
    assert response.status_code == 422
    assert "zmieniona przez inną osobę" in response.content.decode()
    case.refresh_from_db()
    assert case.worker == p.worker_a


def test_refused_transition_shows_the_reason(client, p, org):
    login(client, p.worker_a)
    client.post(INTAKE + "?nowy=1", new_client_post())
    case = Case.objects.get()
    response = client.post(
        reverse("cases:transition", args=[case.pk]), {"target": Stage.ZAKONCZENIE, "version": case.version}
    )
    assert response.status_code == 422
    assert "nie jest dozwolone w procedurze" in response.content.decode()
    response = client.post(reverse("cases:transition", args=[case.pk]), {"target": "bzdura", "version": "x"})
    assert response.status_code == 422
