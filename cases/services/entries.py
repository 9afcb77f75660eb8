"""Writes of the entries of a case: stage II (rozeznanie), the diagnosis, official notes and
the case folder. Each follows the services' one shape: lock the case, check, save with the
author as history user, bump the case's version, in one transaction."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseDocument,
    ChildObservation,
    CommunityContact,
    Diagnosis,
    DocumentationTransfer,
    DocumentReview,
    Entry,
    InstitutionContact,
    Notification,
    OfficialNote,
    ParentApartInfo,
    Summons,
    Visit,
)
from cases.models.entries import upload_name
from cases.procedure import CloseReason, Stage
from cases.services.case import _lock, _save, case_change_stage, urgent_from_assistant
from cases.services.dates import entry_date_check
from mopr import policy
from mopr.errors import DomainError, StaleVersionError
from mopr.models import User
from mopr.policy import Action
from mopr.records import record_save

# Entries of the situation are written once the case is being handled and until it closes;
# an official note may be written at any stage (seed 004: "na każdym etapie").
WORKING_STAGES = frozenset(
    {Stage.ROZEZNANIE, Stage.DIAGNOZA, Stage.PRACA_SOCJALNA, Stage.MONITORING, Stage.ZAWIESZENIE}
)


def _not_in_future(value: datetime.date | datetime.datetime | None, field: str) -> None:
    if value is None:
        return
    now = timezone.now() if isinstance(value, datetime.datetime) else timezone.localdate()
    if value > now:
        raise DomainError(_("Data nie może być z przyszłości."), field=field)


def _entry_save(
    *,
    case: Case,
    by: User,
    entry: Entry,
    stages: frozenset[Stage] = WORKING_STAGES,
    date_confirmed: bool = False,
    action: Action = Action.WRITE,
) -> Case:
    """Save ``entry`` in ``case`` (locked) and bump the case's version. Returns the locked case."""
    locked = _lock(case, None, by=by, action=action)
    if Stage(locked.stage) not in stages:
        if locked.stage == Stage.ZGLOSZENIE:
            raise DomainError(_("Najpierw rozpocznij rozeznanie sytuacji."))
        raise DomainError(_("Na etapie „%(stage)s” nie dodaje się tego wpisu.") % {"stage": locked.get_stage_display()})
    if entry.date_field:
        entry_date_check(
            case=locked,
            value=getattr(entry, entry.date_field),
            field=entry.date_field,
            person=getattr(entry, entry.person_field) if entry.person_field else None,
            confirmed=date_confirmed,
        )
    entry.case = locked
    entry.author = by
    record_save(entry, by=by)
    _save(locked, by)
    return locked


# --- stage II ---------------------------------------------------------------------------------------


# Each kind's own rules, as a check of the entry in its case: applied when the entry is recorded
# and again when it is corrected (cases/corrections.py registers them with the kinds).


def visit_check(visit: Visit, case: Case) -> None:
    if visit.place == Visit.Place.OTHER and not visit.place_other.strip():
        raise DomainError(_("Podaj, gdzie odbyła się wizyta."), field="place_other")
    if visit.outcome == Visit.Outcome.CHILD_ABSENT:
        when = timezone.localdate(visit.visited_at)
        if not any(m.is_child(when) for m in case.client.members.all()):
            raise DomainError(_("W rodzinie klienta nie ma dziecka – wybierz inny wynik wizyty."), field="outcome")


def summons_check(summons: Summons, case: Case) -> None:
    # The local day: an aware time's .date() is UTC's, which refused an appointment made just after
    # midnight in Poland (found by CI between 23:00 and 24:00 UTC).
    if timezone.localdate(summons.appointment_at) < summons.issued_on:
        raise DomainError(_("Termin stawiennictwa nie może być przed datą wezwania."), field="appointment_at")
    if summons.addressee_id is not None and summons.addressee.client_id != case.client_id:
        raise DomainError(_("Wezwanie kieruje się do osoby z rodziny klienta."), field="addressee")


def notification_check(notification: Notification, case: Case) -> None:
    _check_answer(notification)
    if notification.addressee_id is not None and notification.addressee.institution_id != case.institution_id:
        raise DomainError(_("Adresat spoza katalogu ośrodka."), field="addressee")
    if notification.addressee_id is None and not notification.service_name.strip():
        raise DomainError(_("Wybierz adresata z katalogu albo wpisz nazwę i adres instytucji."), field="addressee")


def institution_contact_check(contact: InstitutionContact, case: Case) -> None:
    if contact.member_id and contact.member.client_id != case.client_id:
        raise DomainError(_("Ta osoba nie należy do rodziny klienta."), field="member")


def community_contact_check(contact: CommunityContact, case: Case) -> None:
    if not contact.person.strip() or not contact.learnt.strip():
        raise DomainError(_("Podaj, kto udzielił informacji i czego się dowiedziano."), field="person")


def parent_apart_check(info: ParentApartInfo, case: Case) -> None:
    if info.parent_id is None and not info.parent_name.strip():
        raise DomainError(_("Wskaż rodzica albo wpisz jego imię i nazwisko."), field="parent")


def child_observation_check(observation: ChildObservation, case: Case) -> None:
    if observation.child.client_id != case.client_id:
        raise DomainError(_("To dziecko nie należy do rodziny klienta."), field="child")
    if not observation.child.is_child(observation.observed_on):
        raise DomainError(_("Obserwacja dotyczy dziecka (osoby niepełnoletniej)."), field="child")
    # II.6: a talk with the child only with a parent's consent, and the consent is recorded.
    if observation.talked_with_child and not observation.consent_given_by.strip():
        raise DomainError(
            _("Rozmowa z dzieckiem wymaga zgody rodzica – wpisz, kto jej udzielił."), field="consent_given_by"
        )


def diagnosis_check(diagnosis: Diagnosis, case: Case) -> None:
    if diagnosis.decision == Diagnosis.Decision.NO_PROBLEM and not diagnosis.justification.strip():
        raise DomainError(_("Uzasadnij, dlaczego nie podejmujesz pracy socjalnej."), field="justification")
    if "other" in diagnosis.problem_areas and not diagnosis.problem_other.strip():
        raise DomainError(_("Opisz inny problem."), field="problem_other")


def note_check(note: OfficialNote, case: Case) -> None:
    if not note.content.strip() and not note.nothing_changed:
        raise DomainError(_("Wpisz treść notatki albo zaznacz „bez zmian”."), field="content")


def visit_record(*, case: Case, by: User, visit: Visit, date_confirmed: bool = False) -> Visit:
    _not_in_future(visit.visited_at, "visited_at")
    visit_check(visit, case)
    with transaction.atomic():
        locked = _entry_save(case=case, by=by, entry=visit, date_confirmed=date_confirmed)
        # The first contact with the client starts the two-month term of the contract (IV.1).
        met_on = timezone.localdate(visit.visited_at)
        if visit.outcome in Visit.MET_OUTCOMES and (
            locked.first_contact_at is None or met_on < locked.first_contact_at
        ):
            locked.first_contact_at = met_on
            _save(locked, by)
    return visit


def summons_issue(*, case: Case, by: User, summons: Summons, date_confirmed: bool = False) -> Summons:
    """II.2: a written summons to the office, after the client refused contact."""
    _not_in_future(summons.issued_on, "issued_on")
    summons_check(summons, case)
    if summons.addressee_id is None:
        summons.addressee = case.client.head
    with transaction.atomic():
        refusals = Visit.objects.filter(case=case, outcome=Visit.Outcome.REFUSED)
        if not refusals.exists():
            raise DomainError(_("Wezwanie wystawia się po odmowie kontaktu zapisanej w wizycie."))
        if summons.visit_id is None:
            summons.visit = refusals.order_by("-visited_at").first()
        _entry_save(case=case, by=by, entry=summons, date_confirmed=date_confirmed)
    return summons


def notification_send(
    *, case: Case, by: User, notification: Notification, date_confirmed: bool = False
) -> Notification:
    _not_in_future(notification.sent_on, "sent_on")
    notification_check(notification, case)
    if notification.addressee_id is not None:
        # What the letter says stays as it was sent, whatever the directory says later.
        notification.service_name = notification.service_name.strip() or notification.addressee.letter_address[:300]
    with transaction.atomic():
        locked = _entry_save(case=case, by=by, entry=notification, date_confirmed=date_confirmed, action=Action.ALERT)
        urgent_from_assistant(case=locked, by=by, what=_("zawiadomienie służb"))
    return notification


def notification_state(notification: Notification) -> str:
    """The answer as the form saw it, for the no-lost-updates check: an answer can be corrected
    later, by the worker or a colleague, and must not be overwritten unseen."""
    raw = f"{notification.answered_on or ''}|{notification.answer}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def notification_record_answer(
    *,
    notification: Notification,
    by: User,
    answer: str,
    answered_on: datetime.date,
    expected_state: str | None = None,
) -> Notification:
    with transaction.atomic():
        locked_case = _lock(notification.case, None, by=by, action=Action.WRITE)
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if expected_state is not None and notification_state(notification) != expected_state:
            raise StaleVersionError(_("Odpowiedź została w międzyczasie zapisana przez inną osobę."))
        notification.answer, notification.answered_on = answer.strip(), answered_on
        _check_answer(notification)
        record_save(notification, by=by)
        _save(locked_case, by)
    return notification


def _check_answer(notification: Notification) -> None:
    _not_in_future(notification.answered_on, "answered_on")
    if notification.answered_on and notification.answered_on < notification.sent_on:
        raise DomainError(_("Odpowiedź nie może być wcześniejsza niż zawiadomienie."), field="answered_on")
    if bool(notification.answer.strip()) != bool(notification.answered_on):
        raise DomainError(_("Podaj datę i treść odpowiedzi."), field="answered_on")


def document_review_record(
    *, case: Case, by: User, review: DocumentReview, date_confirmed: bool = False
) -> DocumentReview:
    _not_in_future(review.reviewed_on, "reviewed_on")
    _not_in_future(review.document_date, "document_date")
    with transaction.atomic():
        _entry_save(case=case, by=by, entry=review, date_confirmed=date_confirmed)
    return review


def institution_contact_record(
    *, case: Case, by: User, contact: InstitutionContact, date_confirmed: bool = False
) -> InstitutionContact:
    _not_in_future(contact.contacted_on, "contacted_on")
    institution_contact_check(contact, case)
    with transaction.atomic():
        _entry_save(case=case, by=by, entry=contact, date_confirmed=date_confirmed)
    return contact


def community_contact_record(
    *, case: Case, by: User, contact: CommunityContact, date_confirmed: bool = False
) -> CommunityContact:
    """A contact with the family, a neighbour, the village head or a club (seed 003, 6b–e)."""
    _not_in_future(contact.contacted_on, "contacted_on")
    community_contact_check(contact, case)
    with transaction.atomic():
        _entry_save(case=case, by=by, entry=contact, date_confirmed=date_confirmed)
    return contact


def parent_apart_record(
    *, case: Case, by: User, info: ParentApartInfo, date_confirmed: bool = False
) -> ParentApartInfo:
    _not_in_future(info.obtained_on, "obtained_on")
    parent_apart_check(info, case)
    with transaction.atomic():
        _entry_save(case=case, by=by, entry=info, date_confirmed=date_confirmed)
    return info


def child_observation_record(
    *, case: Case, by: User, observation: ChildObservation, date_confirmed: bool = False
) -> ChildObservation:
    _not_in_future(observation.observed_on, "observed_on")
    child_observation_check(observation, case)
    with transaction.atomic():
        _entry_save(case=case, by=by, entry=observation, date_confirmed=date_confirmed)
    return observation


# --- stage III -----------------------------------------------------------------------------------------


def diagnosis_record(
    *, case: Case, by: User, diagnosis: Diagnosis, expected_version: int | None = None, date_confirmed: bool = False
) -> Diagnosis:
    """Record the diagnosis and take its decision (III): no problem closes the case as
    unfounded with the justification; otherwise social work starts (stage IV)."""
    _not_in_future(diagnosis.diagnosed_on, "diagnosed_on")
    diagnosis_check(diagnosis, case)
    with transaction.atomic():
        _lock(case, expected_version, by=by, action=Action.WRITE)
        # The diagnosis follows the move to stage III; an earlier date would put it before in the karta.
        entered = case.transitions.filter(to_stage=Stage.DIAGNOZA).order_by("-at").first()
        if entered and diagnosis.diagnosed_on < timezone.localdate(entered.at):
            raise DomainError(
                _("Data diagnozy nie może być wcześniejsza niż przejście do etapu diagnozy (%(d)s).")
                % {"d": timezone.localdate(entered.at).strftime("%d.%m.%Y")},
                field="diagnosed_on",
            )
        locked = _entry_save(
            case=case, by=by, entry=diagnosis, stages=frozenset({Stage.DIAGNOZA}), date_confirmed=date_confirmed
        )
        if diagnosis.decision == Diagnosis.Decision.NO_PROBLEM:
            case_change_stage(
                case=locked,
                to=Stage.ZAKONCZENIE,
                by=by,
                reason=diagnosis.justification,
                close_reason=CloseReason.UNFOUNDED,
            )
        else:
            case_change_stage(case=locked, to=Stage.PRACA_SOCJALNA, by=by, reason=diagnosis.justification)
    return diagnosis


# --- every stage -----------------------------------------------------------------------------------------


def note_write(*, case: Case, by: User, note: OfficialNote, date_confirmed: bool = False) -> OfficialNote:
    """An official note at any stage; "nothing has changed" is a valid note (seed 004)."""
    _not_in_future(note.written_on, "written_on")
    note_check(note, case)
    if note.nothing_changed and not note.content.strip():
        note.content = str(OfficialNote.NOTHING_CHANGED)
    with transaction.atomic():
        locked = _entry_save(
            case=case, by=by, entry=note, stages=frozenset(Stage), date_confirmed=date_confirmed, action=Action.NOTE
        )
        urgent_from_assistant(case=locked, by=by, what=_("notatkę służbową"))
    return note


# File types allowed in the folder: the name's extension and the file's first bytes must agree.
ALLOWED_UPLOADS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
}


def _sniff_upload(upload: UploadedFile) -> str:
    """The content type of an allowed upload, or a DomainError saying why not."""
    import zipfile
    from pathlib import PurePath

    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_UPLOADS:
        raise DomainError(_("Dozwolone pliki: PDF, JPEG, PNG, ODT, DOCX."), field="file")
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is None or upload.size > limit:
        raise DomainError(
            _("Plik jest za duży (największy dozwolony: %(mb)s MB).") % {"mb": settings.MAX_UPLOAD_MB}, field="file"
        )
    if upload.size == 0:
        raise DomainError(_("Plik jest pusty."), field="file")
    content_type, magics = ALLOWED_UPLOADS[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise DomainError(_("Zawartość pliku nie zgadza się z jego rozszerzeniem."), field="file")
    if suffix in (".odt", ".docx"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        marker = "mimetype" if suffix == ".odt" else "[Content_Types].xml"
        if marker not in names:
            raise DomainError(_("Zawartość pliku nie zgadza się z jego rozszerzeniem."), field="file")
    return content_type


def document_upload(*, case: Case, by: User, document: CaseDocument, upload: UploadedFile) -> CaseDocument:
    """Put a scan in the case folder. The file is written first under a name of our own, then
    the row; whatever fails, neither stays without the other (issue 16.10): a partial file on a
    full disk is deleted by the name it was written under, and a refused row deletes its file."""
    _not_in_future(document.document_date, "document_date")
    document.content_type = _sniff_upload(upload)
    document.original_name = (upload.name or "plik")[-255:]
    document.size = upload.size
    policy.require(by, case, Action.WRITE)  # before anything is written; the lock asks again
    document.case_id = case.pk
    storage = CaseDocument._meta.get_field("file").storage
    name = upload_name(document, document.original_name)
    try:
        written = storage.save(name, upload)
    except OSError as error:
        storage.delete(name)  # what was written of it before the disk refused
        raise DomainError(
            _(
                "Nie udało się zapisać pliku na serwerze (brak miejsca lub błąd dysku) – nic nie zapisano. "
                "Spróbuj ponownie później i powiadom administratora systemu."
            ),
            field="file",
        ) from error
    document.file = written
    try:
        with transaction.atomic():
            # A closed case takes a note, a correction or its reopening, not new documents (16.6).
            _entry_save(case=case, by=by, entry=document, stages=Stage.open_stages())
    except BaseException:
        storage.delete(written)
        raise
    return document


# --- after the closure: the documentation to the new centre (issue 17.3) ---------------------------


def documentation_transfer_record(*, case: Case, by: User, transfer: DocumentationTransfer) -> DocumentationTransfer:
    """The family moved out of the centre's area and the case closed for it: the documentation
    goes to the centre of their new municipality, with a letter."""
    _not_in_future(transfer.sent_on, "sent_on")
    if transfer.addressee_id is None and not transfer.addressee_text.strip():
        raise DomainError(_("Wybierz ośrodek z katalogu adresatów albo wpisz jego nazwę i adres."), field="addressee")
    if not transfer.new_address.strip():
        raise DomainError(_("Podaj nowy adres rodziny."), field="new_address")
    if not transfer.enclosures.strip():
        raise DomainError(_("Wymień przekazywane dokumenty."), field="enclosures")
    if transfer.addressee_id is not None:
        transfer.addressee_text = transfer.addressee_text.strip() or transfer.addressee.letter_address
    with transaction.atomic():
        locked = _entry_save(case=case, by=by, entry=transfer, stages=frozenset({Stage.ZAKONCZENIE}))
        if locked.close_reason != CloseReason.MOVED_OUT:
            raise DomainError(
                _("Dokumentację przekazuje się innemu ośrodkowi po zakończeniu sprawy z przyczyny „%(reason)s”.")
                % {"reason": CloseReason.MOVED_OUT.label}
            )
    return transfer


def summons_cancel(*, summons: Summons, by: User, reason: str) -> Summons:
    """The summoned client (or the worker) cancels the appointment (seed 004): it leaves Terminy,
    the reason stays. A new day is set by correcting the summons (its trace says so)."""
    if not reason.strip():
        raise DomainError(_("Podaj powód odwołania terminu."), field="reason")
    with transaction.atomic():
        locked_case = _lock(summons.case, None, by=by, action=Action.WRITE)
        locked = Summons.objects.select_for_update().get(pk=summons.pk)
        if locked.appointment_cancelled_at is not None:
            raise DomainError(_("Ten termin został już odwołany."))
        if locked.appointment_at <= timezone.now():
            raise DomainError(_("Termin stawiennictwa już minął."))
        locked.appointment_cancelled_at = timezone.now()
        locked.appointment_cancel_reason = reason.strip()
        record_save(locked, by=by)
        _save(locked_case, by)
    return locked
