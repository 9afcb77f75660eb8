"""The columns of the RPŚ register (seed 000 VI.3), each declared once (issue 18.4).

A column says, in one place: its title; what it adds to the register's query (annotations);
which plain fields an export row reads for it; its value (read alike from a ``Case`` of
``register_cases`` on the page and from an export row, so the page, CSV, XLSX and PDF cannot
differ); how the page shows it, when not as plain text; its sort key; its filters; and whether it
is shown before the user chooses. Each app registers its own columns in its ``register_columns``
module (the register names no other app), found when the apps are ready.

A value is plain data (text, a date, a bool); ``text`` turns it into what a cell prints, once
for every format.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.html import format_html


@dataclass(frozen=True)
class Column:
    key: str  # its name in the address (?kolumny=…) and the sort (?sort=…)
    title: str
    value: Callable[[Any], object]
    position: int  # its place in the table, left first
    fields: tuple[str, ...] = ()  # the plain fields (values() names) an export row reads
    annotations: Mapping[str, Callable[[], Any]] = field(default_factory=dict)
    # Called once per page or export batch before the values are read (a lookup shared by the rows).
    prepare: Callable[[list], None] | None = None
    html: Callable[[Any], str] | None = None  # the page's cell, when not the plain text
    order: tuple[str, ...] = ()  # the sort, ascending; the descending one is derived
    filters: tuple[tuple[str, Callable[[Any], Any]], ...] = ()  # (name, a django-filter factory of the user)
    default: bool = True
    narrow: bool = False  # a yes/no column: a narrow, turned header
    css: str = "text-nowrap"  # the page's cell class

    @property
    def cell_class(self) -> str:
        return "register-flag" if self.narrow else self.css

    def text(self, row) -> str:
        return text(self.value(row))

    def cell(self, row) -> str:
        return self.html(row) if self.html is not None else format_html("{}", self.text(row))


def text(value) -> str:
    """A value as every format prints it: dates as dd.mm.yyyy (local), yes as "tak", no as empty."""
    if value is None or value is False:
        return ""
    if value is True:
        return "tak"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


_REGISTRY: dict[str, Column] = {}


def register(*columns: Column) -> None:
    for column in columns:
        if column.key in _REGISTRY:
            raise ValueError(f"register column {column.key!r} registered twice")
        _REGISTRY[column.key] = column


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("register_columns")


def all_columns() -> list[Column]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.position, c.key))


def get(key: str) -> Column | None:
    return _REGISTRY.get(key)


def chosen(keys: Iterable[str] | None) -> list[Column]:
    """The columns named (in table order), or the default ones; the case number is always first."""
    columns = all_columns()
    wanted = set(keys or ())
    picked = [c for c in columns if c.key in wanted] if wanted else [c for c in columns if c.default]
    if columns and columns[0] not in picked:
        picked.insert(0, columns[0])
    return picked


def annotations() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in all_columns():
        for name, make in column.annotations.items():
            out[name] = make()
    return out


def export_fields() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for column in all_columns():
        for name in column.fields:
            seen[name] = None
    return tuple(seen)


def orderings() -> dict[str, tuple[str, ...]]:
    """sort key → order_by(): ``numer`` and ``-numer`` for each sortable column; the primary key
    breaks ties so that a page is stable."""
    out: dict[str, tuple[str, ...]] = {}
    for column in all_columns():
        if column.order:
            tie = () if column.order[-1] in ("pk", "id", "number") else ("pk",)
            out[column.key] = (*column.order, *tie)
            out[f"-{column.key}"] = tuple(_desc(f) for f in (*column.order, *tie))
    return out


def _desc(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def prepare(columns: Iterable[Column], rows: list) -> None:
    for column in columns:
        if column.prepare is not None:
            column.prepare(rows)


def filters(user) -> list[tuple[str, Any]]:
    """Every column's filters for this user (some offer the user's institution's choices)."""
    return [(name, make(user)) for column in all_columns() for name, make in column.filters]
