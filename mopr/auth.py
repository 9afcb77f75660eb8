"""Authentication pieces of our own: the throttled backend and the password rule.

The rest of issue 8's authentication comes from libraries: django-axes (lockout),
django-otp (TOTP), Django's session hash (other sessions end when the password changes).
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ThrottledBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with a request.

    The login form and the admin's login always pass the request. Only Django's test client
    authenticates without one; it is let through to the password check, which still applies.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def axes_username(request, credentials=None):
    """The user name django-axes records and counts failures of: as axes would take it, but at
    most 150 characters long (a user name's length). Django's login form does not check the
    length, and a longer name overflowed axes' column on PostgreSQL (a server error)."""
    data = credentials or getattr(request, "data", request.POST)
    username = data.get("username")
    return username[:150] if isinstance(username, str) else username


def axes_cool_off(request=None) -> datetime.timedelta:
    """How long a lock of one user name at one address lasts: AXES_COOLOFF_MINUTES for the first
    lockout, doubled for each further one of that pair within a day (counted in the access log,
    which keeps every failed login), at most AXES_COOLOFF_MAX_HOURS."""
    from django.conf import settings
    from django.utils import timezone

    from mopr.models import AccessLog
    from mopr.services import client_address

    base = datetime.timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    longest = datetime.timedelta(hours=settings.AXES_COOLOFF_MAX_HOURS)
    username = axes_username(request) if request is not None and hasattr(request, "POST") else None
    if not username:
        return base
    failures = AccessLog.objects.filter(
        action=AccessLog.Action.LOGIN_FAILED,
        username=username,
        address=client_address(request),
        at__gte=timezone.now() - datetime.timedelta(days=1),
    ).count()
    # + 1: the failure being judged is not in the log yet when django-axes sets the lock's expiry
    # (its receiver runs before ours); counted either way, the k-th lock gets the k-th length.
    lockouts = (failures + 1) // settings.AXES_FAILURE_LIMIT
    return min(base * 2 ** min(max(lockouts - 1, 0), 16), longest)


def lockout_response(request, original_response=None, credentials=None):
    """The page of a locked login (django-axes' AXES_LOCKOUT_CALLABLE): what is true of this lock.

    The lock's own end is read from axes' record of the user name and address – not the length the
    next lock would have – and said as a local time; a lock that does not expire by itself
    (AXES_COOLOFF_MINUTES=0) says who releases it instead of asking to try later. The user name
    may belong to no account, so the page speaks of a name, not of an account."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.shortcuts import render
    from django.utils import timezone

    username = axes_username(request, credentials) or ""
    expires_at = None
    if settings.AXES_COOLOFF_TIME:
        attempt = (
            AccessAttempt.objects.filter(username=username, ip_address=getattr(request, "axes_ip_address", None))
            .select_related("expiration")
            .order_by("-attempt_time")
            .first()
        )
        expires_at = getattr(getattr(attempt, "expiration", None), "expires_at", None)
    context = {
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "never_expires": not settings.AXES_COOLOFF_TIME,
        "expires_at": expires_at,
        "expires_today": expires_at is not None and timezone.localdate(expires_at) == timezone.localdate(),
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
# Key positions on a QWERTY keyboard (the rows are shifted as on the real one).
_KEYS = {
    ch: (x + shift, y)
    for y, (row, shift) in enumerate((("1234567890", 0.0), ("qwertyuiop", 0.5), ("asdfghjkl", 0.75), ("zxcvbnm", 1.25)))
    for x, ch in enumerate(row)
}
# Words that a Polish office's passwords are made of (the common list is English).
_LOCAL_WORDS = {
    "haslo", "haselko", "password", "mopr", "mops", "mgops", "pomoc", "spoleczna", "torun", "warszawa",
    "krakow", "lodz", "wroclaw", "poznan", "gdansk", "polska", "kochanie", "zaq1", "admin", "dyrektor",
    "pracownik", "socjalny", "asystent", "koordynator", "urzad", "osrodek", "wiosna", "lato",
    "jesien", "zima", "styczen", "luty", "marzec", "kwiecien", "czerwiec", "lipiec", "sierpien",
    "wrzesien", "pazdziernik", "listopad", "grudzien", "qwerty", "abc", "test", "welcome", "witaj",
}  # fmt: skip


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("ł", "l"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _is_keyboard_walk(text: str) -> bool:
    """Keyboard walks ("qwerty", "1qaz2wsx", "zaq12wsxcde3"): nearly every key next to the one before."""
    keys = [_KEYS[c] for c in text if c in _KEYS]
    if len(keys) < 8:
        return False
    near = sum(abs(a[0] - b[0]) <= 1.0 and abs(a[1] - b[1]) <= 1 for a, b in itertools.pairwise(keys))
    return near >= 0.8 * (len(keys) - 1)


class GuessablePasswordValidator:
    """Refuses a password that is a common word or list password dressed up with digits,
    symbols, leetspeak or repetition (the shapes of breached passwords), and keyboard walks.

    Long passphrases pass: four ordinary words make a strong password, so there is no rule
    about character classes (NIST SP 800-63B)."""

    def __init__(self):
        self._common = CommonPasswordValidator().passwords

    def _core_words(self, password: str) -> set[str]:
        folded = _fold(password)
        letters = re.sub(r"[^a-z0-9@$!]", "", folded)
        stripped = re.sub(r"^[\d\W_]+|[\d\W_]+$", "", folded)  # digits and symbols around a word
        cores = {letters, stripped, letters.translate(_LEET), stripped.translate(_LEET)}
        # "abcabcabcabc", "hasłohasło": a short piece repeated.
        for core in list(cores):
            for size in range(1, len(core) // 2 + 1):
                if core and len(core) % size == 0 and core[:size] * (len(core) // size) == core:
                    cores.add(core[:size])
                    break
        return {c for c in cores if c}

    def _known(self, word: str) -> bool:
        return word in self._common or word in _LOCAL_WORDS

    def validate(self, password: str, user=None) -> None:
        cores = self._core_words(password)
        walk = re.sub(r"[^a-z0-9]", "", _fold(password))
        # "Haslo123!Haslo": one or two known words with digits and symbols between them.
        plain = {w for w in re.split(r"[^a-z]+", _fold(password)) if w}
        leet = {w for w in re.split(r"[^a-z]+", _fold(password).translate(_LEET)) if w}
        if (
            any(self._known(c) for c in cores)
            or any(0 < len(ws) <= 2 and all(self._known(w) for w in ws) for ws in (plain, leet))
            or _is_keyboard_walk(walk)
            or len(set(walk)) <= 3
        ):
            raise ValidationError(
                _(
                    "To hasło jest zbyt łatwe do odgadnięcia (popularne słowo lub ciąg klawiszy z dodanymi "
                    "cyframi czy znakami). Wybierz np. kilka zwykłych słów, które nie tworzą znanego zwrotu."
                ),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("Hasło nie może być popularnym słowem ani ciągiem klawiszy, także z dopisanymi cyframi.")
