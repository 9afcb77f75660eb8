"""The two moves every writing service makes with a record (issue 16.11), written once.

- ``record_lock``: lock the row for this transaction and refuse a form that was loaded at
  another version of it (no lost updates: the user is told to look again, nothing is
  overwritten unseen);
- ``record_save``: save with the actor as the history's user (django-simple-history reads
  ``_history_user``; a management command has no request to take it from) and, for a record
  that carries a version, bump it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models

from mopr.errors import StaleVersionError

M = TypeVar("M", bound=models.Model)


def record_lock(
    rows: type[M] | models.QuerySet[M],
    pk,
    *,
    expected_version: int | None,
    stale: str,
    ask: Callable[[M], None] | None = None,
) -> M:
    """The row ``pk`` of ``rows`` (a model or a queryset with its select_related), locked until
    the transaction ends; ``StaleVersionError(stale)`` if the form saw another version. ``ask``
    puts the row's own questions (the access policy) first: a user who may not act is told so,
    not that the record changed meanwhile."""
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    locked = queryset.select_for_update().get(pk=pk)
    if ask is not None:
        ask(locked)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(stale)
    return locked


def record_save(obj: models.Model, *, by, bump_version: bool = False, **save_kwargs) -> None:
    """Save ``obj`` as ``by``'s act in its history; ``bump_version`` for a versioned record."""
    if bump_version:
        obj.version += 1
    if obj._state.adding and getattr(obj, "covering_for_id", False) is None:
        _mark_cover(obj, by)
    obj._history_user = by
    obj.save(**save_kwargs)


def _mark_cover(obj: models.Model, by) -> None:
    """A new record of a case written by a substitute says whom they stood in for (issue 17.1)."""
    from mopr import policy

    case = getattr(obj, "case", None)
    if case is None and getattr(obj, "contract", None) is not None:
        case = obj.contract.case
    if case is not None:
        obj.covering_for_id = policy.acting_for(by, case)
