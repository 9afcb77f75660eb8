"""What an edit form shows when its record changed after it was loaded (no lost updates).

A service refuses a stale version (``StaleVersionError``); the view then builds a ``Conflict``:
the fields where the record as it is now ("theirs") differs from what the user sent ("yours"),
who saved last and when (from django-simple-history), and it re-arms the form with the current
version. The form is shown again with the user's values, so a second submit is a deliberate
overwrite by someone who has seen the other version – never a silent one.
``templates/includes/conflict.html`` renders it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

EMPTY = "—"


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class Conflict:
    rows: list[ConflictRow] = field(default_factory=list)
    changed_by: str = ""
    changed_at: datetime.datetime | None = None


def _choice_labels(form_field: forms.Field | None) -> dict[str, str]:
    # Model choices render through str(); only plain choices need their labels (groups flattened).
    if form_field is None or isinstance(form_field, forms.ModelChoiceField) or not hasattr(form_field, "choices"):
        return {}
    labels = {}
    for key, label in form_field.choices:
        if isinstance(label, list | tuple):
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(key)] = str(label)
    return labels


def _items(value) -> list | None:
    if isinstance(value, models.Manager):
        return list(value.all())
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return list(value)
    return None


def display(value, form_field: forms.Field | None = None) -> str:
    """A value as the user reads it: choice labels, Polish dates, "tak"/"nie", a dash for nothing."""
    items = _items(value)
    if items is not None:
        return ", ".join(display(v, form_field) for v in items) or EMPTY
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("tak") if value else _("nie")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, models.Model):
        return str(value)
    labels = _choice_labels(form_field)
    if isinstance(value, models.Choices):
        # A saved value the form does not offer (a goal still "in progress") keeps its own label.
        return labels.get(str(value), str(value.label))
    return labels.get(str(value), str(value))


def _comparable(value):
    """Equal for what the user would call the same: a related object by its key, lists in any
    order, surrounding spaces and None/"" alike (the services strip and store "" for nothing)."""
    items = _items(value)
    if items is not None:
        return sorted(str(_comparable(v)) for v in items)
    if isinstance(value, models.Model):
        return value.pk
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    return value


def conflict_rows(
    form: forms.BaseForm,
    current: models.Model | Mapping,
    fields: Iterable[str],
    *,
    yours: Mapping | None = None,
) -> list[ConflictRow]:
    """The fields of ``fields`` whose value in ``current`` (the record as saved now, or a mapping
    of its values) differs from the form's cleaned data; ``yours`` overrides what the user sent
    where the service derives the saved value (e.g. the birth date from the PESEL)."""
    yours = yours or {}
    rows = []
    for name in fields:
        form_field = form.fields.get(name)
        theirs = current[name] if isinstance(current, Mapping) else getattr(current, name)
        mine = yours[name] if name in yours else form.cleaned_data.get(name)
        if _comparable(theirs) == _comparable(mine):
            continue
        label = form_field.label if form_field is not None and form_field.label else name
        rows.append(ConflictRow(label=str(label), theirs=display(theirs, form_field), yours=display(mine, form_field)))
    return rows


def last_change(instance: models.Model) -> tuple[str, datetime.datetime | None]:
    """Who saved the record last and when, from its history (no user: a command did it)."""
    history = getattr(instance, "history", None)
    if history is None:
        return "", None
    record = history.order_by("-history_date", "-history_id").select_related("history_user").first()
    if record is None:
        return "", None
    return (str(record.history_user) if record.history_user else ""), record.history_date


def rearm(form: forms.BaseForm, version: int, name: str = "version") -> None:
    """Put the current version in the form's hidden field, keeping everything the user typed:
    the next submit is then the deliberate overwrite of a version the user has seen."""
    data = form.data.copy()  # a QueryDict from the request is immutable
    data[form.add_prefix(name)] = str(version)
    form.data = data


def conflict_for(
    form: forms.BaseForm,
    instance: models.Model,
    fields: Iterable[str],
    *,
    current: Mapping | None = None,
    yours: Mapping | None = None,
) -> Conflict:
    """The conflict of ``form`` with ``instance`` freshly read from the database, and the form
    re-armed with ``instance.version``. ``current`` gives the values to compare when they are not
    attributes of the instance (e.g. the statuses of a contract's goals)."""
    rows = conflict_rows(form, current if current is not None else instance, fields, yours=yours)
    who, when = last_change(instance)
    rearm(form, instance.version)
    return Conflict(rows=rows, changed_by=who, changed_at=when)
