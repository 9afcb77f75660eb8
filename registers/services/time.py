"""Every write of the time accounting (seed 004, the Toruń pilot: categories A–I).

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
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.errors import DomainError
from mopr.models import User
from mopr.policy import time_may_record
from mopr.records import record_save
from registers.models import TimeCategory, TimeEntry

DAY_HOURS = Decimal(24)


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
    *, worker: User, day: datetime.date, hours_by_category: Mapping[str, Decimal], by: User
) -> list[TimeEntry]:
    """Set ``worker``'s hours of ``day`` to ``hours_by_category`` ({"A": Decimal("3.5"), …}).

    Refuses: a person who may not record this worker's time; a day in the future; an unknown
    category; a negative number, more than 24 h in a category, or more than 24 h in the day."""
    if not time_may_record(by, worker):
        if by.pk == worker.pk:
            raise DomainError(_("Czas pracy rejestrują pracownicy socjalni, pracownicy ds. świadczeń i koordynatorzy."))
        raise DomainError(
            _("Czas pracy innej osoby może poprawić tylko koordynator rejonu, w którym ta osoba pracuje.")
        )
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise DomainError(_("Podaj dzień."), field="day")
    if day > timezone.localdate():
        raise DomainError(_("Nie można wpisać czasu pracy za dzień z przyszłości."), field="day")
    unknown = sorted(set(hours_by_category) - set(TimeCategory.values))
    if unknown:
        raise DomainError(_("Nieznana kategoria czasu pracy: %(c)s.") % {"c": ", ".join(map(str, unknown))})
    wanted = {c: _hours(c, v) for c, v in hours_by_category.items()}
    wanted = {c: h for c, h in wanted.items() if h}
    if sum(wanted.values(), Decimal(0)) > DAY_HOURS:
        raise DomainError(
            _("Suma godzin w dniu %(day)s przekracza 24 godziny.") % {"day": day.strftime("%d.%m.%Y")}, field="day"
        )

    with transaction.atomic():
        # One writer per worker at a time: the worker's row is the lock (two tabs, a coordinator).
        User.objects.select_for_update().filter(pk=worker.pk).first()
        existing = {e.category: e for e in TimeEntry.objects.select_for_update().filter(worker=worker, day=day)}
        for category, entry in existing.items():
            if category not in wanted:
                entry._history_user = by
                entry.delete()
            elif entry.hours != wanted[category]:
                entry.hours = wanted[category]
                record_save(entry, by=by)
        for category, hours in wanted.items():
            if category not in existing:
                entry = TimeEntry(worker=worker, day=day, category=category, hours=hours)
                record_save(entry, by=by)
    return list(TimeEntry.objects.filter(worker=worker, day=day).order_by("category"))
