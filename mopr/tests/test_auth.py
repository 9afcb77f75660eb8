"""Issue 8.2: login throttling and its release, TOTP for the roles the institution chose,
session limits, password rules, logins in the access log, other sessions ending after a
password change."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mopr.models import AccessLog, default_otp_roles
from mopr.tests.factories import PASSWORD, force_login_verified


def _login_post(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code_now(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- throttling (django-axes) ----------------------------------------------------------------


def test_five_failed_logins_lock_the_account_until_an_administrator_releases_it(client, p, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login_post(client, "worker_a", "zle-haslo-zle-haslo")
        assert response.status_code == 200
        assert "nazwa użytkownika lub hasło się nie zgadza albo konto jest wyłączone" in response.content.decode()
    locked = _login_post(client, "worker_a", "zle-haslo-zle-haslo")
    assert locked.status_code == 429
    assert "Logowanie zablokowane" in locked.content.decode()
    # Locked: even the right password does not let the user in.
    assert _login_post(client, "worker_a").status_code == 429
    assert not client.session.get("_auth_user_id")
    failed = AccessLog.objects.filter(action=AccessLog.Action.LOGIN_FAILED, user=p.worker_a)
    assert failed.count() >= settings.AXES_FAILURE_LIMIT
    assert failed.first().address == "127.0.0.1"

    call_command("axes_reset_username", "worker_a", verbosity=0)
    response = _login_post(client, "worker_a")
    assert response.status_code == 302
    assert AccessLog.objects.filter(action=AccessLog.Action.LOGIN, user=p.worker_a).exists()


def test_the_lock_is_per_user_name_and_address(client, p, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_post(client, "worker_a", "zle-haslo-zle-haslo")
    assert _login_post(client, "worker_a").status_code == 429
    # Another colleague at the same desk, and the same user from another computer, still log in.
    assert _login_post(Client(), "worker_a_2").status_code == 302
    assert _login_post(Client(), "worker_a", REMOTE_ADDR="10.0.0.7").status_code == 302


def test_a_failed_login_under_an_unknown_name_is_logged_with_that_name(client, org):
    _login_post(client, "nie-ma-takiego", "cokolwiek-dlugiego")
    row = AccessLog.objects.get(action=AccessLog.Action.LOGIN_FAILED)
    assert row.user is None and row.username == "nie-ma-takiego" and row.address == "127.0.0.1"


def test_the_administrator_sees_the_lockouts_in_the_admin(client, p, settings, django_user_model):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_post(client, "worker_a", "zle-haslo-zle-haslo")
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "Zielone-kalosze-w-deszczu")
    force_login_verified(client, admin)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and "worker_a" in page.content.decode()


# --- the second factor (django-otp) -------------------------------------------------------------


@pytest.fixture
def otp_institution(org):
    org.inst_a.otp_required_roles = default_otp_roles()
    org.inst_a.save()
    return org.inst_a


def test_the_default_roles_needing_totp_are_director_coordinator_auditor_and_the_system_administrator():
    assert set(default_otp_roles()) == {"director", "coordinator", "auditor", "system_admin"}


def test_a_director_must_set_up_totp_before_anything_else(client, p, otp_institution):
    assert _login_post(client, "director_a").status_code == 302
    case_list = client.get(reverse("cases:list"))
    assert case_list.status_code == 302 and case_list["Location"].startswith(reverse("otp_setup"))
    # Not even the password can be changed with the password alone.
    assert client.get(reverse("password_change")).status_code == 302
    setup = client.get(reverse("otp_setup"))
    assert setup.status_code == 200
    body = setup.content.decode()
    assert "<svg" in body and "Kod QR" in body and "Ośrodek wymaga" in body
    assert 'href="/sprawy/"' not in body  # no menu before the second factor

    device = TOTPDevice.objects.get(user=p.director_a, confirmed=False)
    wrong = client.post(reverse("otp_setup"), {"token": "000000" if code_now(device) != "000000" else "111111"})
    assert wrong.status_code == 422 and "Kod się nie zgadza" in wrong.content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=False):
        ok = client.post(reverse("otp_setup"), {"token": code_now(device)})
        assert ok.status_code == 302
        assert client.get(reverse("cases:list")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AccessLog.objects.filter(user=p.director_a, action=AccessLog.Action.OTP).exists()


def _director_with_device(p) -> TOTPDevice:
    return TOTPDevice.objects.create(user=p.director_a, name="telefon", confirmed=True)


def test_at_the_next_login_the_code_is_asked_and_a_wrong_one_logged(client, p, otp_institution):
    device = _director_with_device(p)
    _login_post(client, "director_a")
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("otp_verify"))
    code = code_now(device)
    wrong = client.post(reverse("otp_verify"), {"token": "123456" if code != "123456" else "654321"})
    assert wrong.status_code == 422
    assert AccessLog.objects.filter(user=p.director_a, action=AccessLog.Action.LOGIN_FAILED).exists()
    # django-otp slows guessing: right after a wrong code even the right one waits.
    assert client.post(reverse("otp_verify"), {"token": code}).status_code == 422
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=40), tick=False):
        ok = client.post(reverse("otp_verify"), {"token": code_now(device), "next": reverse("cases:list")})
        assert ok.status_code == 302 and ok["Location"] == reverse("cases:list")
        assert client.get(reverse("cases:list")).status_code == 200


def test_a_code_is_not_accepted_twice(client, p, otp_institution):
    device = _director_with_device(p)
    _login_post(client, "director_a")
    code = code_now(device)
    assert client.post(reverse("otp_verify"), {"token": code}).status_code == 302
    other = Client()
    _login_post(other, "director_a")
    assert other.post(reverse("otp_verify"), {"token": code}).status_code == 422


def test_the_next_parameter_cannot_send_the_user_away(client, p, otp_institution):
    device = _director_with_device(p)
    _login_post(client, "director_a")
    response = client.post(reverse("otp_verify"), {"token": code_now(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_worker_logs_in_with_a_password_and_may_turn_totp_on_and_off(client, p, otp_institution):
    _login_post(client, "worker_a")
    assert client.get(reverse("cases:list")).status_code == 200
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=p.worker_a)
    assert client.post(reverse("otp_setup"), {"token": code_now(device)}).status_code == 302
    # From now on the worker is asked for the code too.
    other = Client()
    _login_post(other, "worker_a")
    assert other.get(reverse("cases:list"))["Location"].startswith(reverse("otp_verify"))
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=40), tick=False):
        client.post(reverse("otp_disable"), {"token": code_now(device)})
    assert not TOTPDevice.objects.filter(user=p.worker_a).exists()


def test_a_director_cannot_turn_required_totp_off(client, p, otp_institution):
    device = _director_with_device(p)
    _login_post(client, "director_a")
    client.post(reverse("otp_verify"), {"token": code_now(device)})
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=40), tick=False):
        response = client.post(reverse("otp_disable"), {"token": code_now(device)}, follow=True)
    assert "wymaga drugiego składnika" in response.content.decode()
    assert TOTPDevice.objects.filter(user=p.director_a, confirmed=True).exists()


def _otp_rows(user) -> int:
    return AccessLog.objects.filter(user=user, action=AccessLog.Action.OTP).count()


@pytest.mark.parametrize("username", ["director_a", "worker_a"])
def test_a_password_alone_cannot_replace_the_second_factor(client, p, otp_institution, username):
    """Issue 14.1: with the password only, the set-up page is closed to whoever has a key; nothing
    is created or deleted, and the session stays unverified."""
    user = getattr(p, username)
    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    _login_post(client, username)
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("otp_verify"))
    attempt = client.post(reverse("otp_setup"), {"token": "123456", "current_token": "123456"})
    assert attempt.status_code == 302 and attempt["Location"].startswith(reverse("otp_verify"))
    assert list(TOTPDevice.objects.filter(user=user)) == [device]  # nothing new, nothing deleted
    assert client.get(reverse("access_log"))["Location"].startswith(reverse("otp_verify"))
    assert client.get(reverse("password_change"))["Location"].startswith(reverse("otp_verify"))
    assert _otp_rows(user) == 0


def test_the_service_refuses_a_new_key_to_a_session_without_the_second_factor(rf, p):
    """Services are the authority: called without the page, the set-up still refuses."""
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.middleware import OTPMiddleware

    from mopr import services
    from mopr.errors import DomainError

    old = TOTPDevice.objects.create(user=p.worker_a, name="telefon", confirmed=True)
    new = TOTPDevice.objects.create(user=p.worker_a, name="nowy", confirmed=False)
    request = rf.post("/")
    request.session, request.user = SessionStore(), p.worker_a
    OTPMiddleware(lambda r: None)(request)  # gives request.user is_verified(): False
    with pytest.raises(DomainError):
        services.totp_device_confirm(request=request, device=new, token=code_now(new), current_token=code_now(old))
    with pytest.raises(DomainError):
        services.totp_device_remove(request=request, token=code_now(old))
    assert set(TOTPDevice.objects.filter(user=p.worker_a, confirmed=True)) == {old}


def test_a_verified_session_replaces_the_key_only_with_a_code_of_the_old_one(client, p, otp_institution):
    old = _director_with_device(p)
    _login_post(client, "director_a")
    client.post(reverse("otp_verify"), {"token": code_now(old)})
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200 and "Kod z dotychczasowej aplikacji" in page.content.decode()
    new = TOTPDevice.objects.get(user=p.director_a, confirmed=False)
    later = timezone.now() + datetime.timedelta(seconds=40)
    with time_machine.travel(later, tick=False):
        # The new key's code alone does not do.
        missing = client.post(reverse("otp_setup"), {"token": code_now(new)})
        assert missing.status_code == 422
        wrong = client.post(reverse("otp_setup"), {"token": code_now(new), "current_token": "000000"})
        assert wrong.status_code == 422 and "dotychczasowej aplikacji się nie zgadza" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=p.director_a, confirmed=True).get() == old
    with time_machine.travel(later + datetime.timedelta(seconds=60), tick=False):
        ok = client.post(reverse("otp_setup"), {"token": code_now(new), "current_token": code_now(old)})
    assert ok.status_code == 302
    assert TOTPDevice.objects.filter(user=p.director_a, confirmed=True).get() == new
    assert AccessLog.objects.filter(user=p.director_a, what="Zmiana klucza TOTP").exists()


def test_the_admin_asks_the_second_factor(client, django_user_model):
    """Issue 14.8: the admin reaches every record; a password alone never opens it."""
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "Zielone-kalosze-w-deszczu")
    _login_post(client, "admin", "Zielone-kalosze-w-deszczu")
    # Staff must set up a key first (the admin's own check is the second line).
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("otp_setup"))
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert client.post(reverse("otp_setup"), {"token": code_now(device)}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    # A session that gave only the password is sent to the code page ...
    other = Client()
    other.force_login(admin)
    assert other.get(reverse("admin:index"))["Location"].startswith(reverse("otp_verify"))
    # ... and the admin site itself refuses it even where the middleware would let it through.
    from mopr.middleware import SESSION_2FA

    session = other.session
    session[SESSION_2FA] = False
    session.save()
    page = other.get(reverse("admin:index"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("admin:login"))


# --- session limits -------------------------------------------------------------------------------


def test_a_session_ends_after_the_institutions_idle_time(client, p, org):
    org.inst_a.session_idle_minutes = 30
    org.inst_a.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _login_post(client, "worker_a")
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29 + 31), tick=False):
        response = client.get(reverse("cases:list"))
        assert response.status_code == 302
        assert response["Location"] == reverse("login") + "?next=%2Fsprawy%2F"
        assert "Sesja wygasła" in client.get(response["Location"]).content.decode()


def test_an_active_session_still_ends_at_its_absolute_lifetime(client, p, org):
    org.inst_a.session_max_hours = 10
    org.inst_a.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _login_post(client, "worker_a")
    for minutes in range(20, 10 * 60, 20):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("home")).status_code == 200, minutes
    with time_machine.travel(start + datetime.timedelta(hours=10, minutes=1), tick=False):
        assert client.get(reverse("home")).status_code == 302


# --- passwords ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "krotkie-1",  # shorter than 12
        "Haslo123!Haslo",  # a word repeated around digits? the core "haslo" is refused
        "Toruń2026!!!",
        "Password1234",
        "P@ssw0rd2026",
        "Q1w2e3r4t5y6",
        "qwertyuiop12",
        "aaaaaaaaaaaaaa",
        "123456789012",
        "mopr-mopr-mopr",
        "zaq12wsxcde3",
    ],
)
def test_guessable_passwords_are_refused(password, p):
    with pytest.raises(ValidationError):
        validate_password(password, user=p.worker_a)


@pytest.mark.parametrize(
    "password", ["kot lubi zielone kalosze", "Rower-Śliwka-Kubek-Latarnia", "mój pies je marchewkę o 7 rano"]
)
def test_long_passphrases_are_allowed(password, p):
    validate_password(password, user=p.worker_a)


def test_the_password_page_says_why_a_password_is_refused(client, p):
    client.login(username="worker_a", password=PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Haslo2026!!!", "new_password2": "Haslo2026!!!"},
    )
    assert response.status_code == 200
    assert "zbyt łatwe do odgadnięcia" in response.content.decode()


def test_changing_the_password_ends_the_other_sessions(p):
    desk, phone = Client(), Client()
    assert _login_post(desk, "worker_a").status_code == 302
    assert _login_post(phone, "worker_a").status_code == 302
    assert phone.get(reverse("home")).status_code == 200
    new = "trzy zielone jabłka na stole"
    response = desk.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert desk.get(reverse("home")).status_code == 200  # this session goes on
    assert phone.get(reverse("home")).status_code == 302  # the other one is over
    assert AccessLog.objects.filter(user=p.worker_a, action=AccessLog.Action.PASSWORD).exists()


def test_logins_and_logouts_are_logged_with_the_address(p):
    client = Client(REMOTE_ADDR="10.1.2.3")
    _login_post(client, "worker_a")
    client.post(reverse("logout"))
    actions = list(AccessLog.objects.filter(user=p.worker_a).values_list("action", "address"))
    assert (AccessLog.Action.LOGIN, "10.1.2.3") in actions
    assert (AccessLog.Action.LOGOUT, "10.1.2.3") in actions
