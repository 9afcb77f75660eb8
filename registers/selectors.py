"""The register of persons and families in social work, per RPŚ (seed 000 VI.3).

One row per case: number, client, address, worker, stage, the dates (report, start of social
work, contract, closure), and the columns the seed names – family assistant, Niebieska Karta,
resigned from social work – plus what a coordinator needs: the child-abuse procedure, a child
in foster care, a refusing environment under monitoring, overdue deadlines. Every column comes
from an annotation of one query (no query per row); the overdue column from the deadline
engine, a fixed number of queries per page or per chunk of an export.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from cases import deadlines
from cases.models import Case, CaseFlag, ClientMember, FlagKind
from cases.procedure import CloseReason, Stage
from cases.selectors import with_list_data
from mopr import policy
from mopr.models import Role, User


def user_may_see_register(user: User) -> bool:
    """The coordinators (their regions), the director, the head and the auditor (all regions)."""
    roles = policy.roles_of(user)
    return bool(policy.regions_coordinated_by(user)) or bool(roles.institution_roles & policy.INSTITUTION_READERS)


def register_cases(*, user: User) -> QuerySet[Case]:
    """The cases of the register the user may see, with every column annotated."""
    from assistants.models import Assignment
    from contracts.models import Contract

    roles = policy.roles_of(user)
    qs = policy.cases_visible_to(user)
    if not roles.institution_roles & policy.INSTITUTION_READERS:
        qs = qs.filter(region_id__in=policy.regions_coordinated_by(user))

    def flag(kind):
        return Exists(CaseFlag.objects.filter(case=OuterRef("pk"), kind=kind, removed_at__isnull=True))

    return with_list_data(qs).annotate(
        has_assistant=Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_on__isnull=True)),
        niebieska_karta=flag(FlagKind.NIEBIESKA_KARTA),
        child_abuse=flag(FlagKind.CHILD_ABUSE),
        foster_care=Exists(ClientMember.objects.filter(client=OuterRef("client_id"), in_foster_care=True)),
        contract_signed_on=Subquery(
            Contract.objects.filter(case=OuterRef("pk"), signed_on__isnull=False)
            .order_by("-signed_on")
            .values("signed_on")[:1]
        ),
    )


def resigned(case: Case) -> bool:
    """Resigned from social work: closed on refusal, or refusing and monitored (seed 003)."""
    return case.close_reason == CloseReason.REFUSAL or case.stage == Stage.MONITORING


ORDERINGS = {
    "numer": ("number",),
    "-numer": ("-number",),
    "zgloszenie": ("reported_at", "pk"),
    "-zgloszenie": ("-reported_at", "-pk"),
    "pracownik": ("worker__last_name", "worker__first_name", "pk"),
    "etap": ("stage", "pk"),
    "zakonczenie": ("closed_at", "pk"),
    "-zakonczenie": ("-closed_at", "-pk"),
    "klient": ("client__search_text", "pk"),
}


def with_overdue(cases: list[Case]) -> list[Case]:
    return deadlines.annotate(cases)


def iterate_rows(qs: QuerySet[Case], *, chunk: int = 500, overdue_only: bool = False) -> Iterator[Case]:
    """Walk a large register in its chosen order without holding it in memory: the database
    cursor yields chunks of ``chunk`` cases, each chunk gets its deadlines in a fixed number
    of queries."""
    batch: list[Case] = []
    for case in qs.iterator(chunk_size=chunk):
        batch.append(case)
        if len(batch) == chunk:
            yield from _keep(with_overdue(batch), overdue_only)
            batch = []
    if batch:
        yield from _keep(with_overdue(batch), overdue_only)


def _keep(cases: list[Case], overdue_only: bool) -> Iterator[Case]:
    return (c for c in cases if c.overdue or not overdue_only)


def regions_for_filter(*, user: User):
    regions = policy.regions_visible_to(user)
    if policy.roles_of(user).institution_roles & policy.INSTITUTION_READERS:
        return regions
    return regions.filter(pk__in=policy.regions_coordinated_by(user))


def workers_for_filter(*, user: User):
    regions = policy.regions_visible_to(user)
    return (
        User.objects.filter(role_assignments__role=Role.SOCIAL_WORKER, role_assignments__region__in=regions)
        .distinct()
        .order_by("last_name", "first_name")
    )
