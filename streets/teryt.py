"""Reading GUS's TERYT ULIC file (the register of streets): ``;``-separated with a header row –
WOJ, POW, GMI, RODZ_GMI, SYM, SYM_UL, CECHA, NAZWA_1, NAZWA_2, STAN_NA – in UTF-8 with or
without a BOM, older files in windows-1250; GUS hands it out zipped, so a ZIP with the CSV in it
is read too. Pure: no database; ``streets.services.street_import`` writes what this reads.

Plain ``csv`` rather than tablib (which the project has for issue 19.4's import): tablib reads a
CSV through ``csv`` as well, but into a whole Dataset, after the encoding is known, without the
line number of a row – and the national file has ~270,000 rows, of which a centre wants one
municipality's, each refused row named by its line."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mopr.errors import DomainError
from streets.models import _folded

COLUMNS = ("WOJ", "POW", "GMI", "RODZ_GMI", "SYM", "SYM_UL", "CECHA", "NAZWA_1", "NAZWA_2", "STAN_NA")
GMINA_CODE = re.compile(r"\d{7}")
# The whole national file is ~25 MB; a bigger one is not TERYT ULIC.
MAX_BYTES = 64 * 1024 * 1024
_DIGITS = {"WOJ": 2, "POW": 2, "GMI": 2, "RODZ_GMI": 1, "SYM": 7, "SYM_UL": 5}
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class TerytRow:
    line: int
    woj: str
    pow: str
    gmi: str
    rodz_gmi: str
    sym: str
    sym_ul: str
    cecha: str
    nazwa_1: str
    nazwa_2: str
    stan_na: datetime.date | None

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.cecha, self.nazwa_2, self.nazwa_1) if part)

    @property
    def key(self) -> str:
        return _folded(self.nazwa_1)

    @property
    def full_key(self) -> str:
        return _folded(f"{self.nazwa_2} {self.nazwa_1}")


@dataclass
class Parsed:
    rows: list[TerytRow] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    other_gmina: int = 0
    encoding: str = ""


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding found: a BOM says UTF-8; without one UTF-8 if it decodes
    (windows-1250's Polish letters are never valid UTF-8 sequences), else windows-1250."""
    if data[:4] == b"PK\x03\x04":
        data = _unzip(data)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as error:
            raise DomainError(_("Plik zaczyna się znacznikiem UTF-8, ale nie jest w UTF-8."), field="file") from error
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1250"), "windows-1250"
    except UnicodeDecodeError as error:
        raise DomainError(_("Nie rozpoznano kodowania pliku (ani UTF-8, ani windows-1250)."), field="file") from error


def _unzip(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if len(members) != 1:
                raise DomainError(_("W archiwum ZIP powinien być jeden plik CSV rejestru ULIC."), field="file")
            if members[0].file_size > MAX_BYTES:
                raise DomainError(_("Plik w archiwum jest za duży jak na rejestr ULIC."), field="file")
            with archive.open(members[0]) as inner:
                return inner.read(MAX_BYTES + 1)[:MAX_BYTES]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as error:
        raise DomainError(_("Nie udało się otworzyć archiwum ZIP."), field="file") from error


def parse(data: bytes, *, gmina_code: str) -> Parsed:
    """The rows of the municipality ``gmina_code`` (WOJ+POW+GMI+RODZ_GMI); other municipalities'
    rows are counted, malformed rows named with their line and a reason."""
    if not GMINA_CODE.fullmatch(gmina_code or ""):
        raise DomainError(_("Kod gminy TERYT to 7 cyfr: WOJ, POW, GMI i RODZ_GMI, np. 0463011."), field="gmina_code")
    if not data:
        raise DomainError(_("Plik jest pusty."), field="file")
    if len(data) > MAX_BYTES:
        raise DomainError(_("Plik jest za duży jak na rejestr ULIC."), field="file")
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise DomainError(_("To nie jest plik CSV rejestru ULIC."), field="file") from error
    names = [cell.strip().strip('"').upper() for cell in header or []]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise DomainError(
            _("To nie jest plik TERYT ULIC: brak kolumn %(columns)s (pierwszy wiersz to nagłówek, pola rozdziela „;”).")
            % {"columns": ", ".join(missing)},
            field="file",
        )
    at = {column: names.index(column) for column in COLUMNS}
    parsed, seen = Parsed(encoding=encoding), {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            parsed.rejected.append((reader.line_num, _("wiersz nie jest poprawnym wierszem CSV")))
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            why = _("wiersz ma %(n)s pól zamiast %(m)s") % {"n": len(cells), "m": len(names)}
            parsed.rejected.append((line, why))
            continue
        value = {column: cells[at[column]].strip() for column in COLUMNS}
        bad_code = next((c for c in ("WOJ", "POW", "GMI", "RODZ_GMI") if not _is_code(value[c], c)), None)
        if bad_code is None and "".join(value[c] for c in ("WOJ", "POW", "GMI", "RODZ_GMI")) != gmina_code:
            parsed.other_gmina += 1
            continue
        why = _row_problem(value, bad_code)
        if why is None and (value["SYM"], value["SYM_UL"]) in seen:
            why = _("ta sama ulica (SYM %(sym)s, SYM_UL %(sym_ul)s) jest już w wierszu %(line)s") % {
                "sym": value["SYM"], "sym_ul": value["SYM_UL"], "line": seen[value["SYM"], value["SYM_UL"]]
            }  # fmt: skip
        if why is not None:
            parsed.rejected.append((line, why))
            continue
        seen[value["SYM"], value["SYM_UL"]] = line
        parsed.rows.append(
            TerytRow(
                line=line, woj=value["WOJ"], pow=value["POW"], gmi=value["GMI"], rodz_gmi=value["RODZ_GMI"],
                sym=value["SYM"], sym_ul=value["SYM_UL"], cecha=value["CECHA"], nazwa_1=value["NAZWA_1"],
                nazwa_2=value["NAZWA_2"], stan_na=_date(value["STAN_NA"]),
            )
        )  # fmt: skip
    return parsed


def _is_code(value: str, column: str) -> bool:
    return len(value) == _DIGITS[column] and value.isascii() and value.isdigit()


def _row_problem(value: dict[str, str], bad_code: str | None) -> str | None:
    """Why a row of the municipality cannot be read, in Polish; None for a good row."""
    if bad_code is not None:
        return _("kolumna %(column)s powinna mieć %(n)s cyfr(y), jest „%(value)s”") % {
            "column": bad_code, "n": _DIGITS[bad_code], "value": value[bad_code][:20]
        }  # fmt: skip
    for column in ("SYM", "SYM_UL"):
        if not _is_code(value[column], column):
            return _("kolumna %(column)s powinna mieć %(n)s cyfr, jest „%(value)s”") % {
                "column": column, "n": _DIGITS[column], "value": value[column][:20]
            }  # fmt: skip
    if not value["NAZWA_1"]:
        return _("brak nazwy ulicy (NAZWA_1)")
    for column, longest in (("NAZWA_1", 100), ("NAZWA_2", 100), ("CECHA", 10)):
        if len(value[column]) > longest:
            return _("kolumna %(column)s jest dłuższa niż %(n)s znaków") % {"column": column, "n": longest}
        if _BAD_CHARS.search(value[column]):
            return _("kolumna %(column)s zawiera znak sterujący") % {"column": column}
    if value["STAN_NA"] and _date(value["STAN_NA"]) is None:
        return _("data STAN_NA „%(value)s” nie jest datą RRRR-MM-DD") % {"value": value["STAN_NA"][:20]}
    return None


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
