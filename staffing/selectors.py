"""Reads of absence cover: what the covers page and the start pages list (through the policy)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from mopr import policy
from mopr.models import User
from staffing.models import Cover


def covers_current(*, user: User, today: datetime.date | None = None) -> QuerySet[Cover]:
    """Covers running or planned, the nearest first."""
    day = today or timezone.localdate()
    return (
        policy.covers_visible_to(user)
        .filter(cancelled_at__isnull=True, ends_on__gte=day)
        .select_related("absent", "substitute", "set_by")
        .order_by("starts_on", "pk")
    )


def covers_past(*, user: User, today: datetime.date | None = None, limit: int = 50) -> list[Cover]:
    """Covers ended or cancelled, the newest first (the history of the page)."""
    day = today or timezone.localdate()
    from django.db.models import Q

    return list(
        policy.covers_visible_to(user)
        .filter(Q(cancelled_at__isnull=False) | Q(ends_on__lt=day))
        .select_related("absent", "substitute", "set_by", "cancelled_by")
        .order_by("-ends_on", "-pk")[:limit]
    )


def covers_taken_now(*, user: User) -> list[Cover]:
    """The covers ``user`` stands in under today (their start page says so)."""
    return list(policy.covers_in_force().filter(substitute=user).select_related("absent").order_by("ends_on"))
