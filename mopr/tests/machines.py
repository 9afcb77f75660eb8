"""What the two stateful machines share (cases/tests/test_workflow_machine.py,
assistants/tests/test_approval_machine.py): their settings, what a refusal is, and the
fingerprint that proves a refused step saved nothing."""

from __future__ import annotations

import functools
import os

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from hypothesis import HealthCheck, settings

from mopr.errors import DomainError

EXAMPLES = int(os.environ.get("HYPOTHESIS_STATEFUL_EXAMPLES", 500))

# derandomize: CI replays the same examples on every run, so a red build is reproducible from its
# log alone and a green one does not turn red on a lucky draw; database=None keeps the checkout free
# of a .hypothesis folder. HYPOTHESIS_STATEFUL_RANDOM=1 explores fresh sequences when run by hand.
MACHINE_SETTINGS = settings(
    max_examples=EXAMPLES,
    # Fifteen steps from a start drawn along the procedure: deep enough to try every door around it,
    # cheap enough for 500 examples on two cores (PostgreSQL pays a round trip per statement).
    stateful_step_count=15,
    deadline=None,
    derandomize=not os.environ.get("HYPOTHESIS_STATEFUL_RANDOM"),
    database=None,
    # Every step is real database work, and a step not applicable to the state is a precondition's
    # rejection: neither is a sign of a bad test.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    print_blob=True,
)

# What a refusal looks like: the gate of a view (404 not visible, 403 not allowed) or a domain error
# of the service (DomainError, and its TransitionRefused and StaleVersionError).
REFUSED = (DomainError, PermissionDenied, Http404)


@functools.cache
def tables(model) -> list[str]:
    """The fingerprint's keys that change when ``model``'s rows do."""
    keys = [model._meta.db_table, f"version:{model._meta.db_table}"]
    if hasattr(model, "history"):
        keys.append(model.history.model._meta.db_table)
    return keys


def fingerprint_sql(app_labels: tuple[str, ...], versioned: tuple, extra: tuple = ()) -> tuple[list[str], str]:
    """Row counts of the apps' tables – of a tracked model its history table, which grows with
    every save – the sums of the versions of ``versioned``, and ``extra`` (key, SQL) pairs, in one
    query."""
    quote = connection.ops.quote_name
    keys, parts = [], []
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            table = model.history.model._meta.db_table if hasattr(model, "history") else model._meta.db_table
            if table not in keys:
                keys.append(table)
                parts.append(f"(SELECT COUNT(*) FROM {quote(table)})")
    for model in versioned:
        keys.append(f"version:{model._meta.db_table}")
        parts.append(f"(SELECT COALESCE(SUM({quote('version')}), 0) FROM {quote(model._meta.db_table)})")
    for key, sql in extra:
        keys.append(key)
        parts.append(f"({sql})")
    return keys, "SELECT " + ", ".join(parts)


def fingerprint(keys_and_sql: tuple[list[str], str]) -> dict[str, int]:
    """What a refused step must leave as it was ("nothing has been saved", docs/architecture.md)."""
    keys, sql = keys_and_sql
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(keys, cursor.fetchone(), strict=True))
