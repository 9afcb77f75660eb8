"""Monthly team meetings of an RPŚ (seed 000 IV.3) and inspections of social work (seed 000 VII)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from meetings.models import Inspection, TeamMeeting
from mopr import policy
from mopr.errors import DomainError
from mopr.models import Region, User
from mopr.records import record_save


def _not_in_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field=field)


def meeting_record(
    *,
    region: Region,
    by: User,
    held_on: datetime.date,
    note: str,
    attendees: list[User],
    cases_discussed: list[Case],
    guests: str = "",
) -> TeamMeeting:
    _not_in_future(held_on, "held_on")
    if not policy.user_may_hold_meeting(by, region):
        raise DomainError(_("Notatkę ze spotkania sporządza koordynator rejonu lub wyznaczony pracownik."))
    if not note.strip():
        raise DomainError(_("Notatka ze spotkania jest wymagana."), field="note")
    if not attendees:
        raise DomainError(_("Zaznacz obecnych na spotkaniu."), field="attendees")
    allowed = policy.meeting_attendees_allowed(region)
    if any(a.pk not in allowed for a in attendees):
        raise DomainError(_("Na liście obecności są tylko pracownicy rejonu i kierownictwo."), field="attendees")
    if any(c.region_id != region.pk for c in cases_discussed):
        raise DomainError(_("Omawia się sprawy tego rejonu."), field="cases_discussed")
    with transaction.atomic():
        meeting = TeamMeeting(region=region, held_on=held_on, note=note.strip(), written_by=by, guests=guests.strip())
        record_save(meeting, by=by)
        meeting.attendees.set(attendees)
        meeting.cases_discussed.set(cases_discussed)
    return meeting


def inspection_record(
    *,
    by: User,
    region: Region,
    inspected_worker: User,
    held_on: datetime.date,
    scope: str,
    cases: list[Case],
    findings: str,
    recommendations: str = "",
    follow_up_by: datetime.date | None = None,
) -> Inspection:
    _not_in_future(held_on, "held_on")
    if not policy.user_may_inspect(by, region):
        raise DomainError(_("Kontrolę prowadzi koordynator rejonu lub upoważniony kontroler."))
    if inspected_worker.pk == by.pk:
        raise DomainError(_("Nikt nie kontroluje własnej pracy."), field="inspected_worker")
    # Social work is inspected: a benefits worker never runs it (seed 001), so is never inspected for it.
    if not policy.user_runs_social_work(inspected_worker, region):
        raise DomainError(_("Kontrolowany musi być pracownikiem socjalnym tego rejonu."), field="inspected_worker")
    if not scope.strip() or not findings.strip():
        raise DomainError(_("Podaj zakres i ustalenia kontroli."), field="findings")
    if any(c.region_id != region.pk for c in cases):
        raise DomainError(_("Kontrola obejmuje sprawy tego rejonu."), field="cases")
    if follow_up_by is not None and follow_up_by < held_on:
        raise DomainError(_("Termin realizacji zaleceń nie może być przed kontrolą."), field="follow_up_by")
    if follow_up_by is not None and not recommendations.strip():
        raise DomainError(_("Termin dotyczy zaleceń – wpisz zalecenia."), field="recommendations")
    with transaction.atomic():
        inspection = Inspection(
            region=region,
            inspected_worker=inspected_worker,
            inspector=by,
            held_on=held_on,
            scope=scope.strip(),
            findings=findings.strip(),
            recommendations=recommendations.strip(),
            follow_up_by=follow_up_by,
        )
        record_save(inspection, by=by)
        inspection.cases.set(cases)
    return inspection


def inspection_follow_up_done(*, inspection: Inspection, by: User, done_on: datetime.date) -> Inspection:
    _not_in_future(done_on, "done_on")
    if not policy.user_may_inspect(by, inspection.region):
        raise DomainError(_("Realizację zaleceń potwierdza koordynator lub kontroler."))
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.follow_up_by is None or locked.follow_up_done_on is not None:
            raise DomainError(_("Brak zaleceń do potwierdzenia."))
        if done_on < locked.held_on:
            raise DomainError(_("Zalecenia nie mogły zostać zrealizowane przed kontrolą."), field="done_on")
        locked.follow_up_done_on = done_on
        record_save(locked, by=by)
    return locked
