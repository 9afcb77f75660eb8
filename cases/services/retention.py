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

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import models, transaction
from django.db.models.functions import TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from cases.models import Case, Client, ClientMember
from cases.procedure import Stage
from cases.selectors_retention import retention_cutoff, retention_first_day
from cases.timeline import Scrub
from mopr import policy
from mopr.errors import DomainError
from mopr.models import AccessLog, User
from mopr.records import record_save
from mopr.services import access_log_write

logger = logging.getLogger(__name__)

ANONYMISED = "(zanonimizowano)"
CHANGE_REASON = "anonimizacja po okresie przechowywania"


# What each kind of entry holds of personal data, and the records others hang on, are the kinds'
# own declarations (cases/timeline.py, each app's entry_kinds.py); the case and the client are here.

CASE_SCRUB = Scrub(Case, "pk", text=("moving_away_plan", "close_justification"))
CLIENT_SCRUB = Scrub(
    Client, "pk", clear=("street", "house_number", "flat_number", "postal_code", "city", "phone", "email")
)
MEMBER_SCRUB = Scrub(
    ClientMember, "client", text=("first_name",), clear=("last_name", "pesel", "pesel_to_verify", "id_document")
)
# The rest of the core records' text: the case number stays (statistics, the access log); the
# client's search column is emptied by _client_scrub itself (it has no history to purge).
CORE_CLASSIFIED = {Case: ("number",), Client: ("search_text",)}


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
    obj._change_reason = CHANGE_REASON
    # A form opened before the anonymisation must not write its old values back.
    record_save(obj, by=by, bump_version=hasattr(obj, "version"))


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
    ids = set(model._base_manager.filter(**lookup).values_list("pk", flat=True))  # withdrawn entries too
    history = getattr(model, "history", None)
    if history is not None:
        ids |= set(history.model.objects.filter(**lookup).values_list("id", flat=True))
    return ids


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
    for name, (model, fk) in timeline.parents().items():  # in order: a parent's parent comes first
        parent_ids[name] = _ids(model, **{f"{fk}_id__in": parent_ids[fk]})
    files = []
    for scrub in timeline.scrubs():
        lookup = {f"{scrub.parent}_id__in": parent_ids[scrub.parent]}
        for obj in scrub.model._base_manager.filter(**lookup).order_by("pk"):  # withdrawn entries too
            for name in scrub.clear:  # an uploaded file goes from the disk too, after the commit
                value = getattr(obj, name)
                if isinstance(value, models.fields.files.FieldFile) and value:
                    files.append((value.storage, value.name))
            changed = _scrub_values(obj, scrub)
            if scrub.extra is not None:
                changed = scrub.extra(obj, ANONYMISED) or changed
            if changed:
                obj._anonymising = True  # an append-only record (a correction) lets this one write
                _save(obj, by)
        _purge_history(scrub, **lookup)
    if files:
        # Only after the commit: a rollback must find the files where the rows say they are.
        transaction.on_commit(partial(_delete_files, files))
    _scrub_values(case, CASE_SCRUB)
    case.anonymised_at = timezone.now()
    _save(case, by)
    _purge_history(CASE_SCRUB, id=case.pk)


def _client_scrub(*, client: Client, by: User) -> None:
    """The client's address and contacts, the members' names, PESELs and documents; each birth
    date reduced to 1 January of its year."""
    for member in client.members.all().order_by("pk"):
        _scrub_values(member, MEMBER_SCRUB)
        if member.birth_date:
            member.birth_date = member.birth_date.replace(month=1, day=1)
        _save(member, by)
    _purge_history(MEMBER_SCRUB, client_id=client.pk)
    ClientMember.history.model.objects.filter(client_id=client.pk, birth_date__isnull=False).update(
        birth_date=TruncYear("birth_date")
    )
    _scrub_values(client, CLIENT_SCRUB)
    client.search_text = ""  # not in the history; saved with the row
    client.anonymised_at = timezone.now()
    _save(client, by)
    _purge_history(CLIENT_SCRUB, id=client.pk)


def cases_anonymise(*, cases: Iterable[Case], by: User, request=None, address: str | None = None) -> list[Case]:
    """Anonymise the cases, all or none, in one transaction: lock the cases of their clients and
    the clients, re-check the rule for each, remove the personal data, write one ANONYMISE row
    of the access log per case (``address``: the client address of the request a background
    run was asked in). Raises ``DomainError`` naming the first case refused."""
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
                address=address,
            )
            case.client = client
            done.append(case)
    return done


def case_anonymise(*, case: Case, by: User, request=None, address: str | None = None) -> Case:
    """Anonymise one case (see ``cases_anonymise``)."""
    return cases_anonymise(cases=[case], by=by, request=request, address=address)[0]


# --- a run of many cases, one by one ------------------------------------------------------------------

# What a run did with a case (the protocol's column "Wynik").
DONE, REFUSED, NOT_TRIED = "zanonimizowano", "nie zanonimizowano", "nie podjęto"


@dataclass(frozen=True)
class RunOutcome:
    case_id: int
    number: str  # "" when no such case of the requester's institution
    outcome: str  # DONE, REFUSED or NOT_TRIED
    reason: str  # why not, in Polish; "" when done
    at: datetime.datetime


def cases_anonymise_each(
    *, case_ids: Iterable[int], by: User, address: str | None = None, progress=None
) -> list[RunOutcome]:
    """The retention run (the director's page through the background queue, the scheduled
    command): each case in a transaction of its own (``case_anonymise``), so a refused case leaves
    the ones before it done and the ones after it still to do, and the run goes on.

    Before each case the requester is read again – a director who is no longer one (or no longer
    active) stops the run – and the rule is re-checked under the lock, so a case reopened since it
    was selected is refused with the reason. An unexpected error stops the run too (that case rolled
    back, the rest untouched and reported as not tried). ``progress(done, total)`` after each case."""
    wanted = list(dict.fromkeys(case_ids))
    numbers = dict(Case.objects.filter(pk__in=wanted, institution_id=by.institution_id).values_list("pk", "number"))
    outcomes: list[RunOutcome] = []
    stop = ""
    for n, pk in enumerate(wanted, start=1):
        number = numbers.get(pk, "")
        who = None if stop else User.objects.filter(pk=by.pk).first()  # fresh: roles, is_active as now
        if not stop and (who is None or not policy.user_may_anonymise(who)):
            stop = _("Zlecający nie jest już (aktywnym) dyrektorem ośrodka – przerwano.")
        if stop:
            outcome, reason = NOT_TRIED, stop
        else:
            outcome, reason, broken = _anonymise_one(pk=pk, number=number, by=who, address=address)
            if broken:
                stop = _("Przerwano po błędzie technicznym przy sprawie %(number)s.") % {"number": number or pk}
        outcomes.append(RunOutcome(pk, number, outcome, reason, timezone.now()))
        if progress is not None:
            progress(n, len(wanted))
    return outcomes


def _anonymise_one(*, pk: int, number: str, by: User, address: str | None) -> tuple[str, str, bool]:
    """One case of a run: its outcome, the reason, and whether an unexpected error stops the run."""
    case = policy.cases_visible_to(by).filter(pk=pk).first()
    try:
        if case is None:
            raise DomainError(_("Nie znaleziono sprawy."))
        case_anonymise(case=case, by=by, address=address)
    except DomainError as error:
        return REFUSED, error.message, False
    except Exception:  # rolled back by case_anonymise's transaction; logged with the traceback
        logger.exception("Anonimizacja: nieoczekiwany błąd przy sprawie %s", number or pk)
        return REFUSED, _("Błąd techniczny – sprawa bez zmian; zgłoś go administratorowi."), True
    return DONE, "", False
