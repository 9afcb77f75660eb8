"""Exports of a time summary (seed 004): one flat table – team, standards, workers – in CSV and
XLSX. The cell rules are the register's (``registers.exports``: ``safe_cell`` for CSV, string
cells without what XML cannot hold for XLSX); a summary is small, so it is built in memory.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from registers.exports import NOT_IN_XML, safe_cell
from registers.selectors_time import MonthSummary, RangeSummary, hours_text, percent


def header() -> list[str]:
    return [
        _("Zestawienie"),
        _("Okres"),
        _("Zespół / standard / pracownik"),
        _("Stanowisko (zestaw kategorii)"),
        _("Kategoria"),
        _("Opis"),
        _("Nakładka"),
        _("Godziny"),
        _("%"),
    ]


def _table(kind: str, name: str, period: str, summary: MonthSummary) -> Iterator[list]:
    for row in summary.rows:
        yield [kind, period, name, summary.set_label, row.category, row.description,
               _("tak") if row.overlay else "", row.hours, row.percent]  # fmt: skip
    yield [kind, period, name, summary.set_label, _("Razem"), "", "", summary.total, summary.percent_total]


def rows(summary: RangeSummary, *, team_label: str) -> Iterator[list]:
    """The team's tables per set, then per standard, then each person's: values, not text."""
    period = summary.label
    for table in summary.by_set:
        yield from _table(_("zespół"), team_label, period, table)
    for table in summary.by_standard:
        yield from _table(_("standard"), table.title, period, table)
    for table in summary.by_set:
        for person in table.workers:
            for (letter, _text), hours, row in zip(person.cells, person.hours, table.rows, strict=True):
                yield [_("pracownik"), period, person.worker.get_full_name() or person.worker.username,
                       table.set_label, letter, row.description, _("tak") if row.overlay else "",
                       hours, percent(hours, person.total)]  # fmt: skip


def _text(value) -> str:
    """Hours as the page writes them (7,5); percents as they are."""
    if isinstance(value, str):
        return value
    return hours_text(value) if isinstance(value, Decimal) else str(value)


def csv_text(summary: RangeSummary, *, team_label: str) -> str:
    """The CSV as the register's: ";" between fields, all quoted, a BOM, no cell a formula."""
    out = io.StringIO()
    out.write("\ufeff")  # the BOM lets Excel read the Polish letters as UTF-8
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(header())
    for line in rows(summary, team_label=team_label):
        writer.writerow([safe_cell(_text(value)) for value in line])
    return out.getvalue()


def xlsx_file(summary: RangeSummary, *, team_label: str, title: str):
    """An XLSX: texts as string cells (never a formula), hours and percents as numbers."""
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
    for line in rows(summary, team_label=team_label):
        cells = []
        for value in line:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=NOT_IN_XML.sub("", value))
                cell.data_type = "s"  # a string cell: "=SUM(A1)" stays text, never a formula
            else:
                cell = WriteOnlyCell(sheet, value=float(value))
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; the FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
