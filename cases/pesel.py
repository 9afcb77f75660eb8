"""PESEL: the 11-digit national identification number, with its checksum and birth date."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
# The month field carries the century: 1800s +80, 1900s +0, 2000s +20, 2100s +40, 2200s +60.
_CENTURY_BY_OFFSET = {80: 1800, 0: 1900, 20: 2000, 40: 2100, 60: 2200}


def pesel_checksum_ok(pesel: str) -> bool:
    if len(pesel) != 11 or not (pesel.isascii() and pesel.isdigit()):
        return False
    total = sum(int(d) * w for d, w in zip(pesel[:10], _WEIGHTS, strict=True))
    return (10 - total % 10) % 10 == int(pesel[10])


def pesel_birth_date(pesel: str) -> datetime.date | None:
    """The birth date encoded in a PESEL, or None if it does not encode a real date."""
    if len(pesel) != 11 or not (pesel.isascii() and pesel.isdigit()):
        return None
    year, month, day = int(pesel[0:2]), int(pesel[2:4]), int(pesel[4:6])
    offset = (month // 20) * 20
    century = _CENTURY_BY_OFFSET.get(offset)
    if century is None:
        return None
    try:
        return datetime.date(century + year, month - offset, day)
    except ValueError:
        return None


def validate_pesel(value: str) -> None:
    """Form validator with a Polish message at the field."""
    if not value:
        return
    if len(value) != 11 or not (value.isascii() and value.isdigit()):  # not "²", not "٣"
        raise ValidationError(_("PESEL składa się z 11 cyfr."), code="pesel_format")
    if not pesel_checksum_ok(value):
        raise ValidationError(_("Nieprawidłowy PESEL: cyfra kontrolna się nie zgadza."), code="pesel_checksum")
    if pesel_birth_date(value) is None:
        raise ValidationError(_("Nieprawidłowy PESEL: nie zawiera poprawnej daty urodzenia."), code="pesel_date")
