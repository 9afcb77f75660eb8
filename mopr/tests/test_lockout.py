"""Issue 14.2 and 14.8: the client's address behind the reverse proxy, a lock per user name and
address that cools off and grows, the director's release of a lock, failed logins under unknown
names in the log readers' view, and the limit of PDF renders per user.

Requests go through the whole middleware stack (Django's test client), with X-Forwarded-For set
as the documented nginx sets it."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mopr.models import AccessLog, RenderSlot
from mopr.tests.factories import PASSWORD
from mopr.tests.test_settings import manage

WRONG = "zle-haslo-zle-haslo"
PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    """What TRUSTED_PROXY_COUNT=1 sets (test_the_proxy_count_sets_ipware checks the mapping)."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    return settings


def login(client, username, password=PASSWORD, address=None, forwarded=None):
    extra = {"REMOTE_ADDR": address or PROXY}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_the_proxy_count_sets_ipware():
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_ORDER)"
    )
    one = manage("shell", "--no-imports", "-c", code, DEBUG="true", TRUSTED_PROXY_COUNT="1")
    assert one.stdout.strip() == "0 ['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR'] left-most", one.stderr
    none = manage("shell", "--no-imports", "-c", code, DEBUG="true")
    assert none.stdout.strip() == "None ['REMOTE_ADDR'] left-most", none.stderr
    old = manage("check", DEBUG="true", USE_X_FORWARDED_FOR="true")
    assert old.returncode != 0 and "TRUSTED_PROXY_COUNT" in old.stderr


def test_behind_the_proxy_each_client_has_its_own_address(client, p, behind_proxy, settings):
    """An attacker elsewhere cannot lock a user out: the lock is for the attacker's address."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "worker_a", WRONG, forwarded="203.0.113.5")
    assert login(Client(), "worker_a", forwarded="203.0.113.5").status_code == 429
    assert login(Client(), "worker_a", forwarded="198.51.100.7").status_code == 302
    failed = AccessLog.objects.filter(action=AccessLog.Action.LOGIN_FAILED, user=p.worker_a)
    assert set(failed.values_list("address", flat=True)) == {"203.0.113.5"}
    assert AccessLog.objects.get(action=AccessLog.Action.LOGIN, user=p.worker_a).address == "198.51.100.7"


def test_a_forged_forwarded_header_is_not_believed(client, p, behind_proxy):
    """A client that puts its own X-Forwarded-For before the proxy's gets the proxy's address,
    never the one it made up."""
    login(client, "worker_a", WRONG, forwarded="6.6.6.6, 203.0.113.5")
    assert AccessLog.objects.get(action=AccessLog.Action.LOGIN_FAILED).address == PROXY


def test_without_a_proxy_the_header_is_ignored(client, p):
    login(client, "worker_a", WRONG, address="192.0.2.10", forwarded="6.6.6.6")
    assert AccessLog.objects.get(action=AccessLog.Action.LOGIN_FAILED).address == "192.0.2.10"


def _local(at, **later) -> str:
    return timezone.localtime(at + datetime.timedelta(**later)).strftime("%H:%M")


def test_a_lock_cools_off_by_itself_and_each_next_one_lasts_twice_as_long(p, settings):
    from axes.models import AccessAttemptExpiration

    settings.AXES_COOLOFF_MINUTES = 15
    # Midday in Poland: the lock ends today.
    start = timezone.make_aware(datetime.datetime(2026, 3, 10, 11, 0))

    def fail_until_locked(at):
        with time_machine.travel(at, tick=False):
            for _ in range(settings.AXES_FAILURE_LIMIT - 1):
                assert login(Client(), "worker_a", WRONG).status_code == 200
            locked = login(Client(), "worker_a", WRONG)
            assert locked.status_code == 429
            return locked.content.decode()

    assert f"Blokada wygaśnie sama dziś o {_local(start, minutes=15)}" in fail_until_locked(start)
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert login(Client(), "worker_a").status_code == 302
    second = start + datetime.timedelta(minutes=20)
    assert f"Blokada wygaśnie sama dziś o {_local(second, minutes=30)}" in fail_until_locked(second)
    expires = AccessAttemptExpiration.objects.get().expires_at
    assert second + datetime.timedelta(minutes=29) < expires <= second + datetime.timedelta(minutes=30, seconds=1)
    with time_machine.travel(second + datetime.timedelta(minutes=31), tick=False):
        assert login(Client(), "worker_a").status_code == 302


def test_the_lock_page_says_when_this_lock_ends_in_local_time(p, settings):
    """The end of the lock as axes keeps it (a try during the lock moves it on), in Polish time; a
    lock that ends after midnight names the day."""
    from axes.models import AccessAttemptExpiration

    settings.AXES_COOLOFF_MINUTES = 15
    start = datetime.datetime(2026, 3, 10, 22, 50, tzinfo=datetime.UTC)  # 23:50 in Warsaw (CET)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            locked = login(Client(), "worker_a", WRONG)
    body = locked.content.decode()
    assert locked.status_code == 429
    assert "Po 5 nieudanych próbach logowanie jako „worker_a” z tego adresu sieciowego jest zablokowane" in body
    assert "Blokada wygaśnie sama 11 marca o 00:05" in body
    assert "nie wygaśnie" not in body and "później" not in body
    # A try five minutes on, during the lock: the page says the end axes now keeps.
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        again = login(Client(), "worker_a", WRONG).content.decode()
    expires = timezone.localtime(AccessAttemptExpiration.objects.get().expires_at)
    assert expires > timezone.localtime(start + datetime.timedelta(minutes=15))
    assert f"Blokada wygaśnie sama 11 marca o {expires:%H:%M}" in again


def test_a_lock_that_does_not_expire_says_who_releases_it(p, settings):
    """AXES_COOLOFF_MINUTES=0: the lock lasts until the director releases it – the page does not ask
    to try later, nor promises an end."""
    settings.AXES_COOLOFF_TIME = None
    settings.AXES_USE_ATTEMPT_EXPIRATION = False  # as settings.py makes it (test below)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = login(Client(), "worker_a", WRONG)
    body = locked.content.decode()
    assert locked.status_code == 429
    assert "Ta blokada nie wygaśnie sama" in body
    assert "Dziennik dostępu → Blokady logowania" in body
    for untrue in ("później", "wcześniej", "wygaśnie sama dziś", "ponownie"):
        assert untrue not in body, untrue
    # Hours later it is still locked.
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=30), tick=False):
        assert login(Client(), "worker_a").status_code == 429


def test_a_lock_until_released_is_configured_without_an_expiry():
    """AXES_COOLOFF_MINUTES=0 turns off axes' per-attempt expiry too: with one, every failed login
    was a server error (axes cannot compute the end of a lock that has none)."""
    code = "from django.conf import settings as s; print(s.AXES_COOLOFF_TIME, s.AXES_USE_ATTEMPT_EXPIRATION)"
    never = manage("shell", "--no-imports", "-c", code, DEBUG="true", AXES_COOLOFF_MINUTES="0")
    assert never.stdout.strip() == "None False", never.stderr
    usual = manage("shell", "--no-imports", "-c", code, DEBUG="true")
    assert usual.stdout.strip() == "mopr.auth.axes_cool_off True", usual.stderr


def test_a_failed_login_says_only_what_is_known(p, settings):
    """The wrong password, an unknown name and a switched-off account with its right password get one
    message, true of each: the system does not tell which it is."""
    p.worker_a_2.is_active = False
    p.worker_a_2.save(update_fields=["is_active"])
    for username, password in (("worker_a", WRONG), ("nikt-taki", WRONG), ("worker_a_2", PASSWORD)):
        response = login(Client(), username, password)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Nie zalogowano: nazwa użytkownika lub hasło się nie zgadza albo konto jest wyłączone." in body
        assert "Po 5 nieudanych próbach logowanie pod tą nazwą z tego adresu zostanie zablokowane." in body
        assert "Wprowadź poprawne" not in body


def test_the_director_releases_a_lock_in_the_application(client, p, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "worker_a", WRONG)
    assert login(Client(), "worker_a").status_code == 429

    client.force_login(p.director_a)
    page = client.get(reverse("lockouts"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "worker_a" in body and "zablokowane" in body

    # Another institution's director does not see or release it.
    other = Client()
    other.force_login(p.coordinator_b)
    assert other.post(reverse("lockouts"), {"username": "worker_a"}).status_code == 403

    done = client.post(reverse("lockouts"), {"username": "worker_a"}, follow=True)
    assert "Odblokowano logowanie konta worker_a" in done.content.decode()
    assert login(Client(), "worker_a").status_code == 302
    row = AccessLog.objects.get(action=AccessLog.Action.UNLOCK)
    assert row.user == p.director_a and "worker_a" in row.what


def test_a_director_cannot_release_a_lock_of_another_institution(p, org, settings):
    from mopr import services
    from mopr.errors import DomainError
    from mopr.models import Role
    from mopr.tests.factories import UserFactory

    director_b = UserFactory(institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "worker_a", WRONG)
    with pytest.raises(DomainError):
        services.account_unlock(by=director_b, username="worker_a")
    assert login(Client(), "worker_a").status_code == 429


def test_failed_logins_under_unknown_names_reach_the_log_readers(client, p):
    """Guessing at user names is what a brute-force attempt looks like: the director and the
    auditor see it, although no institution owns the name."""
    login(Client(), "admin1", WRONG, address="192.0.2.66")
    for reader in (p.director_a, p.auditor_a):
        client.force_login(reader)
        page = client.get(reverse("access_log"), {"action": "login_failed"})
        assert "admin1" in page.content.decode() and "192.0.2.66" in page.content.decode()
    # Failed logins of a known account stay its institution's.
    login(Client(), "worker_a", WRONG)
    from mopr.models import Role
    from mopr.tests.factories import UserFactory

    auditor_b = UserFactory(institution=p.outsider.institution, roles=[(Role.AUDITOR, None)])
    from mopr import policy

    seen_by_b = set(policy.access_log_visible_to(auditor_b).values_list("username", flat=True))
    assert seen_by_b == {"admin1"}


@pytest.mark.django_db
def test_a_user_may_have_only_so_many_renders_under_way(client, p, settings):
    from mopr.tests.factories import CaseFactory

    case = CaseFactory(region=p.worker_a.role_assignments.first().region, worker=p.worker_a)
    client.force_login(p.worker_a)
    now = timezone.now()
    for _ in range(settings.PDF_RENDERS_PER_USER):
        RenderSlot.objects.create(user=p.worker_a, started_at=now)
    busy = client.get(reverse("cases:karta_pdf", args=[case.pk]))
    assert busy.status_code == 429
    assert "Poczekaj na poprzednie wydruki" in busy.content.decode()
    # Another user is not held up by it.
    other = Client()
    other.force_login(p.coordinator_a)
    assert other.get(reverse("cases:karta_pdf", args=[case.pk])).status_code == 200
    # A slot left by a killed process stops counting after the render's time limit.
    RenderSlot.objects.filter(user=p.worker_a).delete()
    old = now - datetime.timedelta(seconds=settings.PDF_RENDER_TIMEOUT + 60)
    for _ in range(settings.PDF_RENDERS_PER_USER):
        RenderSlot.objects.create(user=p.worker_a, started_at=old)
    done = client.get(reverse("cases:karta_pdf", args=[case.pk]))
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
    assert not RenderSlot.objects.filter(user=p.worker_a).exists()  # released after the render
