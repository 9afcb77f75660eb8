"""Views of the entries of a case: stage II and III entries, notes, flags, the case folder
with its scans, and the deadlines page. Thin, like cases/views.py: fetch through the access
policy, call one service, turn a DomainError into a message at the field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from cases import deadlines, selectors, services, timeline
from cases.forms import (
    ChildObservationForm,
    CommunityContactForm,
    DiagnosisForm,
    DocumentReviewForm,
    DocumentUploadForm,
    FlagForm,
    FlagRemoveForm,
    InstitutionContactForm,
    NoteForm,
    NotificationAnswerForm,
    NotificationForm,
    ParentApartForm,
    SummonsForm,
    VisitForm,
    reveal_confirmation,
)
from cases.models import CaseDocument, CaseFlag, Notification
from cases.procedure import Stage
from cases.services.dates import DateNeedsConfirmation
from cases.views import form_error as _form_error
from mopr import access, conflicts, policy
from mopr.errors import DomainError, StaleVersionError
from mopr.models import AccessLog
from mopr.policy import Action
from mopr.services import access_log_case_view

# --- entries of the case ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryKind:
    """One kind of entry: its form, the service that records it, and the service's keyword."""

    title: str
    form: type
    record: Callable
    keyword: str
    stage_help: str = ""
    # Who may record it (mopr/policy.py): the worker's entries, a note (also the coordinator's
    # supervision and the assistant's), a notification of the services (also the assistant's).
    action: Action = Action.WRITE


ENTRY_KINDS: dict[str, EntryKind] = {
    "wizyta": EntryKind(_lazy("Wizyta"), VisitForm, services.visit_record, "visit"),
    "wezwanie": EntryKind(
        _lazy("Wezwanie do ośrodka"),
        SummonsForm,
        services.summons_issue,
        "summons",
        _lazy("Po odmowie kontaktu: pisemne wezwanie na spotkanie w siedzibie ośrodka (II.2)."),
    ),
    "zawiadomienie": EntryKind(
        _lazy("Zawiadomienie służb"),
        NotificationForm,
        services.notification_send,
        "notification",
        _lazy("Sąd Rodzinny, Policja, Prokuratura, Ośrodek Zdrowia – gdy nie można ustalić sytuacji (II.2)."),
        Action.ALERT,
    ),
    "wglad-w-dokument": EntryKind(
        _lazy("Wgląd w dokument klienta"), DocumentReviewForm, services.document_review_record, "review"
    ),
    "kontakt": EntryKind(
        _lazy("Kontakt z instytucją"),
        InstitutionContactForm,
        services.institution_contact_record,
        "contact",
        _lazy("Obowiązkowo: przychodnia rejonowa dla dzieci do 7 lat, organizator pieczy dla dzieci w pieczy."),
    ),
    "kontakt-otoczenie": EntryKind(
        _lazy("Kontakt z otoczeniem klienta"),
        CommunityContactForm,
        services.community_contact_record,
        "contact",
        _lazy("Rodzina, sąsiedzi, sołtys, klub lub organizacja, do której należy osoba (seed 003, plan działania)."),
    ),
    "rodzic-oddzielnie": EntryKind(
        _lazy("Informacja od rodzica zamieszkałego oddzielnie"), ParentApartForm, services.parent_apart_record, "info"
    ),
    "obserwacja-dziecka": EntryKind(
        _lazy("Obserwacja dziecka"),
        ChildObservationForm,
        services.child_observation_record,
        "observation",
        _lazy("Rozmowa z dzieckiem tylko za zgodą rodzica (II.6)."),
    ),
    "notatka": EntryKind(
        _lazy("Notatka służbowa"),
        NoteForm,
        services.note_write,
        "note",
        _lazy("Na każdym etapie; aktualizuje sytuację klienta bez cofania się do wcześniejszego etapu."),
        Action.NOTE,
    ),
}


def entry_links_for(case, user) -> list[tuple[str, str]]:
    """The entries the case page offers ``user`` at the case's stage: the policy's answer for each
    kind's action (the services ask the same and have the last word)."""
    actions = {spec.action for spec in ENTRY_KINDS.values()}
    allowed = {action for action in actions if policy.case_allows(user, case, action)}
    if case.stage == Stage.ZGLOSZENIE or case.is_closed:
        return [("notatka", ENTRY_KINDS["notatka"].title)] if Action.NOTE in allowed else []
    return [(slug, spec.title) for slug, spec in ENTRY_KINDS.items() if spec.action in allowed]


@require_http_methods(["GET", "POST"])
def entry_add(request, pk: int, kind: str):
    spec = ENTRY_KINDS.get(kind)
    if spec is None:
        raise Http404
    case = policy.case_get_for(request.user, pk, spec.action, selectors.case_with_details(user=request.user, pk=pk))
    form = spec.form(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            spec.record(
                case=case,
                by=request.user,
                date_confirmed=form.cleaned_data.get("date_confirmed", False),
                **{spec.keyword: form.save(commit=False)},
            )
        except DateNeedsConfirmation as error:
            reveal_confirmation(form, error)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Zapisano: %(what)s.") % {"what": spec.title})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/entry_form.html", {"case": case, "form": form, "spec": spec})


@require_http_methods(["GET", "POST"])
def diagnosis_add(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.WRITE, selectors.case_with_details(user=request.user, pk=pk))
    form = DiagnosisForm(request.POST or None, case=case, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        diagnosis = form.save(commit=False)
        diagnosis.problem_areas = form.cleaned_data["problem_areas"]
        try:
            services.diagnosis_record(
                case=case,
                by=request.user,
                diagnosis=diagnosis,
                expected_version=form.cleaned_data["version"],
                date_confirmed=form.cleaned_data.get("date_confirmed", False),
            )
        except DateNeedsConfirmation as error:
            reveal_confirmation(form, error)
        except DomainError as error:
            _form_error(form, error)
        else:
            if diagnosis.decision == diagnosis.Decision.NO_PROBLEM:
                messages.success(request, _("Zapisano diagnozę. Sprawa zakończona: zgłoszenie nieuzasadnione."))
            else:
                messages.success(request, _("Zapisano diagnozę. Sprawa przeszła do etapu pracy socjalnej."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/diagnosis_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def flag_add(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.ALERT)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_add(case=case, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Dodano oznaczenie sprawy."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/flag_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def flag_remove(request, pk: int, flag_pk: int):
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    flag = get_object_or_404(CaseFlag, pk=flag_pk, case=case, removed_at__isnull=True)
    form = FlagRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_remove(flag=flag, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Zdjęto oznaczenie; powód pozostaje w historii sprawy."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/flag_remove.html", {"case": case, "flag": flag, "form": form})


@require_http_methods(["GET", "POST"])
def notification_answer(request, pk: int, notification_pk: int):
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    notification = get_object_or_404(Notification, pk=notification_pk, case=case)
    form = NotificationAnswerForm(
        request.POST or None,
        initial={
            "answer": notification.answer,
            "answered_on": notification.answered_on,
            "state": services.notification_state(notification),
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.notification_record_answer(
                notification=notification,
                by=request.user,
                answer=data["answer"],
                answered_on=data["answered_on"],
                expected_state=data["state"],
            )
        except StaleVersionError:
            fresh = Notification.objects.get(pk=notification.pk)
            who, when = conflicts.last_change(fresh)
            conflict = conflicts.Conflict(
                rows=conflicts.conflict_rows(form, fresh, ["answered_on", "answer"]), changed_by=who, changed_at=when
            )
            conflicts.rearm(form, services.notification_state(fresh), name="state")
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Zapisano odpowiedź na zawiadomienie."))
            return redirect("cases:folder", pk=case.pk)
    return render(
        request,
        "cases/notification_answer.html",
        {"case": case, "notification": notification, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


# --- the case folder (teczka) ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_folder(request, pk: int):
    """Every entry and every scan in one chronological list, filterable by kind."""
    case = policy.case_get_for(request.user, pk, Action.VIEW, selectors.case_with_details(user=request.user, pk=pk))
    if request.method == "GET":
        access_log_case_view(request=request, case=case, what="Teczka sprawy")
    may_write = policy.case_allows(request.user, case, Action.WRITE)
    upload_form = None
    if may_write:
        upload_form = DocumentUploadForm(request.POST or None, request.FILES or None, case=case)
        if request.method == "POST" and upload_form.is_valid():
            try:
                services.document_upload(
                    case=case,
                    by=request.user,
                    document=upload_form.save(commit=False),
                    upload=upload_form.cleaned_data["file"],
                )
            except DomainError as error:
                _form_error(upload_form, error)
            else:
                messages.success(request, _("Dodano skan do teczki."))
                return redirect("cases:folder", pk=case.pk)
    elif request.method == "POST":
        raise PermissionDenied(policy.action_refusal(request.user, case, Action.WRITE))
    labels = timeline.folder_labels()
    kinds = {k for k in request.GET.getlist("rodzaj") if k in labels}
    return render(
        request,
        "cases/case_folder.html",
        {
            "case": case,
            "timeline": selectors.with_correction_links(
                timeline.case_timeline(case=case, kinds=kinds or None), user=request.user, case=case
            ),
            "kinds": labels,
            "selected": kinds,
            "upload_form": upload_form,
            "may_write": may_write,
        },
    )


def document_download(request, pk: int, document_pk: int):
    """A scan leaves the server only through here, after the access policy allowed it."""
    case = policy.case_get_for(request.user, pk, Action.VIEW)
    document = get_object_or_404(CaseDocument, pk=document_pk, case=case)
    if not document.file:  # the scan was removed with the personal data (retention)
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    access_log_case_view(
        # The file's number and kind, not its name: a name may hold a surname, and the log is
        # append-only, so anonymisation could never remove it.
        request=request,
        case=case,
        what=f"Plik nr {document.pk} ({document.get_kind_display()})",
        action=AccessLog.Action.DOWNLOAD,
    )
    return FileResponse(handle, as_attachment=True, filename=document.original_name, content_type=document.content_type)


# --- deadlines ---------------------------------------------------------------------------------------------


MOST_URGENT = 200


def my_deadlines(request):
    """Overdue and coming deadlines: a worker's own cases, a coordinator's regions, an assistant's
    families (the assistant's own duties only)."""
    user = request.user
    is_assistant = policy.user_is_family_assistant(user)
    follows_cases = policy.user_runs_social_work(user) or bool(policy.regions_coordinated_by(user))
    if not policy.user_follows_deadlines(user):
        raise PermissionDenied(
            _("Terminy prowadzą pracownicy socjalni, koordynatorzy, asystenci rodziny i kierownictwo ośrodka.")
        )
    found = []
    limited = None
    if follows_cases:
        cases = selectors.open_cases_with_deadlines(user=user)
        found += [d for ds in deadlines.deadlines_for(cases).values() for d in ds]
    elif policy.user_directs_monitorings(user):
        # The director and the head: the institution's most urgent, read through the stored
        # summaries (the engine over every open case would take seconds at 100,000 cases).
        cases = selectors.most_urgent_cases(user=user, limit=MOST_URGENT)
        found += [d for ds in deadlines.deadlines_for(cases).values() for d in ds]
        limited = MOST_URGENT
    if is_assistant:
        families = selectors.with_list_data(policy.cases_visible_to(user).filter(pk__in=policy.assisted_case_ids(user)))
        seen = {d.case.pk for d in found}
        found += [
            d
            for ds in deadlines.deadlines_for(families).values()
            for d in ds
            if d.rule in deadlines.ASSISTANT_RULES and d.case.pk not in seen
        ]
    found.sort(key=lambda d: (d.due, d.case.number))
    access.shown_many(cases=[d.case for d in found])
    coordinated = policy.regions_visible_to(user).filter(pk__in=policy.regions_coordinated_by(user))
    team = sorted((d for ds in deadlines.region_deadlines(coordinated).values() for d in ds), key=lambda d: d.due)
    return render(
        request,
        "cases/deadlines.html",
        {
            "overdue": [d for d in found if d.overdue],
            "coming": [d for d in found if not d.overdue],
            "team": team,
            "limited": limited,
        },
    )
