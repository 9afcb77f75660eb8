"""Reads of cases, clients and reports. Every case query starts at the access policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case as SQLCase
from django.db.models import DateTimeField, F, Prefetch, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Case,
    CaseDocument,
    CaseFlag,
    ChildObservation,
    Client,
    ClientMember,
    Diagnosis,
    DocumentReview,
    InstitutionContact,
    Notification,
    OfficialNote,
    ParentApartInfo,
    Report,
    StageTransition,
    Summons,
    Visit,
)
from cases.procedure import Stage
from mopr.models import Institution, Region, User
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


def coordinator_queue(*, user: User) -> QuerySet[Case]:
    """Reports of the coordinator's regions waiting for a worker: urgent first, then oldest."""
    return with_list_data(
        cases_visible_to(user).filter(
            region_id__in=regions_coordinated_by(user), worker__isnull=True, stage=Stage.ZGLOSZENIE
        )
    ).order_by("-urgent", "reported_at", "pk")


def worker_new_reports(*, user: User) -> QuerySet[Case]:
    """Cases assigned to the worker and not yet accepted for handling."""
    return with_list_data(
        cases_visible_to(user).filter(worker=user, accepted_at__isnull=True).exclude(stage=Stage.ZAKONCZENIE)
    ).order_by("-urgent", "transferred_at", "pk")


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
    condition = Q(worker=user, accepted_at__isnull=False)
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
    qs = clients_searchable_by(user)
    if q.isdigit():
        qs = qs.filter(members__pesel=q)
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


def region_for_street(*, institution: Institution, street: str) -> Region | None:
    """The region whose street list names this street (folded comparison)."""
    wanted = fold(street)
    if not wanted:
        return None
    for region in Region.objects.filter(institution=institution).order_by("code"):
        if wanted in {fold(line) for line in region.streets.splitlines() if line.strip()}:
            return region
    return None


@dataclass(frozen=True)
class TimelineItem:
    at: datetime.datetime | datetime.date
    kind: str  # a key of TIMELINE_KINDS: filters the case folder
    title: str
    text: str
    author: User | str | None
    obj: object = None
    # When it was written down: orders the entries of one day that carry a date only.
    recorded: datetime.datetime | None = None

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime.datetime)

    @property
    def sort_key(self) -> tuple[datetime.date, datetime.datetime]:
        if isinstance(self.at, datetime.datetime):
            return (timezone.localdate(self.at), self.at)
        recorded = self.recorded or getattr(self.obj, "created_at", None)
        if recorded is None or timezone.localdate(recorded) != self.at:
            # Written on another day: it goes after that day's timed events.
            recorded = timezone.make_aware(datetime.datetime.combine(self.at, datetime.time.max))
        return (self.at, recorded)


TIMELINE_KINDS = {
    "report": _("Zgłoszenia"),
    "transfer": _("Przekazanie i przyjęcie"),
    "transition": _("Zmiany etapu"),
    "visit": _("Wizyty"),
    "summons": _("Wezwania"),
    "notification": _("Zawiadomienia służb"),
    "document_review": _("Wgląd w dokumenty"),
    "contact": _("Kontakty z instytucjami"),
    "parent_apart": _("Rodzic zamieszkały oddzielnie"),
    "child": _("Obserwacja dziecka"),
    "diagnosis": _("Diagnoza"),
    "note": _("Notatki służbowe"),
    "flag": _("Oznaczenia"),
    "document": _("Skany w teczce"),
    "contract": _("Kontrakt socjalny"),
    "declaration": _("Oświadczenia"),
}


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def _rows(qs: QuerySet, field: str, newest: int | None) -> list:
    """The rows of one kind of entry whose item is dated by the single column ``field``.

    Without ``newest``: all of them, unordered in SQL (sorted in case_timeline, across the
    kinds) and by pk here, so that entries of one moment keep one order (PostgreSQL returns an
    unordered query's rows in any order). With it: only the ``newest`` newest, limited in SQL and
    ordered as TimelineItem.sort_key orders them, so they are always the kind's newest items: a
    date-only entry written down on its own day by when it was written (``created_at``), any
    other one last in its day; ties by pk. Returned oldest first, like the full list, so the
    stable sort in case_timeline orders them exactly as it orders the full list."""
    if newest is None:
        return sorted(qs.order_by(), key=lambda row: row.pk)
    order = [F(field).desc()]
    if not isinstance(qs.model._meta.get_field(field), DateTimeField):
        written_that_day = SQLCase(When(created_at__date=F(field), then=F("created_at")))
        order.append(written_that_day.desc(nulls_first=True))
    order.append(F("pk").desc())
    return list(qs.order_by(*order)[:newest])[::-1]


@dataclass(frozen=True)
class TimelineLoaded:
    """Rows the case detail reads for its own sections anyway, so its timeline does not read them
    again: the reports, the contracts of ``contracts.selectors.contracts_of`` (evaluations and
    amendments prefetched) and the declarations."""

    reports: list
    contracts: list
    declarations: list


def case_timeline(
    *, case: Case, kinds: set[str] | None = None, newest: int | None = None, loaded: TimelineLoaded | None = None
) -> list[TimelineItem]:
    """Every entry of the case in date order (the karta's section 6 and the case folder).
    One query per kind of entry, whatever the number of entries; each unordered, since the
    entries are sorted here, in Python, across the kinds.

    ``newest``: only the last ``newest`` entries of that list (the case detail), still oldest
    first. Each kind's query then reads only its ``newest`` newest rows (see _rows), except the
    reports and the flags (one row makes two items, of two columns), the transfer and contract
    items and the periods of moving away from the history: few per case, read whole, so the
    newest N across the kinds are never wrong."""
    wanted = kinds or set(TIMELINE_KINDS)
    items: list[TimelineItem] = []
    add = items.append
    if "report" in wanted:
        # Never limited: a verification is dated apart from its report, and there are few reports.
        reports = (
            loaded.reports if loaded else Report.objects.filter(case=case).select_related("received_by", "verified_by")
        )
        for r in sorted(reports, key=lambda row: row.pk):
            add(
                TimelineItem(
                    r.received_at,
                    "report",
                    _("Zgłoszenie (%(form)s)") % {"form": r.get_form_display()},
                    r.content,
                    r.received_by,
                    r,
                )
            )
            if r.verified_at:
                add(
                    TimelineItem(
                        r.verified_at,
                        "report",
                        _("Weryfikacja zgłoszenia anonimowego"),
                        r.verification_note,
                        r.verified_by,
                        r,
                    )
                )
    if "transfer" in wanted:
        # The case's own fields: no query to limit.
        if case.transferred_at:
            add(
                TimelineItem(
                    case.transferred_at,
                    "transfer",
                    _("Przekazanie do realizacji przez koordynatora"),
                    _("Przydzielono: %(worker)s") % {"worker": case.worker or "—"},
                    case.transferred_by,
                )
            )
        if case.accepted_at:
            add(TimelineItem(case.accepted_at, "transfer", _("Przyjęcie do realizacji"), "", case.worker))
    if "transition" in wanted:
        for t in _rows(StageTransition.objects.filter(case=case).select_related("by"), "at", newest):
            text = f"{t.get_close_reason_display()}. {t.reason}".strip() if t.close_reason else t.reason
            add(
                TimelineItem(
                    t.at, "transition", _("Etap: %(stage)s") % {"stage": Stage(t.to_stage).label}, text, t.by, t
                )
            )
    if "visit" in wanted:
        for v in _rows(Visit.objects.filter(case=case).select_related("author"), "visited_at", newest):
            add(
                TimelineItem(
                    v.visited_at,
                    "visit",
                    _("Wizyta: %(outcome)s") % {"outcome": v.get_outcome_display()},
                    f"{v.get_place_display()}. {v.findings}".strip(),
                    v.author,
                    v,
                )
            )
    if "summons" in wanted:
        for w in _rows(Summons.objects.filter(case=case).select_related("author"), "issued_on", newest):
            add(
                TimelineItem(
                    w.issued_on,
                    "summons",
                    _("Wezwanie do ośrodka"),
                    _("Termin: %(at)s. %(note)s")
                    % {"at": timezone.localtime(w.appointment_at).strftime("%d.%m.%Y %H:%M"), "note": w.note},
                    w.author,
                    w,
                )
            )
    if "notification" in wanted:
        for n in _rows(Notification.objects.filter(case=case).select_related("author"), "sent_on", newest):
            text = n.reason + (f"\n{_('Odpowiedź')} ({_d(n.answered_on)}): {n.answer}" if n.answered_on else "")
            add(
                TimelineItem(
                    n.sent_on,
                    "notification",
                    _("Zawiadomienie: %(s)s") % {"s": n.get_service_display()},
                    text,
                    n.author,
                    n,
                )
            )
    if "document_review" in wanted:
        for d in _rows(DocumentReview.objects.filter(case=case).select_related("author"), "reviewed_on", newest):
            add(
                TimelineItem(
                    d.reviewed_on,
                    "document_review",
                    _("Wgląd: %(k)s") % {"k": d.get_kind_display()},
                    d.findings,
                    d.author,
                    d,
                )
            )
    if "contact" in wanted:
        for c in _rows(
            InstitutionContact.objects.filter(case=case).select_related("author", "member"), "contacted_on", newest
        ):
            about = f" ({c.member.full_name})" if c.member else ""
            add(
                TimelineItem(
                    c.contacted_on,
                    "contact",
                    _("Kontakt: %(k)s%(about)s") % {"k": c.get_kind_display(), "about": about},
                    f"{c.get_form_display()}. {c.learnt}",
                    c.author,
                    c,
                )
            )
    if "parent_apart" in wanted:
        for i in _rows(
            ParentApartInfo.objects.filter(case=case).select_related("author", "parent"), "obtained_on", newest
        ):
            add(
                TimelineItem(
                    i.obtained_on,
                    "parent_apart",
                    _("Informacja od rodzica zamieszkałego oddzielnie"),
                    i.relation_with_child,
                    i.author,
                    i,
                )
            )
    if "child" in wanted:
        for o in _rows(
            ChildObservation.objects.filter(case=case).select_related("author", "child"), "observed_on", newest
        ):
            text = o.observation
            if o.talked_with_child:
                text += "\n" + _("Rozmowa z dzieckiem za zgodą: %(who)s.") % {"who": o.consent_given_by}
            add(
                TimelineItem(
                    o.observed_on, "child", _("Obserwacja dziecka: %(c)s") % {"c": o.child.full_name}, text, o.author, o
                )
            )
    if "diagnosis" in wanted:
        for g in _rows(Diagnosis.objects.filter(case=case).select_related("author"), "diagnosed_on", newest):
            add(
                TimelineItem(
                    g.diagnosed_on,
                    "diagnosis",
                    _("Diagnoza: %(d)s") % {"d": g.get_decision_display()},
                    g.facts,
                    g.author,
                    g,
                )
            )
    if "note" in wanted:
        for n in _rows(OfficialNote.objects.filter(case=case).select_related("author"), "written_on", newest):
            add(TimelineItem(n.written_on, "note", _("Notatka służbowa"), n.content, n.author, n))
    if "flag" in wanted:
        # Never limited: a removal is dated apart from its flag (maybe years later); few flags.
        for f in CaseFlag.objects.filter(case=case).select_related("created_by", "removed_by").order_by():
            add(
                TimelineItem(
                    f.created_at,
                    "flag",
                    _("Oznaczenie: %(flag)s") % {"flag": f.get_kind_display()},
                    _("Wszczęto %(date)s, %(who)s. %(note)s")
                    % {"date": _d(f.started_on), "who": f.started_by, "note": f.note},
                    f.created_by,
                    f,
                )
            )
            if f.removed_at:
                add(
                    TimelineItem(
                        f.removed_at,
                        "flag",
                        _("Zdjęto oznaczenie: %(flag)s") % {"flag": f.get_kind_display()},
                        f.removal_reason,
                        f.removed_by,
                        f,
                    )
                )
    if "document" in wanted:
        for doc in _rows(CaseDocument.objects.filter(case=case).select_related("author"), "document_date", newest):
            add(
                TimelineItem(
                    doc.document_date,
                    "document",
                    _("Skan: %(k)s") % {"k": doc.get_kind_display()},
                    doc.description,
                    doc.author,
                    doc,
                )
            )
    if "contract" in wanted:
        # Never limited: a contract makes up to three items of three dates; few contracts.
        items.extend(_contract_items(case, loaded.contracts if loaded else None))
    if "declaration" in wanted:
        from contracts.models import Declaration

        declarations = (
            sorted(loaded.declarations, key=lambda row: row.pk)
            if loaded
            else _rows(Declaration.objects.filter(case=case).select_related("author"), "signed_on", newest)
        )
        for d in declarations:
            add(
                TimelineItem(
                    d.signed_on,
                    "declaration",
                    _("Oświadczenie (Załącznik 2): %(n)s") % {"n": d.full_name},
                    _("Nie zamierza obecnie podejmować starań w celu reintegracji rodziny."),
                    d.author,
                    d,
                )
            )
    if "transition" in wanted:
        # From the case's history: a reopening clears the fields, the period stays in the record.
        # Never limited: one item per distinct date, read from the history rows; few per case.
        seen = set()
        for since, plan, recorded, user in (
            case.history.filter(moving_away_since__isnull=False)
            .order_by("history_date")
            .values_list("moving_away_since", "moving_away_plan", "history_date", "history_user__username")
        ):
            if since not in seen:
                seen.add(since)
                add(
                    TimelineItem(
                        since,
                        "transition",
                        _("Początek oddalania się przed zakończeniem"),
                        plan,
                        case.worker or user,
                        recorded=recorded,
                    )
                )
    items.sort(key=lambda i: i.sort_key)
    if newest is not None:
        return items[max(len(items) - newest, 0) :]
    return items


def _contract_items(case: Case, contracts: list | None = None) -> list[TimelineItem]:
    """The karta's record of the contract: drafted, signed, each evaluation and amendment, the end.
    ``contracts``: already read with their evaluations and amendments (``contracts_of``)."""
    from contracts.models import Amendment, Contract, Evaluation

    items, ends = [], []
    recorded: dict[tuple[int, str], datetime.datetime] = {}
    for pk, status, at in (
        Contract.history.filter(case_id=case.pk, status__in=["signed", "ended"])
        .order_by("history_date")
        .values_list("id", "status", "history_date")
    ):
        recorded.setdefault((pk, status), at)
    if contracts is None:
        contracts = Contract.objects.filter(case=case).select_related("author", "worker").order_by()
        evaluations = Evaluation.objects.filter(contract__case=case).select_related("author", "contract").order_by()
        amendments = Amendment.objects.filter(contract__case=case).select_related("author", "contract").order_by()
    else:
        evaluations = [e for c in contracts for e in c.evaluations.all()]
        amendments = [a for c in contracts for a in c.amendments.all()]
    for c in sorted(contracts, key=lambda row: row.pk):
        label = _("Kontrakt socjalny nr %(n)s") % {"n": c.number}
        items.append(
            TimelineItem(c.drafted_on, "contract", _("%(c)s: sporządzenie") % {"c": label}, c.main_goal, c.author, c)
        )
        if c.signed_on:
            items.append(
                TimelineItem(
                    c.signed_on,
                    "contract",
                    _("%(c)s: podpisanie") % {"c": label},
                    _("Okres: %(a)s – %(b)s.") % {"a": _d(c.period_from), "b": _d(c.period_to)},
                    c.worker,
                    c,
                    recorded.get((c.pk, "signed")),
                )
            )
        if c.ended_on:
            text = f"{c.get_end_display()}. {c.end_reason}"
            if c.welfare_threatened:
                text += " " + _("Zagrożone dobro osoby lub dziecka.")
            ends.append(
                TimelineItem(
                    c.ended_on,
                    "contract",
                    _("%(c)s: zakończenie") % {"c": label},
                    text,
                    c.worker,
                    c,
                    recorded.get((c.pk, "ended")),
                )
            )
    for e in sorted(evaluations, key=lambda row: row.pk):
        items.append(
            TimelineItem(
                e.evaluated_on,
                "contract",
                _("Ewaluacja kontraktu nr %(n)s") % {"n": e.contract.number},
                e.summary,
                e.author,
                e,
            )
        )
    for a in sorted(amendments, key=lambda row: row.pk):
        items.append(
            TimelineItem(
                a.amended_on,
                "contract",
                _("Aneks do kontraktu nr %(n)s") % {"n": a.contract.number},
                a.reason,
                a.author,
                a,
            )
        )
    return items + ends
