"""Issue 16.3: one client record per person. A PESEL is unique within an institution (the
database holds it), the intake leads to the known person instead of creating a second client,
and a person of the same name and birth date is taken as another only once the user says so."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, Client, ClientMember
from cases.tests.test_intake import INTAKE, login, new_client_post
from mopr.errors import PersonKnown, PersonNeedsConfirmation
from mopr.models import AccessLog
from mopr.tests.factories import CaseFactory, MemberFactory

PESEL = "44051401359"  # the one new_client_post sends for the head


def address() -> services.AddressData:
    return services.AddressData(city="Toruń", street="Szeroka", house_number="1")


def test_the_database_refuses_a_second_record_of_one_pesel(org):
    MemberFactory(client__institution=org.inst_a, pesel=PESEL)
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(client__institution=org.inst_a, pesel=PESEL)


def test_another_institution_and_records_without_a_pesel_are_free(org):
    MemberFactory(client__institution=org.inst_a, pesel=PESEL)
    MemberFactory(client__institution=org.inst_b, pesel=PESEL)
    MemberFactory(client__institution=org.inst_a, pesel="")
    MemberFactory(client__institution=org.inst_a, pesel="")
    assert ClientMember.objects.count() == 4


def test_the_service_refuses_a_known_pesel_and_names_the_record(org, p):
    known = MemberFactory(client__institution=org.inst_a, pesel=PESEL, first_name="Łucja", last_name="Żółkiewska")
    member = services.MemberData(first_name="Łucja", last_name="Żółkiewska", pesel=PESEL)
    with pytest.raises(PersonKnown, match="Łucja Żółkiewska") as caught:
        services.client_create(
            institution=org.inst_a, by=p.worker_a, kind="person", address=address(), members=[member]
        )
    assert caught.value.client_id == known.client_id and caught.value.field == "pesel"
    assert Client.objects.count() == 1


def test_a_member_added_or_corrected_to_a_known_pesel_is_refused(org, p):
    MemberFactory(client__institution=org.inst_a, pesel=PESEL)
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now())
    data = services.MemberData(first_name="Jan", last_name="Kowal", pesel=PESEL, relation="spouse")
    with pytest.raises(PersonKnown):
        services.member_add(client=case.client, by=p.worker_a, data=data)
    head = case.client.members.get()
    with pytest.raises(PersonKnown):
        services.member_update(member=head, by=p.worker_a, data=data, version=head.version)


def test_the_same_name_and_birth_date_needs_a_confirmation(org, p):
    born = datetime.date(1980, 2, 3)
    MemberFactory(client__institution=org.inst_a, first_name="Anna", last_name="Łęcka", birth_date=born)
    member = services.MemberData(first_name="ANNA", last_name="łęcka", birth_date=born)
    with pytest.raises(PersonNeedsConfirmation):
        services.client_create(
            institution=org.inst_a, by=p.worker_a, kind="person", address=address(), members=[member]
        )
    member.other_person = True
    services.client_create(institution=org.inst_a, by=p.worker_a, kind="person", address=address(), members=[member])
    assert Client.objects.count() == 2


def test_one_pesel_twice_in_one_family_is_refused(org, p):
    twice = [
        services.MemberData(first_name="Jan", last_name="Nowak", pesel=PESEL),
        services.MemberData(first_name="Jan", last_name="Nowak", pesel=PESEL, relation="child"),
    ]
    with pytest.raises(PersonKnown, match="dwa razy"):
        services.client_create(institution=org.inst_a, by=p.worker_a, kind="family", address=address(), members=twice)


def test_the_intake_puts_the_message_at_the_field_and_leads_to_the_known_client(client, p, org):
    login(client, p.worker_a)
    client.post(INTAKE + "?nowy=1", new_client_post())
    first = Client.objects.get()
    response = client.post(INTAKE + "?nowy=1", new_client_post(content="Drugie zgłoszenie."))
    body = response.content.decode()
    assert response.status_code == 200
    assert "jest już w kartotece ośrodka" in body and 'id="id_head-pesel"' in body
    assert f"?klient={first.pk}" in body  # the way to the known record
    assert Client.objects.count() == 1 and Case.objects.count() == 1
    assert "Drugie zgłoszenie." in body  # nothing typed is lost
    # The look-up the message amounts to is logged; the record may then be opened from the intake.
    assert AccessLog.objects.filter(user=p.worker_a, action=AccessLog.Action.LOOKUP).exists()
    assert client.get(INTAKE + f"?klient={first.pk}").status_code == 200


def test_the_intake_asks_to_confirm_another_person_of_the_same_name(client, p, org):
    login(client, p.worker_a)
    MemberFactory(client__institution=org.inst_a, first_name="Łucja", last_name="Żółkiewska",
                  birth_date=datetime.date(1944, 5, 14))  # fmt: skip
    post = new_client_post(**{"head-pesel": "", "head-birth_date": "1944-05-14"})
    body = client.post(INTAKE + "?nowy=1", post).content.decode()
    assert "urodzony(a) 14.05.1944" in body and 'type="checkbox" name="head-other_person"' in body
    assert Client.objects.count() == 1
    response = client.post(INTAKE + "?nowy=1", {**post, "head-other_person": "on"})
    assert response.status_code == 302 and Client.objects.count() == 2


def test_a_member_form_shows_the_refusal_at_the_field(client, p, org):
    MemberFactory(client__institution=org.inst_a, pesel=PESEL)
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now())
    login(client, p.worker_a)
    response = client.post(
        reverse("cases:member_add", args=[case.pk]),
        {"first_name": "Jan", "last_name": "Kowal", "pesel": PESEL, "relation": "spouse"},
    )
    assert response.status_code == 200 and "jest już w kartotece ośrodka" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_desks_typing_one_person_at_once_make_one_record(org, p):
    """The check in Python and the insert are not atomic; the constraint decides the race."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs two connections writing at once")
    barrier, outcomes = threading.Barrier(2), []

    def desk():
        member = services.MemberData(first_name="Jan", last_name="Nowak", pesel=PESEL)
        try:
            barrier.wait()
            services.client_create(
                institution=org.inst_a, by=p.first_contact_a, kind="person", address=address(), members=[member]
            )
            outcomes.append("created")
        except PersonKnown:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "refused"]
    assert ClientMember.objects.filter(pesel=PESEL).count() == 1


# --- merging two records of one person ------------------------------------------------------------


def two_records(org, p):
    """The same woman twice: once under a mistyped PESEL (an old, closed case), once right."""
    from cases.procedure import Stage

    born = datetime.date(1944, 5, 14)
    kept = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    kept.client.members.update(first_name="Łucja", last_name="Żółkiewska", pesel=PESEL, birth_date=born)
    old = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ZAKONCZENIE)
    old.client.members.update(first_name="Łucja", last_name="Żółkiewska", pesel="44051401366", birth_date=born)
    MemberFactory(client=old.client, is_head=False, relation="grandchild", first_name="Kuba", last_name="Lis")
    return kept, old


def test_a_coordinator_merges_two_records_and_both_numbers_find_the_kept_one(org, p):
    from cases import selectors
    from cases.models import ClientMerge
    from cases.services.merge import client_merge

    kept, old = two_records(org, p)
    merge = client_merge(case=kept, other_case=old, by=p.coordinator_a, reason="PESEL wpisany z błędem w 2025 r.")
    old.refresh_from_db()
    old_client = Client.objects.get(pk=merge.merged_id)
    assert old.client_id == kept.client_id and old_client.merged_into_id == kept.client_id
    assert sorted(m.first_name for m in kept.client.members.all()) == ["Kuba", "Łucja"]  # the duplicate stays apart
    for number in (PESEL, "44051401366"):
        assert [c.pk for c in selectors.client_duplicates(user=p.first_contact_a, q=number)] == [kept.client_id]
    assert ClientMerge.objects.get().summary.startswith("Sprawy przeniesione: " + old.number)
    assert old_client.history.count() >= 2  # the merged record keeps its history
    # The second number leads the intake to the kept record, too.
    member = services.MemberData(first_name="Łucja", last_name="Żółkiewska", pesel="44051401366")
    with pytest.raises(PersonKnown) as caught:
        services.client_create(institution=org.inst_a, by=p.worker_a, kind="person", address=address(),
                               members=[member])  # fmt: skip
    assert caught.value.client_id == kept.client_id


def test_a_merge_is_the_coordinators_or_the_directors(org, p):
    from cases.services.merge import client_merge
    from mopr.errors import NotAllowed

    kept, old = two_records(org, p)
    for who in (p.worker_a, p.coordinator_b, p.auditor_a):
        with pytest.raises(NotAllowed):
            client_merge(case=kept, other_case=old, by=who, reason="x")
    client_merge(case=kept, other_case=old, by=p.director_a, reason="Ta sama osoba.")


def test_two_open_cases_are_not_merged(org, p):
    from cases.procedure import Stage
    from cases.services.merge import client_merge
    from mopr.errors import DomainError

    kept, old = two_records(org, p)
    Case.objects.filter(pk=old.pk).update(stage=Stage.ROZEZNANIE)
    old.refresh_from_db()
    with pytest.raises(DomainError, match="Oba rekordy mają otwarte sprawy"):
        client_merge(case=kept, other_case=old, by=p.coordinator_a, reason="x")


def test_the_merge_through_the_page_shows_on_the_timeline(client, org, p):
    kept, old = two_records(org, p)
    login(client, p.coordinator_a)
    page = client.get(reverse("cases:detail", args=[kept.pk])).content.decode()
    url = reverse("cases:client_merge", args=[kept.pk])
    assert url in page
    response = client.post(url, {"other_case": old.number, "reason": "Ta sama osoba.", "confirm": "on"})
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[kept.pk])).content.decode()
    assert "Połączenie rekordów klienta" in page and old.number in page
    login(client, p.worker_a)
    assert url not in client.get(reverse("cases:detail", args=[kept.pk])).content.decode()
    assert client.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_update_sets_old_duplicate_numbers_aside_and_keeps_them_findable(org, p):
    """Records made before one PESEL per institution may share a number: the update keeps it on
    the earliest record and sets it aside, still findable, on the later ones (cases 0016)."""
    from django.db.migrations.executor import MigrationExecutor

    from cases import selectors

    before = [("cases", "0015_member_institution")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        old_client_model = old_apps.get_model("cases", "Client")
        old_member_model = old_apps.get_model("cases", "ClientMember")
        ids = []
        for surname in ("Żółkiewska", "Zolkiewska"):
            client = old_client_model.objects.create(institution_id=org.inst_a.pk, city="Toruń", search_text="")
            old_member_model.objects.create(
                client=client, institution_id=org.inst_a.pk, first_name="Łucja", last_name=surname, pesel=PESEL,
                is_head=True, relation="head",
            )  # fmt: skip
            ids.append(client.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    first, second = (ClientMember.objects.get(client_id=pk) for pk in ids)
    assert first.pesel == PESEL and not first.pesel_to_verify
    assert second.pesel == "" and second.pesel_to_verify == PESEL
    services.client_refresh_search(client=second.client)
    found = selectors.client_duplicates(user=p.first_contact_a, q=PESEL)
    assert sorted(c.pk for c in found) == sorted(ids)
