"""Reads of the retention rule (issue 8, item 9): which closed cases are past the institution's
retention period and may be anonymised.

The rule, in words:

- a case is *past retention* when it is closed (stage V) and it was closed before the same
  calendar day ``Institution.retention_years`` years ago (closed on 10 May 2015 with 10 years:
  listed from 11 May 2025 on), and it has not been anonymised yet;
- the client's personal data are shared by all of the client's cases, so a case past retention
  is *held back* (listed, but not offered for anonymisation) while the same client has another
  case that is open or was closed within the retention period – in effect the client's data are
  kept until the retention period of their most recent case has run out. The list names the
  case that holds it back, so the director knows why.

Only the director sees the list (``mopr.policy.user_may_anonymise``); everyone else gets none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import Case
from cases.procedure import Stage
from mopr import policy
from mopr.models import Institution, User


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention_cutoff(*, institution: Institution, today: datetime.date | None = None) -> datetime.datetime:
    """The moment before which a case must have been closed to be past retention: the start of
    the same day ``retention_years`` years ago (29 February falls back to 28 February)."""
    day = _years_later(today or timezone.localdate(), -institution.retention_years)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def retention_first_day(*, case: Case) -> datetime.date:
    """The first day on which the closed ``case`` is past retention (the counterpart of
    ``retention_cutoff``: closed on 10 May 2015 with 10 years → 11 May 2025)."""
    closed = timezone.localdate(case.closed_at)
    return _years_later(closed, case.institution.retention_years) + datetime.timedelta(days=1)


def case_blocking_retention(*, cutoff: datetime.datetime) -> QuerySet[Case]:
    """For a subquery on a case (``OuterRef("pk")``, ``OuterRef("client_id")``): the client's
    other cases that keep the client's data – open, or closed on or after ``cutoff``."""
    return (
        Case.objects.filter(client_id=OuterRef("client_id"))
        .exclude(pk=OuterRef("pk"))
        .filter(~Q(stage=Stage.ZAKONCZENIE) | Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff))
    )


def retention_due(*, user: User) -> QuerySet[Case]:
    """The user's institution's closed cases past retention, not yet anonymised – for the director
    only. Each row carries ``blocked_by``: the number of the client's case that holds it back, or
    ``None`` when the case may be anonymised now."""
    if not policy.user_may_anonymise(user):
        return Case.objects.none()
    cutoff = retention_cutoff(institution=user.institution)
    blocking = case_blocking_retention(cutoff=cutoff).order_by("-reported_at", "-pk").values("number")[:1]
    return (
        policy.cases_visible_to(user)
        .filter(stage=Stage.ZAKONCZENIE, closed_at__lt=cutoff, anonymised_at__isnull=True)
        .annotate(blocked_by=Subquery(blocking))
        .select_related("region", "client")
        .prefetch_related("client__members")
        .order_by("closed_at", "pk")
    )


def retention_anonymisable(*, user: User) -> QuerySet[Case]:
    """The cases of ``retention_due`` that nothing holds back (what the scheduled run takes)."""
    return retention_due(user=user).filter(blocked_by__isnull=True)


@dataclass(frozen=True)
class RetentionRow:
    """A case of the list with what the director reads about it."""

    case: Case
    years_closed: int
    blocked_by: str | None


def years_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar years from ``start`` to ``end``."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def retention_rows(*, cases, today: datetime.date | None = None) -> list[RetentionRow]:
    """Rows for the list and the confirmation page: whole years since closure and the blocker."""
    today = today or timezone.localdate()
    return [
        RetentionRow(
            case=case,
            years_closed=years_between(timezone.localdate(case.closed_at), today),
            blocked_by=getattr(case, "blocked_by", None),
        )
        for case in cases
    ]
