"""Exports of a time summary (seed 004): one flat table – team, standards, workers – in CSV and
XLSX. The cell rules are the register's (``registers.exports``: ``safe_cell`` for CSV, string
cells without what XML cannot hold for XLSX); a summary is small, so it is built in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from registers import exports as register_exports
from timesheets.selectors import MonthSummary, RangeSummary, hours_text, percent


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
    return register_exports.csv_table(header(), rows(summary, team_label=team_label), text=_text)


def xlsx_file(summary: RangeSummary, *, team_label: str, title: str):
    """An XLSX: texts as string cells (never a formula), hours and percents as numbers."""
    return register_exports.xlsx_table(header(), rows(summary, team_label=team_label), title=title)
