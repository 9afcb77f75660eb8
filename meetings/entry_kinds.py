"""The kinds of entry of ``meetings`` in a case's timeline (the registry: ``cases/timeline.py``):
``meeting`` – the monthly team meetings that discussed the case (seed 000 IV.3); ``inspection`` –
the inspections that looked at the case (seed 000 VII).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.timeline import EntryKind, Link, Query, Section, TimelineItem, register
from meetings.models import Inspection, TeamMeeting


def _meetings(q: Query):
    for m in TeamMeeting.objects.filter(cases_discussed=q.case).select_related("written_by", "region").order_by():
        yield TimelineItem(
            m.held_on, "meeting",
            _("Sprawa omówiona na spotkaniu zespołu %(region)s") % {"region": m.region.code}, "", m.written_by, m,
            links=(Link(_("Notatka ze spotkania"), reverse("meetings:meeting", args=[m.pk])),),
        )  # fmt: skip


def _inspections(q: Query):
    qs = Inspection.objects.filter(cases=q.case).select_related("inspector", "inspected_worker").order_by()
    for i in qs:
        text = _("Kontrolowany pracownik: %(who)s. Zakres: %(scope)s") % {
            "who": i.inspected_worker.get_full_name(),
            "scope": i.scope,
        }
        yield TimelineItem(
            i.held_on, "inspection", _("Kontrola pracy socjalnej w sprawie"), text, i.inspector, i,
            links=(Link(_("Protokół kontroli"), reverse("meetings:inspection", args=[i.pk])),),
        )  # fmt: skip


register(
    # Meeting notes and inspection protocols belong to the region, not to one case: retention keeps
    # them (README, Retention); the timeline only says that the case was discussed or inspected.
    EntryKind("meeting", gettext_lazy("Spotkania zespołu"), Section.ACTIONS, _meetings),
    EntryKind("inspection", gettext_lazy("Kontrole"), Section.ACTIONS, _inspections),
)  # fmt: skip
