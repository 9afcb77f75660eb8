"""Folding text for diacritics-insensitive search: "Łódź" → "lodz"."""

import unicodedata

# Letters that NFKD does not decompose into a base letter and a combining mark.
_SPECIAL = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
