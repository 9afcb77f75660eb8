"""The kinds of entry of the family assistant (seed 002), in the case's timeline, folder and karta
(the registry: ``cases/timeline.py``):

- ``assistant``: the request (and the family's written consent), the head's opinion, the
  approver's decision, the assignment with its letter, the end – what was done (karta section 6);
- ``assistant_work``: what the assistant learnt and reported to the worker – the visits (the
  first one joint with the worker), the plan of work, the monthly reports, the periodic
  assessments, the changes in the family's situation, the final report (section 3, with the
  assistant named as the source; seed 000 VI: "informacje od asystenta rodziny").
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assistants.models import (
    Assignment,
    AssistantVisit,
    ChangeReport,
    Decision,
    FinalReport,
    MonthlyReport,
    PeriodicAssessment,
    Request,
    WorkPlan,
)
from cases.procedure import Ongoing, register_ongoing
from cases.timeline import EntryKind, Link, Printout, Query, Scrub, Section, TimelineItem, d, register, rows


def _request_text(r: Request) -> str:
    parts = [r.justification]
    if r.path == Request.Path.WORKER and r.consent_on:
        parts.append(_("Pisemna zgoda rodziny z dnia %(d)s.") % {"d": d(r.consent_on)})
    if r.path == Request.Path.EXTERNAL:
        parts.append(
            _("Wniosek instytucji: %(who)s, wpłynął %(d)s.") % {"who": r.institution_name, "d": d(r.received_on)}
        )
        if r.interview_on:
            parts.append(_("Wywiad środowiskowy %(d)s.") % {"d": d(r.interview_on)})
        if r.reply:
            parts.append(_("Odpowiedź dla instytucji: %(t)s") % {"t": r.reply})
    if r.path == Request.Path.COURT:
        parts.append(_("Orzeczenie: %(court)s, %(ref)s.") % {"court": r.court_name, "ref": r.ruling_reference})
    return "\n".join(p for p in parts if p)


def _assistant(q: Query):
    """Never limited: a request makes items of several dates (its decisions, its assignment, the
    end), and a family has few requests. No request: no further query."""
    requests = list(Request.objects.filter(case=q.case).select_related("requested_by").order_by())
    if not requests:
        return
    for r in sorted(requests, key=lambda row: row.pk):
        yield TimelineItem(
            r.requested_on, "assistant",
            _("Wniosek o asystenta rodziny (%(path)s)") % {"path": r.get_path_display()}, _request_text(r),
            r.requested_by, r, links=(Link(_("Wniosek"), reverse("assistants:request", args=[r.pk])),),
        )  # fmt: skip
    decisions = Decision.objects.filter(request__case=q.case).select_related("decided_by").order_by()
    for dec in sorted(decisions, key=lambda row: row.pk):
        if dec.step == Decision.Step.OPINION:
            title = _("Opinia kierownika działu o wniosku: %(v)s") % {
                "v": _("pozytywna") if dec.positive else _("negatywna")
            }
        else:
            verdict = _("zatwierdzony") if dec.positive else _("odrzucony")
            title = _("Wniosek o asystenta rodziny: %(v)s") % {"v": verdict}
            if dec.as_authorised:
                title += " " + _("(z upoważnienia dyrektora)")
        yield TimelineItem(
            dec.decided_at, "assistant", title, dec.comment, dec.decided_by, dec,
            conclusion=dec.step == Decision.Step.APPROVAL,
        )  # fmt: skip
    assignments = Assignment.objects.filter(case=q.case).select_related("assistant", "assigned_by").order_by()
    for a in sorted(assignments, key=lambda row: row.pk):
        yield TimelineItem(
            a.qualified_on, "assistant",
            _("Przydzielenie asystenta rodziny: %(who)s") % {"who": a.assistant.get_full_name()}, a.letter_note,
            a.assigned_by, a,
            links=(Link(_("Pismo przydzielające (PDF)"), reverse("assistants:letter_pdf", args=[a.pk])),
                   Link(_("Praca asystenta"), reverse("assistants:assignment", args=[a.pk]))),
        )  # fmt: skip
        if a.ended_on:
            yield TimelineItem(
                a.ended_on, "assistant",
                _("Zakończenie pracy asystenta rodziny: %(why)s") % {"why": a.get_end_display()}, a.end_reason,
                a.assistant, a, conclusion=True,
            )  # fmt: skip


def _source(author, what: str) -> str:
    name = author.get_full_name() if author else ""
    return _("asystent rodziny %(who)s – %(what)s") % {"who": name, "what": what}


def _assistant_work(q: Query):
    if not Assignment.objects.filter(case=q.case).exists():
        return
    case, newest = q.case, q.newest
    for v in rows(AssistantVisit.objects.filter(assignment__case=case).select_related("author"), "visited_on", newest):
        title = (
            _("Wspólna wizyta asystenta i pracownika socjalnego")
            if v.joint_with_worker
            else _("Wizyta asystenta rodziny")
        )
        yield TimelineItem(
            v.visited_on, "assistant_work", title, v.description, v.author, v,
            source=_source(v.author, _("wizyta (%(where)s)") % {"where": v.place}),
        )  # fmt: skip
    for p in rows(WorkPlan.objects.filter(assignment__case=case).select_related("author"), "drafted_on", newest):
        text = p.goals + (f"\n{_('Powód zmiany')}: {p.change_reason}" if p.change_reason else "")
        yield TimelineItem(
            p.drafted_on, "assistant_work",
            _("Plan pracy z rodziną (wersja %(n)s)") % {"n": p.version_number}, text, p.author, p,
            section=Section.ACTIONS,
        )  # fmt: skip
    reports = MonthlyReport.objects.filter(assignment__case=case).select_related("author")
    for r in rows(reports, "created_at", newest):
        yield TimelineItem(
            r.created_at, "assistant_work",
            _("Sprawozdanie miesięczne asystenta za %(m)s") % {"m": r.month.strftime("%m.%Y")}, r.summary,
            r.author, r, source=_source(r.author, _("sprawozdanie miesięczne")),
        )  # fmt: skip
    assessments = PeriodicAssessment.objects.filter(assignment__case=case).select_related("author")
    for a in rows(assessments, "assessed_on", newest):
        yield TimelineItem(
            a.assessed_on, "assistant_work", _("Okresowa ocena sytuacji rodziny"), a.assessment, a.author, a,
            source=_source(a.author, _("okresowa ocena")),
        )  # fmt: skip
    changes = ChangeReport.objects.filter(assignment__case=case).select_related("author")
    for c in rows(changes, "learnt_on", newest):
        told = c.assistant_told_worker_on or c.family_told_worker_on
        text = c.change + ("\n" + _("Pracownik poinformowany %(d)s.") % {"d": d(told)} if told else "")
        yield TimelineItem(
            c.learnt_on, "assistant_work", _("Zmiana sytuacji rodziny"), text, c.author, c,
            source=_source(c.author, _("informacja o zmianie sytuacji")),
        )  # fmt: skip
    finals = FinalReport.objects.filter(assignment__case=case).select_related("author")
    for f in rows(finals, "written_on", newest):
        yield TimelineItem(
            f.written_on, "assistant_work", _("Sprawozdanie końcowe asystenta rodziny"), f.summary, f.author, f,
            source=_source(f.author, _("sprawozdanie końcowe")),
        )  # fmt: skip


# --- the printouts (the case file, issue 19.5): the same templates and contexts as assistants/views.py -------


def _assistant_printouts(case, user):
    """The reply to an institution's request, and each assignment's letter (``reply_pdf``, ``letter_pdf``)."""
    requests = Request.objects.filter(case=case).exclude(reply="").select_related("requested_by").order_by("pk")
    for r in requests:
        on = r.interview_on or r.requested_on
        context = {"req": r, "case": case}
        yield Printout(
            _("Odpowiedź na wniosek o asystenta"), "odpowiedz_na_wniosek", on, "printouts/assistant_reply.html", context
        )
    for a in Assignment.objects.filter(case=case).select_related("assistant", "request", "assigned_by").order_by("pk"):
        context = {"assignment": a, "case": case}
        title = _("Pismo przydzielające asystenta rodziny")
        yield Printout(
            title, "pismo_przydzielajace_asystenta", a.qualified_on, "printouts/assistant_letter.html", context
        )


def _assistant_work_printouts(case, user):
    """The documents of seed 002 the assistant's pages print (``document_pdf``, ``work_card_pdf``)."""
    import datetime

    from django.utils import timezone

    from assistants.views import DOCUMENTS

    assignments = list(Assignment.objects.filter(case=case).select_related("assistant", "request").order_by("pk"))
    if not assignments:
        return
    slugs = {"plan": "plan_pracy_z_rodzina", "sprawozdanie": "sprawozdanie_miesieczne_asystenta",
             "ocena": "okresowa_ocena_sytuacji_rodziny", "koncowe": "sprawozdanie_koncowe_asystenta"}  # fmt: skip
    by_pk = {a.pk: a for a in assignments}
    for kind, (model, date_field, heading) in DOCUMENTS.items():
        for doc in model.objects.filter(assignment__case=case).select_related("author").order_by("pk"):
            assignment = by_pk[doc.assignment_id]
            date = getattr(doc, date_field)
            context = {"case": case, "assignment": assignment, "doc": doc, "kind": kind, "heading": heading,
                       "date": date}  # fmt: skip
            if kind == "sprawozdanie":
                month_end = (doc.month + datetime.timedelta(days=32)).replace(day=1)
                context["visits_in_month"] = assignment.visits.filter(
                    visited_on__gte=doc.month, visited_on__lt=month_end
                ).count()
            on = timezone.localdate(date) if isinstance(date, datetime.datetime) else date
            yield Printout(str(heading).capitalize(), slugs[kind], on, "printouts/assistant_document.html", context)
    for a in assignments:
        context = {
            "case": case, "assignment": a,
            "visits": a.visits.order_by("visited_on", "pk"), "plans": a.plans.order_by("drafted_on"),
            "reports": a.monthly_reports.order_by("month"), "assessments": a.assessments.order_by("assessed_on"),
            "changes": a.change_reports.order_by("learnt_on"),
        }  # fmt: skip
        yield Printout(_("Karta pracy z rodziną"), "karta_pracy_z_rodzina", a.ended_on or timezone.localdate(),
                       "printouts/assistant_work_card.html", context)  # fmt: skip


register(
    EntryKind(
        "assistant", gettext_lazy("Asystent rodziny"), Section.ACTIONS, _assistant,
        parents=(("assignment", Assignment, "case"),),
        scrubs=(
            Scrub(Request, "case", text=("justification", "institution_name", "reply", "court_name",
                                         "ruling_reference"), clear=("institution_address",)),
            Scrub(Assignment, "case", text=("letter_note", "end_reason")),
        ),
        facts={"assistants.Request": ("case_id",), "assistants.Assignment": ("case_id",)},
        # The approval chain is append-only by design: its comments stay (README, retention).
        kept={Decision: ("comment",)},
        printouts=_assistant_printouts,
    ),
    EntryKind(
        "assistant_work", gettext_lazy("Praca asystenta rodziny"), Section.SITUATION, _assistant_work,
        scrubs=(
            Scrub(AssistantVisit, "assignment", text=("place", "description")),
            Scrub(WorkPlan, "assignment", text=("assessment", "goals", "methods", "change_reason")),
            Scrub(MonthlyReport, "assignment", text=("summary",)),
            Scrub(PeriodicAssessment, "assignment", text=("assessment",)),
            Scrub(ChangeReport, "assignment", text=("change",)),
            Scrub(FinalReport, "assignment", text=("summary",)),
        ),
        facts={
            "assistants.AssistantVisit": ("assignment", "case_id"),
            "assistants.WorkPlan": ("assignment", "case_id"),
            "assistants.PeriodicAssessment": ("assignment", "case_id"),
            "assistants.MonthlyReport": ("assignment", "case_id"),
            "assistants.ChangeReport": ("assignment", "case_id"),
        },
        printouts=_assistant_work_printouts,
    ),
)  # fmt: skip


# --- work under way that closing the case ends (issue 16.6) ------------------------------------------


def _active_assignments(case) -> list[Assignment]:
    return list(Assignment.objects.filter(case=case, ended_on__isnull=True).select_related("assistant"))


def _end_assignment(*, work: Assignment, by, end, reason: str) -> None:
    from django.utils import timezone

    from assistants.services import assignment_end

    assignment_end(
        assignment=work,
        by=by,
        end=end.choice,
        ended_on=timezone.localdate(),
        reason=reason or _("Zakończenie sprawy."),
        final_summary=end.report,
    )


register_ongoing(
    Ongoing(
        key="assistant",
        label=gettext_lazy("praca asystenta rodziny"),
        active=_active_assignments,
        describe=lambda a: a.assistant.get_full_name() or a.assistant.username,
        end_choices=Assignment.End.choices,
        end=_end_assignment,
        report_label=gettext_lazy("sprawozdanie z pracy asystenta z rodziną"),
    )
)
