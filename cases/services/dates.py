"""Plausible dates (issue 16.2): the date of an entry is the day something happened, and the
record is the centre's official documentation, so a typo must not become a fact.

An entry's date may not be in the future, nor before the report that opened the case, nor
before the birth of the person it is about; a date older than the institution's
``backdate_confirm_days`` is accepted only with the user's explicit confirmation (the worker who
writes up last month's visit says so; one who typed 1926 for 2026 is stopped).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, ClientMember
from cases.pesel import pesel_birth_date
from mopr.errors import DomainError


class DateNeedsConfirmation(DomainError):
    """The date is possible but long past: the form asks the user to confirm it."""


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _birth(person: ClientMember) -> datetime.date | None:
    if person.birth_date:
        return person.birth_date
    if len(person.pesel or "") == 11:
        try:
            return pesel_birth_date(person.pesel)
        except ValueError:
            return None
    return None


def entry_date_check(
    *,
    case: Case,
    value: datetime.date | datetime.datetime | None,
    field: str,
    person: ClientMember | None = None,
    confirmed: bool = False,
) -> None:
    """Refuse an implausible date of an entry of ``case`` with a Polish message at ``field``."""
    if value is None:
        return
    now = timezone.now() if isinstance(value, datetime.datetime) else timezone.localdate()
    if value > now:
        raise DomainError(_("Data nie może być z przyszłości."), field=field)
    day = _day(value)
    reported = timezone.localdate(case.reported_at)
    if day < reported:
        raise DomainError(
            _("Data nie może być wcześniejsza niż zgłoszenie, które otworzyło sprawę (%(d)s).")
            % {"d": reported.strftime("%d.%m.%Y")},
            field=field,
        )
    born = _birth(person) if person is not None else None
    if born and day < born:
        raise DomainError(
            _("Data nie może być wcześniejsza niż urodzenie osoby, której dotyczy wpis (%(d)s).")
            % {"d": born.strftime("%d.%m.%Y")},
            field=field,
        )
    days = case.institution.backdate_confirm_days
    if not confirmed and (timezone.localdate() - day).days > days:
        raise DateNeedsConfirmation(
            _(
                "To data sprzed ponad %(n)s dni (%(d)s). Jeśli jest prawidłowa, zaznacz potwierdzenie poniżej "
                "i zapisz ponownie."
            )
            % {"n": days, "d": day.strftime("%d.%m.%Y")},
            field=field,
        )
