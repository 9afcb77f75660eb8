"""Reads of cases, clients and reports. Every case query starts at the access policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from cases.models import Case, CaseFlag, Client, ClientMember, Report, StageTransition
from cases.procedure import Stage
from mopr.models import Institution, Region, User
from mopr.policy import cases_visible_to, clients_searchable_by, regions_coordinated_by
from mopr.text import fold

ACTIVE_FLAGS = Prefetch(
    "flags", queryset=CaseFlag.objects.filter(removed_at__isnull=True).order_by("kind"), to_attr="active_flags"
)
MEMBERS = Prefetch("client__members", queryset=ClientMember.objects.order_by("-is_head", "birth_date", "pk"))


def with_list_data(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What a list row shows, in a fixed number of queries whatever the page size."""
    return qs.select_related("client", "region", "worker").prefetch_related(MEMBERS, ACTIVE_FLAGS)


def search_condition(q: str) -> Q:
    """Diacritics-insensitive search by name, PESEL, address or case number."""
    q = (q or "").strip()
    if not q:
        return Q()
    if q.isdigit() and len(q) == 11:
        return Q(client__members__pesel=q)
    condition = Q(number__icontains=q)
    tokens = fold(q).split()
    if tokens:
        words = Q()
        for token in tokens:
            words &= Q(client__search_text__contains=token)
        condition |= words
    return condition


def case_list(*, user: User, q: str = "") -> QuerySet[Case]:
    qs = cases_visible_to(user)
    if q.strip():
        # The PESEL condition joins members; the subquery keeps rows unique without DISTINCT.
        qs = qs.filter(pk__in=Case.objects.filter(search_condition(q)).values("pk"))
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
    return cases_visible_to(user).filter(pk=pk).select_related("client", "region", "worker", "transferred_by")


def client_members(*, client: Client) -> list[ClientMember]:
    return list(client.members.order_by("-is_head", "birth_date", "pk"))


def client_duplicates(*, user: User, q: str, limit: int = 10) -> QuerySet[Client]:
    """Existing clients matching a PESEL or a name, offered before a new one is created."""
    q = (q or "").strip()
    if len(q) < 2:
        return Client.objects.none()
    qs = clients_searchable_by(user)
    if q.isdigit():
        qs = qs.filter(members__pesel__startswith=q)
    else:
        for token in fold(q).split():
            qs = qs.filter(search_text__contains=token)
    open_cases = Case.objects.filter(stage__in=Stage.open_stages())
    return (
        qs.distinct()
        .prefetch_related(
            Prefetch("members", queryset=ClientMember.objects.order_by("-is_head", "pk")),
            Prefetch("cases", queryset=open_cases.select_related("region"), to_attr="open_cases"),
        )
        .order_by("pk")[:limit]
    )


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
    kind: str  # a key for the template and for filtering the case folder
    title: str
    text: str
    author: User | str | None
    obj: object = None

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.at, datetime.datetime):
            return self.at
        from django.utils import timezone

        return timezone.make_aware(datetime.datetime.combine(self.at, datetime.time.min))


def case_timeline(*, case: Case) -> list[TimelineItem]:
    """Every entry of the case in date order: reports, the transfer, transitions, flags.
    A fixed number of queries, one per kind of entry."""
    from django.utils.translation import gettext as _

    items: list[TimelineItem] = []
    for r in Report.objects.filter(case=case).select_related("received_by", "verified_by"):
        items.append(
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
            items.append(
                TimelineItem(
                    r.verified_at,
                    "verification",
                    _("Weryfikacja zgłoszenia anonimowego"),
                    r.verification_note,
                    r.verified_by,
                    r,
                )
            )
    if case.transferred_at:
        items.append(
            TimelineItem(
                case.transferred_at,
                "transfer",
                _("Przekazanie do realizacji przez koordynatora"),
                _("Przydzielono: %(worker)s") % {"worker": case.worker or "—"},
                case.transferred_by,
            )
        )
    if case.accepted_at:
        items.append(TimelineItem(case.accepted_at, "acceptance", _("Przyjęcie do realizacji"), "", case.worker))
    for t in StageTransition.objects.filter(case=case).select_related("by"):
        title = _("Etap: %(stage)s") % {"stage": Stage(t.to_stage).label}
        text = t.reason
        if t.close_reason:
            text = f"{t.get_close_reason_display()}. {t.reason}".strip()
        items.append(TimelineItem(t.at, "transition", title, text, t.by, t))
    for f in CaseFlag.objects.filter(case=case).select_related("created_by", "removed_by"):
        items.append(
            TimelineItem(
                f.created_at,
                "flag",
                _("Oznaczenie: %(flag)s") % {"flag": f.get_kind_display()},
                _("Wszczęto %(date)s, %(who)s. %(note)s")
                % {"date": f.started_on.strftime("%d.%m.%Y"), "who": f.started_by, "note": f.note},
                f.created_by,
                f,
            )
        )
        if f.removed_at:
            items.append(
                TimelineItem(
                    f.removed_at,
                    "flag",
                    _("Zdjęto oznaczenie: %(flag)s") % {"flag": f.get_kind_display()},
                    f.removal_reason,
                    f.removed_by,
                    f,
                )
            )
    items.sort(key=lambda i: i.sort_key)
    return items
