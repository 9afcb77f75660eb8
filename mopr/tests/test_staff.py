"""Issue 19.2: the centre's accounts and roles in the application – a new account, its roles per
region, switching it off once its cases are handed over, a lost second factor removed – only by
the director and the system administrator, each change logged."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.procedure import Stage
from mopr.models import AccessLog, Role, RoleAssignment, User
from mopr.tests.factories import PASSWORD, CaseFactory
from mopr.tests.test_institution_settings import login

NEW_PASSWORD = "Wiosna-w-Toruniu-2026"


def staff_logs(username):
    logs = AccessLog.objects.filter(action=AccessLog.Action.STAFF, what__startswith=f"{username}:")
    return list(logs.order_by("at", "pk"))


def test_only_the_director_and_the_system_administrator_keep_accounts(client, org, p, sysadmin):
    for username, status in [("director_a", 200), ("admin_a", 200), ("head_a", 403), ("coordinator_a", 403),
                             ("worker_a", 403)]:  # fmt: skip
        login(client, username)
        assert client.get(reverse("staff_list")).status_code == status, username
    login(client, "admin_a")
    # Another centre's account is not found.
    assert client.get(reverse("staff_detail", args=[p.coordinator_b.pk])).status_code == 404
    assert p.worker_a.username in client.get(reverse("staff_list")).content.decode()
    assert p.coordinator_b.username not in client.get(reverse("staff_list")).content.decode()


def test_a_new_account_with_its_roles(client, org, p, sysadmin):
    login(client, "admin_a")
    form = {"username": "nowa.pracownica", "first_name": "Ewa", "last_name": "Nowa", "title": "pracownik socjalny",
            "sex": "K", "email": "", "phone": "56 611 00 00", "password1": "krótkie",
            "password2": "krótkie"}  # fmt: skip
    response = client.post(reverse("staff_new"), form)
    assert response.status_code == 422 and not User.objects.filter(username="nowa.pracownica").exists()
    assert 'value="nowa.pracownica"' in response.content.decode()  # nothing typed is lost
    response = client.post(reverse("staff_new"), {**form, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user = User.objects.get(username="nowa.pracownica")
    assert response["Location"] == reverse("staff_detail", args=[user.pk]) and user.institution == org.inst_a
    assert (
        client.post(reverse("staff_new"), {**form, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code
        == 422
    )  # fmt: skip - the login is taken
    url = reverse("staff_detail", args=[user.pk])
    data = {"action": "roles", "social_worker": [org.region_a1.pk, org.region_b1.pk], "centre_roles": []}
    assert client.post(url, data).status_code == 422
    # Another centre's region is not a choice: the form refuses it, nothing is given.
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert client.post(url, {"action": "roles", "social_worker": [org.region_a1.pk]}).status_code == 302
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.region) == (Role.SOCIAL_WORKER, org.region_a1)
    assert assignment.history.latest().history_user == sysadmin
    assert [log.what for log in staff_logs("nowa.pracownica")] == [
        "nowa.pracownica: utworzono konto",
        "nowa.pracownica: role +Pracownik socjalny RPŚ-1",
    ] or len(staff_logs("nowa.pracownica")) == 2
    client.logout()
    assert client.login(username="nowa.pracownica", password=NEW_PASSWORD)


def test_the_centre_keeps_someone_who_can_configure_it(client, org, p):
    login(client, "director_a")
    url = reverse("staff_detail", args=[p.director_a.pk])
    response = client.post(url, {"action": "roles", "centre_roles": []})
    assert response.status_code == 422 and "czynnego dyrektora lub administratora" in response.content.decode()
    assert RoleAssignment.objects.filter(user=p.director_a, role=Role.DIRECTOR).exists()
    assert client.post(url, {"action": "deactivate"}).status_code == 422


def test_an_account_is_switched_off_only_after_its_cases_are_handed_over(client, org, p, sysadmin):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, stage=Stage.DIAGNOZA)
    login(client, "admin_a")
    url = reverse("staff_detail", args=[p.worker_a.pk])
    response = client.post(url, {"action": "deactivate"})
    assert response.status_code == 422 and "najpierw przekaż" in response.content.decode()
    p.worker_a.refresh_from_db()
    assert p.worker_a.is_active
    case.worker = p.worker_a_2
    case.save()
    assert client.post(url, {"action": "deactivate"}).status_code == 302
    p.worker_a.refresh_from_db()
    assert not p.worker_a.is_active
    assert not client.login(username="worker_a", password=PASSWORD)
    login(client, "admin_a")
    assert client.post(url, {"action": "activate"}).status_code == 302
    assert [log.what for log in staff_logs("worker_a")] == ["worker_a: konto wyłączone", "worker_a: konto włączone"]


def test_a_lost_second_factor_is_removed(client, org, p, sysadmin):
    TOTPDevice.objects.create(user=p.coordinator_a, name="telefon", confirmed=True)
    login(client, "admin_a")
    assert client.post(reverse("staff_detail", args=[p.coordinator_a.pk]), {"action": "otp_reset"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=p.coordinator_a).exists()
    assert staff_logs("coordinator_a")


def test_an_accounts_name_and_e_mail_are_corrected_with_a_visible_trace(client, org, p, sysadmin):
    from mopr.services import staff_data_fingerprint

    login(client, "admin_a")
    url = reverse("staff_detail", args=[p.worker_a.pk])
    loaded = staff_data_fingerprint(p.worker_a)
    data = {"action": "data", "loaded": loaded, "first_name": p.worker_a.first_name, "last_name": "Nowakowska",
            "title": "starszy pracownik socjalny", "sex": "K", "email": "a.nowakowska@example.org",
            "phone": ""}  # fmt: skip
    # An empty surname is said at the field; nothing is saved and nothing typed is lost.
    response = client.post(url, {**data, "last_name": ""})
    assert response.status_code == 422 and 'value="a.nowakowska@example.org"' in response.content.decode()
    p.worker_a.refresh_from_db()
    before = p.worker_a.last_name
    assert client.post(url, data).status_code == 302
    p.worker_a.refresh_from_db()
    assert (p.worker_a.last_name, p.worker_a.email, p.worker_a.username) == (
        "Nowakowska", "a.nowakowska@example.org", "worker_a")  # fmt: skip
    (log,) = staff_logs("worker_a")
    assert f"nazwisko: {before} → Nowakowska" in log.what and log.user == sysadmin
    page = client.get(url).content.decode()
    assert "Zmiany konta" in page and f"nazwisko: {before} → Nowakowska" in page
    # A form loaded before that change does not overwrite it.
    response = client.post(url, {**data, "loaded": loaded, "last_name": "Inna"})
    assert response.status_code == 409 and "zmieniła w międzyczasie" in response.content.decode()
    p.worker_a.refresh_from_db()
    assert p.worker_a.last_name == "Nowakowska"
    # Not for the coordinator; not for another centre's account.
    login(client, "coordinator_a")
    assert client.post(url, {**data, "loaded": staff_data_fingerprint(p.worker_a)}).status_code == 403
    login(client, "admin_a")
    other = reverse("staff_detail", args=[p.coordinator_b.pk])
    assert client.post(other, {**data, "loaded": staff_data_fingerprint(p.coordinator_b)}).status_code == 404
