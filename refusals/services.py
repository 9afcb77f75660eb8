"""Every write of the monitoring of a difficult environment that refuses help (seed 003,
MGOPS Strzelce Krajeńskie).

The steps, in the seed's order: the worker records the refusal (the statement of resignation
taken, the leaflet with the centre's contact data left) and the official note to the director
(3, 5); the director or the deputy sets the plan of action with the next monitoring dates and
the contacts to try (6); the worker records each monitoring visit and reports the results in
writing (7); the director (deputy) and the worker decide together what next (8): keep
monitoring with new dates, ask the family court to look into the family, or a care home or
hospital where life or health is threatened.

Each write follows the services' one shape: lock the case, then the monitoring (then the
date), check the state and the version the form was loaded at, save with ``_history_user``,
bump the versions – in one transaction; a refusal raises ``DomainError`` before anything is saved.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from cases.procedure import Stage
from cases.services.case import _lock as _lock_case
from cases.services.case import _save as _save_case
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import User
from mopr.records import record_lock, record_save
from refusals.models import MonitoringDate, RefusalMonitoring

Decision = RefusalMonitoring.Decision

# "Dyrektor lub zastępca dyrektora" (seed 003, 5–8): the director or the head of department.


# --- who and when ------------------------------------------------------------------------------------


def next_step(monitoring: RefusalMonitoring) -> str:
    """What the monitoring waits for: "plan", "report", "decision" or "decided"."""
    if monitoring.plan_on is None:
        return "plan"
    if monitoring.report_on is None:
        return "report"
    if not monitoring.decision:
        return "decision"
    return "decided"


def _not_in_future(value: datetime.date, field: str) -> None:
    if value > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field=field)


def _not_before(value: datetime.date, earlier: datetime.date, field: str, message: str) -> None:
    if value < earlier:
        raise DomainError(message % {"d": earlier.strftime("%d.%m.%Y")}, field=field)


def _check_dates(dates: Sequence[datetime.date], *, since: datetime.date, field: str) -> list[datetime.date]:
    """The next monitoring dates: at least one, in order, none before ``since``, and at least
    one today or later – a plan of dates all past plans nothing."""
    dates = list(dates)
    if not dates:
        raise DomainError(_("Podaj co najmniej jeden termin monitoringu."), field=field)
    if any(later <= earlier for earlier, later in itertools.pairwise(dates)):
        raise DomainError(_("Terminy monitoringu podaj w kolejności, bez powtórzeń."), field=field)
    if dates[0] < since:
        raise DomainError(
            _("Termin monitoringu nie może być wcześniejszy niż %(d)s.") % {"d": since.strftime("%d.%m.%Y")},
            field=field,
        )
    if dates[-1] < timezone.localdate():
        raise DomainError(_("Co najmniej jeden termin monitoringu musi być dzisiejszy lub przyszły."), field=field)
    return dates


def _lock_case_in_monitoring(case: Case, by: User, *, director: bool = False) -> Case:
    """Lock the case and ask the policy: the worker's steps are the responsible worker's, the
    plan and the decision the director's (or the deputy's: policy.user_directs_monitoring)."""
    locked = _lock_case(case, None, by=by, action=None if director else policy.Action.WRITE)
    if director and not policy.user_directs_monitoring(by, locked):
        raise NotAllowed(_("Plan działania i decyzję ustala dyrektor lub zastępca dyrektora (kierownik działu)."))
    if locked.stage != Stage.MONITORING:
        raise DomainError(
            _("Sprawa nie jest na etapie „%(stage)s”; monitoring prowadzi się tylko na tym etapie.")
            % {"stage": Stage.MONITORING.label}
        )
    return locked


def _lock(monitoring: RefusalMonitoring, expected_version: int | None) -> RefusalMonitoring:
    return record_lock(
        RefusalMonitoring,
        monitoring.pk,
        expected_version=expected_version,
        stale=_("Monitoring został w międzyczasie zmieniony przez inną osobę. Odśwież stronę i spróbuj ponownie."),
    )


def _save(monitoring: RefusalMonitoring, by: User) -> None:
    record_save(monitoring, by=by, bump_version=True)


def _add_dates(monitoring: RefusalMonitoring, by: User, dates: list[datetime.date]) -> None:
    # One save per row, not bulk_create: the history records each date and who set it.
    for due_on in dates:
        row = MonitoringDate(monitoring=monitoring, due_on=due_on)
        record_save(row, by=by)


# --- 3, 5: the refusal and the note to the director ------------------------------------------------------


def monitoring_open(
    *,
    case: Case,
    by: User,
    refused_on: datetime.date,
    statement_taken: bool,
    leaflet_left: bool,
    note_to_director: str,
    note_written_on: datetime.date,
) -> RefusalMonitoring:
    """The worker records the refusal of help and the official note for the director. The case
    was moved to the monitoring stage through the stage machine first."""
    _not_in_future(refused_on, "refused_on")
    _not_in_future(note_written_on, "note_written_on")
    _not_before(
        note_written_on, refused_on, "note_written_on", _("Notatka nie może być wcześniejsza niż odmowa (%(d)s).")
    )
    if not note_to_director.strip():
        raise DomainError(_("Napisz notatkę służbową dla dyrektora."), field="note_to_director")
    with transaction.atomic():
        locked = _lock_case_in_monitoring(case, by)
        _not_before(
            refused_on,
            timezone.localdate(locked.reported_at),
            "refused_on",
            _("Odmowa nie może być wcześniejsza niż zgłoszenie sprawy (%(d)s)."),
        )
        if locked.refusal_monitorings.filter(decision="").exists():
            raise DomainError(_("W sprawie jest już monitoring czekający na plan działania lub decyzję."))
        monitoring = RefusalMonitoring(
            case=locked,
            refused_on=refused_on,
            statement_taken=statement_taken,
            leaflet_left=leaflet_left,
            note_to_director=note_to_director.strip(),
            note_written_on=note_written_on,
            author=by,
        )
        record_save(monitoring, by=by)
        _save_case(locked, by)
    return monitoring


# --- 6: the plan of action ---------------------------------------------------------------------------


def monitoring_plan(
    *,
    monitoring: RefusalMonitoring,
    by: User,
    plan_on: datetime.date,
    dates: Sequence[datetime.date],
    contact_close_family: str = "",
    contact_neighbours: str = "",
    contact_health: str = "",
    contact_organisations: str = "",
    expected_version: int | None = None,
) -> RefusalMonitoring:
    """The director (or the deputy) sets the plan: the next monitoring dates and the contacts
    to try – close family, neighbours or the village head, the GP or community nurse, the
    organisations the person belongs to (each "where there is one", so each may stay empty)."""
    _not_in_future(plan_on, "plan_on")
    with transaction.atomic():
        locked_case = _lock_case_in_monitoring(monitoring.case, by, director=True)
        locked = _lock(monitoring, expected_version)
        if locked.plan_on is not None:
            raise DomainError(_("Plan działania został już ustalony."))
        _not_before(plan_on, locked.note_written_on, "plan_on", _("Plan ustala się po notatce pracownika (%(d)s)."))
        dates = _check_dates(dates, since=plan_on, field="dates")
        locked.plan_by = by
        locked.plan_on = plan_on
        locked.contact_close_family = contact_close_family.strip()
        locked.contact_neighbours = contact_neighbours.strip()
        locked.contact_health = contact_health.strip()
        locked.contact_organisations = contact_organisations.strip()
        _save(locked, by)
        _add_dates(locked, by, dates)
        _save_case(locked_case, by)
    return locked


# --- 6a, 7: the monitoring visits and the written report ------------------------------------------------------


def monitoring_date_done(*, date: MonitoringDate, by: User, done_on: datetime.date, outcome: str) -> MonitoringDate:
    """The worker records a monitoring of the environment set in the plan, with what was found."""
    _not_in_future(done_on, "done_on")
    if not outcome.strip():
        raise DomainError(_("Opisz wynik monitoringu."), field="outcome")
    with transaction.atomic():
        locked_case = _lock_case_in_monitoring(date.monitoring.case, by)
        monitoring = _lock(date.monitoring, None)
        locked = MonitoringDate.objects.select_for_update().get(pk=date.pk)
        if locked.done_on is not None:
            raise DomainError(_("Ten termin monitoringu został już zapisany."))
        _not_before(
            done_on, monitoring.plan_on, "done_on", _("Monitoring z planu nie może być przed jego ustaleniem (%(d)s).")
        )
        locked.done_on = done_on
        locked.done_by = by
        locked.outcome = outcome.strip()
        record_save(locked, by=by)
        _save(monitoring, by)
        _save_case(locked_case, by)
    return locked


def monitoring_report(
    *,
    monitoring: RefusalMonitoring,
    by: User,
    report: str,
    report_on: datetime.date,
    expected_version: int | None = None,
) -> RefusalMonitoring:
    """The worker's written report of the results of the plan, for the director."""
    _not_in_future(report_on, "report_on")
    if not report.strip():
        raise DomainError(_("Opisz rezultaty działań podjętych w środowisku."), field="report")
    with transaction.atomic():
        locked_case = _lock_case_in_monitoring(monitoring.case, by)
        locked = _lock(monitoring, expected_version)
        if locked.plan_on is None:
            raise DomainError(_("Sprawozdanie przedstawia się po wykonaniu planu działania – plan nie jest ustalony."))
        if locked.report_on is not None:
            raise DomainError(_("Sprawozdanie zostało już przedstawione."))
        _not_before(
            report_on, locked.plan_on, "report_on", _("Sprawozdanie nie może być wcześniejsze niż plan (%(d)s).")
        )
        locked.report = report.strip()
        locked.report_on = report_on
        locked.report_by = by
        _save(locked, by)
        _save_case(locked_case, by)
    return locked


# --- 8: the joint decision ---------------------------------------------------------------------------------


def monitoring_decide(
    *,
    monitoring: RefusalMonitoring,
    by: User,
    decision: str,
    decision_on: datetime.date,
    decision_note: str = "",
    next_dates: Sequence[datetime.date] = (),
    expected_version: int | None = None,
) -> RefusalMonitoring:
    """The decision the director (deputy) and the worker take together after the report. Keeping
    the monitoring needs its next dates; asking the family court leaves the notification of the
    court due in the deadline engine until it is sent."""
    _not_in_future(decision_on, "decision_on")
    if decision not in Decision.values:
        raise DomainError(_("Wybierz decyzję."), field="decision")
    if decision != Decision.KEEP_MONITORING and not decision_note.strip():
        raise DomainError(_("Uzasadnij decyzję."), field="decision_note")
    if decision == Decision.KEEP_MONITORING and not next_dates:
        raise DomainError(_("Dalszy monitoring wymaga kolejnych terminów monitoringu."), field="next_dates")
    with transaction.atomic():
        locked_case = _lock_case_in_monitoring(monitoring.case, by, director=True)
        locked = _lock(monitoring, expected_version)
        if locked.report_on is None:
            raise DomainError(_("Decyzję podejmuje się po sprawozdaniu pracownika z rezultatów działań."))
        if locked.decision:
            raise DomainError(_("Decyzja została już podjęta."))
        _not_before(
            decision_on,
            locked.report_on,
            "decision_on",
            _("Decyzja nie może być wcześniejsza niż sprawozdanie (%(d)s)."),
        )
        dates = _check_dates(next_dates, since=decision_on, field="next_dates") if next_dates else []
        if locked.dates.filter(due_on__in=dates).exists():
            raise DomainError(_("Ten termin monitoringu jest już w planie."), field="next_dates")
        locked.decision = decision
        locked.decision_on = decision_on
        locked.decision_by = by
        locked.decision_worker = locked_case.worker  # the joint decision names both (seed 003, p. 8)
        locked.decision_note = decision_note.strip()
        _save(locked, by)
        _add_dates(locked, by, dates)
        _save_case(locked_case, by)
    return locked
