"""Reads of absence cover: what the covers page and the start pages list (through the policy)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from cases.models import CaseTransfer
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


# --- hand-over (issue 17.2) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """A worker holding open cases of the coordinator's regions; ``active=False`` flags a worker
    who left, whose cases wait to be handed over."""

    worker: User
    open_cases: int

    @property
    def active(self) -> bool:
        return self.worker.is_active


def handover_holders(*, user: User) -> list[Holder]:
    """Who holds open cases the coordinator may hand over: those who left first."""
    counts = dict(policy.handover_cases_for(user).values("worker").annotate(n=Count("pk")).values_list("worker", "n"))
    workers = User.objects.filter(pk__in=counts).order_by("-is_active", "last_name", "first_name")
    return [Holder(worker=w, open_cases=counts[w.pk]) for w in workers]


def handover_cases(*, user: User, worker: User):
    return (
        policy.handover_cases_for(user)
        .filter(worker=worker)
        .select_related("client", "region")
        .order_by("region__code", "number")
    )


def handovers_waiting(*, user: User) -> list[CaseTransfer]:
    """Cases handed over in the coordinator's regions that their new worker has not accepted yet."""
    return list(
        CaseTransfer.objects.filter(
            case__in=policy.handover_cases_for(user).filter(accepted_at__isnull=True),
            accepted_at__isnull=True,
            refusal_reason="",
        )
        .exclude(kind=CaseTransfer.Kind.MOVE, decided_at__isnull=True)
        .select_related("case", "from_worker", "to_worker", "by")
        .order_by("at")
    )
