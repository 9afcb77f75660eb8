"""No lost updates in the edit forms of the client's data (issue 8, item 4).

Each form carries the version it was loaded at. Two people (two sessions, two ``Client``
instances) open the same form; B saves first; A's save is refused with HTTP 409 and the
conflict – what is saved now and what A sent – and nothing of A's is saved. The page re-arms
the form with the new version, so A's second submit is a deliberate overwrite.

The last test runs two real requests at the same moment in two threads, each with its own
database connection: the row lock (PostgreSQL) or the immediate write lock (SQLite) decides,
so it runs unchanged on both (CI: ``DATABASE_URL=postgres://… pytest cases/tests/test_lost_updates.py``).
"""

import re
import threading
import time

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from cases.models import Client, ClientMember
from cases.procedure import Stage
from mopr.tests.factories import PASSWORD, CaseFactory, MemberFactory

CONFLICT = "Ktoś zmienił te dane po tym, jak otworzyłeś formularz. Nic nie zostało zapisane."


@pytest.fixture
def cases_of_one_client(org, p):
    """One client, two cases: worker_a's open case and worker_a_2's earlier, closed one (a client
    has one open case) – both may edit the client's data, each from their own case."""
    mine = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    theirs = CaseFactory(
        region=org.region_a1,
        client=mine.client,
        worker=p.worker_a_2,
        accepted_at=timezone.now(),
        stage=Stage.ZAKONCZENIE,
    )
    return mine, theirs


def session(user) -> Browser:
    browser = Browser()
    assert browser.login(username=user.username, password=PASSWORD)
    return browser


def loaded_version(response) -> int:
    """The version the page's form carries, read from the HTML as a browser would send it."""
    assert response.status_code in (200, 409), response.status_code
    found = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert found, "the form carries no version"
    return int(found.group(1))


def client_data(client: Client, version: int, **changes) -> dict:
    fields = ["kind", "street", "house_number", "flat_number", "postal_code", "city", "phone", "email"]
    return {name: getattr(client, name) for name in fields} | {"version": version} | changes


def member_data(member: ClientMember, version: int, **changes) -> dict:
    data = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "pesel": member.pesel,
        "birth_date": member.birth_date.isoformat() if member.birth_date else "",
        "relation": member.relation,
        "id_document": member.id_document,
        "version": version,
    } | changes
    for flag in ("in_foster_care", "lives_apart"):  # a checkbox not ticked is not sent at all
        if changes.get(flag, getattr(member, flag)):
            data[flag] = "on"
    return data


# --- the client's data -----------------------------------------------------------------------------


def test_client_edit_form_carries_the_version_it_was_loaded_at(p, cases_of_one_client):
    mine, _theirs = cases_of_one_client
    Client.objects.filter(pk=mine.client_id).update(version=7)
    response = session(p.worker_a).get(reverse("cases:client_edit", args=[mine.pk]))
    assert loaded_version(response) == 7


def test_a_stale_client_form_shows_the_conflict_and_saves_nothing(p, cases_of_one_client):
    mine, theirs = cases_of_one_client
    url_a = reverse("cases:client_edit", args=[mine.pk])
    url_b = reverse("cases:client_edit", args=[theirs.pk])
    a, b = session(p.worker_a), session(p.worker_a_2)
    version_a = loaded_version(a.get(url_a))
    version_b = loaded_version(b.get(url_b))
    assert version_a == version_b == 1

    client = Client.objects.get(pk=mine.client_id)
    saved = b.post(url_b, client_data(client, version_b, phone="600 100 200", city="Chełmża"))
    assert saved.status_code == 302

    refused = a.post(url_a, client_data(client, version_a, phone="500 999 888"))
    assert refused.status_code == 409
    page = refused.content.decode()
    assert CONFLICT in page and 'role="alert"' in page
    assert "600 100 200" in page and "500 999 888" in page  # theirs and yours, side by side
    assert "Chełmża" in page  # B's other change is shown too: A's form would undo it
    assert str(p.worker_a_2) in page  # who changed it
    assert '<th scope="col">' in page and '<th scope="row">' in page
    current = Client.objects.get(pk=client.pk)
    assert (current.phone, current.city, current.version) == ("600 100 200", "Chełmża", 2)
    assert current.history.count() == 2  # created, B's save – nothing of A's

    # The form came back with A's values and the current version: saving again is deliberate.
    assert 'value="500 999 888"' in page
    assert loaded_version(refused) == 2
    overwritten = a.post(url_a, client_data(client, loaded_version(refused), phone="500 999 888"))
    assert overwritten.status_code == 302
    current.refresh_from_db()
    assert (current.phone, current.city, current.version) == ("500 999 888", "Toruń", 3)
    assert current.history.latest().history_user == p.worker_a


def test_a_client_form_of_the_current_version_saves_at_once(p, cases_of_one_client):
    mine, _theirs = cases_of_one_client
    a = session(p.worker_a)
    url = reverse("cases:client_edit", args=[mine.pk])
    version = loaded_version(a.get(url))
    response = a.post(url, client_data(Client.objects.get(pk=mine.client_id), version, email="rodzina@example.pl"))
    assert response.status_code == 302
    current = Client.objects.get(pk=mine.client_id)
    assert (current.email, current.version) == ("rodzina@example.pl", version + 1)


# --- a family member's data ----------------------------------------------------------------------------


def test_a_stale_member_form_shows_the_conflict_and_saves_nothing(p, cases_of_one_client):
    mine, theirs = cases_of_one_client
    child = MemberFactory(client=mine.client, is_head=False, relation="child", first_name="Ola")
    url_a = reverse("cases:member_edit", args=[mine.pk, child.pk])
    url_b = reverse("cases:member_edit", args=[theirs.pk, child.pk])
    a, b = session(p.worker_a), session(p.worker_a_2)
    version_a, version_b = loaded_version(a.get(url_a)), loaded_version(b.get(url_b))

    saved = b.post(url_b, member_data(child, version_b, first_name="Aleksandra", in_foster_care=True))
    assert saved.status_code == 302

    refused = a.post(url_a, member_data(child, version_a, first_name="Olga", relation="grandchild"))
    assert refused.status_code == 409
    page = refused.content.decode()
    assert CONFLICT in page
    assert "Aleksandra" in page and "Olga" in page
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "dziecko" in table and "wnuk / wnuczka" in table  # choices by their labels
    assert "W pieczy zastępczej" in table  # B's other change: A's form would undo it
    current = ClientMember.objects.get(pk=child.pk)
    assert (current.first_name, current.relation, current.in_foster_care, current.version) == (
        "Aleksandra",
        "child",
        True,
        2,
    )

    overwritten = a.post(url_a, member_data(child, loaded_version(refused), first_name="Olga", relation="grandchild"))
    assert overwritten.status_code == 302
    current.refresh_from_db()
    assert (current.first_name, current.relation, current.in_foster_care, current.version) == (
        "Olga",
        "grandchild",
        False,
        3,
    )


def test_a_stale_head_member_form_does_not_list_the_relation(p, cases_of_one_client):
    """The head's relation is not edited (the service keeps "head"), so it is no difference."""
    mine, theirs = cases_of_one_client
    head = mine.client.members.get(is_head=True)
    url_a = reverse("cases:member_edit", args=[mine.pk, head.pk])
    url_b = reverse("cases:member_edit", args=[theirs.pk, head.pk])
    a, b = session(p.worker_a), session(p.worker_a_2)
    version_a, version_b = loaded_version(a.get(url_a)), loaded_version(b.get(url_b))
    assert b.post(url_b, member_data(head, version_b, relation="spouse", id_document="ABC123456")).status_code == 302
    refused = a.post(url_a, member_data(head, version_a, relation="spouse", id_document="XYZ654321"))
    assert refused.status_code == 409
    table = refused.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "ABC123456" in table and "XYZ654321" in table and "Pokrewieństwo" not in table


def test_a_form_without_a_version_is_refused_with_a_visible_message(p, cases_of_one_client):
    """A page opened before the forms carried versions (or a hand-made request) saves nothing."""
    mine, _theirs = cases_of_one_client
    data = client_data(Client.objects.get(pk=mine.client_id), 1, phone="533 000 000")
    del data["version"]
    response = session(p.worker_a).post(reverse("cases:client_edit", args=[mine.pk]), data)
    assert response.status_code == 200
    assert "Formularz jest nieaktualny" in response.content.decode()
    assert Client.objects.get(pk=mine.client_id).phone == ""


def test_adding_a_member_needs_no_version(p, cases_of_one_client):
    mine, _theirs = cases_of_one_client
    a = session(p.worker_a)
    url = reverse("cases:member_add", args=[mine.pk])
    assert 'name="version"' not in a.get(url).content.decode()
    response = a.post(url, {"first_name": "Kuba", "last_name": "Nowak", "relation": "child"})
    assert response.status_code == 302
    assert mine.client.members.filter(first_name="Kuba").exists()


# --- two sessions at the same moment -------------------------------------------------------------------------


def slow_save(sender, **kwargs) -> None:
    time.sleep(0.3)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", ["client", "member"])
def test_two_sessions_saving_the_same_version_at_once_one_wins_the_other_sees_the_conflict(
    p, cases_of_one_client, form, request
):
    mine, theirs = cases_of_one_client
    if form == "client":
        record = Client.objects.get(pk=mine.client_id)
        urls = [reverse("cases:client_edit", args=[c.pk]) for c in (mine, theirs)]
        bodies = [client_data(record, record.version, phone=phone) for phone in ("511 111 111", "522 222 222")]
    else:
        record = MemberFactory(client=mine.client, is_head=False, relation="child")
        urls = [reverse("cases:member_edit", args=[c.pk, record.pk]) for c in (mine, theirs)]
        bodies = [member_data(record, record.version, first_name=name) for name in ("Ada", "Ewa")]
    browsers = [session(p.worker_a), session(p.worker_a_2)]
    loaded = [loaded_version(browser.get(url)) for browser, url in zip(browsers, urls, strict=True)]
    assert loaded == [record.version, record.version]
    history_before = record.history.count()
    # A slow save widens the window between the version check and the write: without the row
    # lock both requests would pass the check within it, and both would save.
    model = type(record)
    pre_save.connect(slow_save, sender=model, dispatch_uid="lost-updates-slow-save")
    request.addfinalizer(lambda: pre_save.disconnect(sender=model, dispatch_uid="lost-updates-slow-save"))
    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def submit(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = browsers[i].post(urls[i], bodies[i])
        except Exception as error:  # anything else is a failure the assertions below show
            outcomes[i] = repr(error)
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=submit, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    statuses = sorted(getattr(outcomes.get(i), "status_code", outcomes.get(i)) for i in (0, 1))
    assert statuses == [302, 409], outcomes
    winner = next(i for i in (0, 1) if outcomes[i].status_code == 302)
    loser = 1 - winner
    assert CONFLICT in outcomes[loser].content.decode()
    record.refresh_from_db()
    field = "phone" if form == "client" else "first_name"
    assert getattr(record, field) == bodies[winner][field]  # the winner's value, never both
    assert record.version == loaded[0] + 1
    assert record.history.count() == history_before + 1  # one save – the loser wrote nothing
    assert bodies[winner][field] in outcomes[loser].content.decode()  # the loser sees theirs


def test_a_notification_answer_is_not_overwritten_unseen(org, p):
    """The answer to a notification can be corrected later; two corrections must not cross."""
    from cases import services
    from cases.models import Notification

    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    notification = services.notification_send(
        case=case,
        by=p.worker_a,
        notification=Notification(
            service=Notification.Service.POLICE,
            service_name="KMP Toruń",
            reason="Brak kontaktu.",
            sent_on=timezone.localdate(),
            sent_how=Notification.SentHow.LETTER,
        ),
    )
    url = reverse("cases:notification_answer", args=[case.pk, notification.pk])
    a, b = session(p.worker_a), session(p.worker_a)
    state = re.search(r'name="state" value="([0-9a-f]+)"', a.get(url).content.decode()).group(1)
    b_state = re.search(r'name="state" value="([0-9a-f]+)"', b.get(url).content.decode()).group(1)
    today = timezone.localdate().isoformat()
    assert b.post(url, {"answered_on": today, "answer": "Policja: brak osób.", "state": b_state}).status_code == 302
    refused = a.post(url, {"answered_on": today, "answer": "Policja odwiedziła rodzinę.", "state": state})
    assert refused.status_code == 409
    body = refused.content.decode()
    assert CONFLICT in body and "Policja: brak osób." in body and "Policja odwiedziła rodzinę." in body
    notification.refresh_from_db()
    assert notification.answer == "Policja: brak osób."
    new_state = re.search(r'name="state" value="([0-9a-f]+)"', body).group(1)
    again = a.post(url, {"answered_on": today, "answer": "Policja odwiedziła rodzinę.", "state": new_state})
    assert again.status_code == 302
    notification.refresh_from_db()
    assert notification.answer == "Policja odwiedziła rodzinę."
