"""A change of a fact of the deadline engine makes the case's ``DeadlineSummary`` stale.

Derived data, so its invalidation is here, on every save and delete of the rows the engine reads
(the ``facts`` the kinds of entry declare: ``cases.timeline.fact_sources``), whichever service,
command or admin page made it; the receivers only call the services of
``cases/services/deadline_summaries.py``. A bulk write (``QuerySet.update``, ``bulk_create``) sends
no signal: whoever adds one on these models calls ``deadline_summaries_invalidate`` with the cases
it touched (none does today)."""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from cases.services.deadline_summaries import (
    deadline_summaries_invalidate,
    deadline_summaries_invalidate_institution,
)
from cases.timeline import fact_sources


def _case_id(instance, path: tuple[str, ...]) -> int | None:
    value = instance
    for step in path:
        value = getattr(value, step, None)
        if value is None:
            return None
    return value


def _fact_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: nothing else is consistent yet either
        return
    case_id = _case_id(instance, fact_sources()[sender._meta.label])
    if case_id is not None:
        deadline_summaries_invalidate(case_ids=[case_id])


def _case_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    # "A new client" is decided by the client's first case: the client's other cases too.
    from cases.models import Case

    deadline_summaries_invalidate(
        case_ids=Case.objects.filter(client_id=instance.client_id).values_list("pk", flat=True)
    )


def _institution_changed(sender, instance, created: bool = False, **kwargs) -> None:
    if not created and not kwargs.get("raw"):
        deadline_summaries_invalidate_institution(institution_id=instance.pk)


def connect() -> None:
    for label in fact_sources():
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(_fact_changed, sender=model, dispatch_uid=f"deadline_summary_{label}_{signal is post_save}")
    case = apps.get_model("cases.Case")
    post_save.connect(_case_changed, sender=case, dispatch_uid="deadline_summary_case")
    post_delete.connect(_case_changed, sender=case, dispatch_uid="deadline_summary_case_deleted")
    post_save.connect(
        _institution_changed, sender=apps.get_model("mopr.Institution"), dispatch_uid="deadline_summary_institution"
    )
