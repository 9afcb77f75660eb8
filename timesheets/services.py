"""Every write of the time accounting (seed 004, the Toruń pilot: the social worker's categories
A–I, the benefits worker's A–Ł).

A worker records, per day, the hours spent in each category. Recording a day replaces that
day's entries: a category left out (or with 0 hours) is removed, a changed one updated, a new
one added – in one transaction, each change in the history under the person who made it.

Who records: the worker themselves (a social worker, a benefits worker, a coordinator); a
coordinator may also correct the time of a social worker of a region they coordinate – the
history then names the coordinator (``mopr.policy.time_may_record``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import TargetGroup
from mopr.errors import DomainError
from mopr.models import User
from mopr.policy import time_may_record, time_uses_benefits_categories
from mopr.records import record_save
from timesheets.models import CATEGORY_SETS, TimeCategorySet, TimeEntry

DAY_HOURS = Decimal(24)


def _wrong_set(own_set: str) -> str:
    """What a person of the other job is told: the letters overlap, so the set is named, not guessed."""
    if own_set == TimeCategorySet.BENEFITS:
        return _(
            "Pracownik ds. świadczeń rejestruje czas w kategoriach swojego stanowiska (A–Ł); kategorie pracy "
            "socjalnej (A–I) nie są dla niego dostępne."
        )
    return _(
        "Pracownik socjalny rejestruje czas w kategoriach pracy socjalnej (A–I); kategorie pracownika "
        "ds. świadczeń (A–Ł) nie są dla niego dostępne."
    )


def _hours(category: str, value) -> Decimal:
    """The hours of one category, checked: a number, at most two decimals, 0–24."""
    try:
        hours = Decimal(value if value not in (None, "") else 0)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Podaj liczbę godzin, np. 7,5."), field=category) from None
    if not hours.is_finite():
        raise DomainError(_("Podaj liczbę godzin, np. 7,5."), field=category)
    if hours < 0:
        raise DomainError(_("Liczba godzin nie może być ujemna."), field=category)
    if hours > DAY_HOURS:
        raise DomainError(_("W jednej kategorii najwyżej 24 godziny na dzień."), field=category)
    if hours != hours.quantize(Decimal("0.01")):
        raise DomainError(_("Podaj godziny z dokładnością do 0,01 (np. 0,25 to kwadrans)."), field=category)
    return hours


def time_record(
    *,
    worker: User,
    day: datetime.date,
    hours_by_category: Mapping[str, Decimal],
    by: User,
    category_set: str | None = None,
    target_group: str = "",
) -> list[TimeEntry]:
    """Set ``worker``'s hours of ``day`` in their job's set to ``hours_by_category`` ({"A": 3.5, …}).

    The set is the worker's job's (``policy.time_uses_benefits_categories``); a caller naming the
    other set is refused, so a social worker never records a benefits category nor the reverse.
    ``target_group`` is the standard the day's hours were for ("" – none); it applies to the day.

    Refuses: a person who may not record this worker's time; a day in the future; a category not
    in the set; an unknown standard; a negative number, more than 24 h in a category, or more than
    24 h in the day (hours the worker once recorded in the other set count too)."""
    if not time_may_record(by, worker):
        if by.pk == worker.pk:
            raise DomainError(_("Czas pracy rejestrują pracownicy socjalni, pracownicy ds. świadczeń i koordynatorzy."))
        raise DomainError(
            _("Czas pracy innej osoby może poprawić tylko koordynator rejonu, w którym ta osoba pracuje.")
        )
    own_set = TimeCategorySet.BENEFITS if time_uses_benefits_categories(worker) else TimeCategorySet.SOCIAL
    if category_set is not None and category_set != own_set:
        raise DomainError(_wrong_set(own_set), field="category_set")
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise DomainError(_("Podaj dzień."), field="day")
    if day > timezone.localdate():
        raise DomainError(_("Nie można wpisać czasu pracy za dzień z przyszłości."), field="day")
    letters = CATEGORY_SETS[own_set].values
    unknown = sorted(set(hours_by_category) - set(letters))
    if unknown:
        other = [c for c in unknown if c in CATEGORY_SETS[_other(own_set)].values]
        if other:
            raise DomainError(
                _("Kategoria %(c)s nie należy do Twojego zestawu. %(why)s")
                % {"c": ", ".join(map(str, other)), "why": _wrong_set(own_set)},
                field="category_set",
            )
        raise DomainError(_("Nieznana kategoria czasu pracy: %(c)s.") % {"c": ", ".join(map(str, unknown))})
    if target_group not in ("", *TargetGroup.values):
        raise DomainError(_("Wybierz standard pracy z listy."), field="target_group")
    wanted = {c: _hours(c, v) for c, v in hours_by_category.items()}
    wanted = {c: h for c, h in wanted.items() if h}

    with transaction.atomic():
        # One writer per worker at a time: the worker's row is the lock (two tabs, a coordinator).
        User.objects.select_for_update().filter(pk=worker.pk).first()
        # A job changed: the day's hours in the other set stay as recorded, and count to the 24.
        elsewhere = (
            TimeEntry.objects.filter(worker=worker, day=day)
            .exclude(category_set=own_set)
            .aggregate(h=Sum("hours"))["h"]
        )
        if sum(wanted.values(), elsewhere or Decimal(0)) > DAY_HOURS:
            raise DomainError(
                _("Suma godzin w dniu %(day)s przekracza 24 godziny.") % {"day": day.strftime("%d.%m.%Y")},
                field="day",
            )
        existing = {
            e.category: e
            for e in TimeEntry.objects.select_for_update().filter(worker=worker, day=day, category_set=own_set)
        }
        for category, entry in existing.items():
            if category not in wanted:
                entry._history_user = by
                entry.delete()
            elif entry.hours != wanted[category] or entry.target_group != target_group:
                entry.hours = wanted[category]
                entry.target_group = target_group
                record_save(entry, by=by)
        for category, hours in wanted.items():
            if category not in existing:
                entry = TimeEntry(
                    worker=worker,
                    day=day,
                    category_set=own_set,
                    category=category,
                    target_group=target_group,
                    hours=hours,
                )
                record_save(entry, by=by)
    return list(TimeEntry.objects.filter(worker=worker, day=day, category_set=own_set).order_by("category"))


def _other(category_set: str) -> str:
    return TimeCategorySet.SOCIAL if category_set == TimeCategorySet.BENEFITS else TimeCategorySet.BENEFITS
