"""Reads of the organisation's own records: the access log and what a person's report needs."""

from __future__ import annotations

import datetime
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
    return list(
        policy.access_log_visible_to(user)
        .filter(client=client)
        .exclude(action=AccessLog.Action.SEARCH)
        .select_related("user", "case")
        .order_by("at", "pk")
    )
