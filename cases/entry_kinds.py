"""The kinds of entry of ``cases``: the report, the transfer, the stages, the entries of stage II,
the diagnosis, official notes, flags and the folder's scans (the registry: ``cases/timeline.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.corrections import Correctable, register_correctable
from cases.models import (
    Appointment,
    CaseDocument,
    CaseFlag,
    CaseTransfer,
    ChildObservation,
    ClientMerge,
    CommunityContact,
    Correction,
    Diagnosis,
    DocumentationTransfer,
    DocumentReview,
    InstitutionContact,
    Notification,
    OfficialNote,
    ParentApartInfo,
    Report,
    StageTransition,
    Summons,
    Visit,
)
from cases.procedure import Stage
from cases.timeline import EntryKind, Link, Printout, Query, Scrub, Section, TimelineItem, d, register, rows


def _reports(q: Query):
    # Never limited: a verification is dated apart from its report, and there are few reports.
    found = q.loaded.get("report")
    if found is None:
        found = Report.objects.filter(case=q.case).select_related("received_by", "verified_by")
    for r in sorted(found, key=lambda row: row.pk):
        note = Link(_("Notatka ze zgłoszenia (PDF)"), reverse("cases:report_pdf", args=[q.case.pk, r.pk]))
        how = r.get_form_display() + (", " + str(_("anonimowe")) if r.anonymous else "")
        yield TimelineItem(
            r.received_at, "report", _("Zgłoszenie (%(form)s)") % {"form": how}, r.content,
            r.received_by, r, links=(note,),
        )  # fmt: skip
        if r.verified_at:
            yield TimelineItem(
                r.verified_at, "report", _("Weryfikacja zgłoszenia anonimowego"), r.verification_note, r.verified_by, r
            )


def _transfer(q: Query):
    """Karta pt. 2 and every hand after it (issue 17.2–3). Never limited: few rows per case."""
    from cases.selectors import case_transfers, first_assignment

    transfers = case_transfers(case=q.case)
    first = first_assignment(case=q.case, transfers=transfers)
    if first.transferred_at:
        yield TimelineItem(
            first.transferred_at, "transfer", _("Przekazanie do realizacji przez koordynatora"),
            _("Przydzielono: %(worker)s") % {"worker": first.worker or "—"}, first.transferred_by,
        )  # fmt: skip
    if first.accepted_at:
        yield TimelineItem(first.accepted_at, "transfer", _("Przyjęcie do realizacji"), "", first.worker)
    for t in transfers:
        text = ". ".join(x for x in (t.get_reason_display(), t.note) if x)
        if t.kind == CaseTransfer.Kind.HANDOVER:
            title = _("Przekazanie sprawy: %(old)s → %(new)s") % {"old": t.from_worker or "—", "new": t.to_worker}
            yield TimelineItem(t.at, "transfer", title, text, t.by, t)
        else:
            title = _("Przeniesienie do rejonu %(to)s (z %(from)s)") % {"to": t.to_region, "from": t.from_region}
            yield TimelineItem(t.at, "transfer", title, text, t.by, t)
            if t.refused:
                yield TimelineItem(
                    t.decided_at, "transfer", _("Odmowa przyjęcia sprawy do rejonu %(to)s") % {"to": t.to_region},
                    t.refusal_reason, t.decided_by, t,
                )  # fmt: skip
            elif t.decided:
                yield TimelineItem(
                    t.decided_at, "transfer", _("Przyjęcie sprawy do rejonu %(to)s") % {"to": t.to_region},
                    _("Przydzielono: %(worker)s") % {"worker": t.to_worker}, t.decided_by, t,
                )  # fmt: skip
        if t.accepted_at:
            yield TimelineItem(t.accepted_at, "transfer", _("Przyjęcie do realizacji"), "", t.to_worker, t)


def _transitions(q: Query):
    case = q.case
    for t in rows(StageTransition.objects.filter(case=case).select_related("by"), "at", q.newest):
        text = f"{t.get_close_reason_display()}. {t.reason}".strip() if t.close_reason else t.reason
        yield TimelineItem(
            t.at, "transition", _("Etap: %(stage)s") % {"stage": Stage(t.to_stage).label}, text, t.by, t,
            # A closure states the end of the work (karta section 5).
            conclusion=t.to_stage == Stage.ZAKONCZENIE,
        )  # fmt: skip
    # The periods of moving away, from the case's history: a reopening clears the fields, the
    # period stays in the record. Never limited: one item per distinct date; few per case.
    seen = set()
    for since, plan, recorded, user in (
        case.history.filter(moving_away_since__isnull=False)
        .order_by("history_date")
        .values_list("moving_away_since", "moving_away_plan", "history_date", "history_user__username")
    ):
        if since not in seen:
            seen.add(since)
            yield TimelineItem(
                since, "transition", _("Początek oddalania się przed zakończeniem"), plan, case.worker or user,
                recorded=recorded,
            )  # fmt: skip


def _visits(q: Query):
    for v in rows(Visit.objects.filter(case=q.case).select_related("author"), "visited_at", q.newest):
        where = v.place_other if v.place == Visit.Place.OTHER and v.place_other else v.get_place_display()
        source = _("wizyta (%(where)s)") % {"where": where}
        if v.participants:
            source += "; " + _("obecni: %(who)s") % {"who": v.participants}
        yield TimelineItem(
            v.visited_at, "visit", _("Wizyta: %(outcome)s") % {"outcome": v.get_outcome_display()},
            v.findings, v.author, v, source=source,
        )  # fmt: skip


def _appointments(q: Query):
    """Agreed, moved, cancelled (issue 17.8), read from the rows' history in one query: each move
    keeps its reason there. Never limited: few per case."""
    rows = Appointment.history.filter(case_id=q.case.pk).select_related("history_user").order_by("history_date")
    cancelled: set[int] = set()
    for h in rows:
        when = f"{timezone.localtime(h.at):%d.%m.%Y %H:%M}"
        what = Appointment.Kind(h.kind).label
        if h.history_type == "+":
            title = _("Umówiono: %(what)s na %(when)s") % {"what": what, "when": when}
            yield TimelineItem(h.history_date, "appointment", title, h.note, h.history_user, h.instance)
        elif h.history_change_reason and h.cancelled_at is None:
            title = _("Przełożono spotkanie na %(when)s") % {"when": when}
            yield TimelineItem(h.history_date, "appointment", title, h.history_change_reason, h.history_user)
        elif h.cancelled_at is not None and h.id not in cancelled:
            cancelled.add(h.id)
            title = _("Odwołano spotkanie (%(what)s, %(when)s)") % {"what": what, "when": when}
            yield TimelineItem(h.cancelled_at, "appointment", title, h.cancel_reason, h.history_user)


def _documentation_transfers(q: Query):
    found = DocumentationTransfer.objects.filter(case=q.case).select_related("author")
    for t in rows(found, "sent_on", q.newest):
        url = reverse("cases:documentation_transfer_pdf", args=[q.case.pk, t.pk])
        to = t.addressee_text.splitlines()[0] if t.addressee_text else "—"
        yield TimelineItem(
            t.sent_on, "documentation_transfer", _("Przekazanie dokumentacji do: %(to)s") % {"to": to},
            _("Nowy adres rodziny: %(a)s") % {"a": t.new_address}, t.author, t,
            links=(Link(_("Pismo przekazujące (PDF)"), url),),
        )  # fmt: skip


def _summonses(q: Query):
    now = timezone.now()
    for w in rows(Summons.objects.filter(case=q.case).select_related("author"), "issued_on", q.newest):
        at = timezone.localtime(w.appointment_at).strftime("%d.%m.%Y %H:%M")
        if w.appointment_cancelled_at:
            # One item, one date: the cancellation is said within it (the newest-N limit holds).
            at += " – " + _("odwołany %(d)s: %(why)s") % {
                "d": d(timezone.localdate(w.appointment_cancelled_at)), "why": w.appointment_cancel_reason,
            }  # fmt: skip
        links = [Link(_("Wezwanie (PDF)"), reverse("cases:summons_pdf", args=[q.case.pk, w.pk]))]
        if w.appointment_cancelled_at is None and w.appointment_at > now:
            links.append(Link(_("Odwołaj termin"), reverse("cases:summons_cancel", args=[q.case.pk, w.pk]), write=True))
        text = _("Termin: %(at)s. %(note)s") % {"at": at, "note": w.note}
        yield TimelineItem(w.issued_on, "summons", _("Wezwanie do ośrodka"), text, w.author, w, links=tuple(links))


def _notifications(q: Query):
    for n in rows(Notification.objects.filter(case=q.case).select_related("author"), "sent_on", q.newest):
        text = n.reason + (f"\n{_('Odpowiedź')} ({d(n.answered_on)}): {n.answer}" if n.answered_on else "")
        links = [Link(_("Zawiadomienie (PDF)"), reverse("cases:notification_pdf", args=[q.case.pk, n.pk]))]
        if not n.answered_on:
            url = reverse("cases:notification_answer", args=[q.case.pk, n.pk])
            links.append(Link(_("Zapisz odpowiedź"), url, write=True))
        yield TimelineItem(
            n.sent_on, "notification", _("Zawiadomienie: %(s)s") % {"s": n.get_service_display()}, text, n.author,
            n, source=n.service_name, conclusion=True, links=tuple(links),
        )  # fmt: skip


def _document_reviews(q: Query):
    for r in rows(DocumentReview.objects.filter(case=q.case).select_related("author"), "reviewed_on", q.newest):
        source = r.get_kind_display()
        if r.description:
            source += f": {r.description}"
        if r.document_date:
            source += ", " + _("z dnia %(d)s") % {"d": d(r.document_date)}
        if r.reference:
            source += ", " + _("sygn. %(ref)s") % {"ref": r.reference}
        yield TimelineItem(
            r.reviewed_on, "document_review", _("Wgląd: %(k)s") % {"k": r.get_kind_display()}, r.findings,
            r.author, r, source=_("dokument – %(what)s") % {"what": source},
        )  # fmt: skip


def _contacts(q: Query):
    qs = InstitutionContact.objects.filter(case=q.case).select_related("author", "member")
    for c in rows(qs, "contacted_on", q.newest):
        about = f" ({c.member.full_name})" if c.member else ""
        source = c.institution_name or c.get_kind_display()
        if c.person_contacted:
            source += f", {c.person_contacted}"
        source += f" ({c.get_form_display()})"
        yield TimelineItem(
            c.contacted_on, "contact", _("Kontakt: %(k)s%(about)s") % {"k": c.get_kind_display(), "about": about},
            c.learnt, c.author, c, source=source,
        )  # fmt: skip


def _community(q: Query):
    qs = CommunityContact.objects.filter(case=q.case).select_related("author")
    for c in rows(qs, "contacted_on", q.newest):
        yield TimelineItem(
            c.contacted_on, "community", _("Kontakt z otoczeniem: %(k)s") % {"k": c.get_kind_display()}, c.learnt,
            c.author, c, source=f"{c.get_kind_display()}, {c.person} ({c.get_form_display()})",
        )  # fmt: skip


def _parents_apart(q: Query):
    qs = ParentApartInfo.objects.filter(case=q.case).select_related("author", "parent")
    for i in rows(qs, "obtained_on", q.newest):
        who = i.parent.full_name if i.parent else i.parent_name
        parts = [_("Relacja z dzieckiem: %(t)s") % {"t": i.relation_with_child}]
        if i.contact_with_child:
            parts.append(_("Zapewnienie kontaktu z dzieckiem: %(t)s") % {"t": i.contact_with_child})
        if i.view_of_child:
            parts.append(_("Ocena funkcjonowania dziecka: %(t)s") % {"t": i.view_of_child})
        yield TimelineItem(
            i.obtained_on, "parent_apart", _("Informacja od rodzica zamieszkałego oddzielnie"), "\n".join(parts),
            i.author, i, source=_("rodzic zamieszkały oddzielnie: %(who)s") % {"who": who or "—"},
        )  # fmt: skip


def _children(q: Query):
    qs = ChildObservation.objects.filter(case=q.case).select_related("author", "child")
    for o in rows(qs, "observed_on", q.newest):
        text = o.observation
        if o.talked_with_child:
            text += "\n" + _("Rozmowa z dzieckiem za zgodą: %(who)s.") % {"who": o.consent_given_by}
            if o.talk_summary:
                text += " " + o.talk_summary
        yield TimelineItem(
            o.observed_on, "child", _("Obserwacja dziecka: %(c)s") % {"c": o.child.full_name}, text, o.author, o,
            source=_("obserwacja dziecka %(c)s") % {"c": o.child.full_name}
            + (" " + _("i rozmowa z nim") if o.talked_with_child else ""),
        )  # fmt: skip


def _diagnoses(q: Query):
    for g in rows(Diagnosis.objects.filter(case=q.case).select_related("author"), "diagnosed_on", q.newest):
        yield TimelineItem(
            g.diagnosed_on, "diagnosis", _("Diagnoza: %(d)s") % {"d": g.get_decision_display()}, g.facts,
            g.author, g,
        )  # fmt: skip


def _notes(q: Query):
    for n in rows(OfficialNote.objects.filter(case=q.case).select_related("author"), "written_on", q.newest):
        yield TimelineItem(n.written_on, "note", _("Notatka służbowa"), n.content, n.author, n,
                           source=_("notatka służbowa"))  # fmt: skip


def _flags(q: Query):
    # Never limited: a removal is dated apart from its flag (maybe years later); few flags.
    for f in CaseFlag.objects.filter(case=q.case).select_related("created_by", "removed_by").order_by():
        yield TimelineItem(
            f.created_at, "flag", _("Oznaczenie: %(flag)s") % {"flag": f.get_kind_display()},
            _("Wszczęto %(date)s, %(who)s. %(note)s") % {"date": d(f.started_on), "who": f.started_by, "note": f.note},
            f.created_by, f,
        )  # fmt: skip
        if f.removed_at:
            yield TimelineItem(
                f.removed_at, "flag", _("Zdjęto oznaczenie: %(flag)s") % {"flag": f.get_kind_display()},
                f.removal_reason, f.removed_by, f,
            )  # fmt: skip


def _documents(q: Query):
    qs = CaseDocument.objects.filter(case=q.case).select_related("author")
    for doc in rows(qs, "document_date", q.newest):
        links = ()
        if doc.file:
            url = reverse("cases:document", args=[q.case.pk, doc.pk])
            links = (Link(_("Pobierz %(name)s") % {"name": doc.original_name}, url),)
        yield TimelineItem(
            doc.document_date, "document", _("Skan: %(k)s") % {"k": doc.get_kind_display()}, doc.description,
            doc.author, doc, links=links,
        )  # fmt: skip


# --- the printouts of a case (the case file, issue 19.5): the same template and context as each view --------


def documentation_transfer_context(case, transfer: DocumentationTransfer) -> dict:
    """The letter's context: its view (``print_views.documentation_transfer_pdf``) and the case file's."""
    lines = [line.strip(" -•") for line in transfer.enclosures.splitlines()]
    return {"case": case, "transfer": transfer, "enclosures": [line for line in lines if line]}


def _report_printouts(case, user):
    for r in Report.objects.filter(case=case).select_related("received_by").order_by("received_at", "pk"):
        yield Printout(_("Notatka ze zgłoszenia"), "notatka_ze_zgloszenia", timezone.localdate(r.received_at),
                       "printouts/report_note.html", {"case": case, "report": r})  # fmt: skip


def _summons_printouts(case, user):
    for w in Summons.objects.filter(case=case).select_related("author", "addressee").order_by("issued_on", "pk"):
        yield Printout(_("Wezwanie"), "wezwanie", w.issued_on, "printouts/summons.html", {"case": case, "summons": w})


def _notification_printouts(case, user):
    for n in Notification.objects.filter(case=case).select_related("author").order_by("sent_on", "pk"):
        yield Printout(_("Zawiadomienie"), "zawiadomienie", n.sent_on, "printouts/notification.html",
                       {"case": case, "notification": n})  # fmt: skip


def _documentation_transfer_printouts(case, user):
    for t in DocumentationTransfer.objects.filter(case=case).select_related("author").order_by("sent_on", "pk"):
        yield Printout(_("Przekazanie dokumentacji"), "przekazanie_dokumentacji", t.sent_on,
                       "printouts/documentation_transfer.html", documentation_transfer_context(case, t))  # fmt: skip


S, A = Section.SITUATION, Section.ACTIONS
register(
    EntryKind(
        "report", gettext_lazy("Zgłoszenia"), Section.REPORT, _reports, printouts=_report_printouts,
        scrubs=(Scrub(Report, "case", text=("institution_name", "reporter_name", "reporter_relation", "content",
                                            "verification_note"), clear=("reporter_contact",)),),
    ),
    EntryKind(
        "transfer", gettext_lazy("Przekazanie i przyjęcie"), Section.TRANSFER, _transfer,
        scrubs=(Scrub(CaseTransfer, "case", text=("note", "refusal_reason")),),
    ),
    # The stage-transition log is append-only by design: its justifications stay (README, Retention).
    EntryKind("transition", gettext_lazy("Zmiany etapu"), A, _transitions, kept={StageTransition: ("reason",)}),
    EntryKind(
        "visit", gettext_lazy("Wizyty"), S, _visits,
        scrubs=(Scrub(Visit, "case", text=("place_other", "participants", "findings")),),
        facts={"cases.Visit": ("case_id",)},
    ),
    EntryKind(
        "documentation_transfer", gettext_lazy("Przekazanie dokumentacji"), A, _documentation_transfers,
        scrubs=(Scrub(DocumentationTransfer, "case", text=("new_address", "enclosures")),),
        not_personal={DocumentationTransfer: ("addressee_text",)}, printouts=_documentation_transfer_printouts,
    ),
    EntryKind(
        "appointment", gettext_lazy("Umówione spotkania"), A, _appointments,
        scrubs=(Scrub(Appointment, "case", text=("place", "note", "cancel_reason")),),
        facts={"cases.Appointment": ("case_id",)},
    ),
    EntryKind(
        "summons", gettext_lazy("Wezwania"), A, _summonses,
        scrubs=(Scrub(Summons, "case", text=("room", "note", "appointment_cancel_reason")),),
        facts={"cases.Summons": ("case_id",)}, printouts=_summons_printouts,
    ),
    EntryKind(
        "notification", gettext_lazy("Zawiadomienia służb"), A, _notifications,
        scrubs=(Scrub(Notification, "case", text=("service_name", "reason", "answer")),),
        facts={"cases.Notification": ("case_id",)}, printouts=_notification_printouts,
    ),
    EntryKind(
        "document_review", gettext_lazy("Wgląd w dokumenty"), S, _document_reviews,
        scrubs=(Scrub(DocumentReview, "case", text=("description", "reference", "findings")),),
    ),
    EntryKind(
        "contact", gettext_lazy("Kontakty z instytucjami"), S, _contacts,
        scrubs=(Scrub(InstitutionContact, "case", text=("institution_name", "person_contacted", "learnt")),),
    ),
    EntryKind(
        "community", gettext_lazy("Kontakty z otoczeniem klienta"), S, _community,
        scrubs=(Scrub(CommunityContact, "case", text=("person", "learnt")),),
    ),
    EntryKind(
        "parent_apart", gettext_lazy("Rodzic zamieszkały oddzielnie"), S, _parents_apart,
        scrubs=(Scrub(ParentApartInfo, "case", text=("parent_name", "relation_with_child", "contact_with_child",
                                                    "view_of_child")),),
    ),
    EntryKind(
        "child", gettext_lazy("Obserwacja dziecka"), S, _children,
        # consent_given_by stays non-empty where it was: a talk with a child needs it (a check constraint).
        scrubs=(Scrub(ChildObservation, "case", text=("observation", "consent_given_by", "talk_summary")),),
    ),
    EntryKind(
        "diagnosis", gettext_lazy("Diagnoza"), Section.DIAGNOSIS, _diagnoses,
        scrubs=(Scrub(Diagnosis, "case", text=("facts", "problem_other", "children_care", "resources",
                                               "justification")),),
    ),
    EntryKind(
        "note", gettext_lazy("Notatki służbowe"), S, _notes,
        scrubs=(Scrub(OfficialNote, "case", text=("content",)),),
    ),
    EntryKind(
        "flag", gettext_lazy("Oznaczenia"), A, _flags,
        scrubs=(Scrub(CaseFlag, "case", text=("started_by", "note", "removal_reason")),),
    ),
    EntryKind(
        "document", gettext_lazy("Skany w teczce"), A, _documents,
        scrubs=(Scrub(CaseDocument, "case", text=("description", "original_name"), clear=("file",)),),
        not_personal={CaseDocument: ("content_type",)},
    ),
)  # fmt: skip


# --- corrections (issue 16.1) --------------------------------------------------------------------------


def _corrections(q: Query):
    qs = Correction.objects.filter(case=q.case).select_related("by")
    for c in rows(qs, "at", q.newest):
        title = (
            _("Sprostowanie wpisu: %(entry)s") if c.kind == Correction.Kind.CORRECT else _("Wycofanie wpisu: %(entry)s")
        ) % {"entry": c.entry_label}
        if c.kind == Correction.Kind.CORRECT:
            changed = "; ".join(f"{ch['label']}: {ch['before']} → {ch['after']}" for ch in c.changes)
        else:
            changed = _("treść wycofanego wpisu: %(text)s") % {"text": c.changes[0]["before"] if c.changes else "—"}
        reason = c.reason.rstrip(". ")
        yield TimelineItem(c.at, "correction", title, _("Powód: %(r)s. %(c)s") % {"r": reason, "c": changed},
                           c.by, c)  # fmt: skip


def _scrub_changes(correction: Correction, marker: str) -> bool:
    if not correction.changes:
        return False
    correction.changes = [{**ch, "before": marker, "after": marker if ch["after"] else ""} for ch in correction.changes]
    return True


register(
    EntryKind(
        "correction",
        gettext_lazy("Sprostowania i wycofania"),
        A,
        _corrections,
        scrubs=(Scrub(Correction, "case", text=("reason", "entry_label"), extra=_scrub_changes),),
        not_personal={Correction: ("entry_model",)},
    ),
)


def _client_merges(q: Query):
    # Never limited: a merge is rare (a handful in a case's life).
    for m in ClientMerge.objects.filter(kept=q.case.client).select_related("by").order_by():
        yield TimelineItem(
            m.at, "client_merge", _("Połączenie rekordów klienta"), _("Powód: %(r)s. %(s)s") % {
                "r": m.reason.rstrip(". "), "s": m.summary
            }, m.by, m,
        )  # fmt: skip


register(
    EntryKind(
        "client_merge",
        gettext_lazy("Połączenia rekordów klienta"),
        A,
        _client_merges,
        scrubs=(Scrub(ClientMerge, "case", text=("reason", "summary")),),
    ),
)


def _report_check(report: Report, case) -> None:
    """As at intake (services.report_check); a report that lost its reporter becomes anonymous
    and to be verified (seed 000 I.1)."""
    from cases.services.case import report_check

    report_check(report)
    report.anonymous = not report.reporter_name.strip() and not report.institution_name.strip()
    report.needs_verification = report.needs_verification or report.anonymous


def _register_correctables() -> None:
    # The forms and the checks that record the entries correct them too.
    from cases import forms as f
    from cases.services import entries as e

    register_correctable(
        Correctable("wizyta", Visit, f.VisitForm, check=e.visit_check),
        Correctable("wezwanie", Summons, f.SummonsForm, check=e.summons_check),
        Correctable("zawiadomienie", Notification, f.NotificationForm, check=e.notification_check),
        Correctable("wglad-w-dokument", DocumentReview, f.DocumentReviewForm),
        Correctable("kontakt", InstitutionContact, f.InstitutionContactForm, check=e.institution_contact_check),
        Correctable("kontakt-otoczenie", CommunityContact, f.CommunityContactForm, check=e.community_contact_check),
        Correctable("rodzic-oddzielnie", ParentApartInfo, f.ParentApartForm, check=e.parent_apart_check),
        Correctable("obserwacja-dziecka", ChildObservation, f.ChildObservationForm, check=e.child_observation_check),
        # The decision moved the case on: the procedure undoes it (a reopening), not a correction.
        Correctable(
            "diagnoza", Diagnosis, f.DiagnosisForm, exclude=("decision",), withdrawable=False, check=e.diagnosis_check
        ),
        Correctable("notatka", OfficialNote, f.NoteForm, check=e.note_check),
        Correctable("skan", CaseDocument, f.DocumentCorrectionForm),
        # The report opened the case: it is corrected, never withdrawn (the case would have no report).
        Correctable("zgloszenie", Report, f.ReportCorrectionForm, withdrawable=False, check=_report_check),
    )


_register_correctables()
