"""Reads of notifications: a user reads only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from inbox.models import Notice
from mopr.models import User


def notices_for(*, user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user).select_related("case").order_by("-created_at", "-pk")


def unread_count(*, user: User) -> int:
    """The menu's number: one indexed count per page."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()
