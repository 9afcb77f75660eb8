"""Reads of the organisation's own records: the access log and what a person's report needs."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from mopr import policy
from mopr.models import AccessLog, User
from mopr.text import fold


@dataclass(frozen=True)
class AccessLogQuery:
    """The access log search form's values; every field optional."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    who: str = ""
    action: str = ""
    case_number: str = ""
    client_id: int | None = None
    address: str = ""


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log_search(*, user: User, query: AccessLogQuery) -> QuerySet[AccessLog]:
    """The rows of the user's institution matching ``query``, newest first."""
    qs = policy.access_log_visible_to(user).select_related("user", "case", "client")
    if query.date_from:
        qs = qs.filter(at__gte=_day_start(query.date_from))
    if query.date_to:
        qs = qs.filter(at__lt=_day_start(query.date_to + datetime.timedelta(days=1)))
    if query.who:
        qs = qs.filter(
            Q(username__icontains=query.who)
            | Q(user__last_name__icontains=query.who)
            | Q(user__first_name__icontains=query.who)
        )
    if query.action:
        qs = qs.filter(action=query.action)
    if query.case_number:
        qs = qs.filter(case__number__icontains=query.case_number)
    if query.client_id:
        qs = qs.filter(client_id=query.client_id)
    if query.address:
        qs = qs.filter(address=query.address)
    return qs.order_by("-at", "-pk")


def access_log_clients(*, user: User, q: str):
    """Clients of the institution found by PESEL (exact) or by name or address (folded)."""
    from cases.models import Client

    q = (q or "").strip()
    if not q:
        return Client.objects.none()
    qs = policy.clients_visible_to(user)
    if q.isdigit() and len(q) == 11:
        qs = qs.filter(members__pesel=q)
    else:
        for token in fold(q).split():
            qs = qs.filter(search_text__contains=token)
    return qs.prefetch_related("members").distinct().order_by("pk")[:50]


def client_access_report(*, user: User, client) -> list[AccessLog]:
    """Every recorded look at the person's data: views, prints, downloads, exports naming
    them, oldest first (GDPR art. 15: who had access and when)."""
    from mopr.models import AccessLogSubject

    # A row names the person itself, or – a list, an export, a look-up – among its subjects.
    among = AccessLogSubject.objects.filter(client=client).values("log_id")
    return list(
        policy.access_log_visible_to(user)
        .filter(Q(client=client) | Q(pk__in=among))
        .exclude(action=AccessLog.Action.SEARCH)
        .select_related("user", "case")
        .order_by("at", "pk")
    )


@dataclass(frozen=True)
class Lockout:
    username: str
    person: User | None
    address: str | None
    failures: int
    last_attempt: datetime.datetime
    expires_at: datetime.datetime | None
    locked: bool


def lockouts_for(*, user: User) -> list[Lockout]:
    """The failed-login counts of the institution's accounts, locked ones first (django-axes)."""
    from django.conf import settings

    attempts = list(policy.lockouts_visible_to(user).select_related("expiration").order_by("-attempt_time")[:200])
    people = {u.username: u for u in User.objects.filter(username__in={a.username for a in attempts})}
    now = timezone.now()
    rows = []
    for a in attempts:
        expires = getattr(getattr(a, "expiration", None), "expires_at", None)
        active = expires is None or expires > now
        rows.append(
            Lockout(
                username=a.username,
                person=people.get(a.username),
                address=a.ip_address,
                failures=a.failures_since_start,
                last_attempt=a.attempt_time,
                expires_at=expires,
                locked=active and a.failures_since_start >= settings.AXES_FAILURE_LIMIT,
            )
        )
    return sorted(rows, key=lambda r: (not r.locked, -r.last_attempt.timestamp()))


@dataclass(frozen=True)
class SettingsChange:
    """One saved change of the centre's settings: when, who, and each field from → to."""

    at: datetime.datetime
    by: str
    fields: list[tuple[str, str, str]]


def institution_changes(*, institution, limit: int = 50) -> list[SettingsChange]:
    """The latest changes of the settings, newest first, from the institution's history."""
    from mopr.models import Institution

    history = institution.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(history[: limit + 1])
    changes = []
    for newer, older in itertools.pairwise(records):
        delta = newer.diff_against(older, excluded_fields=["version"])
        if not delta.changes:
            continue
        fields = [(_label(Institution, c.field), _shown(c.old), _shown(c.new)) for c in delta.changes]
        who = newer.history_user.get_full_name() or newer.history_user.username if newer.history_user else "—"
        changes.append(SettingsChange(newer.history_date, who, fields))
    return changes


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _shown(value) -> str:
    if value is True:
        return "tak"
    if value is False:
        return "nie"
    if isinstance(value, list):
        from mopr.models import Role

        return ", ".join(str(Role(v).label) if v in Role.values else str(v) for v in value) or "—"
    return str(value) if value not in (None, "") else "—"


def staff_changes(*, user: User, person: User, limit: int = 50) -> list[tuple]:
    """An account's trace for its page: every change the managers made to it (the access log's
    staff rows naming it), newest first, as (when, who, what) – for whom the policy lets keep accounts."""
    if not policy.user_may_manage_staff(user) or person.institution_id != user.institution_id:
        return []
    prefix = f"{person.username}: "
    rows = AccessLog.objects.filter(
        action=AccessLog.Action.STAFF, institution_id=user.institution_id, what__startswith=prefix
    ).select_related("user")[:limit]
    return [(row.at, row.user or row.username, row.what.removeprefix(prefix)) for row in rows]
