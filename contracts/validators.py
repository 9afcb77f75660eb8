"""The Polish identity card number: three letters (the series) and six digits, the first of
which is a check digit over the rest (weights 7, 3, 1, –, 7, 3, 1, 7, 3; letters A=10 … Z=35)."""

import re

_PATTERN = re.compile(r"^[A-Z]{3}[0-9]{6}$")  # ASCII digits: \d also takes "٣"
_WEIGHTS = (7, 3, 1, 0, 7, 3, 1, 7, 3)


def _value(ch: str) -> int:
    return ord(ch) - 55 if ch.isalpha() else int(ch)


def id_card_ok(value: str) -> bool:
    value = (value or "").replace(" ", "").upper()
    if not _PATTERN.match(value):
        return False
    total = sum(_value(ch) * w for ch, w in zip(value, _WEIGHTS, strict=True))
    return total % 10 == int(value[3])
