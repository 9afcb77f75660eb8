"""The kind of entry of ``refusals`` in a case's timeline, folder and karta (the registry:
``cases/timeline.py``): ``monitoring`` – an environment that refuses help (seed 003): the refusal
with the statement and the leaflet and the note to the director (karta section 5: the resignation
and its reason), the director's plan, each monitoring visit (section 3), the worker's report, the
joint decision (section 5).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.timeline import EntryKind, Link, Query, Scrub, Section, TimelineItem, d, register
from refusals.models import MonitoringDate, RefusalMonitoring


def _joint(m: RefusalMonitoring):
    """Seed 003 p. 8: the director (deputy) and the worker decide together – both are named."""
    if m.decision_worker is None or m.decision_worker == m.decision_by:
        return m.decision_by
    names = [u.get_full_name() or u.username for u in (m.decision_by, m.decision_worker) if u is not None]
    return " i ".join(names)


def _monitoring(q: Query):
    """Never limited: a monitoring makes items of several dates; few per case. None: no further query."""
    monitorings = list(
        RefusalMonitoring.objects.filter(case=q.case)
        .select_related("author", "plan_by", "report_by", "decision_by", "decision_worker")
        .order_by()
    )
    if not monitorings:
        return
    page = Link(_("Monitoring"), reverse("refusals:monitoring_case", args=[q.case.pk]))
    for m in sorted(monitorings, key=lambda row: row.pk):
        papers = [
            label
            for done, label in (
                (m.statement_taken, _("odebrano oświadczenie o rezygnacji z pomocy")),
                (m.leaflet_left, _("pozostawiono ulotkę z danymi kontaktowymi ośrodka")),
            )
            if done
        ]
        text = "; ".join(papers) + ("." if papers else "")
        yield TimelineItem(
            m.refused_on, "monitoring", _("Odmowa przyjęcia pomocy – rezygnacja z pracy socjalnej"),
            text, m.author, m, conclusion=True, links=(page,),
        )  # fmt: skip
        yield TimelineItem(
            m.note_written_on, "monitoring", _("Notatka służbowa dla dyrektora o odmowie pomocy"),
            m.note_to_director, m.author, m,
        )  # fmt: skip
        if m.plan_on:
            contacts = [
                f"{label}: {value}"
                for label, value in (
                    (_("rodzina"), m.contact_close_family),
                    (_("sąsiedzi / sołtys"), m.contact_neighbours),
                    (_("lekarz / pielęgniarka"), m.contact_health),
                    (_("organizacje"), m.contact_organisations),
                )
                if value
            ]
            yield TimelineItem(
                m.plan_on, "monitoring", _("Plan działania dyrektora (monitoring środowiska)"), "\n".join(contacts),
                m.plan_by, m,
            )  # fmt: skip
        if m.report_on:
            yield TimelineItem(
                m.report_on, "monitoring", _("Sprawozdanie z monitoringu dla dyrektora"), m.report,
                m.report_by or m.author, m,
                source=_("monitoring środowiska – sprawozdanie pracownika"), section=Section.SITUATION,
            )  # fmt: skip
        if m.decision_on:
            yield TimelineItem(
                m.decision_on, "monitoring",
                _("Wspólna decyzja dyrektora i pracownika: %(d)s") % {"d": m.get_decision_display()},
                m.decision_note, _joint(m), m, conclusion=True,
            )  # fmt: skip
    dates = MonitoringDate.objects.filter(monitoring__case=q.case, done_on__isnull=False).select_related(
        "monitoring__author", "done_by"
    )
    for row in sorted(dates, key=lambda r: r.pk):
        yield TimelineItem(
            row.done_on, "monitoring",
            _("Monitoring środowiska (termin %(due)s)") % {"due": d(row.due_on)}, row.outcome,
            row.done_by or row.monitoring.author, row, source=_("monitoring środowiska – wizyta"),
            section=Section.SITUATION,
        )  # fmt: skip


register(
    EntryKind(
        "monitoring", gettext_lazy("Monitoring (odmowa pomocy)"), Section.ACTIONS, _monitoring,
        parents=(("monitoring", RefusalMonitoring, "case"),),
        scrubs=(
            Scrub(RefusalMonitoring, "case", text=("note_to_director", "contact_close_family", "contact_neighbours",
                                                   "contact_health", "contact_organisations", "report",
                                                   "decision_note")),
            Scrub(MonitoringDate, "monitoring", text=("outcome",)),
        ),
        facts={"refusals.RefusalMonitoring": ("case_id",), "refusals.MonitoringDate": ("monitoring", "case_id")},
    ),
)  # fmt: skip
