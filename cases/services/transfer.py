"""Passing a case on (issue 17.2–3): to another worker – a hand-over, one case or all of a
leaving worker's at once – and to another RPŚ of the municipality – a move, proposed by the
coordinator of the case's region and accepted (or refused) by the coordinator of the other.

Each transfer is a ``CaseTransfer`` row: who passed what to whom, why, when, and when it was
accepted; the assignment it replaced is kept on it, so the karta's section 2 and the timeline
show every hand, not only the last. Nothing of the case is lost on the way: its number, its
entries, its contract and its history stay with it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseTransfer
from cases.services.case import _lock, _save, worker_check
from inbox.models import Notice
from inbox.services import notice_send
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import Region, User
from mopr.policy import Action
from mopr.records import record_save


def transfer_handover(
    *, locked: Case, to: User, by: User, reason: str, note: str = "", kind: str = CaseTransfer.Kind.HANDOVER
) -> CaseTransfer:
    """Give the locked case to ``to``: the transfer row (with the assignment it replaces), the
    case's new worker, waiting for their acceptance. The caller holds the case lock."""
    if locked.is_closed:
        raise DomainError(_("Sprawa %(number)s jest zakończona.") % {"number": locked.number})
    if locked.worker_id == to.pk:
        raise DomainError(
            _("%(name)s już prowadzi sprawę %(number)s.") % {"name": to, "number": locked.number}, field="worker"
        )
    transfer = _transfer_row(locked, by, kind=kind, to_worker=to, to_region_id=locked.region_id, reason=reason,
                             note=note.strip())  # fmt: skip
    record_save(transfer, by=by)
    worker_give(locked, to, by=by, at=transfer.at)
    return transfer


def _transfer_row(locked: Case, by: User, **fields) -> CaseTransfer:
    """A transfer of the locked case: who passes it, when, and the assignment it replaces."""
    transfer = CaseTransfer(case=locked, from_worker_id=locked.worker_id, from_region_id=locked.region_id, by=by,
                            at=timezone.now(), **fields)  # fmt: skip
    _replaces(transfer, locked)
    return transfer


def _replaces(transfer: CaseTransfer, locked: Case) -> None:
    transfer.replaced_transferred_at = locked.transferred_at
    transfer.replaced_transferred_by_id = locked.transferred_by_id
    transfer.replaced_accepted_at = locked.accepted_at


def worker_give(locked: Case, worker: User, *, by: User, at) -> None:
    """The locked case's new worker, waiting for their acceptance, and told so."""
    locked.worker = worker
    locked.transferred_at = at
    locked.transferred_by = by
    locked.accepted_at = None
    _save(locked, by)
    notice_assigned(case=locked, worker=worker)


def notice_assigned(*, case: Case, worker: User) -> None:
    notice_send(
        recipients=[worker],
        kind=Notice.Kind.ASSIGNED,
        case=case,
        text=_("Sprawa %(number)s czeka na Twoje przyjęcie do realizacji.") % {"number": case.number},
    )


def cases_hand_over(*, cases: Iterable[Case], to: User, by: User, reason: str, note: str = "") -> list[CaseTransfer]:
    """The coordinator hands chosen (or all) cases of a worker to ``to`` in one step: all of
    them or – if any is refused – none, with the case named in the message."""
    chosen = sorted(cases, key=lambda c: c.pk)  # one lock order: two hand-overs cannot deadlock
    if not chosen:
        raise DomainError(_("Wybierz co najmniej jedną sprawę."), field="cases")
    if reason not in CaseTransfer.Reason.values:
        raise DomainError(_("Wybierz przyczynę przekazania."), field="reason")
    with transaction.atomic():
        transfers = []
        for case in chosen:
            locked = _lock(case, None, by=by, action=Action.ASSIGN)
            worker_check(to, locked)
            transfers.append(transfer_handover(locked=locked, to=to, by=by, reason=reason, note=note))
    return transfers


def transfer_accepted(*, locked: Case, by: User) -> None:
    """The new worker accepted the case (``case_accept``): their transfer records the date."""
    pending = (
        CaseTransfer.objects.select_for_update()
        .filter(case=locked, to_worker_id=locked.worker_id, accepted_at__isnull=True, refusal_reason="")
        .order_by("-at")
        .first()
    )
    if pending is not None:
        pending.accepted_at = locked.accepted_at
        record_save(pending, by=by)


# --- moving to another RPŚ of the municipality ---------------------------------------------------


def case_move_propose(*, case: Case, to_region: Region, by: User, note: str) -> CaseTransfer:
    """The family moved within the municipality: the coordinator of the case's region passes it
    to the coordinator of ``to_region``, who accepts it. Until then the case stays where it is,
    with its worker, so nothing waits unattended."""
    if not note.strip():
        raise DomainError(_("Podaj nowy adres rodziny lub powód przeniesienia."), field="note")
    with transaction.atomic():
        locked = _lock(case, None, by=by, action=Action.ASSIGN)
        if locked.is_closed:
            raise DomainError(_("Sprawa jest zakończona."))
        if to_region.institution_id != locked.institution_id or to_region.pk == locked.region_id:
            raise DomainError(_("Wybierz inny rejon tego ośrodka."), field="to_region")
        transfer = _transfer_row(
            locked, by, kind=CaseTransfer.Kind.MOVE, to_region=to_region, reason=CaseTransfer.Reason.MOVED,
            note=note.strip(),
        )  # fmt: skip
        try:
            with transaction.atomic():
                record_save(transfer, by=by)
        except IntegrityError as error:
            if "transfer_one_move_pending" not in str(error) and "cases_casetransfer" not in str(error):
                raise
            raise DomainError(_("Przeniesienie tej sprawy już czeka na decyzję koordynatora.")) from error
        _save(locked, by)
        notice_send(
            recipients=policy.region_coordinators(to_region.pk),
            kind=Notice.Kind.MOVE,
            url=reverse("cases:queue"),
            case=locked,
            text=_("Sprawa %(number)s jest przenoszona do rejonu %(region)s – przyjmij ją albo odmów.")
            % {"number": locked.number, "region": to_region},
        )
    return transfer


def _lock_move(transfer: CaseTransfer, by: User) -> tuple[CaseTransfer, Case]:
    locked_case = _lock(transfer.case, None, by=by, action=None)  # the target coordinator: asked below
    locked = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if not policy.user_may_decide_move(by, locked):
        raise NotAllowed(_("O przyjęciu sprawy decyduje koordynator rejonu, do którego ją przeniesiono."))
    if locked.decided:
        raise DomainError(_("O tym przeniesieniu już zdecydowano."))
    return locked, locked_case


def case_move_accept(*, transfer: CaseTransfer, by: User, worker: User) -> CaseTransfer:
    """The coordinator of the new region accepts the case and gives it to one of their workers,
    who then accepts it as any transferred case."""
    with transaction.atomic():
        locked, case = _lock_move(transfer, by)
        if case.is_closed:
            raise DomainError(_("Sprawa została w międzyczasie zakończona – nie ma czego przyjmować."))
        case.region = locked.to_region  # the worker's check below is of the new region
        worker_check(worker, case)
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.to_worker = worker
        locked.from_worker_id = case.worker_id  # the case may have changed hands while the move waited
        _replaces(locked, case)
        record_save(locked, by=by)
        worker_give(case, worker, by=by, at=locked.decided_at)
    return locked


def case_move_refuse(*, transfer: CaseTransfer, by: User, reason: str) -> CaseTransfer:
    """The coordinator of the other region refuses (the address is not theirs): the case stays."""
    if not reason.strip():
        raise DomainError(_("Podaj powód odmowy przyjęcia sprawy."), field="reason")
    with transaction.atomic():
        locked, case = _lock_move(transfer, by)
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.refusal_reason = reason.strip()
        record_save(locked, by=by)
        _save(case, by)
    return locked
