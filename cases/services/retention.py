"""Anonymisation of closed cases past the institution's retention period (issue 8, item 9).

``case_anonymise`` / ``cases_anonymise`` remove the personal data of a case and of its client and
keep what the statistics need. The rule of what goes and what stays is one sentence:

    every free-text field is replaced by "(zanonimizowano)" (an empty one stays empty), every
    identifier (address, phone, e-mail, PESEL, identity document, uploaded file) is emptied;
    every choice, code, date, number, yes/no and link between records is kept.

So the stage, the dates, the region, the worker, the target group, the close reason, the problem
areas' codes, the flags' kinds, the kinds of entries and their counts, the time entries and the
assistant's hours survive, and so do the family's shape (relations, foster care, living apart)
and each member's year of birth: the birth date becomes 1 January of the same year, so that age
statistics still work (a PESEL would give the exact date, so it goes).

The client's data are shared by all of their cases: they are removed with the first of the
client's cases to be anonymised, which the rule only allows when every case of the client is
closed and past retention (``cases.selectors_retention``).

History: django-simple-history keeps a copy of every earlier version. The same fields are
blanked in those historical rows (a deliberate bulk ``UPDATE`` of the historical tables – the
only place here that bypasses ``save()``), rather than deleting the rows: who changed the
record and when stays auditable, the personal data do not.

Not touched, because they are append-only by design: ``StageTransition.reason`` (the worker's
justification of a change of stage, free text), ``assistants.Decision.comment`` and the access
log. The access log holds ids, not personal data; the two free-text columns may – see the
README's retention section.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import models, transaction
from django.db.models.functions import TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from assistants.models import (
    Assignment,
    AssistantVisit,
    ChangeReport,
    FinalReport,
    MonthlyReport,
    PeriodicAssessment,
    WorkPlan,
)
from assistants.models import Request as AssistantRequest
from cases.models import (
    Case,
    CaseDocument,
    CaseFlag,
    ChildObservation,
    Client,
    ClientMember,
    Diagnosis,
    DocumentReview,
    InstitutionContact,
    Notification,
    OfficialNote,
    ParentApartInfo,
    Report,
    Summons,
    Visit,
)
from cases.procedure import Stage
from cases.selectors_retention import retention_cutoff, retention_first_day
from contracts.models import Action as ContractAction
from contracts.models import Amendment, Contract, Declaration, Evaluation, Goal, GoalAssessment, Resource
from mopr import policy
from mopr.errors import DomainError
from mopr.models import AccessLog, User
from mopr.services import access_log_write
from registers.models import MonitoringDate, RefusalMonitoring

logger = logging.getLogger(__name__)

ANONYMISED = "(zanonimizowano)"
CHANGE_REASON = "anonimizacja po okresie przechowywania"


@dataclass(frozen=True)
class Scrub:
    """What to remove from one model: ``parent`` names the foreign key that leads to the case
    (``case`` or a record of the case listed in ``PARENTS``)."""

    model: type[models.Model]
    parent: str
    text: tuple[str, ...] = ()  # free text: "(zanonimizowano)" where not empty
    clear: tuple[str, ...] = ()  # identifiers: emptied


# The records of a case that others hang on: name → (model, its foreign key towards the case).
PARENTS: dict[str, tuple[type[models.Model], str]] = {
    "contract": (Contract, "case"),
    "evaluation": (Evaluation, "contract"),
    "assignment": (Assignment, "case"),
    "monitoring": (RefusalMonitoring, "case"),
}

SCRUBS: tuple[Scrub, ...] = (
    # cases: the report, flags, stage II entries, the diagnosis, notes, the folder
    Scrub(
        Report,
        "case",
        text=("institution_name", "reporter_name", "reporter_relation", "content", "verification_note"),
        clear=("reporter_contact",),
    ),
    Scrub(CaseFlag, "case", text=("started_by", "note", "removal_reason")),
    Scrub(Visit, "case", text=("place_other", "participants", "findings")),
    Scrub(Summons, "case", text=("room", "note")),
    Scrub(Notification, "case", text=("service_name", "reason", "answer")),
    Scrub(DocumentReview, "case", text=("description", "findings")),
    Scrub(InstitutionContact, "case", text=("institution_name", "learnt")),
    Scrub(ParentApartInfo, "case", text=("parent_name", "relation_with_child", "contact_with_child", "view_of_child")),
    # consent_given_by stays non-empty where it was: a talk with a child needs it (a check constraint).
    Scrub(ChildObservation, "case", text=("observation", "consent_given_by", "talk_summary")),
    Scrub(Diagnosis, "case", text=("facts", "problem_other", "children_care", "resources", "justification")),
    Scrub(OfficialNote, "case", text=("content",)),
    Scrub(CaseDocument, "case", text=("description", "original_name"), clear=("file",)),
    # contracts
    Scrub(
        Contract,
        "case",
        text=("problems", "resources", "limitations", "main_goal", "late_reason", "end_reason"),
        clear=("client_id_document",),
    ),
    Scrub(Goal, "contract", text=("text",)),
    Scrub(ContractAction, "contract", text=("description", "responsible")),
    Scrub(Resource, "contract", text=("description",)),
    Scrub(Evaluation, "contract", text=("summary",)),
    Scrub(GoalAssessment, "evaluation", text=("comment",)),
    Scrub(Amendment, "contract", text=("reason",)),  # and its snapshot: _scrub_snapshot
    Scrub(Declaration, "case", text=("full_name",), clear=("address", "email", "phone", "id_card", "place")),
    # the family assistant
    Scrub(
        AssistantRequest,
        "case",
        text=("justification", "institution_name", "reply", "court_name", "ruling_reference"),
        clear=("institution_address",),
    ),
    Scrub(Assignment, "case", text=("letter_note", "end_reason")),
    Scrub(AssistantVisit, "assignment", text=("place", "description")),
    Scrub(WorkPlan, "assignment", text=("assessment", "goals", "methods", "change_reason")),
    Scrub(MonthlyReport, "assignment", text=("summary",)),
    Scrub(PeriodicAssessment, "assignment", text=("assessment",)),
    Scrub(ChangeReport, "assignment", text=("change",)),
    Scrub(FinalReport, "assignment", text=("summary",)),
    # refusing environments
    Scrub(
        RefusalMonitoring,
        "case",
        text=(
            "note_to_director",
            "contact_close_family",
            "contact_neighbours",
            "contact_health",
            "contact_organisations",
            "report",
            "decision_note",
        ),
    ),
    Scrub(MonitoringDate, "monitoring", text=("outcome",)),
)

CASE_SCRUB = Scrub(Case, "pk", text=("moving_away_plan", "close_justification"))
CLIENT_SCRUB = Scrub(
    Client, "pk", clear=("street", "house_number", "flat_number", "postal_code", "city", "phone", "email")
)
MEMBER_SCRUB = Scrub(ClientMember, "client", text=("first_name",), clear=("last_name", "pesel", "id_document"))


# --- the rule, re-checked under the lock --------------------------------------------------------------


def _refusal(*, case: Case, by: User, siblings: list[Case]) -> str | None:
    """Why ``case`` may not be anonymised now (``siblings``: the client's other cases, locked)."""
    if case.institution_id != by.institution_id:
        return _("Sprawa %(number)s należy do innego ośrodka.") % {"number": case.number}
    if case.anonymised_at is not None:
        return _("Sprawa %(number)s została już zanonimizowana.") % {"number": case.number}
    if case.stage != Stage.ZAKONCZENIE or case.closed_at is None:
        return _("Sprawa %(number)s nie jest zakończona – nie podlega anonimizacji.") % {"number": case.number}
    cutoff = retention_cutoff(institution=case.institution)
    if case.closed_at >= cutoff:
        return _(
            "Sprawa %(number)s została zakończona %(closed)s – okres przechowywania jeszcze nie minął "
            "(anonimizacja możliwa od %(due)s)."
        ) % {
            "number": case.number,
            "closed": f"{timezone.localdate(case.closed_at):%d.%m.%Y}",
            "due": f"{retention_first_day(case=case):%d.%m.%Y}",
        }
    for other in siblings:
        if other.stage != Stage.ZAKONCZENIE or other.closed_at is None or other.closed_at >= cutoff:
            return _(
                "Klient sprawy %(number)s ma inną sprawę (%(other)s), otwartą lub zakończoną w okresie "
                "przechowywania – jego dane trzeba jeszcze przechowywać."
            ) % {"number": case.number, "other": other.number}
    return None


# --- the writes ------------------------------------------------------------------------------------------


def _scrub_values(obj: models.Model, scrub: Scrub) -> bool:
    """Set the scrubbed fields on ``obj``; whether anything changed."""
    changed = False
    for name in scrub.text:
        old = getattr(obj, name)
        new = ANONYMISED if old else ""
        if old != new:
            setattr(obj, name, new)
            changed = True
    for name in scrub.clear:
        if getattr(obj, name):
            setattr(obj, name, "")
            changed = True
    return changed


def _save(obj: models.Model, by: User) -> None:
    # The project rule: services name the person in the history (commands too).
    obj._history_user = by
    obj._change_reason = CHANGE_REASON
    obj.save()


def _purge_history(scrub: Scrub, **lookup) -> None:
    """Blank the same fields in the historical rows of the records ``lookup`` selects.

    A deliberate bulk UPDATE of the historical table (not of the tracked model): it must not
    write a new historical row, and saving historical rows one by one would be no safer."""
    history = getattr(scrub.model, "history", None)
    if history is None:
        return
    values = {
        name: models.Case(models.When(**{name: ""}, then=models.Value("")), default=models.Value(ANONYMISED))
        for name in scrub.text
    }
    values.update({name: models.Value("") for name in scrub.clear})
    if values:
        history.model.objects.filter(**lookup).update(**values)


def _ids(model: type[models.Model], **lookup) -> set[int]:
    """The ids of records of ``model``, live and historical (a deleted record's history too)."""
    ids = set(model.objects.filter(**lookup).values_list("pk", flat=True))
    history = getattr(model, "history", None)
    if history is not None:
        ids |= set(history.model.objects.filter(**lookup).values_list("id", flat=True))
    return ids


def _scrub_snapshot(previous: dict) -> dict:
    """An amendment's copy of the earlier contract: the same shape, the texts removed."""

    def text(value):
        return ANONYMISED if value else ""

    scrubbed = dict(previous)
    for key in ("main_goal", "problems", "resources", "limitations"):
        if key in scrubbed:
            scrubbed[key] = text(scrubbed[key])
    scrubbed["goals"] = [{**g, "text": text(g.get("text"))} for g in previous.get("goals", [])]
    scrubbed["actions"] = [
        {**a, "description": text(a.get("description")), "responsible": text(a.get("responsible"))}
        for a in previous.get("actions", [])
    ]
    scrubbed["resources_used"] = [ANONYMISED for _r in previous.get("resources_used", [])]
    return scrubbed


def _delete_files(files: list[tuple]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # the row no longer names it; an orphan file is found by the storage's sweep
            logger.exception("Anonimizacja: nie udało się usunąć pliku %s", name)


def _case_entries_scrub(*, case: Case, by: User) -> None:
    """Every record of the case: live rows saved one by one (history names ``by``), then the
    historical rows purged; uploaded files deleted after the commit."""
    parent_ids: dict[str, set[int]] = {"case": {case.pk}}
    for name, (model, fk) in PARENTS.items():  # in order: a parent's parent comes first
        parent_ids[name] = _ids(model, **{f"{fk}_id__in": parent_ids[fk]})
    files = []
    for scrub in SCRUBS:
        lookup = {f"{scrub.parent}_id__in": parent_ids[scrub.parent]}
        for obj in scrub.model.objects.filter(**lookup).order_by("pk"):
            if isinstance(obj, CaseDocument) and obj.file:
                files.append((obj.file.storage, obj.file.name))
            changed = _scrub_values(obj, scrub)
            if isinstance(obj, Amendment):
                obj.previous = _scrub_snapshot(obj.previous or {})
                changed = True
            if changed:
                _save(obj, by)
        _purge_history(scrub, **lookup)
    if files:
        # Only after the commit: a rollback must find the files where the rows say they are.
        transaction.on_commit(partial(_delete_files, files))
    _scrub_values(case, CASE_SCRUB)
    case.anonymised_at = timezone.now()
    case.version += 1
    _save(case, by)
    _purge_history(CASE_SCRUB, id=case.pk)


def _client_scrub(*, client: Client, by: User) -> None:
    """The client's address and contacts, the members' names, PESELs and documents; each birth
    date reduced to 1 January of its year."""
    for member in client.members.all().order_by("pk"):
        _scrub_values(member, MEMBER_SCRUB)
        if member.birth_date:
            member.birth_date = member.birth_date.replace(month=1, day=1)
        member.version += 1
        _save(member, by)
    _purge_history(MEMBER_SCRUB, client_id=client.pk)
    ClientMember.history.model.objects.filter(client_id=client.pk, birth_date__isnull=False).update(
        birth_date=TruncYear("birth_date")
    )
    _scrub_values(client, CLIENT_SCRUB)
    client.search_text = ""  # not in the history; saved with the row
    client.anonymised_at = timezone.now()
    client.version += 1
    _save(client, by)
    _purge_history(CLIENT_SCRUB, id=client.pk)


def cases_anonymise(*, cases: Iterable[Case], by: User, request=None) -> list[Case]:
    """Anonymise the cases, all or none, in one transaction: lock the cases of their clients and
    the clients, re-check the rule for each, remove the personal data, write one ANONYMISE row
    of the access log per case. Raises ``DomainError`` naming the first case refused."""
    if not policy.user_may_anonymise(by):
        raise DomainError(_("Anonimizację danych przeprowadza tylko dyrektor ośrodka."))
    wanted = sorted({c.pk for c in cases})
    if not wanted:
        raise DomainError(_("Nie zaznaczono żadnej sprawy."))
    with transaction.atomic():
        client_ids = set(Case.objects.filter(pk__in=wanted).values_list("client_id", flat=True))
        # Every case of these clients, in one order, so that two runs cannot deadlock.
        locked = {
            c.pk: c
            for c in Case.objects.select_for_update()
            .filter(client_id__in=client_ids)
            .select_related("institution")
            .order_by("pk")
        }
        clients = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=client_ids).order_by("pk")}
        done = []
        for pk in wanted:
            case = locked.get(pk)
            if case is None:
                raise DomainError(_("Nie znaleziono sprawy."))
            siblings = [c for c in locked.values() if c.client_id == case.client_id and c.pk != case.pk]
            why = _refusal(case=case, by=by, siblings=siblings)
            if why:
                raise DomainError(why)
            client = clients[case.client_id]
            if client.anonymised_at is None:
                _client_scrub(client=client, by=by)
            _case_entries_scrub(case=case, by=by)
            access_log_write(
                user=by,
                action=AccessLog.Action.ANONYMISE,
                what=f"{case.number} – anonimizacja danych osobowych",
                case=case,
                request=request,
            )
            case.client = client
            done.append(case)
    return done


def case_anonymise(*, case: Case, by: User, request=None) -> Case:
    """Anonymise one case (see ``cases_anonymise``)."""
    return cases_anonymise(cases=[case], by=by, request=request)[0]
