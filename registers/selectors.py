"""The register of persons and families in social work, per RPŚ (seed 000 VI.3).

One row per case: number, client, address, worker, stage, the dates (report, start of social
work, contract, closure), and the columns the seed names – family assistant, Niebieska Karta,
resigned from social work – plus what a coordinator needs: the child-abuse procedure, a child
in foster care, a refusing environment under monitoring, overdue deadlines. Every column comes
from an annotation of one query (no query per row); the overdue column of a page from the deadline
engine (a fixed number of queries per page), the "overdue" filter and the exports' column from
each case's ``DeadlineSummary`` (refreshed by the view first: ``filter_overdue``).

And what the dashboards count: a fixed number of queries whatever the size of the centre.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assistants.models import Request
from cases import deadlines
from cases.models import Case, Client, ClientMember, DeadlineSummary
from cases.procedure import Stage
from cases.selectors import MEMBERS
from mopr import policy
from mopr.models import User
from refusals.selectors import monitorings_pending_counts
from registers import columns

# --- the register ----------------------------------------------------------------------------------------


def user_may_see_register(user: User) -> bool:
    """The coordinators (their regions), the director, the head and the auditor (all regions)."""
    return policy.user_oversees_regions(user)


def register_scope(*, user: User) -> QuerySet[Case]:
    """The cases the register and the statistics count for the user: the institution's for the
    management and the auditor, the coordinator's own regions for a coordinator."""
    qs = policy.cases_visible_to(user)
    if not policy.user_reads_institution(user):
        qs = qs.filter(region_id__in=policy.regions_coordinated_by(user))
    return qs


def register_cases(*, user: User) -> QuerySet[Case]:
    """The cases of the register the user may see, with every column's annotations
    (``registers.columns``: each column declares its own)."""
    qs = register_scope(user=user)
    # What a row shows: no flags prefetch (the flag columns are annotations); the institution
    # prefetched, not joined (cases.selectors.with_list_data says why).
    return (
        qs.select_related("client", "region", "worker")
        .prefetch_related("institution", MEMBERS)
        .annotate(**columns.annotations())
    )


def with_overdue(cases: list[Case]) -> list[Case]:
    return deadlines.annotate(cases)


def iterate_rows(
    qs: QuerySet[Case], *, chunk: int = 2000, shown: list[columns.Column] | None = None
) -> Iterator[ExportRow]:
    """Walk a large register in its chosen order without holding it in memory: the database
    cursor yields chunks of ``chunk`` rows, each chunk gets its heads of family in one query.
    The overdue column is the case's ``DeadlineSummary`` – the view refreshes the stale ones of
    the register first (``cases.services.deadline_summaries_refresh``).

    For the exports, which walk tens of thousands of rows: tuples, not model instances. A Case
    with its client, region, worker and members is ~300 µs of Python a row – 3 s of a 10,000-row
    export before a line is written (docs/performance.md) – so each row is an ``ExportRow`` that
    answers exactly what the columns (``registers.columns``) ask, with the models' own properties
    (``Client.display_name``, ``Client.address``, ``User.get_full_name``) doing the wording;
    ``registers/tests/test_export_rows.py`` compares its every cell with the model's."""
    today = timezone.localdate()
    own = tuple(f for f in columns.export_fields() if f not in _BASE_FIELDS)
    shown = shown if shown is not None else columns.all_columns()
    batch: list[tuple] = []
    rows = qs.annotate(summary_next_due=DeadlineSummary.next_due_column()).values_list(*_BASE_FIELDS, *own)
    for values in rows.iterator(chunk_size=chunk):
        batch.append(values)
        if len(batch) == chunk:
            yield from _export_rows(batch, own, today, shown)
            batch = []
    if batch:
        yield from _export_rows(batch, own, today, shown)


# What every row reads: the client, the region, the worker (the columns' own fields follow).
_BASE_FIELDS = (
    "id", "client_id", "summary_next_due", "number",
    "client__kind", "client__street", "client__house_number", "client__flat_number", "client__postal_code",
    "client__city", "region__code", "worker__first_name", "worker__last_name",
)  # fmt: skip


class _Head:
    __slots__ = ("first_name", "last_name")
    full_name = ClientMember.full_name


class _Client:
    """What Client.display_name and Client.address read, and those very properties."""

    __slots__ = ("city", "flat_number", "head", "house_number", "kind", "postal_code", "street")
    Kind = Client.Kind
    display_name = Client.display_name
    address = Client.address


class _Region:
    __slots__ = ("code",)


class _Worker:
    __slots__ = ("first_name", "last_name")
    get_full_name = User.get_full_name


class ExportRow:
    """One case of an export: what the columns read – the client, the region and the worker as
    below, and each column's own fields as plain attributes."""


def _export_rows(batch: list[tuple], own: tuple[str, ...], today, shown) -> list[ExportRow]:
    heads: dict[int, _Head] = {}
    # The head of the family as Client.head picks it: the first member in MEMBERS' order.
    members = ClientMember.objects.filter(client_id__in={v[1] for v in batch}).order_by("client_id", *_MEMBER_ORDER)
    for client_id, first_name, last_name in members.values_list("client_id", "first_name", "last_name"):
        if client_id not in heads:
            head = heads[client_id] = _Head()
            head.first_name, head.last_name = first_name, last_name
    rows = []
    base = len(_BASE_FIELDS)
    for values in batch:
        (pk, client_id, next_due, number, kind, street, house, flat, postal, city, region_code, worker_first,
         worker_last) = values[:base]  # fmt: skip
        row = ExportRow()
        row.__dict__.update(zip(own, values[base:], strict=True))
        row.pk, row.number = pk, number
        row.overdue = next_due is not None and next_due < today
        client = row.client = _Client()
        client.kind, client.street, client.house_number, client.flat_number = kind, street, house, flat
        client.postal_code, client.city, client.head = postal, city, heads.get(client_id)
        row.region = _Region()
        row.region.code = region_code
        if worker_first is None and worker_last is None:
            row.worker = None
        else:
            row.worker = _Worker()
            row.worker.first_name, row.worker.last_name = worker_first, worker_last
        rows.append(row)
    columns.prepare(shown, rows)
    return rows


_MEMBER_ORDER = tuple(MEMBERS.queryset.query.order_by)


def filter_overdue(qs: QuerySet[Case], *, want: bool) -> QuerySet[Case]:
    """The register filtered by its overdue mark, in SQL (an index on the due date): a case is
    overdue when its earliest open deadline is before today. The summaries of ``qs`` must be
    fresh – the view refreshes them first (``cases.services.deadline_summaries_refresh``)."""
    overdue = DeadlineSummary.overdue(timezone.localdate())
    return qs.filter(overdue) if want else qs.exclude(overdue)


def regions_for_filter(*, user: User):
    return policy.regions_overseen_by(user)


def workers_for_filter(*, user: User):
    return policy.social_workers_in(policy.regions_visible_to(user))


# --- dashboards ------------------------------------------------------------------------------------------


# Colours of the stages in the charts; each has at least 3:1 contrast against white (WCAG 1.4.11).
STAGE_COLOURS = {
    Stage.ZGLOSZENIE: "#6c4f00",
    Stage.ROZEZNANIE: "#0b5cad",
    Stage.DIAGNOZA: "#6f42c1",
    Stage.PRACA_SOCJALNA: "#1e7b34",
    Stage.MONITORING: "#a4161a",
    Stage.ZAWIESZENIE: "#5c636a",
    Stage.ZAKONCZENIE: "#343a40",
}


@dataclass
class StageRow:
    """One bar of a chart: a region's (or a worker's) cases by stage."""

    label: str
    counts: dict[str, int]
    key: int | None = None  # the region's id: the numbers link to the register filtered by it

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def segments(self, scale: float) -> list[dict]:
        x, out = 0, []
        for stage in Stage:
            n = self.counts.get(stage.value, 0)
            if n:
                # Whole pixels: the numbers go into SVG attributes, which know no decimal comma.
                width = max(1, round(n * scale))
                out.append({"x": x, "width": width, "colour": STAGE_COLOURS[stage], "label": stage.label, "n": n})
                x += width
        return out


@dataclass(frozen=True)
class Tally:
    """How many cases of one region, stage and worker (None: no worker), and how many of those
    are past a deadline by their stored summary."""

    region_id: int
    stage: str
    worker_id: int | None
    cases: int
    overdue: int

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.ZAKONCZENIE


def case_tallies(*, user: User, regions) -> list[Tally]:
    """The dashboards' cases read once (issue 18.6): the stages per region, the reports waiting
    for a worker and the overdue cases per worker all come from this one grouped query – one pass
    over the cases instead of four. The overdue counts read the deadline summaries: the caller
    refreshes the stale ones of the open cases first (``open_cases``)."""
    overdue = DeadlineSummary.objects.filter(next_due__lt=timezone.localdate()).values("case_id")
    rows = (
        policy.cases_visible_to(user)
        .filter(region__in=regions)
        .order_by()
        .values_list("region_id", "stage", "worker_id")
        # An uncorrelated IN: each database reads the overdue summaries once (PostgreSQL's hashed
        # subplan, SQLite's ephemeral index) instead of probing a correlated EXISTS per case, and
        # the summaries are still never joined (cases/tests/test_deadline_summaries.py says why).
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(pk__in=overdue)))
    )
    return [Tally(*row) for row in rows]


def stages_by_region(*, tallies: list[Tally], regions) -> list[StageRow]:
    regions = list(regions)
    counts: dict[int, dict[str, int]] = {r.pk: {} for r in regions}
    for t in tallies:
        if t.region_id in counts:
            counts[t.region_id][t.stage] = counts[t.region_id].get(t.stage, 0) + t.cases
    return [StageRow(r.code, counts[r.pk], r.pk) for r in regions]


def chart(rows: list[StageRow], width: int = 600) -> dict:
    """Bar geometry for the template: one bar per row, segments per stage, scaled to ``width``."""
    biggest = max((r.total for r in rows), default=0) or 1
    scale = width / biggest
    return {
        "width": width + 200,
        "height": 30 * len(rows) + 10,
        "bars": [
            {"y": 10 + 30 * i, "label": r.label, "total": r.total, "segments": r.segments(scale)}
            for i, r in enumerate(rows)
        ],
        "legend": [(s.label, STAGE_COLOURS[s]) for s in Stage],
    }


def open_cases(*, user: User, regions) -> QuerySet[Case]:
    return policy.cases_visible_to(user).filter(region__in=regions).exclude(stage=Stage.ZAKONCZENIE)


def open_by_worker(*, tallies: list[Tally]) -> dict[int, int]:
    """Open cases per worker: for an institution's reader the tallies are every case of the centre,
    so this is the caseload's count without reading the cases again."""
    held: dict[int, int] = {}
    for t in tallies:
        if t.is_open and t.worker_id is not None:
            held[t.worker_id] = held.get(t.worker_id, 0) + t.cases
    return held


def overdue_by_worker_rows(*, tallies: list[Tally]) -> list[dict]:
    """Open cases with at least one overdue deadline, per responsible worker (id, name, whether
    the account is active, count), from the deadline summaries (over a whole centre's open cases
    the engine itself would take seconds: docs/performance.md). Most first; the numbers link to
    the register."""
    per_worker: dict[int | None, int] = {}
    for t in tallies:
        if t.is_open and t.overdue:
            per_worker[t.worker_id] = per_worker.get(t.worker_id, 0) + t.overdue
    workers = User.objects.in_bulk([wid for wid in per_worker if wid is not None]) if per_worker else {}
    found = []
    for wid, n in per_worker.items():
        worker = workers.get(wid)
        name = (worker.get_full_name() or worker.username) if worker else "—"
        found.append({"id": wid, "name": name, "active": worker.is_active if worker else True, "n": n})
    return sorted(found, key=lambda r: (-r["n"], r["name"]))


def overdue_by_worker(*, tallies: list[Tally]) -> list[tuple[str, int]]:
    """The same per name (two workers of one name are one row)."""
    per_worker: dict[str, int] = {}
    for row in overdue_by_worker_rows(tallies=tallies):
        per_worker[row["name"]] = per_worker.get(row["name"], 0) + row["n"]
    return sorted(per_worker.items(), key=lambda item: (-item[1], item[0]))


def waiting_for_assignment(*, tallies: list[Tally], regions) -> dict[str, int]:
    """Reports without a worker, per region code."""
    codes = {r.pk: r.code for r in regions}
    waiting: dict[str, int] = {}
    for t in tallies:
        if t.stage == Stage.ZGLOSZENIE and t.worker_id is None and t.region_id in codes:
            waiting[codes[t.region_id]] = waiting.get(codes[t.region_id], 0) + t.cases
    return waiting


def pending_approvals(*, user: User) -> dict[str, int]:
    """The director's queue: assistant requests and monitoring plans or decisions waiting."""
    requests = policy.requests_visible_to(user)
    return {
        "opinion": requests.filter(status=Request.Status.OPINION).count(),
        "approval": requests.filter(status=Request.Status.APPROVAL).count(),
        "assignment": requests.filter(
            status__in=[Request.Status.APPROVED, Request.Status.ORDERED], assignment__isnull=True
        ).count(),
        **monitorings_pending_counts(user=user),
    }


def regions_of_dashboard(user: User):
    return policy.regions_overseen_by(user)
