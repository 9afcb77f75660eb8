"""Exports of the register: CSV and XLSX streamed row by row, PDF for what fits on paper.

- The columns are one table (``COLUMNS``) for all three formats.
- A cell that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab or
  carriage return – also after any separator a spreadsheet may split on) is written as text: in
  CSV prefixed with an apostrophe and every field quoted, in XLSX stored as a string cell (never
  a formula cell) with its text intact.
- CSV streams from the database cursor in chunks; XLSX uses openpyxl's write-only mode, which
  keeps only the current row in memory and writes the rest to a temporary file.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from registers.selectors import resigned

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold (control characters typed or pasted into a field, U+FFFE, U+FFFF): openpyxl
# refuses the first and writes the others into a file no spreadsheet opens. Left out of the XLSX.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Above this many rows the PDF is refused: paper is not the place for it; CSV and XLSX are.
PDF_MAX_ROWS = 1000


# A spreadsheet that splits the file on another separator than ours (",", tab, "|") would start a new
# cell after it: a formula start after any of them is neutralised too (issue 14.8: "Jan,=1+1").
_AFTER_SEPARATOR = re.compile(r"([,;\t|\r\n])(\s*)(?=[=+\-@])")


def safe_cell(value) -> str:
    """A text cell that no spreadsheet will evaluate, however it splits the line into cells."""
    text = "" if value is None else str(value)
    # Searched first: most cells have nothing to replace, and 170,000 substitutions were a third of a
    # 10,000-row export.
    if _AFTER_SEPARATOR.search(text):
        text = _AFTER_SEPARATOR.sub(r"\1\2'", text)
    starts = text.startswith(FORMULA_PREFIXES) or text.lstrip().startswith(FORMULA_PREFIXES)
    return "'" + text if starts else text


def _d(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d.%m.%Y")


def _yes(value) -> str:
    return str(_("tak")) if value else ""


COLUMNS: list[tuple[str, Callable[[Case], object]]] = [
    (_("Numer sprawy"), lambda c: c.number),
    (_("Klient"), lambda c: c.client.display_name),
    (_("Adres"), lambda c: c.client.address),
    (_("Rejon"), lambda c: c.region.code),
    (_("Pracownik socjalny"), lambda c: c.worker.get_full_name() if c.worker else ""),
    (_("Etap"), lambda c: c.get_stage_display()),
    (_("Data zgłoszenia"), lambda c: _d(c.reported_at)),
    (_("Początek pracy socjalnej"), lambda c: _d(c.social_work_started_at)),
    (_("Kontrakt socjalny"), lambda c: _d(c.contract_signed_on)),
    (_("Data zakończenia"), lambda c: _d(c.closed_at)),
    (_("Asystent rodziny"), lambda c: _yes(c.has_assistant)),
    (_("Niebieska Karta"), lambda c: _yes(c.niebieska_karta)),
    (_("Krzywdzenie dziecka"), lambda c: _yes(c.child_abuse)),
    (_("Dziecko w pieczy zastępczej"), lambda c: _yes(c.foster_care)),
    (_("Rezygnacja z pracy socjalnej"), lambda c: _yes(resigned(c))),
    (_("Monitoring (odmowa pomocy)"), lambda c: _yes(c.stage == "monitoring")),
    (_("Terminy przekroczone"), lambda c: _yes(c.overdue)),
]


def header() -> list[str]:
    return [str(title) for title, _value in COLUMNS]


def row(case: Case) -> list[str]:
    return [safe_cell(value(case)) for _title, value in COLUMNS]


def raw_row(case: Case) -> list[str]:
    return ["" if (v := value(case)) is None else str(v) for _title, value in COLUMNS]


class _Echo:
    """csv.writer writes into this and gets the line back, for a streaming response."""

    def write(self, value):
        return value


def csv_lines(cases: Iterable[Case]) -> Iterator[str]:
    # Every field quoted: a value with a comma stays one cell also where "," is taken as the separator.
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_ALL)
    yield "\ufeff"  # the BOM lets Excel read the Polish letters as UTF-8
    yield writer.writerow(header())
    for case in cases:
        yield writer.writerow(row(case))


def xlsx_file(cases: Iterable[Case], *, title: str):
    """An XLSX written row by row to a temporary file; returns the open file, at its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    heading = []
    for text in header():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for case in cases:
        cells = []
        for text in raw_row(case):
            cell = WriteOnlyCell(sheet, value=NOT_IN_XML.sub("", text))
            cell.data_type = "s"  # a string cell: "=SUM(A1)" stays text, never a formula
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; the FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
