"""Keeping ``DeadlineSummary`` – the deadline engine's verdict on each case – fresh enough for SQL.

Two writes: ``deadline_summaries_invalidate`` (a fact of these cases changed, their summaries are
stale) and ``deadline_summaries_refresh`` (recompute the stale summaries among some cases, before
a filter or an export reads them).

Concurrency: the invalidation writes the summary row (creating it if need be) inside the
writer's transaction, and the refresh recomputes only rows it has locked (skipping the ones a
writer holds), so a verdict computed from facts older than a committed change never lands over
that change's invalidation: either the writer waits for the refresh to commit and then marks
the row stale, or the refresh skips the row, or it reads the facts after the writer committed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases import deadlines
from cases.models import Case, DeadlineSummary
from mopr.models import Institution


def deadline_summaries_invalidate(*, case_ids: Iterable[int]) -> None:
    """The facts of these cases changed: their summaries must be computed again before use."""
    rows = [DeadlineSummary(case_id=pk, valid_until=None) for pk in sorted(set(case_ids))]
    if rows:
        # An upsert, not an update: a row that does not exist yet must still be claimed, or a
        # refresh running now could create it from facts this transaction has not committed yet.
        DeadlineSummary.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["case"], update_fields=["valid_until"]
        )


def deadline_summaries_invalidate_institution(*, institution_id: int) -> None:
    """The institution's intervals changed: every due date of its cases may have moved."""
    DeadlineSummary.objects.filter(case__institution_id=institution_id).update(valid_until=None)


def stale(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases among ``cases`` whose summary is invalidated or out of date today. Read from the
    summaries' own index: every case has its row from the moment it exists (the database writes
    it, cases 0028), so no case needs to be looked for among the rows that are missing."""
    expired = DeadlineSummary.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__lte=timezone.localdate()))
    # Any queryset of cases (annotated, grouped, ordered) is reduced to its ids first.
    return Case.objects.filter(pk__in=expired.values("case_id")).filter(pk__in=cases.order_by().values("pk"))


def deadline_summaries_refresh(*, cases: QuerySet[Case], chunk: int = 2000) -> int:
    """Recompute the stale summaries among ``cases``, ``chunk`` cases per transaction; returns
    how many were computed. Fresh ones cost one query (finding that none is stale)."""
    computed = 0
    ids = list(stale(cases).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        DeadlineSummary.objects.bulk_create([DeadlineSummary(case_id=pk) for pk in part], ignore_conflicts=True)
        with transaction.atomic():
            locked = list(
                DeadlineSummary.objects.select_for_update(skip_locked=True)
                .filter(deadlines.of_cases("case_id", part))
                .order_by("pk")
                .values_list("case_id", flat=True)
            )
            # What the rules read of a case, and one Institution object per institution, not per case.
            batch = list(Case.objects.filter(deadlines.of_cases("pk", locked)).only(*deadlines.CASE_FIELDS))
            institutions = Institution.objects.in_bulk({case.institution_id for case in batch})
            for case in batch:
                case.institution = institutions[case.institution_id]
            verdicts = deadlines.summarize(batch)
            _store(verdicts, now=timezone.now())
            computed += len(verdicts)
    return computed


def _store(verdicts: dict, *, now) -> None:
    """Write the verdicts in one statement on PostgreSQL (``UPDATE … FROM unnest(arrays)``), one
    prepared statement run for every row on SQLite. Not ``bulk_update``: its CASE over thousands
    of rows costs PostgreSQL time quadratic in the batch (84 s instead of 20 for 100,000 cases)."""
    if not verdicts:
        return
    meta, quote = DeadlineSummary._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    due, until, at, pk = (quote(meta.get_field(f).column) for f in ("next_due", "valid_until", "computed_at", "case"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids = list(verdicts)
            dues, untils = [d for d, _ in verdicts.values()], [u for _, u in verdicts.values()]
            cursor.execute(
                f"UPDATE {table} AS s SET {due} = v.due, {until} = v.until, {at} = %s "
                f"FROM unnest(%s::bigint[], %s::date[], %s::date[]) AS v(id, due, until) WHERE s.{pk} = v.id",
                [now, ids, dues, untils],
            )
            return
        day = meta.get_field("next_due")
        stamp = meta.get_field("computed_at").get_db_prep_value(now, connection)
        cursor.executemany(
            f"UPDATE {table} SET {due} = %s, {until} = %s, {at} = %s WHERE {pk} = %s",
            [
                (day.get_db_prep_value(next_due, connection), day.get_db_prep_value(valid, connection), stamp, case_id)
                for case_id, (next_due, valid) in verdicts.items()
            ],
        )
