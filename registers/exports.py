"""Exports of the register: CSV and XLSX streamed row by row, PDF for what fits on paper.

- The columns are the register's (``registers.columns``), those the user chose, for all three formats.
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
from decimal import Decimal

from registers.columns import Column

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


def header(shown: list[Column]) -> list[str]:
    return [str(column.title) for column in shown]


def row(case, shown: list[Column]) -> list[str]:
    return [safe_cell(column.text(case)) for column in shown]


def raw_row(case, shown: list[Column]) -> list[str]:
    return [column.text(case) for column in shown]


class _Echo:
    """csv.writer writes into this and gets the line back, for a streaming response."""

    def write(self, value):
        return value


# About what a network packet or two carries: one HTTP chunk per row cost 1.47× over real HTTP (issue 18.6).
CSV_CHUNK = 64 * 1024


def csv_lines(cases: Iterable, shown: list[Column]) -> Iterator[str]:
    """The CSV in chunks of about ``CSV_CHUNK`` characters (each a whole number of rows)."""
    # Every field quoted: a value with a comma stays one cell also where "," is taken as the separator.
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_ALL)
    # The BOM lets Excel read the Polish letters as UTF-8.
    buffer = ["\ufeff", writer.writerow(header(shown))]
    size = 0
    for case in cases:
        line = writer.writerow(row(case, shown))
        buffer.append(line)
        size += len(line)
        if size >= CSV_CHUNK:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def xlsx_file(cases: Iterable, *, title: str, shown: list[Column]):
    """The register as XLSX, written row by row to a temporary file; returns the open file, at its start."""
    return xlsx_table(header(shown), (raw_row(case, shown) for case in cases), title=title)


def xlsx_table(heading: list[str], rows: Iterable[list], *, title: str):
    """Any table as XLSX (openpyxl's write-only mode: one row in memory): a bold header, texts as
    string cells (never a formula), numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    cells = []
    for text in heading:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for values in rows:
        cells = []
        for value in values:
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
            else:
                cell = WriteOnlyCell(sheet, value=NOT_IN_XML.sub("", str(value)))
                cell.data_type = "s"  # a string cell: "=SUM(A1)" stays text, never a formula
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; the FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def csv_table(heading: list[str], rows: Iterable[list], *, text: Callable[[object], str] = str) -> str:
    """A small table as CSV text, written as the register's (";", every field quoted, BOM, formulas
    made text); ``text`` writes a value (the time summaries' hours: "7,5")."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_ALL)
    lines = ["\ufeff", writer.writerow([safe_cell(str(t)) for t in heading])]
    lines += [writer.writerow([safe_cell(text(v)) for v in values]) for values in rows]
    return "".join(lines)
