"""Writes of the organisation's own records: the access log."""

from __future__ import annotations

from mopr.models import AccessLog, Role, User
from mopr.records import record_lock, record_save


def client_address(request) -> str | None:
    """The client's address, as the login throttle sees it: behind TRUSTED_PROXY_COUNT reverse
    proxies it comes from X-Forwarded-For (django-ipware through django-axes; settings.py)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def access_log_write(
    *, user: User, action: str, what: str, case=None, client=None, request=None, address: str | None = None
) -> AccessLog:
    """One row of the append-only access log. A case brings its client, so that the person's
    own report (GDPR art. 15) finds every look at their case. ``case`` and ``client`` are
    records or their ids. ``address``: where there is no request (work done in the background
    for one), the client address that request came from."""
    if client is None and case is not None and not isinstance(case, int):
        client = case.client_id
    case_id, client_id = _pk(case), _pk(client)
    if request is not None:
        from mopr import access

        access.logged(case_id=case_id, client_id=client_id)
    return AccessLog.objects.create(
        user=user,
        username=user.get_username()[:150],
        institution_id=user.institution_id,
        action=action,
        case_id=case_id,
        client_id=client_id,
        what=what[:300],
        address=client_address(request) if request is not None else address,
    )


def _pk(obj) -> int | None:
    return obj if isinstance(obj, int) or obj is None else obj.pk


def access_log_pages(
    *, request, title: str, cases: dict[int, int | None], clients: set[int], many: bool = False
) -> None:
    """What mopr.access collected for one page: a row per case (or per client without a case);
    a page of many – a list, a search – is one row with its cases and clients as subjects."""
    from mopr.models import AccessLogSubject

    user = request.user
    if not many and len(cases) + len(clients) == 1:
        if cases:
            from cases.models import Case

            case_id, client_id = next(iter(cases.items()))
            number = Case.objects.filter(pk=case_id).values_list("number", flat=True).first() or ""
            access_log_write(
                user=user, action=AccessLog.Action.VIEW, what=f"{title}: {number}", case=case_id, client=client_id,
                request=request,
            )  # fmt: skip
        else:
            access_log_write(user=user, action=AccessLog.Action.VIEW, what=title, client=next(iter(clients)),
                             request=request)  # fmt: skip
        return
    row = access_log_write(
        user=user, action=AccessLog.Action.VIEW, what=f"{title} ({len(cases) + len(clients)})", request=request
    )
    AccessLogSubject.objects.bulk_create(
        [AccessLogSubject(log=row, case_id=c, client_id=cl) for c, cl in cases.items()]
        + [AccessLogSubject(log=row, client_id=cl) for cl in clients],
        batch_size=2000,
    )


def access_log_export(*, request, what: str, cases) -> AccessLog:
    """An export: one row, and the case and client of every line it holds as the row's subjects
    (written before the file streams, in one transaction: an interrupted download still
    contained them), so that a person's art. 15 report lists every export with them."""
    from django.db import connection, transaction

    from mopr.models import AccessLogSubject

    with transaction.atomic():
        row = access_log_write(user=request.user, action=AccessLog.Action.EXPORT, what=what, request=request)
        # One INSERT … SELECT: the database copies the export's case and client ids itself, with no
        # row through Python (10,000 rows: a few ms instead of building 10,000 objects).
        select, params = cases.order_by().values_list("pk", "client_id").query.sql_with_params()
        table = connection.ops.quote_name(AccessLogSubject._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (log_id, case_id, client_id) SELECT %s, ids.* FROM ({select}) AS ids",
                [row.pk, *params],
            )
    return row


def access_log_lookup(*, request, query: str, clients: list) -> AccessLog:
    """An intake look-up of a person (issue 14.3): one row, the clients it showed as subjects.
    Rows with no one found count too: they are what probing for numbers looks like, and the
    hourly limit (policy.client_lookups_left) counts them."""
    from django.db import transaction

    from mopr import access
    from mopr.models import AccessLogSubject

    shown = "PESEL" if query.isdigit() else "imię i nazwisko"
    with transaction.atomic():
        row = access_log_write(
            user=request.user,
            action=AccessLog.Action.LOOKUP,
            what=f"Wyszukanie osoby przy zgłoszeniu ({shown}): {query} – znaleziono {len(clients)}",
            client=clients[0] if len(clients) == 1 else None,
            request=request,
        )
        AccessLogSubject.objects.bulk_create([AccessLogSubject(log=row, client_id=c.pk) for c in clients])
    for client in clients:
        access.logged(client_id=client.pk)
    return row


def access_log_failed_login(*, username: str, request=None) -> AccessLog:
    user = User.objects.filter(username=username).first() if username else None
    return AccessLog.objects.create(
        user=user,
        username=username[:150],
        institution_id=user.institution_id if user else None,
        action=AccessLog.Action.LOGIN_FAILED,
        what="Nieudane logowanie",
        address=client_address(request) if request is not None else None,
    )


def session_start(*, request, user: User) -> None:
    """At login: note in the session its start, the institution's limits and whether the user
    needs the second factor, so that no page has to ask the database again
    (mopr.middleware reads them)."""
    import time

    from mopr import policy
    from mopr.middleware import SESSION_2FA, SESSION_LIMITS, SESSION_SEEN, SESSION_STARTED

    now = int(time.time())
    inst = user.institution
    session = request.session
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now
    session[SESSION_LIMITS] = [
        (inst.session_idle_minutes if inst else 30) * 60,
        (inst.session_max_hours if inst else 10) * 3600,
    ]
    session[SESSION_2FA] = policy.user_needs_second_factor(user)


def access_log_case_view(*, request, case, what: str, action: str = AccessLog.Action.VIEW) -> AccessLog:
    """A look at a case's page or file: one row, named after what was seen (issue 8.1)."""
    return access_log_write(user=request.user, action=action, what=f"{what}: {case.number}", case=case, request=request)


# --- the second factor (TOTP, django-otp) -------------------------------------------------------


def totp_device_start(*, user: User):
    """A new, unconfirmed TOTP key for the user's authenticator app; earlier unconfirmed ones go."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Aplikacja uwierzytelniająca", confirmed=False)


def _token_ok(device, token: str) -> bool:
    """django-otp's own throttling slows down guessing: after a wrong code the next try waits."""
    allowed, _details = device.verify_is_allowed()
    return bool(allowed) and device.verify_token(token)


def totp_device_confirm(*, request, device, token: str, current_token: str = "") -> None:
    """The first right code proves the app holds the key: the device is confirmed and this
    session counts as verified.

    A user who has a key already replaces it only from a session that gave the second factor
    and with a code of that key (``current_token``); only then does the old key go. A password
    alone never replaces the second factor (issue 14.1)."""
    from django.db import transaction
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mopr import policy
    from mopr.errors import DomainError
    from mopr.middleware import SESSION_2FA

    user = request.user
    verified = user.is_verified()
    if not policy.user_may_set_up_second_factor(user, session_verified=verified):
        raise DomainError("Najpierw zaloguj się kodem z aplikacji, którą masz już skonfigurowaną.")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        existing = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        if existing and not any(_token_ok(d, current_token) for d in existing):
            raise DomainError(
                "Kod z dotychczasowej aplikacji się nie zgadza. Podaj kod, który pokazuje ona teraz.",
                field="current_token",
            )
        if not _token_ok(device, token):
            raise DomainError("Kod się nie zgadza. Sprawdź czas w telefonie i podaj nowy kod.", field="token")
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        for old in existing:
            old.delete()
        what = "Zmiana klucza TOTP" if existing else "Włączenie TOTP"
        access_log_write(user=user, action=AccessLog.Action.OTP, what=what, request=request)
    otp_login(request, device)
    request.session[SESSION_2FA] = True


def totp_verify(*, request, token: str) -> None:
    """The code at login. A wrong code is logged like a failed login."""
    from django_otp import devices_for_user
    from django_otp import login as otp_login

    from mopr.errors import DomainError

    for device in devices_for_user(request.user, confirmed=True):
        if _token_ok(device, token):
            otp_login(request, device)
            access_log_write(user=request.user, action=AccessLog.Action.OTP, what="Kod TOTP", request=request)
            return
    access_log_write(user=request.user, action=AccessLog.Action.LOGIN_FAILED, what="Błędny kod TOTP", request=request)
    raise DomainError("Kod się nie zgadza albo wygasł. Podaj kod, który aplikacja pokazuje teraz.", field="token")


def totp_device_remove(*, request, token: str) -> None:
    """Turning TOTP off: only for whom the institution does not require it, and with a code."""
    from django_otp import devices_for_user

    from mopr import policy
    from mopr.errors import DomainError
    from mopr.middleware import SESSION_2FA

    user = request.user
    if not user.is_verified():
        raise DomainError("Najpierw zaloguj się kodem z aplikacji.")
    if policy.user_role_requires_second_factor(user) or user.is_staff:
        raise DomainError("Ośrodek wymaga drugiego składnika dla Twojej roli; nie można go wyłączyć.")
    devices = list(devices_for_user(user, confirmed=True))
    if not any(_token_ok(d, token) for d in devices):
        raise DomainError("Kod się nie zgadza.", field="token")
    for device in devices:
        device.delete()
    access_log_write(user=user, action=AccessLog.Action.OTP, what="Wyłączenie TOTP", request=request)
    request.session[SESSION_2FA] = False


def password_changed(*, request, user: User) -> None:
    """After a password change this session stays; every other session of the user ends
    (Django checks the password hash kept in each session), and the change is logged."""
    from django.contrib.auth import update_session_auth_hash

    update_session_auth_hash(request, user)
    access_log_write(user=user, action=AccessLog.Action.PASSWORD, what="Zmiana hasła", request=request)


# --- printouts: renders under way per user ------------------------------------------------------


def render_slot_take(*, user: User):
    """Take one of the user's PDF_RENDERS_PER_USER render slots, or raise RenderBusy.

    The user's row is the lock (every database serialises the count and the insert), so two
    requests cannot both take the last slot; a slot older than the render time limit is a
    leftover of a killed process and no longer counts."""
    import datetime

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from mopr.models import RenderSlot
    from mopr.pdf import RenderBusy

    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.PDF_RENDER_TIMEOUT + 30)
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        RenderSlot.objects.filter(user=user, started_at__lt=stale).delete()
        if RenderSlot.objects.filter(user=user).count() >= settings.PDF_RENDERS_PER_USER:
            raise RenderBusy
        return RenderSlot.objects.create(user=user, started_at=now)


def render_slot_release(*, slot) -> None:
    from mopr.models import RenderSlot

    RenderSlot.objects.filter(pk=slot.pk).delete()


# --- login locks (django-axes) --------------------------------------------------------------------


def account_unlock(*, by: User, username: str, request=None) -> int:
    """The director releases the login locks of one of the institution's accounts (every address);
    logged. Returns how many locks were released."""
    from axes.models import AccessAttempt

    from mopr import policy
    from mopr.errors import DomainError

    if not policy.user_may_unlock_accounts(by):
        raise DomainError("Blokady logowania zdejmuje dyrektor ośrodka.")
    attempts = policy.lockouts_visible_to(by).filter(username=username)
    if not attempts.exists():
        raise DomainError("To konto nie ma blokady logowania.")
    # django-axes' own rows, not a log of ours: its attempts are meant to be removed on release.
    released, _ = AccessAttempt.objects.filter(pk__in=list(attempts.values_list("pk", flat=True))).delete()
    access_log_write(
        user=by, action=AccessLog.Action.UNLOCK, what=f"Odblokowanie logowania: {username}"[:300], request=request
    )
    return released


# --- the directory of addressees ---------------------------------------------------------------------


def directory_entry_save(*, by: User, values: dict, entry=None, version: int | None = None):
    """Add an institution to the centre's directory, or change one (over the version the form was
    loaded at); the history keeps every earlier address."""
    from django.db import transaction

    from mopr import policy
    from mopr.errors import NotAllowed
    from mopr.models import DirectoryEntry

    if not policy.user_may_edit_directory(by):
        raise NotAllowed("Katalog adresatów prowadzą koordynatorzy i kierownictwo ośrodka.")
    with transaction.atomic():
        if entry is None:
            entry = DirectoryEntry(institution_id=by.institution_id)
        else:
            entry = record_lock(
                policy.directory_visible_to(by),
                entry.pk,
                expected_version=version,
                stale="Wpis zmieniono w międzyczasie. Odśwież stronę i spróbuj ponownie.",
            )
        for name, value in values.items():
            setattr(entry, name, value)
        record_save(entry, by=by, bump_version=entry.pk is not None)
    return entry


def institution_settings_save(*, by: User, values: dict, version: int | None, request=None):
    """Change the settings of the user's own centre over the version its form was loaded at: the
    history keeps each earlier value and who changed it, the access log says that it was changed
    and which settings. Intervals that move due dates make every deadline summary stale (the
    institution's save signal)."""
    from django.db import transaction

    from mopr import policy
    from mopr.errors import NotAllowed
    from mopr.models import Institution

    if not policy.user_may_configure_institution(by):
        raise NotAllowed("Ustawienia ośrodka zmienia dyrektor lub administrator systemu.")
    with transaction.atomic():
        institution = record_lock(
            Institution.objects.filter(pk=by.institution_id),
            by.institution_id,
            expected_version=version,
            stale="Ustawienia zmieniono w międzyczasie. Odśwież stronę i wprowadź zmiany jeszcze raz.",
        )
        changed = [name for name, value in values.items() if getattr(institution, name) != value]
        if not changed:
            return institution, []
        for name in changed:
            setattr(institution, name, values[name])
        record_save(institution, by=by, bump_version=True)
        labels = ", ".join(str(Institution._meta.get_field(name).verbose_name) for name in changed)
        what = f"Ustawienia ośrodka: {labels}"
        access_log_write(user=by, action=AccessLog.Action.SETTINGS, what=what, request=request)
    return institution, changed


def centre_create(
    *, name: str, short_name: str, city: str, address: str, username: str, first_name: str, last_name: str,
    password: str, django_admin: bool = False,
):  # fmt: skip
    """A new centre with its first account, the system administrator (``manage.py centre_setup``):
    from nothing to a login that can open *Ustawienia ośrodka*. No actor exists yet, so the
    histories name none. ``django_admin``: the account may also open the Django admin (regions and
    staff have no pages of their own yet). The password passes the project's validators."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from mopr.errors import DomainError
    from mopr.models import Institution, Role, RoleAssignment

    if Institution.objects.filter(short_name=short_name).exists():
        raise DomainError(f"Ośrodek o nazwie skróconej {short_name!r} już istnieje – niczego nie zmieniono.")
    if User.objects.filter(username=username).exists():
        raise DomainError(f"Login {username!r} jest zajęty – niczego nie zmieniono.")
    with transaction.atomic():
        institution = Institution.objects.create(name=name, short_name=short_name, city=city, address=address)
        user = User(username=username, first_name=first_name, last_name=last_name, institution=institution,
                    title="administrator systemu", is_staff=django_admin, is_superuser=django_admin)  # fmt: skip
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN)
    return institution, user


# --- the centre's accounts and roles (issue 19.2) ---------------------------------------------------------


def _staff_may(by: User) -> None:
    from mopr import policy
    from mopr.errors import NotAllowed

    if not policy.user_may_manage_staff(by):
        raise NotAllowed("Konta pracowników prowadzi dyrektor lub administrator systemu.")


def _staff_logged(by: User, user: User, what: str, request=None) -> None:
    access_log_write(user=by, action=AccessLog.Action.STAFF, what=f"{user.username}: {what}", request=request)


def staff_create(*, by: User, values: dict, password: str, request=None) -> User:
    """A new account of the manager's centre, with the password they hand over (the project's
    validators); roles are given on the account's page."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from mopr.errors import DomainError

    _staff_may(by)
    if User.objects.filter(username__iexact=values["username"]).exists():
        raise DomainError("Ten login jest zajęty.")
    user = User(institution_id=by.institution_id, **values)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    user.set_password(password)
    with transaction.atomic():
        user.save()
        _staff_logged(by, user, "utworzono konto", request)
    return user


def staff_roles_set(
    *, by: User, user: User, centre_roles: set[str], regions: dict[str, set[int]], request=None
) -> list[str]:  # fmt: skip
    """Give ``user`` exactly these roles: the institution's (``centre_roles``) and, per region
    role, those regions (``regions``: role → region ids of the centre). Each added or removed
    assignment is in the role assignments' history; the access log names the change. The centre
    is never left without an active director or system administrator."""
    from django.db import transaction

    from mopr import policy
    from mopr.errors import DomainError
    from mopr.models import Region, RoleAssignment

    _staff_may(by)
    own_regions = set(Region.objects.filter(institution_id=by.institution_id).values_list("pk", flat=True))
    wanted = {(role, None) for role in centre_roles} | {
        (role, region) for role, ids in regions.items() for region in ids if region in own_regions
    }
    with transaction.atomic():
        user = policy.staff_visible_to(by).select_for_update().get(pk=user.pk)
        if not policy.centre_keeps_a_configurer(by.institution_id, without=user, keep_roles=set(centre_roles)):
            raise DomainError(
                "Ośrodek musi mieć czynnego dyrektora lub administratora systemu – niczego nie zmieniono."
            )
        codes = dict(Region.objects.filter(institution_id=by.institution_id).values_list("pk", "code"))

        def named(role: str, region: int | None) -> str:
            return f"{Role(role).label} {codes[region]}" if region else str(Role(role).label)

        current = {(a.role, a.region_id): a for a in RoleAssignment.objects.filter(user=user)}
        changes = []
        for key, assignment in current.items():
            if key not in wanted:
                assignment._history_user = by
                assignment.delete()
                changes.append(f"−{named(*key)}")
        for role, region in sorted(wanted - set(current), key=str):
            record_save(RoleAssignment(user=user, role=role, region_id=region), by=by)
            changes.append(f"+{named(role, region)}")
        if changes:
            _staff_logged(by, user, "role " + ", ".join(changes), request)
    return changes


def staff_active_set(*, by: User, user: User, active: bool, request=None) -> User:
    """Deactivate an account (it can no longer log in; its records keep its name) – refused while it
    holds open cases, which are handed over first – or activate it again."""
    from django.db import transaction

    from cases.models import Case
    from cases.procedure import Stage
    from mopr import policy
    from mopr.errors import DomainError

    _staff_may(by)
    with transaction.atomic():
        user = policy.staff_visible_to(by).select_for_update().get(pk=user.pk)
        if not active:
            if user.pk == by.pk:
                raise DomainError("Nie można wyłączyć własnego konta.")
            held = Case.objects.filter(worker=user).exclude(stage=Stage.ZAKONCZENIE).count()
            if held:
                raise DomainError(
                    f"Pracownik prowadzi otwarte sprawy ({held}) – najpierw przekaż je (Koordynacja → Przekazanie "
                    "spraw)."
                )
            roles = set(user.role_assignments.filter(region__isnull=True).values_list("role", flat=True))
            if not policy.centre_keeps_a_configurer(by.institution_id, without=user, keep_roles=set()) and roles:
                raise DomainError("Ośrodek musi mieć czynnego dyrektora lub administratora systemu.")
        user.is_active = active
        user.save(update_fields=["is_active"])
        _staff_logged(by, user, "konto włączone" if active else "konto wyłączone", request)
    return user


def staff_second_factor_reset(*, by: User, user: User, request=None) -> int:
    """A lost phone: remove the account's TOTP devices; at the next login it sets up a new one."""
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mopr import policy

    _staff_may(by)
    with transaction.atomic():
        user = policy.staff_visible_to(by).get(pk=user.pk)
        removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
        _staff_logged(by, user, "usunięto drugi składnik (nowy przy następnym logowaniu)", request)
    return removed


STAFF_DATA_FIELDS = ("first_name", "last_name", "title", "sex", "email", "phone")


def staff_data_fingerprint(user: User) -> str:
    """What the account's data form was loaded with: a save over data changed since is refused."""
    import hashlib

    return hashlib.sha256("\x1f".join(str(getattr(user, f)) for f in STAFF_DATA_FIELDS).encode()).hexdigest()[:16]


def staff_data_save(*, by: User, user: User, values: dict, loaded: str, request=None) -> list[str]:
    """Correct an account's name, title, e-mail or phone. The account has no history table of its
    own: each change is written to the access log as "field: before → after" – the trace the
    account's page shows. Refused when someone changed the data since the form was loaded."""
    from django.db import transaction

    from mopr import policy
    from mopr.errors import StaleVersionError

    _staff_may(by)
    with transaction.atomic():
        locked = policy.staff_visible_to(by).select_for_update().get(pk=user.pk)
        if staff_data_fingerprint(locked) != loaded:
            raise StaleVersionError(
                "Dane konta zmieniła w międzyczasie inna osoba – sprawdź je poniżej i popraw ponownie."
            )
        changes = []
        for name in STAFF_DATA_FIELDS:
            before, after = getattr(locked, name), values.get(name, getattr(locked, name))
            if before != after:
                label = User._meta.get_field(name).verbose_name
                changes.append(f"{label}: {before or '–'} → {after or '–'}")
                setattr(locked, name, after)
        if changes:
            locked.save(update_fields=[n for n in STAFF_DATA_FIELDS])
            _staff_logged(by, locked, "poprawiono dane – " + "; ".join(changes), request)
    return changes
