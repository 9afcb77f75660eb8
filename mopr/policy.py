"""The access policy: the one place that answers "may this user see / do this".

Every view and every queryset of case data goes through here:

- ``cases_visible_to(user)`` – the cases a user may see at all (a queryset);
- ``case_allows(user, case, action)`` – may the user do ``action`` to this case;
- ``case_get_for(user, pk, action)`` – fetch for a view: 404 when the case is not visible
  (its existence is not revealed), 403 when it is visible but the action is not allowed.

The rules, in words (DOMAIN.md, seeds 000 and 001):

- nobody ever sees another institution's data;
- a social worker sees the cases of their RPŚ; only the responsible worker writes entries
  and moves the case through the procedure – or, while a cover (zastępstwo, staffing.Cover)
  runs, the substitute, who then sees and does in the absent worker's cases all the worker may;
- a coordinator sees the cases of the RPŚ they coordinate, assigns and hands them over, sets
  covers, and supervises: writes an official note (notatka służbowa) and corrects entries, but
  neither records the worker's own work (visits, diagnosis, contract) nor moves the stage –
  that stays with the worker, so every entry has one accountable author (issue 17.1);
- the family assistant of a family acts in an emergency (seed 002: "niezwłocznie podejmuje
  działania interwencyjne"): writes an official note, raises the Niebieska Karta or the
  child-abuse flag and records a notification of the services on that family's case;
- the head of department, the director and the auditor see every case of the institution;
  the auditor only reads and prints;
- the first-contact desk and the benefits worker register and route reports but never read
  case files; a benefits worker never runs social work (seed 001), even with a second role.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mopr import access
from mopr.models import Role

if TYPE_CHECKING:
    from cases.models import Case
    from mopr.models import Region, User


class Action(enum.StrEnum):
    VIEW = "view"
    WRITE = "write"  # add entries, edit the client's data
    TRANSITION = "transition"  # move the case through the stages
    ASSIGN = "assign"  # coordinator: assign or reassign the responsible worker
    ACCEPT = "accept"  # the assigned worker accepts the report for handling
    VERIFY = "verify"  # record the verification of an anonymous report
    PRINT = "print"
    ASSISTANT_WORK = "assistant_work"  # the assigned family assistant records their work
    NOTE = "note"  # an official note: the worker, the coordinator (supervision), the family's assistant
    ALERT = "alert"  # raise a flag, notify the services: the worker and, in an emergency, the assistant


INSTITUTION_READERS = frozenset({Role.HEAD_OF_DEPARTMENT, Role.DIRECTOR, Role.AUDITOR})
INTAKE_ROLES = frozenset({Role.SOCIAL_WORKER, Role.COORDINATOR, Role.FIRST_CONTACT, Role.BENEFITS_WORKER})


@dataclass(frozen=True)
class Roles:
    """The roles a user holds, read once per request."""

    institution_id: int | None
    institution_roles: frozenset[Role] = frozenset()
    regions: dict[Role, frozenset[int]] = field(default_factory=dict)

    def has(self, role: Role) -> bool:
        return role in self.institution_roles or bool(self.regions.get(role))

    def region_ids(self, role: Role) -> frozenset[int]:
        return self.regions.get(role, frozenset())

    @property
    def all(self) -> frozenset[Role]:
        return self.institution_roles | {r for r, ids in self.regions.items() if ids}


def roles_of(user: User) -> Roles:
    """The user's roles, cached on the user object for the request."""
    if not user.is_authenticated:
        return Roles(institution_id=None)
    cached = getattr(user, "_mopr_roles", None)
    if cached is not None:
        return cached
    inst_roles: set[Role] = set()
    regions: dict[Role, set[int]] = {}
    for role, region_id in user.role_assignments.values_list("role", "region_id"):
        role = Role(role)
        if role in Role.region_roles():
            if region_id is not None:
                regions.setdefault(role, set()).add(region_id)
        else:
            inst_roles.add(role)
    roles = Roles(
        institution_id=user.institution_id,
        institution_roles=frozenset(inst_roles),
        regions={r: frozenset(ids) for r, ids in regions.items()},
    )
    user._mopr_roles = roles
    return roles


# --- who may run social work ------------------------------------------------------------


def user_runs_social_work(user: User, region: Region | None = None) -> bool:
    """A social worker (of ``region`` where given) who is not a benefits worker (seed 001)."""
    roles = roles_of(user)
    if roles.has(Role.BENEFITS_WORKER) or not user.is_active:
        return False
    ids = roles.region_ids(Role.SOCIAL_WORKER)
    return bool(ids) if region is None else region.pk in ids


def _social_workers(**where) -> QuerySet[User]:
    """Active social workers who are not benefits workers (seed 001); ``where`` narrows the same
    role row (``role_assignments__region…``) or the user."""
    from mopr.models import User

    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.SOCIAL_WORKER, **where)
        .exclude(role_assignments__role=Role.BENEFITS_WORKER)
        .distinct()
        .order_by("last_name", "first_name")
    )


def workers_assignable_in(region: Region) -> QuerySet[User]:
    """Users who may be made responsible for a case of ``region``."""
    return _social_workers(institution_id=region.institution_id, role_assignments__region=region)


# --- what a role reads and follows ---------------------------------------------------------------


def user_is_auditor(user: User) -> bool:
    """The controller: reads and prints (their start page: a search and their recent prints)."""
    return Role.AUDITOR in roles_of(user).institution_roles


def user_reads_institution(user: User) -> bool:
    """The head of department, the director and the auditor read every case of the institution."""
    return bool(roles_of(user).institution_roles & INSTITUTION_READERS)


def user_is_family_assistant(user: User) -> bool:
    return roles_of(user).has(Role.FAMILY_ASSISTANT)


def user_gives_assistant_opinions(user: User) -> bool:
    """The head of department gives the opinion on assistant requests (seed 002)."""
    return roles_of(user).has(Role.HEAD_OF_DEPARTMENT)


def user_follows_deadlines(user: User) -> bool:
    """Who has a deadlines page: the workers (their cases), the coordinators (their regions), the
    family assistants (their own duties), the director and the head (the institution's most
    urgent, issue 17.6)."""
    return (
        user_runs_social_work(user)
        or bool(regions_coordinated_by(user))
        or user_is_family_assistant(user)
        or user_directs_monitorings(user)
    )


def user_sees_own_registrations(user: User) -> bool:
    """The first-contact desk and the benefits worker see the reports they registered (their
    start page), never the case files."""
    roles = roles_of(user)
    return roles.has(Role.FIRST_CONTACT) or roles.has(Role.BENEFITS_WORKER)


def social_workers_in(regions) -> QuerySet[User]:
    """The social workers of ``regions`` (a filter's choices: who may be named as the worker)."""
    from mopr.models import User

    return (
        User.objects.filter(role_assignments__role=Role.SOCIAL_WORKER, role_assignments__region__in=regions)
        .distinct()
        .order_by("last_name", "first_name")
    )


# --- cases -------------------------------------------------------------------------------


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case this user may see. Start every case query here."""
    from cases.models import Case

    roles = roles_of(user)
    if roles.institution_id is None:
        return Case.objects.none()
    base = Case.objects.filter(institution_id=roles.institution_id)
    if roles.institution_roles & INSTITUTION_READERS:
        return base
    if roles.has(Role.BENEFITS_WORKER):
        # Never social work, never case files: only what they registered, via intake lists.
        return Case.objects.none()
    region_ids = roles.region_ids(Role.SOCIAL_WORKER) | roles.region_ids(Role.COORDINATOR)
    condition = Q(worker=user)
    if roles.has(Role.SOCIAL_WORKER):
        # The cases of a worker this user stands in for today (a subquery: no query of its own).
        condition |= Q(worker_id__in=covered_worker_ids(user))
    if region_ids:
        condition |= Q(region_id__in=region_ids)
    coordinated = roles.region_ids(Role.COORDINATOR)
    if coordinated:
        # A case moving into a coordinated region: read it to decide (issue 17.3).
        condition |= Q(pk__in=moves_pending_into(coordinated).values("case_id"))
    if roles.has(Role.FAMILY_ASSISTANT):
        # Seed 002: the assistant sees only the families assigned to them.
        condition |= Q(pk__in=assisted_case_ids(user))
    return base.filter(condition)


def assisted_case_ids(user: User):
    from assistants.models import Assignment

    return Assignment.objects.filter(assistant=user, ended_on__isnull=True).values("case_id")


def case_is_visible(user: User, case: Case) -> bool:
    roles = roles_of(user)
    if roles.institution_id is None or case.institution_id != roles.institution_id:
        return False
    if roles.institution_roles & INSTITUTION_READERS:
        return True
    if roles.has(Role.BENEFITS_WORKER):
        return False
    if case.worker_id == user.pk:
        return True
    if case.region_id in (roles.region_ids(Role.SOCIAL_WORKER) | roles.region_ids(Role.COORDINATOR)):
        return True
    if case.worker_id is not None and case.worker_id in workers_covered_by(user):
        return True
    coordinated = roles.region_ids(Role.COORDINATOR)
    if coordinated and moves_pending_into(coordinated).filter(case_id=case.pk).exists():
        return True
    return roles.has(Role.FAMILY_ASSISTANT) and assisted_case_ids(user).filter(case_id=case.pk).exists()


# --- moving between regions (issue 17.3) -----------------------------------------------------------


def moves_pending_into(region_ids) -> QuerySet:
    """Moves of cases into these regions waiting for their coordinator's decision."""
    from cases.models import CaseTransfer

    return CaseTransfer.objects.filter(
        kind=CaseTransfer.Kind.MOVE, decided_at__isnull=True, to_region_id__in=region_ids
    )


def user_hands_over(user: User) -> bool:
    """The coordinators hand the cases of their regions' workers over (issue 17.2)."""
    return user.is_active and bool(regions_coordinated_by(user))


def handover_cases_for(user: User) -> QuerySet[Case]:
    """The open cases a coordinator may hand over: those of the regions they coordinate (the same
    predicate as ``Action.ASSIGN``), which have a worker."""
    from cases.procedure import Stage

    return (
        cases_visible_to(user)
        .filter(region_id__in=regions_coordinated_by(user), worker__isnull=False)
        .exclude(stage=Stage.ZAKONCZENIE)
    )


def workers_receiving_in(region_ids) -> QuerySet[User]:
    """Who may receive handed-over cases of these regions: their active social workers."""
    return _social_workers(role_assignments__region_id__in=region_ids)


def user_may_decide_move(user: User, transfer) -> bool:
    """The coordinator of the region the case moves to accepts it or refuses it."""
    return user.is_active and transfer.to_region_id in regions_coordinated_by(user)


# --- absence cover (zastępstwo, issue 17.1) ------------------------------------------------------


def covers_in_force(on=None):
    """The covers running on ``on`` (today): they begin and end by themselves, by date."""
    from staffing.models import Cover

    return Cover.objects.in_force(on)


def covered_worker_ids(user: User):
    """The absent workers ``user`` stands in for today, as a subquery for a case query."""
    return covers_in_force().filter(substitute=user).values("absent_id")


def workers_covered_by(user: User) -> frozenset[int]:
    """The absent workers ``user`` stands in for today; asked once per request, and only where a
    case is not the user's own."""
    cached = getattr(user, "_mopr_covering", None)
    if cached is None:
        cached = frozenset()
        if user.is_authenticated and user_runs_social_work(user):
            cached = frozenset(
                covers_in_force()
                .filter(substitute=user, institution_id=user.institution_id)
                .values_list("absent_id", flat=True)
            )
        user._mopr_covering = cached
    return cached


def acting_for(user: User, case: Case) -> int | None:
    """The absent worker ``user`` acts for in ``case`` (their entries say "w zastępstwie za …"),
    or None when the user acts in their own name."""
    if case.worker_id is None or case.worker_id == user.pk:
        return None
    return case.worker_id if case.worker_id in workers_covered_by(user) else None


def responsible_for(user: User, case: Case) -> bool:
    """The case's worker, or their substitute while a cover runs – and never a benefits worker."""
    if case.worker_id is None or not user_runs_social_work(user):
        return False
    return case.worker_id == user.pk or case.worker_id in workers_covered_by(user)


def user_may_set_cover(user: User, absent: User) -> bool:
    """A coordinator of a region where ``absent`` works, or the worker themselves (planned
    leave). The institution's management (head, director) may too: they run the centre's staff."""
    roles = roles_of(user)
    if not user.is_active or roles.institution_id is None or absent.institution_id != roles.institution_id:
        return False
    if absent.pk == user.pk:
        return user_runs_social_work(user)
    if roles.institution_roles & DIRECTING_ROLES:
        return True
    return roles_of(absent).region_ids(Role.SOCIAL_WORKER) & roles.region_ids(Role.COORDINATOR) != frozenset()


def cover_refusal() -> str:
    from django.utils.translation import gettext as _

    return _(
        "Zastępstwo ustala koordynator rejonu nieobecnego pracownika, kierownictwo ośrodka albo sam pracownik "
        "(planowany urlop)."
    )


def workers_coverable_by(user: User) -> QuerySet[User]:
    """Whose absence ``user`` may cover (the form's choices): the same predicate as
    ``user_may_set_cover``, as a query."""
    from mopr.models import RoleAssignment, User

    roles = roles_of(user)
    if not user.is_active or roles.institution_id is None:
        return User.objects.none()
    workers = User.objects.filter(
        institution_id=roles.institution_id, role_assignments__role=Role.SOCIAL_WORKER
    ).distinct()
    if roles.institution_roles & DIRECTING_ROLES:
        return workers.order_by("last_name", "first_name")
    condition = Q(pk=user.pk) if user_runs_social_work(user) else Q(pk__in=[])
    coordinated = roles.region_ids(Role.COORDINATOR)
    if coordinated:
        held = RoleAssignment.objects.filter(role=Role.SOCIAL_WORKER, region_id__in=coordinated)
        condition |= Q(pk__in=held.values("user_id"))
    return workers.filter(condition).order_by("last_name", "first_name")


def user_sets_covers(user: User) -> bool:
    """Who has the covers page: social workers (their own leave), coordinators, the management."""
    roles = roles_of(user)
    return user.is_active and (
        user_runs_social_work(user) or roles.has(Role.COORDINATOR) or bool(roles.institution_roles & DIRECTING_ROLES)
    )


def substitutes_for(absent: User | None, institution_id: int | None = None) -> QuerySet[User]:
    """Who may stand in: an active social worker of the same institution, not the absent one
    (``absent=None``: the form's choices, before the absent worker is chosen)."""
    workers = _social_workers(institution_id=absent.institution_id if absent is not None else institution_id)
    return workers.exclude(pk=absent.pk) if absent is not None else workers


def covers_visible_to(user: User) -> QuerySet:
    """The covers a user sees: their own (given or taken); a coordinator's regions' workers'; the
    management's all of the institution."""
    from staffing.models import Cover

    roles = roles_of(user)
    if roles.institution_id is None:
        return Cover.objects.none()
    base = Cover.objects.filter(institution_id=roles.institution_id)
    if roles.institution_roles & (DIRECTING_ROLES | {Role.AUDITOR}):
        return base
    condition = Q(absent=user) | Q(substitute=user)
    coordinated = roles.region_ids(Role.COORDINATOR)
    if coordinated:
        from mopr.models import RoleAssignment

        workers = RoleAssignment.objects.filter(role=Role.SOCIAL_WORKER, region_id__in=coordinated).values("user_id")
        condition |= Q(absent_id__in=workers)
    return base.filter(condition)


def case_allows(user: User, case: Case, action: Action) -> bool:
    """May ``user`` do ``action`` to ``case``? Visibility first, then the role's rights."""
    if not case_is_visible(user, case):
        return False
    roles = roles_of(user)
    responsible = responsible_for(user, case)
    coordinates = case.region_id in roles.region_ids(Role.COORDINATOR)
    if case.anonymised_at is not None and action not in (Action.VIEW, Action.PRINT):
        return False  # what is left of an anonymised case is statistics: read only
    match action:
        case Action.VIEW | Action.PRINT:
            return True
        case Action.WRITE | Action.TRANSITION | Action.VERIFY:
            return responsible and case.accepted_at is not None
        case Action.ACCEPT:
            return responsible and case.accepted_at is None
        case Action.ASSIGN:
            return coordinates
        case Action.NOTE:
            return (responsible and case.accepted_at is not None) or coordinates or _assists(user, case)
        case Action.ALERT:
            return (responsible and case.accepted_at is not None) or _assists(user, case)
        case Action.ASSISTANT_WORK:
            return _assists(user, case)
    return False


def user_acts_as_assistant(user: User, case: Case) -> bool:
    """The family's assistant writing in the case (not as its worker): the worker is told at once."""
    return not responsible_for(user, case) and _assists(user, case)


def people_to_tell(cases, on=None) -> dict[int, list[int]]:
    """Who follows each case now (issue 17.2, 17.5, 17.7): its worker and the day's substitute;
    for a case whose worker left (or that has none), the region's coordinators. Three queries
    whatever the number of cases: the urgent note of one case and the nightly deadline notices
    ask the same."""
    from mopr.models import RoleAssignment, User

    cases = list(cases)
    active = set(
        User.objects.filter(pk__in={c.worker_id for c in cases} - {None}, is_active=True).values_list("pk", flat=True)
    )
    substitutes: dict[int, list[int]] = {}
    for absent, substitute in (
        covers_in_force(on).filter(absent_id__in=active).values_list("absent_id", "substitute_id")
    ):
        substitutes.setdefault(absent, []).append(substitute)
    coordinators: dict[int, list[int]] = {}
    orphaned = {c.region_id for c in cases if c.worker_id not in active}
    if orphaned:
        for user_id, region_id in RoleAssignment.objects.filter(
            role=Role.COORDINATOR, region_id__in=orphaned, user__is_active=True
        ).values_list("user_id", "region_id"):
            coordinators.setdefault(region_id, []).append(user_id)
    return {
        c.pk: [c.worker_id, *substitutes.get(c.worker_id, [])]
        if c.worker_id in active
        else coordinators.get(c.region_id, [])
        for c in cases
    }


def region_coordinators(region_id: int) -> list[int]:
    from mopr.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(role=Role.COORDINATOR, region_id=region_id, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def opinion_givers(institution_id: int) -> list[int]:
    """The heads of department of the institution (the opinion on assistant requests)."""
    from mopr.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(
            role=Role.HEAD_OF_DEPARTMENT, user__institution_id=institution_id, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def approvers(institution_id: int) -> list[int]:
    """The director and whoever the director authorised to approve assistant requests."""
    from assistants.models import Authorisation
    from mopr.models import RoleAssignment

    directors = RoleAssignment.objects.filter(
        role=Role.DIRECTOR, user__institution_id=institution_id, user__is_active=True
    ).values_list("user_id", flat=True)
    authorised = Authorisation.objects.filter(
        institution_id=institution_id, revoked_at__isnull=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return sorted({*directors, *authorised})


def _assists(user: User, case: Case) -> bool:
    """The family assistant assigned to the case's family now."""
    return roles_of(user).has(Role.FAMILY_ASSISTANT) and assisted_case_ids(user).filter(case_id=case.pk).exists()


def corrections_allowed(user: User, case: Case):
    """Which entries of ``case`` may ``user`` correct or withdraw (issue 16.1)? Their author,
    while they see the case, and the coordinator of the case's region (supervision); a closed
    case too (a correction is one of the few things a closed case takes); never an anonymised
    one. Asked once per page: the answer is a test of an entry, with no further query."""
    if case.anonymised_at is not None or not case_is_visible(user, case):
        return lambda entry: False
    if case.region_id in roles_of(user).region_ids(Role.COORDINATOR):
        return lambda entry: True
    if not (user_runs_social_work(user) or user_may_register_reports(user)):
        return lambda entry: False
    return lambda entry: (getattr(entry, "author_id", None) or getattr(entry, "received_by_id", None)) == user.pk


def entry_allows_correction(user: User, case: Case, entry) -> bool:
    return corrections_allowed(user, case)(entry)


def correction_refusal(user: User, case: Case) -> str:
    """Why a correction is refused, in words for the user (the page and the service say the same)."""
    from django.utils.translation import gettext as _

    if case.anonymised_at is not None:
        return action_refusal(user, case, Action.WRITE)
    return _("Wpis sprostowuje lub wycofuje jego autor albo koordynator rejonu.")


def require_correction(user: User, case: Case, entry) -> None:
    if not entry_allows_correction(user, case, entry):
        from mopr.errors import NotAllowed

        raise NotAllowed(correction_refusal(user, case))


def case_get_for(user: User, pk: int, action: Action = Action.VIEW, queryset: QuerySet | None = None) -> Case:
    """The case for a view, or 404 (not visible) / 403 (visible, action not allowed)."""
    qs = queryset if queryset is not None else cases_visible_to(user)
    try:
        case = qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not case_allows(user, case, action):
        raise PermissionDenied(action_refusal(user, case, action))
    access.shown(case=case)  # the page will show it: the access log gets its row (mopr/access.py)
    return case


def require(user: User, case: Case, action: Action) -> None:
    """For the services: refuse (NotAllowed, with the reason) what ``case_allows`` refuses. Every
    writing service asks this of the row it locked, so the page's offer and the write are
    decided by the same predicate."""
    if not case_allows(user, case, action):
        from mopr.errors import NotAllowed

        raise NotAllowed(action_refusal(user, case, action) if case_is_visible(user, case) else _not_found())


def _not_found() -> str:
    from django.utils.translation import gettext as _

    return _("Nie znaleziono sprawy.")


def action_refusal(user: User, case: Case, action: Action) -> str:
    """Why the action is refused, in words for the user."""
    from django.utils.translation import gettext as _

    if case.anonymised_at is not None:
        return _("Sprawa została zanonimizowana po okresie przechowywania; nie można jej zmieniać.")
    if action in (Action.WRITE, Action.TRANSITION, Action.VERIFY, Action.NOTE, Action.ALERT):
        if not responsible_for(user, case):
            if action == Action.NOTE:
                return _(
                    "Notatkę w sprawie dodaje pracownik socjalny prowadzący sprawę (lub jego zastępca), "
                    "koordynator rejonu albo asystent rodziny."
                )
            if action == Action.ALERT:
                return _(
                    "Oznaczenie lub zawiadomienie dodaje pracownik socjalny prowadzący sprawę (lub jego "
                    "zastępca) albo asystent rodziny."
                )
            return _("Wpisy w sprawie dodaje tylko pracownik socjalny prowadzący sprawę (lub jego zastępca).")
        if case.accepted_at is None:
            return _("Najpierw przyjmij zgłoszenie do realizacji.")
        return _("Pracownik ds. świadczeń nie prowadzi pracy socjalnej.")
    if action == Action.ACCEPT:
        return _("Zgłoszenie przyjmuje do realizacji tylko przydzielony pracownik socjalny.")
    if action == Action.ASSIGN:
        return _("Przydziela tylko koordynator rejonu tej sprawy.")
    return _("Brak uprawnień do tej czynności.")


# --- the case file to hand over (issue 19.5) -------------------------------------------------------


def user_may_export_case_file(user: User, case: Case) -> bool:
    """The whole teczka as one ZIP for the family's new centre or a court. Handing a file outside
    the centre is the centre's act: the worker who runs the case (or the substitute while a cover
    runs), the coordinator of its region, and the director, who answers for the centre to a court
    (DOMAIN.md). Not the auditor and the head: they read and print for control and opinions, and
    not the family assistant. Never an anonymised case: its personal data are gone, nothing of the
    family is left to hand over."""
    if not user.is_active or case.anonymised_at is not None or not case_is_visible(user, case):
        return False
    roles = roles_of(user)
    return (
        responsible_for(user, case)
        or case.region_id in roles.region_ids(Role.COORDINATOR)
        or Role.DIRECTOR in roles.institution_roles
    )


def case_file_refusal(user: User, case: Case) -> str:
    from django.utils.translation import gettext as _

    if case.anonymised_at is not None:
        return action_refusal(user, case, Action.PRINT)
    return _(
        "Teczkę sprawy do przekazania przygotowuje pracownik socjalny prowadzący sprawę (lub jego zastępca), "
        "koordynator rejonu albo dyrektor ośrodka."
    )


# --- intake and the coordinator's queue ------------------------------------------------------


def user_may_register_reports(user: User) -> bool:
    return bool(roles_of(user).all & INTAKE_ROLES)


def regions_coordinated_by(user: User) -> frozenset[int]:
    return roles_of(user).region_ids(Role.COORDINATOR)


def regions_visible_to(user: User) -> QuerySet[Region]:
    """The regions whose cases the user may see (for filters and registers)."""
    from mopr.models import Region

    roles = roles_of(user)
    if roles.institution_id is None:
        return Region.objects.none()
    qs = Region.objects.filter(institution_id=roles.institution_id).order_by("code")
    if roles.institution_roles & INSTITUTION_READERS:
        return qs
    if roles.has(Role.BENEFITS_WORKER):
        return qs.none()
    return qs.filter(pk__in=roles.region_ids(Role.SOCIAL_WORKER) | roles.region_ids(Role.COORDINATOR))


def regions_overseen_by(user: User) -> QuerySet[Region]:
    """The regions whose register and dashboard the user reads: the coordinator's own, every one
    for the institution's readers."""
    regions = regions_visible_to(user)
    if user_reads_institution(user):
        return regions
    return regions.filter(pk__in=regions_coordinated_by(user))


def user_oversees_regions(user: User) -> bool:
    """The register and the dashboards: the coordinators, the director, the head, the auditor."""
    return bool(regions_coordinated_by(user)) or user_reads_institution(user)


def user_may_see_case_list(user: User) -> bool:
    roles = roles_of(user)
    if roles.has(Role.BENEFITS_WORKER) and not roles.institution_roles & INSTITUTION_READERS:
        return False
    return bool(roles.institution_roles & INSTITUTION_READERS) or bool(
        roles.region_ids(Role.SOCIAL_WORKER) | roles.region_ids(Role.COORDINATOR)
    )


def reports_registered_by(user: User) -> QuerySet:
    """The first-contact desk's own list: what they registered, with no case file behind it."""
    from cases.models import Report

    roles = roles_of(user)
    if roles.institution_id is None:
        return Report.objects.none()
    return Report.objects.filter(case__institution_id=roles.institution_id, received_by=user)


def clients_searchable_by(user: User) -> QuerySet:
    """Clients whose name may be offered in the intake's duplicate search: the institution's."""
    from cases.models import Client

    roles = roles_of(user)
    if roles.institution_id is None or not user_may_register_reports(user):
        return Client.objects.none()
    return Client.objects.filter(institution_id=roles.institution_id)


def merge_refusal() -> str:
    from django.utils.translation import gettext as _

    return _("Rekordy klientów łączy koordynator rejonu obu spraw albo dyrektor.")


def user_may_merge_clients(user: User, *clients) -> bool:
    """May ``user`` make two client records of one person one (issue 16.3)? The director, or a
    coordinator in whose regions each record has a case; never an anonymised or merged record."""
    roles = roles_of(user)
    if any(c.institution_id != roles.institution_id or c.anonymised_at or c.merged_into_id for c in clients):
        return False
    if roles.has(Role.DIRECTOR):
        return True
    coordinated = roles.region_ids(Role.COORDINATOR)
    if not coordinated:
        return False
    from cases.models import Case

    return all(Case.objects.filter(client=c, region_id__in=coordinated).exists() for c in clients)


def client_lookups_left(user: User) -> int:
    """How many more intake look-ups of persons the user may make this hour (issue 14.3): each is
    in the access log, which is also the count, so the limit holds across processes."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from mopr.models import AccessLog

    made = AccessLog.objects.filter(
        user=user, action=AccessLog.Action.LOOKUP, at__gte=timezone.now() - datetime.timedelta(hours=1)
    ).count()
    return max(settings.INTAKE_LOOKUPS_PER_HOUR - made, 0)


def intake_client_for(user: User, pk, *, offered: frozenset[int]):
    """The client a report is being registered for: one the user's own search offered them in
    this session, or one of a case they see – never any client by its number (issue 14.3)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = clients_searchable_by(user).prefetch_related("members")
    if pk not in offered:
        qs = qs.filter(cases__in=cases_visible_to(user))
    client = qs.filter(pk=pk).first()
    if client is None:
        raise Http404
    access.shown(client=client)
    return client


def client_allows_edit(user: User, client) -> bool:
    """The client's data is edited by a worker responsible for one of the client's cases."""
    return any(case_allows(user, case, Action.WRITE) for case in client.cases.all())


# --- the family assistant (seed 002) ------------------------------------------------------------


def user_may_opine(user: User, request) -> bool:
    """The head of department gives the opinion – never on their own request."""
    roles = roles_of(user)
    return (
        roles.has(Role.HEAD_OF_DEPARTMENT)
        and request.case.institution_id == roles.institution_id
        and request.requested_by_id != user.pk
    )


# Who runs social work may be authorised to approve assistant requests: they read the children's
# justification as part of their own work. Never the desk or the benefits worker (issue 14.8).
AUTHORISABLE_ROLES = frozenset({Role.SOCIAL_WORKER, Role.COORDINATOR, Role.HEAD_OF_DEPARTMENT})


def user_may_be_authorised_to_approve(user: User) -> bool:
    roles = roles_of(user)
    return user.is_active and bool(roles.all & AUTHORISABLE_ROLES) and not roles.has(Role.BENEFITS_WORKER)


def users_authorisable_by(director: User) -> QuerySet[User]:
    """Whom the director may authorise to approve assistant requests."""
    from mopr.models import User as UserModel

    if not user_may_authorise(director):
        return UserModel.objects.none()
    return (
        UserModel.objects.filter(
            institution_id=director.institution_id, is_active=True, role_assignments__role__in=AUTHORISABLE_ROLES
        )
        .exclude(role_assignments__role=Role.BENEFITS_WORKER)
        .exclude(pk=director.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )


def user_may_authorise(user: User) -> bool:
    """The director grants and revokes the authorisations to approve assistant requests."""
    return user.is_active and roles_of(user).has(Role.DIRECTOR)


def user_acts_as_approver(user: User) -> tuple[bool, bool]:
    """(may approve, only by the director's authorisation) for the user's institution."""
    from assistants.models import Authorisation

    roles = roles_of(user)
    if roles.institution_id is None or not user.is_active:
        return False, False
    if roles.has(Role.DIRECTOR):
        return True, False
    granted = Authorisation.objects.filter(user=user, institution_id=roles.institution_id, revoked_at__isnull=True)
    authorised = user_may_be_authorised_to_approve(user) and granted.exists()
    return authorised, authorised


def user_may_approve(user: User, request) -> bool:
    """The director or a person the director authorised – never on their own request, and not the
    one who gave the opinion: the chain keeps two pairs of eyes."""
    may, _by_authorisation = user_acts_as_approver(user)
    opined = request.decisions.filter(step="opinion", decided_by=user).exists()
    return (
        may and not opined and request.case.institution_id == user.institution_id and request.requested_by_id != user.pk
    )


def user_may_assign_assistant(user: User) -> bool:
    return user_acts_as_approver(user)[0] or roles_of(user).has(Role.HEAD_OF_DEPARTMENT)


def assistants_assignable(institution_id: int) -> QuerySet[User]:
    from mopr.models import User

    return (
        User.objects.filter(is_active=True, institution_id=institution_id, role_assignments__role=Role.FAMILY_ASSISTANT)
        .distinct()
        .order_by("last_name", "first_name")
    )


def assignments_visible_to(user: User) -> QuerySet:
    """Assignments whose family the user may see: the assistant's own, the visible cases' others."""
    from assistants.models import Assignment

    return Assignment.objects.filter(case__in=cases_visible_to(user))


def requests_visible_to(user: User) -> QuerySet:
    """Requests of the cases the user sees, and – for the head and the approvers – every request
    of the institution (their queues)."""
    from assistants.models import Request

    roles = roles_of(user)
    if roles.institution_id is None:
        return Request.objects.none()
    if user_acts_as_approver(user)[0] or roles.has(Role.HEAD_OF_DEPARTMENT):
        return Request.objects.filter(case__institution_id=roles.institution_id)
    return Request.objects.filter(case__in=cases_visible_to(user))


# --- refusing environments (seed 003) ---------------------------------------------------------------


DIRECTING_ROLES = frozenset({Role.DIRECTOR, Role.HEAD_OF_DEPARTMENT})


def user_directs_monitoring(user: User, case) -> bool:
    """The director or the deputy (head of department) of the case's institution sets the plan
    of action for an environment that refuses help and takes the decision with the worker."""
    roles = roles_of(user)
    return (
        user.is_active
        and roles.institution_id is not None
        and roles.institution_id == case.institution_id
        and bool(roles.institution_roles & DIRECTING_ROLES)
    )


def user_directs_monitorings(user: User) -> bool:
    """The director's (deputy's) list of every monitoring waiting for a plan or a decision."""
    return user.is_active and bool(roles_of(user).institution_roles & DIRECTING_ROLES)


# --- team meetings and inspections (seed 000 IV.3, VII) ---------------------------------------------


def meeting_regions_for(user: User) -> QuerySet[Region]:
    """The regions whose meetings the user sees: their own team's, or all for the management."""
    roles = roles_of(user)
    regions = regions_visible_to(user)
    if user_reads_institution(user):
        return regions
    return regions.filter(pk__in=roles.region_ids(Role.COORDINATOR) | roles.region_ids(Role.SOCIAL_WORKER))


def user_sees_meetings(user: User) -> bool:
    roles = roles_of(user)
    in_a_team = roles.region_ids(Role.SOCIAL_WORKER) | roles.region_ids(Role.COORDINATOR)
    return user_reads_institution(user) or bool(in_a_team)


def user_may_hold_meeting(user: User, region: Region) -> bool:
    """The coordinator or "a worker the coordinator named" writes the note (seed 000 IV.3). The
    naming is not recorded here: any social worker of the region may write it, and the note keeps
    who did."""
    roles = roles_of(user)
    return region.pk in roles.region_ids(Role.COORDINATOR) or region.pk in roles.region_ids(Role.SOCIAL_WORKER)


def meeting_attendees_allowed(region: Region) -> set[int]:
    """Workers and coordinators of the region; the deputy director or the head of department."""
    from mopr.models import User

    return set(
        User.objects.filter(is_active=True, institution_id=region.institution_id)
        .filter(
            Q(role_assignments__region=region) | Q(role_assignments__role__in=[Role.HEAD_OF_DEPARTMENT, Role.DIRECTOR])
        )
        .values_list("pk", flat=True)
    )


def user_may_inspect(user: User, region: Region) -> bool:
    """The region's coordinator, or an authorised controller (the auditor) of the institution."""
    roles = roles_of(user)
    return region.pk in roles.region_ids(Role.COORDINATOR) or (
        roles.has(Role.AUDITOR) and roles.institution_id == region.institution_id
    )


def inspections_visible_to(user: User) -> QuerySet:
    """The coordinator's regions, the management and the controller all; a worker their own."""
    from meetings.models import Inspection

    roles = roles_of(user)
    if roles.institution_id is None:
        return Inspection.objects.none()
    base = Inspection.objects.filter(region__institution_id=roles.institution_id)
    if user_reads_institution(user):
        return base
    return base.filter(Q(region_id__in=roles.region_ids(Role.COORDINATOR)) | Q(inspected_worker=user))


def user_sees_inspections(user: User) -> bool:
    """The list of inspections: the management, the controller, the coordinators, and a worker who
    was inspected (their own)."""
    return user_reads_institution(user) or roles_of(user).has(Role.COORDINATOR) or inspections_visible_to(user).exists()


# --- time accounting (seed 004) --------------------------------------------------------------------
# Who sees whose time: a social worker, a benefits worker their own time and caseload; a coordinator
# the people of the regions they coordinate (themselves included); the head, the director, the
# auditor the whole institution; anyone else (assistant, desk) nothing; nobody another institution's.

# Who records time (seed 004: the workers; coordinators for themselves), who has a caseload norm.
TIME_ROLES = frozenset({Role.SOCIAL_WORKER, Role.BENEFITS_WORKER, Role.COORDINATOR})
CASELOAD_ROLES = frozenset({Role.SOCIAL_WORKER, Role.BENEFITS_WORKER})


@dataclass(frozen=True)
class Team:
    """A set of people of one institution: all of it, some regions of it, or one person."""

    institution_id: int
    region_ids: frozenset[int] | None = None  # None: the whole institution
    user_id: int | None = None  # one person only (a worker's own page)

    @classmethod
    def of(cls, team) -> Team:
        from mopr.models import Region

        if isinstance(team, Team):
            return team
        if isinstance(team, Region):
            return cls(institution_id=team.institution_id, region_ids=frozenset({team.pk}))
        return cls(institution_id=team.pk)


def time_uses_benefits_categories(worker: User) -> bool:
    """Seed 004: the benefits worker accounts time in the categories of their job (A–Ł), never in
    the social worker's A–I – also with a second role (seed 001: they never run social work)."""
    return roles_of(worker).has(Role.BENEFITS_WORKER)


def benefits_worker_roles() -> QuerySet:
    """The benefits workers' role rows, for a selector that marks many people at once (an
    ``Exists`` on ``user``) instead of asking ``time_uses_benefits_categories`` per person."""
    from mopr.models import RoleAssignment

    return RoleAssignment.objects.filter(role=Role.BENEFITS_WORKER)


def user_records_time(user: User) -> bool:
    """Social workers, benefits workers and coordinators record their own time."""
    return bool(user.is_authenticated and user.is_active and roles_of(user).all & TIME_ROLES)


def time_scope(user: User) -> Team | None:
    """The widest team whose time ``user`` may read, or None (403)."""
    roles = roles_of(user)
    if roles.institution_id is None:
        return None
    if user_reads_institution(user):
        return Team(institution_id=roles.institution_id)
    coordinated = regions_coordinated_by(user)
    if coordinated:
        return Team(institution_id=roles.institution_id, region_ids=coordinated)
    if roles.all & TIME_ROLES:
        return Team(institution_id=roles.institution_id, user_id=user.pk)
    return None


def team_members(team: Team, roles=TIME_ROLES) -> QuerySet[User]:
    """The people of ``team`` holding one of ``roles`` (in the team's regions, where it has some).

    A benefits worker holds the role for the institution, so a region's team includes them only
    when they also hold a role in that region."""
    from mopr.models import RoleAssignment, User

    held = RoleAssignment.objects.filter(role__in=list(roles))
    if team.region_ids is not None:
        held = held.filter(region_id__in=team.region_ids)
    qs = User.objects.filter(institution_id=team.institution_id, pk__in=held.values("user_id"))
    if team.user_id is not None:
        qs = qs.filter(pk=team.user_id)
    return qs


def time_may_view(user: User, worker: User) -> bool:
    scope = time_scope(user)
    if scope is None or worker.institution_id != scope.institution_id:
        return False
    if scope.user_id is not None:
        return worker.pk == user.pk
    if scope.region_ids is None:
        return True
    return worker.pk == user.pk or team_members(scope).filter(pk=worker.pk).exists()


def time_may_record(by: User, worker: User) -> bool:
    """A worker records their own time; a coordinator may correct the time of a social worker of
    a region they coordinate (the history names the coordinator)."""
    from mopr.models import RoleAssignment

    if not by.is_authenticated or not by.is_active or by.institution_id is None:
        return False
    if worker.institution_id != by.institution_id or not roles_of(worker).all & TIME_ROLES:
        return False
    if worker.pk == by.pk:
        return True
    coordinated = regions_coordinated_by(by)
    return (
        bool(coordinated)
        and RoleAssignment.objects.filter(user=worker, role=Role.SOCIAL_WORKER, region_id__in=coordinated).exists()
    )


def user_sees_team_time(user: User) -> bool:
    scope = time_scope(user)
    return scope is not None and scope.user_id is None


def regions_for_time(user: User) -> QuerySet[Region]:
    """The regions the team pages may be narrowed to: the coordinator's own, or every region of
    the institution for its readers (through ``regions_visible_to``)."""
    from mopr.models import Region

    scope = time_scope(user)
    if scope is None or scope.user_id is not None:
        return Region.objects.none()
    regions = regions_visible_to(user)
    return regions if scope.region_ids is None else regions.filter(pk__in=scope.region_ids)


def narrowed(scope: Team, region: Region | None) -> Team:
    """The scope limited to one region (which the caller took from ``regions_for_time``)."""
    if region is None:
        return scope
    if region.institution_id != scope.institution_id or (
        scope.region_ids is not None and region.pk not in scope.region_ids
    ):
        raise ValueError("region outside the scope")
    return Team(institution_id=scope.institution_id, region_ids=frozenset({region.pk}))


# --- accounts: the second factor and the access log -----------------------------------------


def user_role_requires_second_factor(user: User) -> bool:
    """The institution requires TOTP of one of the user's roles (by default director,
    coordinator, auditor: Institution.otp_required_roles)."""
    required = set(user.institution.otp_required_roles or []) if user.institution_id else set()
    return bool(required & {role.value for role in roles_of(user).all})


def user_needs_second_factor(user: User) -> bool:
    """TOTP is asked at login of the roles the institution chose, of anyone who turned it on, and
    of whoever may open the Django admin (it reaches every record, issue 14.8)."""
    from django_otp import user_has_device

    return user.is_staff or user_has_device(user, confirmed=True) or user_role_requires_second_factor(user)


def user_may_set_up_second_factor(user: User, *, session_verified: bool) -> bool:
    """Setting up a TOTP key: the first one by a password alone (that is how one starts), any
    later one only in a session that gave the second factor – and, in the service, with a code of
    the key it adds to (issue 14.1: a password must never replace the second factor)."""
    from django_otp import user_has_device

    return session_verified or not user_has_device(user, confirmed=True)


def user_may_unlock_accounts(user: User) -> bool:
    """The director releases the login locks of the institution's accounts (issue 14.2)."""
    roles = roles_of(user)
    return user.is_active and roles.institution_id is not None and Role.DIRECTOR in roles.institution_roles


def lockouts_visible_to(user: User) -> QuerySet:
    """The login locks (django-axes' attempts) of the user names of the director's institution."""
    from axes.models import AccessAttempt

    from mopr.models import User as UserModel

    if not user_may_unlock_accounts(user):
        return AccessAttempt.objects.none()
    names = UserModel.objects.filter(institution_id=user.institution_id).values("username")
    return AccessAttempt.objects.filter(username__in=names)


def user_may_configure_institution(user: User) -> bool:
    """The centre's settings (issue 19.1): the director and the system administrator."""
    roles = roles_of(user)
    return (
        user.is_active
        and roles.institution_id is not None
        and bool(roles.institution_roles & {Role.DIRECTOR, Role.SYSTEM_ADMIN})
    )


def user_may_manage_staff(user: User) -> bool:
    """The centre's accounts and roles (issue 19.2): the director and the system administrator."""
    return user_may_configure_institution(user)


def user_may_import_cases(user: User) -> bool:
    """Carrying the centre's clients and open cases over from its earlier records (issue 19.4):
    who sets the centre up – the director and the system administrator."""
    return user_may_configure_institution(user)


def centre_keeps_a_configurer(institution_id: int, *, without: User, keep_roles: set[str]) -> bool:
    """Whether someone active could still configure the centre (its settings, its accounts) once
    ``without`` keeps only ``keep_roles``: a centre is never left without one."""
    from mopr.models import RoleAssignment

    configuring = {Role.DIRECTOR, Role.SYSTEM_ADMIN}
    if without.is_active and keep_roles & configuring:
        return True
    return (
        RoleAssignment.objects.filter(
            user__institution_id=institution_id, user__is_active=True, role__in=configuring, region__isnull=True
        )
        .exclude(user=without)
        .exists()
    )


def staff_visible_to(user: User) -> QuerySet[User]:
    """The accounts a staff manager keeps: their own centre's."""
    from mopr.models import User

    if not user_may_manage_staff(user):
        return User.objects.none()
    return User.objects.filter(institution_id=user.institution_id)


def user_may_edit_directory(user: User) -> bool:
    """The directory of addressees is kept by the coordinators and the management."""
    roles = roles_of(user)
    return (
        user.is_active
        and roles.institution_id is not None
        and (bool(roles.region_ids(Role.COORDINATOR)) or bool(roles.institution_roles & DIRECTING_ROLES))
    )


def directory_visible_to(user: User) -> QuerySet:
    """The institution's directory of addressees (every member of staff writes letters)."""
    from mopr.models import DirectoryEntry

    roles = roles_of(user)
    if roles.institution_id is None:
        return DirectoryEntry.objects.none()
    return DirectoryEntry.objects.filter(institution_id=roles.institution_id)


# Who may search the access log and print a person's report of it (issue 8, GDPR art. 15).
ACCESS_LOG_READERS = frozenset({Role.DIRECTOR, Role.AUDITOR})


def user_may_read_access_log(user: User) -> bool:
    return bool(roles_of(user).institution_roles & ACCESS_LOG_READERS)


def access_log_visible_to(user: User):
    """The rows of the access log a director or an auditor may search: their institution's, and
    the failed logins under user names no account has – they belong to no institution, and they
    are what guessing at logins looks like (issue 14.8)."""
    from mopr.models import AccessLog

    if not user_may_read_access_log(user):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(
        Q(institution_id=user.institution_id) | Q(institution__isnull=True, action=AccessLog.Action.LOGIN_FAILED)
    )


def clients_visible_to(user: User):
    """The clients whose access report a log reader may print: the institution's."""
    from cases.models import Client

    if not user_may_read_access_log(user):
        return Client.objects.none()
    return Client.objects.filter(institution_id=user.institution_id)


# --- retention: anonymising closed cases (issue 8, item 9) ------------------------------------


def user_may_anonymise(user: User) -> bool:
    """Only the director of an institution lists the cases past retention and anonymises them."""
    roles = roles_of(user)
    return user.is_active and roles.institution_id is not None and Role.DIRECTOR in roles.institution_roles


# --- background work (issue 18.5) ------------------------------------------------------------------


def user_may_start_job(user: User, kind) -> bool:
    """An active user whom the kind allows (the register's readers for its export, …)."""
    return bool(user.is_active and kind.allowed(user))


def user_may_download_job(user: User, job, kind) -> bool:
    """Only who asked for it, and only while they still may (a role taken away closes the file)."""
    return job.requested_by_id == user.pk and user_may_start_job(user, kind)
