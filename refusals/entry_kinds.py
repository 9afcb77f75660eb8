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

from cases.timeline import EntryKind, Link, Printout, Query, Scrub, Section, TimelineItem, d, register
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


def _monitoring_printouts(case, user):
    """The papers of seed 003 that the monitoring's steps produced, as ``refusals.views.monitoring_pdf``
    prints them: the statement (where one was taken), the note for the director, the plan, the
    report, the application to the family court (after that joint decision). Not the leaflet: the
    centre's contact data, nothing of the family's."""
    from django.utils import timezone

    from mopr import policy
    from refusals.views import DOCUMENTS

    monitorings = list(
        RefusalMonitoring.objects.filter(case=case)
        .select_related("author", "plan_by", "decision_by")
        .order_by("refused_on", "pk")
    )
    if not monitorings:
        return
    today = timezone.localdate()
    children = [c for c in case.client.members.all() if c.is_child(today)]
    court = policy.directory_visible_to(user).filter(kind="family_court", active=True).first()
    slugs = {
        "oswiadczenie": "oswiadczenie_o_rezygnacji_z_pomocy",
        "notatka": "notatka_dla_dyrektora",
        "plan": "plan_dzialania",
        "sprawozdanie": "sprawozdanie_z_monitoringu",
        "sad": "wniosek_do_sadu",
    }
    for m in monitorings:
        papers = [
            ("oswiadczenie", m.refused_on, m.statement_taken),
            ("notatka", m.note_written_on, True),
            ("plan", m.plan_on, m.plan_on is not None),
            ("sprawozdanie", m.report_on, m.report_on is not None),
            ("sad", m.decision_on, m.decision == RefusalMonitoring.Decision.FAMILY_COURT),
        ]
        dates = list(m.dates.order_by("due_on", "pk"))
        for doc, on, made in papers:
            if made:
                context = {"case": case, "m": m, "doc": doc, "dates": dates, "children": children, "court": court}
                yield Printout(str(DOCUMENTS[doc][0]), slugs[doc], on, "printouts/monitoring_document.html", context)


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
        printouts=_monitoring_printouts,
    ),
)  # fmt: skip
