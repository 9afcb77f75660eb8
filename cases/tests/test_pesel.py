import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.pesel import pesel_birth_date, pesel_checksum_ok, validate_pesel
from mopr.text import fold


@pytest.mark.parametrize(
    ("pesel", "born"),
    [
        ("44051401359", datetime.date(1944, 5, 14)),
        ("02270803628", datetime.date(2002, 7, 8)),
        ("90090515836", datetime.date(1990, 9, 5)),
        ("80810112349", datetime.date(1880, 1, 1)),  # month + 80: the 19th century
        ("02320112349", datetime.date(2002, 12, 1)),  # month + 20: the 21st century
        ("02330112349", None),  # month 13 does not exist
    ],
)
def test_birth_date_from_pesel(pesel, born):
    assert pesel_birth_date(pesel) == born


def test_checksum():
    assert pesel_checksum_ok("44051401359")
    assert not pesel_checksum_ok("44051401358")
    assert not pesel_checksum_ok("4405140135")
    assert not pesel_checksum_ok("4405140135a")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("123", "11 cyfr"),
        ("4405140135x", "11 cyfr"),
        ("44051401358", "cyfra kontrolna"),
        ("44023001350", "daty urodzenia"),  # 30 February, checksum adjusted below
    ],
)
def test_validator_messages(value, message):
    if message == "daty urodzenia":
        # Build a PESEL with a correct checksum for the impossible date 1944-02-30.
        body = "4402300135"
        weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
        value = body + str((10 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 10) % 10)
    with pytest.raises(ValidationError, match=message):
        validate_pesel(value)


def test_empty_pesel_is_allowed():
    validate_pesel("")


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Łódź", "lodz"), ("ŻÓŁKIEWSKA  Łucja", "zolkiewska lucja"), ("Brzęczyszczykiewicz", "brzeczyszczykiewicz")],
)
def test_fold(text, folded):
    assert fold(text) == folded
