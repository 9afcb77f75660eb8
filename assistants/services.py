"""Every write of the family-assistant procedure (seed 002; seed 000 IV.6–8).

The approval chain: a worker's request goes to the head of department for an opinion where
the institution has one (``Institution.assistant_needs_head_opinion``), then to the director
or a person the director authorised; nobody decides their own request. An external request
is first checked by the worker (community interview: is support justified, does the family
want it). A court judgment needs no approval. Every decision is an append-only record.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assistants.models import (
    Assignment,
    AssistantVisit,
    Authorisation,
    ChangeReport,
    Decision,
    FinalReport,
    MonthlyReport,
    PeriodicAssessment,
    Request,
    TimeReport,
    TimeReportLine,
    Work,
    WorkPlan,
)
from cases.models import Case, CaseDocument
from cases.procedure import Stage
from cases.services.case import _lock as _lock_case
from cases.services.case import urgent_from_assistant
from inbox.models import Notice
from inbox.services import notice_send
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import User
from mopr.records import record_lock, record_save

# A request needs the diagnosis done: social work (IV) is where the assistant supports it.
REQUEST_STAGES = frozenset({Stage.PRACA_SOCJALNA})


def _not_in_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field=field)


def _lock(request: Request, expected_version: int | None) -> Request:
    return record_lock(
        Request.objects.select_related("case", "case__institution"),
        request.pk,
        expected_version=expected_version,
        stale=_("Wniosek został w międzyczasie zmieniony. Odśwież stronę i spróbuj ponownie."),
    )


def _save(obj, by: User) -> None:
    record_save(obj, by=by, bump_version=True)


def _after_request(request: Request) -> str:
    """Where a justified request goes next: the head's opinion or straight to approval."""
    if request.case.institution.assistant_needs_head_opinion:
        return Request.Status.OPINION
    return Request.Status.APPROVAL


def _tell_next(request: Request) -> None:
    """Whoever the request now waits for is told (issue 17.7): the head for the opinion, the
    approvers for the decision – never the person who asked or gave the opinion."""
    institution_id = request.case.institution_id
    if request.status == Request.Status.OPINION:
        kind, who = Notice.Kind.OPINION, policy.opinion_givers(institution_id)
        text = _("Wniosek o asystenta rodziny w sprawie %(number)s czeka na Twoją opinię.")
    elif request.status == Request.Status.APPROVAL:
        kind, who = Notice.Kind.DECISION, policy.approvers(institution_id)
        text = _("Wniosek o asystenta rodziny w sprawie %(number)s czeka na Twoją decyzję.")
    else:
        return
    opined = set(request.decisions.filter(step=Decision.Step.OPINION).values_list("decided_by_id", flat=True))
    notice_send(
        recipients=[u for u in who if u != request.requested_by_id and u not in opined],
        kind=kind,
        case=request.case,
        url=reverse("assistants:request", args=[request.pk]),
        text=text % {"number": request.case.number},
    )


def request_in_progress(case: Case) -> bool:
    """A request in progress, one approved or ordered still without its assistant, or an
    assistant at work: one at a time per family."""
    in_progress = [Request.Status.INTERVIEW, Request.Status.OPINION, Request.Status.APPROVAL]
    waiting = [Request.Status.APPROVED, Request.Status.ORDERED]
    return (
        case.assistant_requests.filter(status__in=in_progress).exists()
        or case.assistant_requests.filter(status__in=waiting, assignment__isnull=True).exists()
        or case.assistant_assignments.filter(ended_on__isnull=True).exists()
    )


def _may_write(case: Case, by: User) -> None:
    """Requests are filed and checked by the case's worker (seed 002, 1.1 and 1.3)."""
    if not policy.case_allows(by, case, policy.Action.WRITE):
        raise DomainError(_("Wniosek składa i rozeznaje pracownik socjalny prowadzący sprawę."))


# --- the three ways in -------------------------------------------------------------------------


def request_by_worker(
    *,
    case: Case,
    by: User,
    justification: str,
    consent_on: datetime.date,
    consent_scan: CaseDocument | None = None,
    requested_on: datetime.date | None = None,
) -> Request:
    """The worker asks after the diagnosis, with the family's written consent recorded."""
    requested_on = requested_on or timezone.localdate()
    _may_write(case, by)
    if consent_on is None:
        raise DomainError(_("Wniosek wymaga pisemnej zgody rodziny – podaj jej datę."), field="consent_on")
    _not_in_future(consent_on, "consent_on")
    _not_in_future(requested_on, "requested_on")
    if not justification.strip():
        raise DomainError(_("Uzasadnij potrzebę wsparcia asystenta rodziny."), field="justification")
    if consent_scan is not None and consent_scan.case_id != case.pk:
        raise DomainError(_("Skan zgody musi pochodzić z teczki tej sprawy."), field="consent_scan")
    with transaction.atomic():
        locked = _lock_case(case, None, by=by, action=policy.Action.WRITE)
        if locked.stage not in REQUEST_STAGES:
            raise DomainError(_("O asystenta rodziny wnioskuje się po diagnozie, w pracy socjalnej (etap IV)."))
        if request_in_progress(locked):
            raise DomainError(_("W sprawie jest już wniosek w toku albo asystent pracuje z rodziną."))
        request = Request(
            case=locked, path=Request.Path.WORKER, requested_by=by, requested_on=requested_on,
            justification=justification.strip(), consent_on=consent_on, consent_scan=consent_scan,
        )  # fmt: skip
        request.status = _after_request(request)
        record_save(request, by=by)
        _tell_next(request)
    return request


def request_from_institution(
    *,
    case: Case,
    by: User,
    institution_name: str,
    received_on: datetime.date,
    justification: str,
    institution_address: str = "",
) -> Request:
    """A school, a psychological-pedagogical clinic or a court asks; the worker checks it."""
    _may_write(case, by)
    _not_in_future(received_on, "received_on")
    if not institution_name.strip():
        raise DomainError(_("Podaj instytucję wnioskującą."), field="institution_name")
    with transaction.atomic():
        locked = _lock_case(case, None, by=by, action=policy.Action.WRITE)
        if locked.is_closed:
            raise DomainError(_("Sprawa jest zakończona."))
        if request_in_progress(locked):
            raise DomainError(_("W sprawie jest już wniosek w toku albo asystent pracuje z rodziną."))
        request = Request(
            case=locked, path=Request.Path.EXTERNAL, status=Request.Status.INTERVIEW, requested_by=by,
            requested_on=received_on, justification=justification.strip() or institution_name,
            institution_name=institution_name.strip(), institution_address=institution_address.strip(),
            received_on=received_on,
        )  # fmt: skip
        record_save(request, by=by)
    return request


def request_record_interview(
    *,
    request: Request,
    by: User,
    interview_on: datetime.date,
    support_justified: bool,
    family_wants: bool,
    reply: str,
    consent_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Request:
    """The worker's community interview answers the institution: justified and wanted goes on
    to the approval chain (with the family's consent); otherwise the request ends here."""
    _not_in_future(interview_on, "interview_on")
    _not_in_future(consent_on, "consent_on")
    if not reply.strip():
        raise DomainError(_("Napisz odpowiedź dla instytucji wnioskującej."), field="reply")
    with transaction.atomic():
        locked = _lock(request, expected_version)
        _may_write(locked.case, by)
        if locked.status != Request.Status.INTERVIEW:
            raise DomainError(_("Wniosek nie czeka na rozeznanie."))
        if locked.received_on and interview_on < locked.received_on:
            raise DomainError(_("Wywiad nie może być przed wpływem wniosku."), field="interview_on")
        going_on = support_justified and family_wants
        if going_on and consent_on is None:
            raise DomainError(_("Rodzina chce wsparcia – zapisz datę jej pisemnej zgody."), field="consent_on")
        locked.interview_on = interview_on
        locked.support_justified = support_justified
        locked.family_wants = family_wants
        locked.reply = reply.strip()
        locked.consent_on = consent_on if going_on else None
        locked.status = _after_request(locked) if going_on else Request.Status.NOT_JUSTIFIED
        _save(locked, by)
        _tell_next(locked)
    return locked


def request_by_court(
    *, case: Case, by: User, court_name: str, ruling_reference: str, ruled_on: datetime.date
) -> Request:
    """An assistant ordered by a court judgment: no approval; non-cooperation goes back to the court."""
    _may_write(case, by)
    _not_in_future(ruled_on, "ruled_on")
    if not court_name.strip() or not ruling_reference.strip():
        raise DomainError(_("Podaj sąd oraz sygnaturę i datę orzeczenia."), field="ruling_reference")
    with transaction.atomic():
        locked = _lock_case(case, None, by=by, action=policy.Action.WRITE)
        if locked.is_closed:
            raise DomainError(_("Sprawa jest zakończona."))
        if request_in_progress(locked):
            raise DomainError(_("W sprawie jest już wniosek w toku albo asystent pracuje z rodziną."))
        request = Request(
            case=locked, path=Request.Path.COURT, status=Request.Status.ORDERED, requested_by=by,
            requested_on=ruled_on, justification=_("Orzeczenie sądu."), court_name=court_name.strip(),
            ruling_reference=ruling_reference.strip(),
        )  # fmt: skip
        record_save(request, by=by)
    return request


# --- the approval chain --------------------------------------------------------------------------


def request_give_opinion(
    *, request: Request, by: User, positive: bool, comment: str, expected_version: int | None = None
) -> Request:
    with transaction.atomic():
        locked = _lock(request, expected_version)
        if locked.status != Request.Status.OPINION:
            raise DomainError(_("Wniosek nie czeka na opinię."))
        if not policy.user_may_opine(by, locked):
            raise DomainError(_("Opinię wydaje kierownik działu – nie ten, kto złożył wniosek."))
        Decision.objects.create(
            request=locked, step=Decision.Step.OPINION, positive=positive, comment=comment.strip(), decided_by=by,
            decided_at=timezone.now(),
        )  # fmt: skip
        # An opinion informs the decision; the director decides either way.
        locked.status = Request.Status.APPROVAL
        _save(locked, by)
        _tell_next(locked)
    return locked


def request_decide(
    *, request: Request, by: User, approve: bool, comment: str, expected_version: int | None = None
) -> Request:
    if not approve and not comment.strip():
        raise DomainError(_("Odrzucenie wniosku wymaga uzasadnienia."), field="comment")
    with transaction.atomic():
        locked = _lock(request, expected_version)
        if locked.status != Request.Status.APPROVAL:
            raise DomainError(_("Wniosek nie czeka na zatwierdzenie."))
        if locked.requested_by_id == by.pk:
            raise DomainError(_("Nikt nie zatwierdza własnego wniosku."))
        if locked.decisions.filter(step=Decision.Step.OPINION, decided_by=by).exists():
            raise DomainError(_("Wniosek zatwierdza ktoś inny niż opiniujący."))
        if not policy.user_may_approve(by, locked):
            raise DomainError(
                _("Zatwierdza %(who)s albo osoba przez niego upoważniona.")
                % {"who": locked.case.institution.assistant_approver_title}
            )
        Decision.objects.create(
            request=locked, step=Decision.Step.APPROVAL, positive=approve, comment=comment.strip(), decided_by=by,
            decided_at=timezone.now(), as_authorised=policy.user_acts_as_approver(by)[1],
        )  # fmt: skip
        locked.status = Request.Status.APPROVED if approve else Request.Status.REJECTED
        _save(locked, by)
        notice_send(
            recipients=[locked.requested_by_id],
            kind=Notice.Kind.DECIDED,
            case=locked.case,
            url=reverse("assistants:request", args=[locked.pk]),
            text=(_("Wniosek o asystenta rodziny w sprawie %(number)s: zatwierdzony.") if approve
                  else _("Wniosek o asystenta rodziny w sprawie %(number)s: odrzucony."))
            % {"number": locked.case.number},
        )  # fmt: skip
    return locked


def authorisation_grant(*, director: User, user: User) -> Authorisation:
    if not policy.user_may_authorise(director):
        raise NotAllowed(_("Upoważnienia udziela dyrektor."))
    if user.institution_id != director.institution_id:
        raise DomainError(_("Upoważnić można tylko pracownika ośrodka."), field="user")
    if not policy.user_may_be_authorised_to_approve(user):
        raise DomainError(
            _("Upoważnić można tylko pracownika socjalnego, koordynatora lub kierownika: prowadzą pracę socjalną."),
            field="user",
        )
    with transaction.atomic():
        if Authorisation.objects.filter(user=user, revoked_at__isnull=True).exists():
            raise DomainError(_("Ta osoba ma już upoważnienie."), field="user")
        authorisation = Authorisation(institution_id=director.institution_id, user=user, granted_by=director)
        record_save(authorisation, by=director)
    return authorisation


def authorisation_revoke(*, director: User, authorisation: Authorisation) -> Authorisation:
    if not policy.user_may_authorise(director) or authorisation.institution_id != director.institution_id:
        raise NotAllowed(_("Upoważnienie cofa dyrektor ośrodka."))
    authorisation.revoked_at = timezone.now()
    record_save(authorisation, by=director)
    return authorisation


# --- assignment and the assistant's work ------------------------------------------------------------


def assistant_assign(
    *,
    request: Request,
    by: User,
    assistant: User,
    qualified_on: datetime.date,
    letter_note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """After approval (or a court order) the approver or the head assigns an assistant."""
    _not_in_future(qualified_on, "qualified_on")
    with transaction.atomic():
        locked = _lock(request, expected_version)
        if locked.status not in (Request.Status.APPROVED, Request.Status.ORDERED):
            raise DomainError(_("Asystenta przydziela się po zatwierdzeniu wniosku albo na podstawie wyroku sądu."))
        if hasattr(locked, "assignment"):
            raise DomainError(_("Do tego wniosku przydzielono już asystenta."))
        # The case row is locked too, so that a closure cannot slip in between (as the ways in refuse
        # a closed case, so does the assignment: the assistant supports the social work of an open case).
        # The approver's question is its own (policy.user_may_assign_assistant, below), not the worker's.
        if _lock_case(locked.case, None, by=by, action=None).is_closed:
            raise DomainError(_("Sprawa jest zakończona – asystenta przydziela się w otwartej sprawie."))
        if not policy.user_may_assign_assistant(by) or by.institution_id != locked.case.institution_id:
            raise DomainError(_("Asystenta przydziela zatwierdzający lub kierownik działu."))
        if locked.case.assistant_assignments.filter(ended_on__isnull=True).exists():
            raise DomainError(_("Z rodziną pracuje już asystent."))
        if not policy.assistants_assignable(locked.case.institution_id).filter(pk=assistant.pk).exists():
            raise DomainError(_("Wybrana osoba nie jest asystentem rodziny w tym ośrodku."), field="assistant")
        assignment = Assignment(
            case=locked.case, request=locked, assistant=assistant, assigned_by=by, qualified_on=qualified_on,
            letter_note=letter_note.strip(),
        )  # fmt: skip
        record_save(assignment, by=by)
        _save(locked, by)
    return assignment


def _work_save(*, assignment: Assignment, by: User, item: Work, allow_ended: bool = False) -> Work:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.assistant_id != by.pk:
        raise DomainError(_("Wpisy pracy z rodziną dodaje przydzielony asystent."))
    if locked.ended_on is not None and not allow_ended:
        raise DomainError(_("Praca asystenta z rodziną została zakończona."))
    item.assignment = locked
    item.author = by
    record_save(item, by=by)
    return item


def visit_record(*, assignment: Assignment, by: User, visit: AssistantVisit) -> AssistantVisit:
    _not_in_future(visit.visited_on, "visited_on")
    if visit.visited_on < assignment.qualified_on:
        raise DomainError(_("Wizyta nie może być przed zakwalifikowaniem rodziny."), field="visited_on")
    with transaction.atomic():
        return _work_save(assignment=assignment, by=by, item=visit)


def plan_write(*, assignment: Assignment, by: User, plan: WorkPlan) -> WorkPlan:
    """A new plan, or a new version of it: earlier versions stay as they were."""
    _not_in_future(plan.drafted_on, "drafted_on")
    with transaction.atomic():
        previous = assignment.plans.order_by("-version_number").first()
        if previous is not None and not plan.change_reason.strip():
            raise DomainError(_("Podaj powód zmiany planu pracy."), field="change_reason")
        plan.version_number = (previous.version_number + 1) if previous else 1
        plan.pk = None
        return _work_save(assignment=assignment, by=by, item=plan)


def monthly_report_write(*, assignment: Assignment, by: User, report: MonthlyReport) -> MonthlyReport:
    report.month = report.month.replace(day=1)
    if report.month > timezone.localdate():
        raise DomainError(_("Sprawozdanie dotyczy miesiąca, który już się zaczął."), field="month")
    with transaction.atomic():
        if assignment.monthly_reports.filter(month=report.month).exists():
            raise DomainError(_("Sprawozdanie za ten miesiąc już jest."), field="month")
        return _work_save(assignment=assignment, by=by, item=report, allow_ended=True)


def time_report_write(*, assistant: User, month: datetime.date, hours: dict[int, Decimal]) -> TimeReport:
    """The assistant's working time in a month across their families."""
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise DomainError(_("Sprawozdanie dotyczy miesiąca, który już się zaczął."), field="month")
    if not hours or any(h < 0 or h > 400 for h in hours.values()):
        raise DomainError(_("Podaj godziny pracy (0–400) dla rodzin."), field="hours")
    with transaction.atomic():
        if TimeReport.objects.filter(assistant=assistant, month=month).exists():
            raise DomainError(_("Sprawozdanie z czasu pracy za ten miesiąc już jest."), field="month")
        own = {a.pk: a for a in Assignment.objects.filter(assistant=assistant, pk__in=hours)}
        if set(own) != set(hours):
            raise DomainError(_("Sprawozdanie obejmuje tylko rodziny przydzielone asystentowi."), field="hours")
        report = TimeReport(assistant=assistant, month=month)
        record_save(report, by=assistant)
        for assignment_id, value in hours.items():
            TimeReportLine.objects.create(report=report, assignment=own[assignment_id], hours=value)
    return report


def assessment_write(*, assignment: Assignment, by: User, assessment: PeriodicAssessment) -> PeriodicAssessment:
    _not_in_future(assessment.assessed_on, "assessed_on")
    with transaction.atomic():
        return _work_save(assignment=assignment, by=by, item=assessment)


def _told_after_learnt(learnt_on: datetime.date, *told: tuple[str, datetime.date | None]) -> None:
    for field, day in told:
        if day is not None and day < learnt_on:
            raise DomainError(_("Pracownik nie mógł zostać poinformowany przed powzięciem informacji."), field=field)


def change_report_write(*, assignment: Assignment, by: User, change: ChangeReport) -> ChangeReport:
    for name in ("learnt_on", "family_told_worker_on", "assistant_told_worker_on"):
        _not_in_future(getattr(change, name), name)
    _told_after_learnt(
        change.learnt_on,
        ("family_told_worker_on", change.family_told_worker_on),
        ("assistant_told_worker_on", change.assistant_told_worker_on),
    )
    with transaction.atomic():
        saved = _work_save(assignment=assignment, by=by, item=change)
        # A change of the family's situation reaches the worker at once (issue 17.5).
        urgent_from_assistant(case=assignment.case, by=by, what=_("zmianę sytuacji rodziny"))
        return saved


def change_report_close(
    *,
    change: ChangeReport,
    by: User,
    family_told_on: datetime.date | None,
    assistant_told_on: datetime.date | None,
    expected_version: int | None = None,
) -> ChangeReport:
    """The family told the worker, or – after 7 days – the assistant did. The assistant and the
    worker both may record it: a form loaded before the other's save is refused (stale version)."""
    _not_in_future(family_told_on, "family_told_worker_on")
    _not_in_future(assistant_told_on, "assistant_told_worker_on")
    if not family_told_on and not assistant_told_on:
        raise DomainError(_("Podaj, kiedy pracownik socjalny został poinformowany."), field="family_told_worker_on")
    with transaction.atomic():
        locked = record_lock(
            ChangeReport,
            change.pk,
            expected_version=expected_version,
            stale=_("Zmianę sytuacji rodziny zapisano w międzyczasie. Porównaj obie wersje."),
        )
        _told_after_learnt(
            locked.learnt_on, ("family_told_worker_on", family_told_on), ("assistant_told_worker_on", assistant_told_on)
        )
        if locked.assignment.assistant_id != by.pk and locked.assignment.case.worker_id != by.pk:
            raise DomainError(_("Zapisuje asystent lub pracownik socjalny rodziny."))
        locked.family_told_worker_on = family_told_on
        locked.assistant_told_worker_on = assistant_told_on
        record_save(locked, by=by, bump_version=True)
    return locked


def assignment_end(
    *,
    assignment: Assignment,
    by: User,
    end: str,
    ended_on: datetime.date,
    reason: str,
    final_summary: str,
    expected_version: int | None = None,
) -> Assignment:
    """End the assistant's work (goals reached, no cooperation, moved out, the family resigned)
    with the final report. The worker's control visits follow for up to two months."""
    if end not in Assignment.End.values:
        raise DomainError(_("Wybierz przyczynę zakończenia."), field="end")
    end = Assignment.End(end)
    if ended_on is None:
        raise DomainError(_("Podaj datę zakończenia."), field="ended_on")
    _not_in_future(ended_on, "ended_on")
    if not reason.strip():
        raise DomainError(_("Podaj uzasadnienie zakończenia."), field="reason")
    if not final_summary.strip():
        raise DomainError(_("Zakończenie wymaga sprawozdania z pracy asystenta z rodziną."), field="final_summary")
    with transaction.atomic():
        locked = record_lock(
            Assignment.objects.select_related("case"),
            assignment.pk,
            expected_version=expected_version,
            stale=_("Przydział został w międzyczasie zmieniony. Odśwież stronę."),
        )
        if locked.ended_on is not None:
            raise DomainError(_("Praca asystenta z rodziną jest już zakończona."))
        if by.pk not in (locked.assistant_id, locked.case.worker_id):
            raise DomainError(_("Zakończenie zapisuje asystent lub pracownik socjalny rodziny."))
        if ended_on < locked.qualified_on:
            raise DomainError(_("Zakończenie nie może być przed zakwalifikowaniem rodziny."), field="ended_on")
        FinalReport.objects.create(assignment=locked, author=by, written_on=ended_on, summary=final_summary.strip())
        locked.ended_on = ended_on
        locked.end = end
        locked.end_reason = reason.strip()
        _save(locked, by)
    return locked


# Seed 002, section 2: the eight documents of the assistant's work.
def documents_status(assignment: Assignment) -> list[tuple[str, bool]]:
    request = assignment.request
    has = {
        "consent": request.path == Request.Path.COURT or request.consent_on is not None,
        "letter": True,  # the assignment itself is the letter; it prints from the assignment page
        "plan": assignment.plans.exists(),
        "monthly": assignment.monthly_reports.exists(),
        "karta": assignment.visits.exists(),
        "time": assignment.time_lines.exists(),
        "assessment": assignment.assessments.exists(),
        "final": hasattr(assignment, "final_report"),
    }
    labels = [
        ("consent", _("pisemna zgoda rodziny na wsparcie asystenta")),
        ("letter", _("pismo przydzielające rodzinie asystenta")),
        ("plan", _("plan pracy z rodziną")),
        ("monthly", _("miesięczne sprawozdanie z pracy z rodziną")),
        ("karta", _("karta pracy z rodziną (wizyty)")),
        ("time", _("miesięczne sprawozdanie z czasu pracy asystenta")),
        ("assessment", _("okresowa ocena sytuacji rodziny (raz na pół roku)")),
        ("final", _("sprawozdanie z pracy asystenta rodziny z rodziną")),
    ]
    return [(label, has[key]) for key, label in labels]
