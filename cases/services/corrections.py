"""Corrections of entries (issue 16.1): an entry is corrected by its author or the region's
coordinator with a reason, or withdrawn as made in error with a reason. The entry keeps its
history, the append-only ``Correction`` names every value before and after, and what is derived
from the entries follows at once: the first contact (and with it the contract's two-month term),
the deadlines (their summaries go stale when a fact is saved: cases/signals.py), the registers.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.corrections import correctable_for, display, label_of, verbose
from cases.models import Case, Correction, Report, Visit
from cases.services.case import _lock, _save
from cases.services.dates import entry_date_check
from mopr import policy
from mopr.errors import DomainError
from mopr.models import User
from mopr.records import record_save


def _entry_lock(entry, case: Case, by: User):
    """Lock the case and the entry; ask the policy of the locked rows."""
    locked_case = _lock(case, None, by=by, action=None)  # the policy's own question follows
    policy.require_correction(by, locked_case, entry)
    locked = type(entry)._base_manager.select_for_update().get(pk=entry.pk)  # withdrawn ones too
    if getattr(locked, "withdrawn_at", None) is not None:
        raise DomainError(_("Ten wpis wycofano jako błędny; nie można go już zmieniać."))
    return locked_case, locked


def entry_correct(*, entry, by: User, reason: str, values: dict, date_confirmed: bool = False) -> Correction:
    """Set ``values`` (field → new value) on ``entry``, as "sprostowanie z dnia … – autor – powód"."""
    spec = correctable_for(entry)
    if spec is None:
        raise DomainError(_("Tego wpisu nie sprostowuje się w ten sposób."))
    if not reason.strip():
        raise DomainError(_("Podaj powód sprostowania."), field="reason")
    if set(values) & set(spec.exclude):
        raise DomainError(_("Tej części wpisu nie zmienia się sprostowaniem."))
    with transaction.atomic():
        case, locked = _entry_lock(entry, entry.case, by)
        changes = []
        for name, value in values.items():
            before = display(locked, name)
            old = getattr(locked, name)
            setattr(locked, name, value)
            if old != value:
                changes.append({"field": name, "label": verbose(locked, name), "before": before,
                                "after": display(locked, name)})  # fmt: skip
        if not changes:
            raise DomainError(_("Nic nie zmieniono – popraw wartość, której dotyczy sprostowanie."))
        changed = {c["field"] for c in changes}
        date_field = getattr(locked, "date_field", None)
        person_field = getattr(locked, "person_field", None)
        if date_field and ({date_field, person_field} & changed):
            entry_date_check(
                case=case,
                value=getattr(locked, date_field),
                field=date_field,
                person=getattr(locked, person_field) if person_field else None,
                confirmed=date_confirmed or date_field not in changed,
            )
        if spec.check is not None:
            spec.check(locked, case)
        record_save(locked, by=by)
        correction = Correction.objects.create(
            case=case, entry_model=locked._meta.label_lower, entry_id=locked.pk, entry_label=label_of(locked)[:300],
            kind=Correction.Kind.CORRECT, by=by, reason=reason.strip(), changes=changes,
        )  # fmt: skip
        case_derived_refresh(case=case, by=by)
    return correction


def entry_withdraw(*, entry, by: User, reason: str) -> Correction:
    """Withdraw ``entry`` as made in error: it stays readable in its correction record, and
    nothing derived counts it any more."""
    spec = correctable_for(entry)
    if spec is None or not spec.withdrawable:
        raise DomainError(_("Tego wpisu nie wycofuje się – można go sprostować."))
    if not reason.strip():
        raise DomainError(_("Podaj powód wycofania wpisu."), field="reason")
    with transaction.atomic():
        case, locked = _entry_lock(entry, entry.case, by)
        form = spec.form(instance=locked, case=case)
        snapshot = "; ".join(
            f"{verbose(locked, n)}: {display(locked, n)}"
            for n in spec.fields(form)
            if getattr(locked, n, None) not in (None, "", [])
        )
        locked.withdrawn_at = timezone.now()
        record_save(locked, by=by)
        correction = Correction.objects.create(
            case=case, entry_model=locked._meta.label_lower, entry_id=locked.pk, entry_label=label_of(locked)[:300],
            kind=Correction.Kind.WITHDRAW, by=by, reason=reason.strip(),
            changes=[{"field": "", "label": _("treść wpisu"), "before": snapshot, "after": ""}],
        )  # fmt: skip
        case_derived_refresh(case=case, by=by)
    return correction


def case_derived_refresh(*, case: Case, by: User) -> Case:
    """What the case stores from its entries, read again from the entries in force: the first
    contact (IV.1: the contract's two-month term runs from it) and the date it was reported."""
    met = Visit.objects.filter(case=case, outcome__in=Visit.MET_OUTCOMES).order_by("visited_at").first()
    case.first_contact_at = timezone.localdate(met.visited_at) if met else None
    first_report = Report.objects.filter(case=case).order_by("received_at").first()
    if first_report is not None:
        case.reported_at = first_report.received_at
    _save(case, by)  # the version moves: a form opened before the correction is refused
    return case
