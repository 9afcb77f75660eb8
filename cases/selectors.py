"""Reads of cases, clients and reports. Every case query starts at the access policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseFlag,
    CaseTransfer,
    Client,
    ClientMember,
    DeadlineSummary,
    Report,
)
from cases.procedure import Stage
from mopr import policy
from mopr.models import User
from mopr.policy import cases_visible_to, clients_searchable_by, regions_coordinated_by
from mopr.text import fold

ACTIVE_FLAGS = Prefetch(
    "flags", queryset=CaseFlag.objects.filter(removed_at__isnull=True).order_by("kind"), to_attr="active_flags"
)
MEMBERS = Prefetch("client__members", queryset=ClientMember.objects.order_by("-is_head", "birth_date", "pk"))


def with_list_data(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What a list row shows, in a fixed number of queries whatever the page size.

    The institution (which the deadline engine reads) is prefetched – one row, one query – not
    joined: with it in the join SQLite's planner starts from the institution and sorts all the
    institution's cases for every page (230 ms at 100,000 cases instead of 1 ms)."""
    return qs.select_related("client", "region", "worker").prefetch_related("institution", MEMBERS, ACTIVE_FLAGS)


def search_condition(q: str) -> Q:
    """Diacritics-insensitive search by name, PESEL, address or case number.

    - 11 digits: a PESEL, compared whole on the members' PESEL index – never a LIKE;
    - anything else: a fragment of the case number, or every word (folded: "Żółkiew" finds
      "Żółkiewska" and "ul. Żółkiewskiego") inside the client's folded names, PESELs and address.

    Each half is a subquery answered by its own index (on PostgreSQL the trigram indexes of the
    migration cases 0006; on SQLite a scan of the column, see docs/performance.md) and the case
    table is read once, probing both: a join of the case and the client tables with an OR across
    them would make the database read and join both whole."""
    q = (q or "").strip()
    if not q:
        return Q()
    if q.isdigit() and len(q) == 11:
        return Q(client_id__in=ClientMember.objects.filter(pesel=q).values("client_id"))
    # Upper-cased here too: SQLite's LIKE ignores the case of ASCII letters only, and the numbers'
    # region codes are written in capitals ("rpś-1" finds "RPŚ-1/2026/0042" on both databases).
    condition = Q(pk__in=Case.objects.filter(number__icontains=q.upper()).values("pk"))
    tokens = fold(q).split()
    if tokens:
        clients = Client.objects.all()
        for token in tokens:
            clients = clients.filter(search_text__contains=token)
        condition |= Q(client_id__in=clients.values("pk"))
    return condition


def case_list(*, user: User, q: str = "") -> QuerySet[Case]:
    qs = cases_visible_to(user).filter(search_condition(q))
    return with_list_data(qs).order_by("-urgent", "-reported_at", "-pk")


def _with_to_verify(qs: QuerySet[Case]) -> QuerySet[Case]:
    """``case.to_verify``: an anonymous report of the case still waits for its verification (the
    queue and the new reports say "do weryfikacji", issue 17.9)."""
    pending = Report.objects.filter(case=OuterRef("pk"), needs_verification=True, verified_at__isnull=True)
    return qs.annotate(to_verify=Exists(pending))


def coordinator_queue(*, user: User) -> QuerySet[Case]:
    """Reports of the coordinator's regions waiting for a worker: urgent first, then oldest."""
    return _with_to_verify(
        with_list_data(
            cases_visible_to(user).filter(
                region_id__in=regions_coordinated_by(user), worker__isnull=True, stage=Stage.ZGLOSZENIE
            )
        )
    ).order_by("-urgent", "reported_at", "pk")


def _own_or_covered(user: User) -> Q:
    """The worker's own cases and, while a cover runs, those of the worker they stand in for."""
    return Q(worker=user) | Q(worker_id__in=policy.covered_worker_ids(user))


def worker_new_reports(*, user: User) -> QuerySet[Case]:
    """Cases assigned to the worker (or to whom they cover) and not yet accepted for handling."""
    return _with_to_verify(
        with_list_data(
            cases_visible_to(user)
            .filter(_own_or_covered(user), accepted_at__isnull=True)
            .exclude(stage=Stage.ZAKONCZENIE)
        )
    ).order_by("-urgent", "transferred_at", "pk")


def most_urgent_cases(*, user: User, limit: int, days: int = 14) -> list[Case]:
    """The open cases of the user's view whose earliest deadline is past or within ``days``,
    the earliest first, at most ``limit`` (their stale summaries recomputed first)."""
    from cases.services.deadline_summaries import deadline_summaries_refresh  # a read refreshes first

    open_cases = cases_visible_to(user).exclude(stage=Stage.ZAKONCZENIE)
    deadline_summaries_refresh(cases=open_cases)
    horizon = timezone.localdate() + datetime.timedelta(days=days)
    # Driven by the summaries' index on next_due: the earliest first, the user's open cases only.
    ids = list(
        DeadlineSummary.objects.filter(next_due__lte=horizon, case__in=open_cases)
        .order_by("next_due", "case_id")
        .values_list("case_id", flat=True)[:limit]
    )
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(with_list_data(Case.objects.filter(pk__in=ids)), key=lambda c: order[c.pk])


def worker_followed_cases(*, user: User) -> QuerySet[Case]:
    """The open, accepted cases the worker works on today: their own and those in cover."""
    return with_list_data(
        cases_visible_to(user).filter(_own_or_covered(user), accepted_at__isnull=False).exclude(stage=Stage.ZAKONCZENIE)
    )


def worker_covered_cases(*, user: User) -> QuerySet[Case]:
    """The open cases of the workers ``user`` stands in for today (issue 17.1)."""
    return with_list_data(
        cases_visible_to(user)
        .filter(worker_id__in=policy.covered_worker_ids(user), accepted_at__isnull=False)
        .exclude(stage=Stage.ZAKONCZENIE)
    ).order_by("-urgent", "stage", "-reported_at")


def worker_open_cases(*, user: User) -> QuerySet[Case]:
    return with_list_data(
        cases_visible_to(user).filter(worker=user, accepted_at__isnull=False).exclude(stage=Stage.ZAKONCZENIE)
    ).order_by("-urgent", "stage", "-reported_at")


def case_with_details(*, user: User, pk: int) -> QuerySet[Case]:
    """The case detail's queryset; the view fetches through mopr.policy.case_get_for."""
    return (
        cases_visible_to(user)
        .filter(pk=pk)
        .select_related("client", "region", "worker", "transferred_by", "institution")
        # The members once: the header, the family table and the checks of the page all read them.
        .prefetch_related(ACTIVE_FLAGS, MEMBERS)
    )


def open_cases_with_deadlines(*, user: User) -> QuerySet[Case]:
    """The open cases whose deadlines the user follows: their own (a worker), their regions'
    (a coordinator)."""
    condition = _own_or_covered(user) & Q(accepted_at__isnull=False)
    regions = regions_coordinated_by(user)
    if regions:
        condition |= Q(region_id__in=regions)
    return with_list_data(cases_visible_to(user).filter(condition).exclude(stage=Stage.ZAKONCZENIE))


def client_members(*, client: Client) -> list[ClientMember]:
    # members.all() is the prefetched list when the client came with MEMBERS (the same order as
    # the model's Meta.ordering), otherwise one query.
    return list(client.members.all())


def client_duplicates(*, user: User, q: str, limit: int = 10) -> list[Client]:
    """Existing clients matching a whole PESEL or every word of a name, offered before a new one
    is created (``q`` as ``ClientSearchForm`` cleaned it). Each comes with its open cases and,
    on each, whether the user may see it – the page shows only enough to recognise the person."""
    if not q:
        return []
    # A record merged into another is found as the one it was merged into (issue 16.3).
    qs = clients_searchable_by(user).filter(merged_into__isnull=True)
    if q.isdigit():
        found_by = Q(members__pesel=q) | Q(members__pesel_to_verify=q) | Q(merged_records__members__pesel=q)
        qs = qs.filter(found_by)
    else:
        for token in fold(q).split():
            qs = qs.filter(search_text__contains=token)
    open_cases = Case.objects.filter(stage__in=Stage.open_stages())
    found = list(
        qs.distinct()
        .prefetch_related(
            Prefetch("members", queryset=ClientMember.objects.order_by("-is_head", "pk")),
            Prefetch("cases", queryset=open_cases.select_related("region"), to_attr="open_cases"),
        )
        .order_by("pk")[:limit]
    )
    visible = set(
        cases_visible_to(user)
        .filter(pk__in=[c.pk for client in found for c in client.open_cases])
        .values_list("pk", flat=True)
    )
    for client in found:
        for case in client.open_cases:
            case.visible_to_user = case.pk in visible
    return found


def with_correction_links(items: list, *, user: User, case: Case) -> list:
    """The timeline's items with "Sprostuj" and "Wycofaj" where ``user`` may do it: the same
    predicate as the services' (policy.corrections_allowed), so the page offers what they allow;
    asked once for the page, not once per item."""
    from dataclasses import replace

    from django.urls import reverse
    from django.utils.translation import gettext as _

    from cases.corrections import correctable_for
    from cases.timeline import Link
    from mopr.policy import corrections_allowed

    allowed = corrections_allowed(user, case)
    out, linked = [], set()
    for item in items:
        spec = correctable_for(item.obj) if item.obj is not None and item.kind != "correction" else None
        # A row that makes several items (a contract drafted, signed, ended) is offered once.
        key = (type(item.obj), getattr(item.obj, "pk", None))
        if spec is None or key in linked or not allowed(item.obj):
            out.append(item)
            continue
        linked.add(key)
        args = [case.pk, spec.slug, item.obj.pk]
        links = [Link(_("Sprostuj"), reverse("cases:entry_correct", args=args))]
        if spec.withdrawable:
            links.append(Link(_("Wycofaj jako błędny"), reverse("cases:entry_withdraw", args=args)))
        out.append(replace(item, links=(*item.links, *links)))
    return out


@dataclass(frozen=True)
class Assignment:
    """Karta pt. 2: who the coordinator gave the case to, when, and when that worker accepted it."""

    transferred_at: datetime.datetime | None
    transferred_by: User | None
    accepted_at: datetime.datetime | None
    worker: User | None


def case_transfers(*, case: Case) -> list[CaseTransfer]:
    """The hands a case went through after its first transfer (issue 17.2–3), oldest first."""
    return list(
        CaseTransfer.objects.filter(case=case).select_related(
            "by", "from_worker", "to_worker", "from_region", "to_region", "decided_by", "replaced_transferred_by"
        )
    )


def first_assignment(*, case: Case, transfers: list[CaseTransfer]) -> Assignment:
    """The case's first assignment: its own fields, or – once it was handed over or moved – what
    the first transfer that took effect replaced (a refused or pending move replaced nothing)."""
    for t in transfers:
        if t.took_effect:
            return Assignment(
                t.replaced_transferred_at, t.replaced_transferred_by, t.replaced_accepted_at, t.from_worker
            )
    return Assignment(case.transferred_at, case.transferred_by, case.accepted_at, case.worker)


def documentation_enclosures(*, case: Case) -> str:
    """The first draft of the list of documents handed to the family's new centre (issue 17.3):
    the karta and every paper of the case – each timeline item with a printout or a scan, from
    whichever app registered it – one per line, for the worker to edit."""
    from cases.timeline import case_timeline, d

    lines = [str(_("Karta Pracy Socjalnej (kopia)"))]
    for item in case_timeline(case=case):
        if any(not link.write for link in item.links):
            lines.append(f"{item.title} – {d(item.day)} ({_('kopia')})")
    return "\n".join(lines)
