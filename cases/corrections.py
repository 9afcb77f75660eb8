"""Which entries can be corrected or withdrawn, and how (issue 16.1): registered once per kind,
by the app that owns it (cases in its ``entry_kinds`` module), as the kinds of entry are.

A ``Correctable`` names the kind in URLs (``slug``), its model, the form that edits it (the
same form that records it, so the same shape checks apply), the fields a correction may not
change (a decision that moved the case on is undone by the procedure, not by a correction),
whether it may be withdrawn, and a ``check`` of its own rules the services apply as when it
was recorded.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from cases.timeline import d


@dataclass(frozen=True)
class Correctable:
    slug: str
    model: type[models.Model]
    form: type  # a ModelForm taking ``instance`` and ``case``
    exclude: tuple[str, ...] = ()
    withdrawable: bool = True
    check: Callable[[models.Model, models.Model], None] | None = None  # (entry, case); raises DomainError

    def fields(self, form) -> list[str]:
        return [n for n in form.fields if n not in (*self.exclude, "date_confirmed", "version", "other_person")]


_BY_SLUG: dict[str, Correctable] = {}
_BY_MODEL: dict[type[models.Model], Correctable] = {}


def register_correctable(*kinds: Correctable) -> None:
    for kind in kinds:
        _BY_SLUG[kind.slug] = kind
        _BY_MODEL[kind.model] = kind


def correctable(slug: str) -> Correctable | None:
    return _BY_SLUG.get(slug)


def correctable_for(obj: models.Model) -> Correctable | None:
    return _BY_MODEL.get(type(obj))


def display(obj: models.Model, name: str) -> str:
    """A value as the karta writes it."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value in (None, "", []):
        return "—"
    if field.choices and not isinstance(value, list):
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, list):
        labels = getattr(obj, f"{name[:-1]}_labels", None) if name.endswith("s") else None  # problem_area_labels
        return ", ".join(labels if labels is not None else (str(v) for v in value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return d(value)
    if isinstance(value, bool):
        return "tak" if value else "nie"
    return str(value)


def label_of(obj: models.Model) -> str:
    """ "Wizyta z dnia 01.02.2026": the entry as a reader finds it in the karta."""
    name = str(obj._meta.verbose_name).capitalize()
    date_field = getattr(obj, "date_field", None) or ("received_at" if hasattr(obj, "received_at") else None)
    if date_field and getattr(obj, date_field, None):
        value = getattr(obj, date_field)
        day = timezone.localdate(value) if isinstance(value, datetime.datetime) else value
        return f"{name} z dnia {d(day)}"
    return name


def verbose(obj: models.Model, name: str) -> str:
    return str(obj._meta.get_field(name).verbose_name)
