"""Appointments with the family (issue 17.8): a visit or a meeting planned for a day and an hour,
moved when the client asks for another day (seed 004), or cancelled – each change with its
reason, kept in the history and on the timeline. Planned ones are on the worker's *Terminy*
(``cases/deadlines.planned_appointment``)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Appointment, Case
from cases.services.case import _lock, _save
from mopr.errors import DomainError
from mopr.models import User
from mopr.policy import Action
from mopr.records import record_lock, record_save


def _in_future(at: datetime.datetime) -> None:
    if at <= timezone.now():
        raise DomainError(_("Termin spotkania musi być w przyszłości."), field="at")


def appointment_check(appointment: Appointment) -> None:
    if appointment.kind == Appointment.Kind.OTHER and not appointment.place.strip():
        raise DomainError(_("Podaj, gdzie odbędzie się spotkanie."), field="place")


def appointment_plan(*, case: Case, by: User, appointment: Appointment) -> Appointment:
    _in_future(appointment.at)
    appointment_check(appointment)
    with transaction.atomic():
        locked = _lock(case, None, by=by, action=Action.WRITE)
        if locked.is_closed:
            raise DomainError(_("Sprawa jest zakończona."))
        appointment.case = locked
        appointment.author = by
        record_save(appointment, by=by)
        _save(locked, by)
    return appointment


def _lock_planned(appointment: Appointment, by: User, version: int | None) -> tuple[Appointment, Case]:
    case = _lock(appointment.case, None, by=by, action=Action.WRITE)
    locked = record_lock(
        Appointment,
        appointment.pk,
        expected_version=version,
        stale=_("Termin został w międzyczasie zmieniony przez inną osobę. Odśwież stronę."),
    )
    if locked.cancelled_at is not None:
        raise DomainError(_("To spotkanie zostało odwołane."))
    return locked, case


def appointment_move(
    *, appointment: Appointment, by: User, at: datetime.datetime, reason: str, version: int | None = None
) -> Appointment:
    """A new day or hour: the earlier one stays in the history with the reason."""
    if not reason.strip():
        raise DomainError(_("Podaj powód zmiany terminu (np. klient poprosił o inny dzień)."), field="reason")
    _in_future(at)
    with transaction.atomic():
        locked, case = _lock_planned(appointment, by, version)
        if locked.at == at:
            raise DomainError(_("To ten sam termin – podaj nowy."), field="at")
        locked.at = at
        locked.moves += 1
        locked._change_reason = reason.strip()  # django-simple-history keeps it with the row
        record_save(locked, by=by, bump_version=True)
        _save(case, by)
    return locked


def appointment_cancel(*, appointment: Appointment, by: User, reason: str, version: int | None = None) -> Appointment:
    if not reason.strip():
        raise DomainError(_("Podaj powód odwołania (np. klient odwołał spotkanie)."), field="reason")
    with transaction.atomic():
        locked, case = _lock_planned(appointment, by, version)
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason.strip()
        record_save(locked, by=by, bump_version=True)
        _save(case, by)
    return locked
