"""Every write of clients, cases, reports and flags.

Each state change follows one shape: open a transaction, lock the case row, check the state
(and the version the user's form was loaded at), save with ``_history_user`` set so that the
history names the person also when a management command does the work, write the log entry.
A refusal raises ``DomainError`` before anything is saved.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import procedure
from cases.models import (
    Case,
    CaseFlag,
    CaseNumberCounter,
    Client,
    ClientMember,
    Correction,
    FlagKind,
    Relation,
    Report,
    ReportForm,
    StageTransition,
    Subcategory,
    Subgroup,
    TargetGroup,
)
from cases.models.core import WITH_SUBGROUPS
from cases.pesel import pesel_birth_date
from cases.procedure import CloseReason, EndOf, Move, Stage
from inbox.models import Notice
from inbox.services import notice_send
from mopr import policy
from mopr.errors import (
    DomainError,
    NotAllowed,
    PersonKnown,
    PersonNeedsConfirmation,
    StaleVersionError,
    TransitionRefused,
)
from mopr.models import Region, User
from mopr.policy import Action, user_may_register_reports, user_runs_social_work
from mopr.records import record_lock, record_save
from mopr.text import fold

# --- clients ---------------------------------------------------------------------------------


@dataclass
class MemberData:
    first_name: str
    last_name: str
    pesel: str = ""
    birth_date: datetime.date | None = None
    relation: str = Relation.HEAD
    in_foster_care: bool = False
    lives_apart: bool = False
    id_document: str = ""
    sex: str = ""  # where there is no PESEL: for the grammar of the documents
    # The user confirmed that a known person of the same name and birth date is someone else.
    other_person: bool = False


@dataclass
class AddressData:
    city: str
    street: str = ""
    house_number: str = ""
    flat_number: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""


def _member_birth_date(data: MemberData) -> datetime.date | None:
    # The PESEL is the authority on the birth date when it is given.
    return pesel_birth_date(data.pesel) if data.pesel else data.birth_date


def client_refresh_search(*, client: Client) -> None:
    """Rebuild the folded search column from the names, PESELs and the address."""
    parts = []
    # A record merged into this one (issue 16.3): its people's names and numbers find this one.
    merged = ClientMember.objects.filter(client__merged_into=client) if client.pk else ClientMember.objects.none()
    for m in [*client.members.all(), *merged]:
        parts += [m.first_name, m.last_name, m.pesel, m.pesel_to_verify]
    parts += [client.street, client.house_number, client.postal_code, client.city]
    text = fold(" ".join(p for p in parts if p))
    if text != client.search_text:
        Client.objects.filter(pk=client.pk).update(search_text=text)  # not a tracked field
        client.search_text = text


def _person_known_check(*, institution_id: int, data: MemberData, member: int = 0, exclude_pk=None) -> None:
    """One person, one record (issue 16.3): a PESEL known in the institution is refused with the
    way to the person's record; the same name and birth date asks for a confirmation."""
    others = ClientMember.objects.filter(institution_id=institution_id).exclude(pk=exclude_pk)
    known = others.filter(pesel=data.pesel).select_related("client").first() if data.pesel else None
    if known is not None:
        known_client = known.client.merged_into_id or known.client_id  # a merged record leads to the kept one
        raise PersonKnown(
            _(
                "Osoba o tym numerze PESEL jest już w kartotece ośrodka (%(name)s). Zgłoszenie dołącza się "
                "do jej rekordu – drugiego klienta dla tej samej osoby się nie zakłada."
            )
            % {"name": known.full_name},
            field="pesel",
            client_id=known_client,
            member=member,
        )
    born = _member_birth_date(data)
    if born is None or data.other_person:
        return
    name = fold(f"{data.first_name} {data.last_name}")
    for other in others.filter(birth_date=born).select_related("client"):
        if fold(f"{other.first_name} {other.last_name}") == name:
            raise PersonNeedsConfirmation(
                _(
                    "W kartotece jest już %(name)s urodzony(a) %(born)s. Jeśli to ta sama osoba, dodaj "
                    "zgłoszenie do jej rekordu; jeśli inna, zaznacz to poniżej i zapisz ponownie."
                )
                % {"name": other.full_name, "born": born.strftime("%d.%m.%Y")},
                field="first_name",
                client_id=other.client.merged_into_id or other.client_id,
                member=member,
            )


def client_create(*, institution, by: User, kind: str, address: AddressData, members: list[MemberData]) -> Client:
    """A new client, at intake: by whoever registers reports, in their own institution."""
    if not user_may_register_reports(by) or institution.pk != by.institution_id:
        raise NotAllowed(_("Nowego klienta wprowadza osoba przyjmująca zgłoszenia w swoim ośrodku."))
    return _client_insert(institution=institution, by=by, kind=kind, address=address, members=members)


def _client_insert(*, institution, by: User, kind: str, address: AddressData, members: list[MemberData]) -> Client:
    """A new client's record; the caller has asked the policy."""
    if not members:
        raise DomainError(_("Podaj dane co najmniej jednej osoby."))
    seen: set[str] = set()
    for i, data in enumerate(members):
        if data.pesel and data.pesel in seen:
            raise PersonKnown(_("Ten sam numer PESEL podano dwa razy."), field="pesel", member=i)
        seen.add(data.pesel)
        _person_known_check(institution_id=institution.pk, data=data, member=i)
    with transaction.atomic():
        client = Client(institution=institution, kind=kind, **address.__dict__)
        record_save(client, by=by)
        for i, data in enumerate(members):
            _member_insert(client=client, by=by, data=data, is_head=(i == 0), position=i)
        client_refresh_search(client=client)
    return client


def _may_edit_client(by: User, client: Client) -> None:
    """The client's data is edited by a worker responsible for one of the client's cases."""
    if not policy.client_allows_edit(by, client):
        raise NotAllowed(_("Dane klienta poprawia pracownik socjalny prowadzący jego sprawę."))


def _stale_message(model_name: str) -> str:
    return _("%(what)s zmieniono w międzyczasie. Porównaj obie wersje i zapisz ponownie.") % {"what": model_name}


def client_update(*, client: Client, by: User, kind: str, address: AddressData, version: int) -> Client:
    """Save the client's own data over the version the form was loaded at, or refuse."""
    with transaction.atomic():
        locked = record_lock(
            Client,
            client.pk,
            expected_version=version,
            stale=_stale_message(_("Dane klienta")),
            ask=lambda row: _may_edit_client(by, row),
        )
        locked.kind = kind
        for name, value in address.__dict__.items():
            setattr(locked, name, value)
        record_save(locked, by=by, bump_version=True)
        client_refresh_search(client=locked)
    return locked


def member_add(*, client: Client, by: User, data: MemberData) -> ClientMember:
    """A further member of an existing client's family."""
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        _may_edit_client(by, locked)
        _person_known_check(institution_id=locked.institution_id, data=data)
        member = _member_insert(client=locked, by=by, data=data, is_head=False)
        client_refresh_search(client=locked)
    return member


def _member_insert(*, client: Client, by: User, data: MemberData, is_head: bool, position: int = 0) -> ClientMember:
    member = ClientMember(
        client=client,
        institution_id=client.institution_id,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        pesel=data.pesel,
        birth_date=_member_birth_date(data),
        relation=Relation.HEAD if is_head else data.relation,
        is_head=is_head,
        in_foster_care=data.in_foster_care,
        lives_apart=data.lives_apart,
        id_document=data.id_document,
        sex=data.sex,
    )
    with _one_record_per_pesel(position):
        record_save(member, by=by)
    return member


@contextlib.contextmanager
def _one_record_per_pesel(position: int = 0):
    """The database's "one PESEL per institution", for two desks typing the same person at once."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if "member_pesel_unique" not in str(error) and "cases_clientmember.institution_id" not in str(error):
            raise
        raise PersonKnown(
            _("Osoba o tym numerze PESEL jest już w kartotece ośrodka."), field="pesel", member=position
        ) from error


def member_update(*, member: ClientMember, by: User, data: MemberData, version: int) -> ClientMember:
    """Save a member's data over the version the form was loaded at, or refuse."""
    with transaction.atomic():
        locked = record_lock(
            ClientMember.objects.select_related("client"),
            member.pk,
            expected_version=version,
            stale=_stale_message(_("Dane członka rodziny")),
            ask=lambda row: _may_edit_client(by, row.client),
        )
        if data.pesel != locked.pesel or _member_birth_date(data) != locked.birth_date:
            _person_known_check(institution_id=locked.institution_id, data=data, exclude_pk=locked.pk)
        locked.first_name = data.first_name.strip()
        locked.last_name = data.last_name.strip()
        locked.pesel = data.pesel
        locked.birth_date = _member_birth_date(data)
        if not locked.is_head:
            locked.relation = data.relation
        locked.in_foster_care = data.in_foster_care
        locked.lives_apart = data.lives_apart
        locked.id_document = data.id_document
        locked.sex = data.sex
        with _one_record_per_pesel():
            record_save(locked, by=by, bump_version=True)
        client_refresh_search(client=locked.client)
    return locked


# --- cases: numbering and the common write -----------------------------------------------------


def _next_case_number(*, region: Region, year: int) -> str:
    """RPŚ-2/2026/0042: the region's code, the year, a sequence per region and year."""
    counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(region=region, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{region.code}/{year}/{counter.last:04d}"


def _lock(case: Case, expected_version: int | None, *, by: User, action: Action | None) -> Case:
    """Lock the case row for this transaction, ask the access policy whether ``by`` may do
    ``action`` to it, and refuse a stale form. ``action=None`` only where the caller asks the
    policy a question of its own (the assistant's approvers, the director's monitoring plan)
    and says so beside the call."""

    def ask(row: Case) -> None:
        if row.anonymised_at is not None:
            raise DomainError(_("Sprawa została zanonimizowana po okresie przechowywania; nie można jej zmieniać."))
        if action is not None:
            policy.require(by, row, action)

    return record_lock(
        Case,
        case.pk,
        expected_version=expected_version,
        stale=_("Sprawa została w międzyczasie zmieniona przez inną osobę. Odśwież stronę i spróbuj ponownie."),
        ask=ask,
    )


@contextlib.contextmanager
def _one_open_case(client: Client):
    """Turn the database's "one open case per client" into the intake's words (a savepoint,
    so that the refusal leaves the surrounding transaction usable)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if "case_one_open_per_client" not in str(error) and "cases_case.client_id" not in str(error):
            raise
        raise DomainError(_("Klient ma już otwartą sprawę – zgłoszenie dołącza się do niej.")) from error


def _save(case: Case, by: User) -> None:
    record_save(case, by=by, bump_version=True)


# --- intake (stage I) ---------------------------------------------------------------------------


@dataclass
class ReportData:
    received_at: datetime.datetime
    form: str
    content: str
    institution_name: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""
    reporter_relation: str = ""
    reporter_signed: bool = False
    urgent: bool = False

    @property
    def anonymous(self) -> bool:
        """No one named the report: neither a person nor an institution (seed 000 I.1)."""
        return not self.reporter_name.strip() and not self.institution_name.strip()


def report_check(report: ReportData | Report) -> None:
    """The report's own rules, at intake and when its data is corrected."""
    if report.received_at > timezone.now():
        raise DomainError(_("Data zgłoszenia nie może być z przyszłości."), field="received_at")
    anonymous = not report.reporter_name.strip() and not report.institution_name.strip()
    if anonymous and report.reporter_signed:
        raise DomainError(_("Zgłoszenia anonimowego nikt nie podpisuje – podaj zgłaszającego."), field="reporter_name")
    if report.form == ReportForm.INSTITUTION and not report.institution_name.strip():
        raise DomainError(_("Podaj nazwę instytucji zgłaszającej."), field="institution_name")


def report_region(*, client: Client, chosen: Region | None) -> tuple[Region, bool]:
    """The region of a new case, and whether a worker of that region who registers the report
    may take it at once.

    The address decides (the regions' streets and house numbers, issue 19.3): a report cannot be
    registered into another region than the one the client lives in (issue 14.4). ``chosen`` serves
    only an address the table does not decide – such a case waits for that region's coordinator – and a
    client with no address at all (homelessness), whom the chosen region's worker may take."""
    from streets.selectors import region_for_address

    by_address = region_for_address(
        institution=client.institution, street=client.street, house_number=client.house_number
    )
    if by_address is not None:
        if chosen is not None and chosen.pk != by_address.pk:
            raise DomainError(
                _("Adres klienta (%(street)s) należy do rejonu %(region)s; zgłoszenie trafi do tego rejonu.")
                % {"street": client.street, "region": by_address.code},
                field="region",
            )
        return by_address, True
    if chosen is None:
        raise DomainError(_("Nie rozpoznano rejonu dla tego adresu – wybierz rejon."), field="region")
    return chosen, not client.street.strip()


def report_register(
    *, by: User, client: Client, region: Region | None, target_group: str, report: ReportData
) -> Report:
    """Register a report (zgłoszenie).

    A report about a client with an open case is added to that case; otherwise it opens a new
    case in the region of the client's address (``region`` only where the street table does not
    know the address). A social worker of that region who receives it takes it at once;
    anything else goes to the region coordinator's queue (seed 000 I.2).
    """
    if not user_may_register_reports(by):
        raise NotAllowed(_("Ta rola nie przyjmuje zgłoszeń."))
    return _report_file(by=by, client=client, region=region, target_group=target_group, report=report)


def _report_file(
    *,
    by: User,
    client: Client,
    region: Region | None,
    target_group: str,
    report: ReportData,
    worker: User | None = None,
) -> Report:
    """The report's case: the client's open one, or a new one in the address's region. ``worker``
    (the import only) is given the new case to accept; the caller has asked the policy."""
    elsewhere = region is not None and region.institution_id != by.institution_id
    if client.institution_id != by.institution_id or elsewhere:
        raise DomainError(_("Rejon lub klient należy do innego ośrodka."))
    report_check(report)

    with transaction.atomic():
        # The client's row is the lock of "one open case per client": with no case open there is no
        # case row to lock, and two interleaved intakes would each open one (the database's
        # constraint case_one_open_per_client refuses the second as a last line).
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        case = (
            Case.objects.select_for_update()
            .filter(client=client, stage__in=Stage.open_stages())
            .order_by("-reported_at")
            .first()
        )
        if case is None:
            region, takeable = report_region(client=client, chosen=region)
            case = Case(
                institution_id=by.institution_id,
                client=client,
                region=region,
                number=_next_case_number(region=region, year=timezone.localdate(report.received_at).year),
                target_group=target_group,
                stage=Stage.ZGLOSZENIE,
                reported_at=report.received_at,
                urgent=report.urgent,
            )
            # A worker takes at once only a report about an address of their own region.
            if worker is None and takeable and user_runs_social_work(by, region):
                case.worker = by
                case.accepted_at = timezone.now()
            elif worker is not None:
                worker_check(worker, case)
            with _one_open_case(client):
                record_save(case, by=by)
            StageTransition.objects.create(
                case=case, from_stage="", to_stage=Stage.ZGLOSZENIE, by=by, at=timezone.now(), reason=""
            )
            if worker is not None:
                from cases.services.transfer import worker_give

                worker_give(case, worker, by=by, at=timezone.now())
        elif report.urgent and not case.urgent:
            case.urgent = True
            _save(case, by)

        entry = Report(
            case=case,
            received_by=by,
            # Seed 000 I.1: an anonymous report is verified, whatever its channel.
            anonymous=report.anonymous,
            needs_verification=report.anonymous,
            **report.__dict__,
        )
        record_save(entry, by=by)
    return entry


def case_import(
    *,
    by: User,
    kind: str,
    address: AddressData,
    members: list[MemberData],
    region: Region | None,
    target_group: str,
    report: ReportData,
    worker: User | None = None,
) -> Report:
    """A case carried over from the centre's earlier records (issue 19.4): the client, the report
    as it was received then, the case in the address's region, and – where the file names one –
    its worker, who accepts it in the application as any assigned case. By the person the policy
    lets import (not a desk of intake); the rest are the intake's own rules, in one transaction."""
    if not policy.user_may_import_cases(by):
        raise NotAllowed(_("Sprawy z poprzedniego systemu importuje dyrektor lub administrator systemu."))
    with transaction.atomic():
        client = _client_insert(institution=by.institution, by=by, kind=kind, address=address, members=members)
        return _report_file(by=by, client=client, region=region, target_group=target_group, report=report,
                            worker=worker)  # fmt: skip


def worker_check(worker: User, case: Case) -> None:
    """Only a social worker of the case's region who runs social work is made responsible for it."""
    if not user_runs_social_work(worker, case.region):
        raise DomainError(
            _("%(name)s nie jest pracownikiem socjalnym rejonu %(region)s prowadzącym pracę socjalną.")
            % {"name": worker, "region": case.region},
            field="worker",
        )


def case_assign(*, case: Case, worker: User, by: User, expected_version: int | None = None) -> Case:
    """The coordinator assigns (or reassigns) the responsible worker. Karta pt. 2."""
    worker_check(worker, case)
    with transaction.atomic():
        locked = _lock(case, expected_version, by=by, action=Action.ASSIGN)
        if locked.worker_id is not None and expected_version is None:
            raise StaleVersionError(_("Zgłoszenie zostało już przydzielone: %(name)s.") % {"name": locked.worker})
        if locked.is_closed:
            raise DomainError(_("Sprawa jest zakończona."))
        if locked.worker_id == worker.pk:
            raise DomainError(_("Ten pracownik już prowadzi sprawę."), field="worker")
        if locked.worker_id is not None:
            # A reassignment is a hand-over: the earlier hand stays on record (issue 17.2).
            from cases.services.transfer import transfer_handover

            transfer_handover(locked=locked, to=worker, by=by, reason="other")
            return locked
        from cases.services.transfer import worker_give

        worker_give(locked, worker, by=by, at=timezone.now())
    return locked


def case_accept(*, case: Case, by: User) -> Case:
    """The assigned worker accepts the report for handling (Karta pt. 2)."""
    with transaction.atomic():
        locked = _lock(case, None, by=by, action=Action.ACCEPT)
        if locked.accepted_at is not None:
            raise DomainError(_("Zgłoszenie zostało już przyjęte do realizacji."))
        locked.accepted_at = timezone.now()
        _save(locked, by)
        from cases.services.transfer import transfer_accepted

        transfer_accepted(locked=locked, by=by)
    return locked


def report_verify(*, report: Report, by: User, note: str) -> Report:
    """Record the verification of an anonymous report (seed 000 I.1)."""
    if not note.strip():
        raise DomainError(_("Opisz wynik weryfikacji."), field="note")
    with transaction.atomic():
        _lock(report.case, None, by=by, action=Action.VERIFY)
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not locked.needs_verification:
            raise DomainError(_("To zgłoszenie nie wymaga weryfikacji."))
        if locked.verified_at is not None:
            raise DomainError(_("Zgłoszenie zostało już zweryfikowane."))
        locked.verified_at = timezone.now()
        locked.verified_by = by
        locked.verification_note = note.strip()
        record_save(locked, by=by)
    return locked


# --- the stage machine ----------------------------------------------------------------------------


def case_change_stage(
    *,
    case: Case,
    to: Stage,
    by: User,
    reason: str = "",
    close_reason: CloseReason | None = None,
    expected_version: int | None = None,
    ends: Mapping[str, EndOf] | None = None,
) -> Case:
    """The only way a case changes its stage: lock, re-check the table and its guards, save,
    write the append-only transition record – in one transaction. A closing ends the work still
    under way beside the case (``ends``: procedure.Ongoing key → how) in the same transaction."""
    to = Stage(to)
    with transaction.atomic():
        locked = _lock(case, expected_version, by=by, action=Action.TRANSITION)
        if locked.stage == Stage.ZAKONCZENIE:
            # A reopening checks "no other open case of the client" under the client's lock, as the
            # intake does (the intake never locks a closed case row, so the two cannot deadlock).
            Client.objects.select_for_update().only("pk").get(pk=locked.client_id)
        move = Move(case=locked, target=to, reason=reason or "", close_reason=close_reason, ends=ends or {})
        why = procedure.refusal(move)
        if why:
            raise TransitionRefused(why)
        if to == Stage.ZAKONCZENIE:
            for kind, work in procedure.ongoing_work(locked):
                kind.end(work=work, by=by, end=move.ends[kind.key], reason=reason.strip())
        source = Stage(locked.stage)
        now = timezone.now()
        if to == Stage.ZAWIESZENIE:
            locked.suspended_from = source
        elif source == Stage.ZAWIESZENIE:
            locked.suspended_from = ""
        if to == Stage.ZAKONCZENIE:
            locked.closed_at = now
            locked.close_reason = close_reason
            locked.close_justification = reason.strip()
        elif source == Stage.ZAKONCZENIE:
            # Reopening keeps the transition log of the closure; the case itself is open again.
            locked.moving_away_since = None
            locked.moving_away_plan = ""
            locked.closed_at = None
            locked.close_reason = ""
            locked.close_justification = ""
        if to == Stage.PRACA_SOCJALNA and locked.social_work_started_at is None:
            locked.social_work_started_at = timezone.localdate(now)
        locked.stage = to
        with _one_open_case(locked.client):
            _save(locked, by)
        StageTransition.objects.create(
            case=locked,
            from_stage=source,
            to_stage=to,
            by=by,
            covering_for_id=policy.acting_for(by, locked),
            at=now,
            reason=reason.strip(),
            close_reason=close_reason or "",
        )
    return locked


def case_close(
    *,
    case: Case,
    by: User,
    reason: CloseReason,
    justification: str,
    expected_version: int | None = None,
    ends: Mapping[str, EndOf] | None = None,
) -> Case:
    return case_change_stage(
        case=case,
        to=Stage.ZAKONCZENIE,
        by=by,
        reason=justification,
        close_reason=reason,
        expected_version=expected_version,
        ends=ends,
    )


def case_start_moving_away(
    *, case: Case, by: User, since: datetime.date, plan: str, expected_version: int | None = None
) -> Case:
    """V.2: the worker gradually "moves away" – fewer contacts to fix the change – before closing."""
    if not plan.strip():
        raise DomainError(_("Opisz, jak będą wyglądały rzadsze kontakty."), field="plan")
    if since > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="since")
    with transaction.atomic():
        locked = _lock(case, expected_version, by=by, action=Action.TRANSITION)
        if locked.stage != Stage.PRACA_SOCJALNA:
            raise DomainError(_("Oddalanie się poprzedza zakończenie pracy socjalnej (etap IV)."))
        if locked.moving_away_since is not None:
            raise DomainError(_("Okres oddalania się już trwa."))
        locked.moving_away_since = since
        locked.moving_away_plan = plan.strip()
        _save(locked, by)
    return locked


def case_target_group_set(
    *,
    case: Case,
    by: User,
    target_group: str,
    subcategory: str = "",
    subgroups: list[str] | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Correction:
    """The target group and, for OBOP, seed 004's subcategory and subgroups. Set at intake and
    completed once the worker knows the client; what it was stays as a correction row ("sprostowanie
    … – autor – powód"), and changing the group itself needs a reason."""
    subgroups = list(dict.fromkeys(subgroups or []))
    if target_group not in TargetGroup.values:
        raise DomainError(_("Wybierz grupę docelową z listy."), field="target_group")
    if target_group not in WITH_SUBGROUPS and (subcategory or subgroups):
        raise DomainError(_("Podkategorie i podgrupy ma tylko grupa osób pozostających bez pracy."), field="subgroups")
    if subcategory and subcategory not in Subcategory.values:
        raise DomainError(_("Wybierz podkategorię z listy."), field="subcategory")
    if set(subgroups) - set(Subgroup.values):
        raise DomainError(_("Wybierz podgrupy z listy."), field="subgroups")
    with transaction.atomic():
        locked = _lock(case, expected_version, by=by, action=Action.WRITE)
        if target_group != locked.target_group and not reason.strip():
            raise DomainError(_("Podaj powód zmiany grupy docelowej."), field="reason")
        fields = {"target_group": target_group, "target_subcategory": subcategory, "target_subgroups": subgroups}
        changes = []
        for name, value in fields.items():
            before = _group_display(locked, name)
            setattr(locked, name, value)
            after = _group_display(locked, name)
            if before != after:
                label = str(Case._meta.get_field(name).verbose_name)
                changes.append({"field": name, "label": label, "before": before, "after": after})
        if not changes:
            raise DomainError(_("Nic nie zmieniono."))
        _save(locked, by)
        correction = Correction(
            case=locked,
            entry_model="cases.case",
            entry_id=locked.pk,
            entry_label=str(_("Grupa docelowa")),
            kind=Correction.Kind.CORRECT,
            by=by,
            reason=reason.strip() or str(_("uzupełnienie grupy docelowej")),
            changes=changes,
        )
        record_save(correction, by=by)
    case.version = locked.version
    return correction


def _group_display(case: Case, name: str) -> str:
    if name == "target_subgroups":
        return ", ".join(case.target_subgroup_labels) or "—"
    return str(getattr(case, f"get_{name}_display")()) or "—"


def case_reopen(
    *, case: Case, by: User, reason: str, to: Stage = Stage.ROZEZNANIE, expected_version: int | None = None
) -> Case:
    return case_change_stage(case=case, to=to, by=by, reason=reason, expected_version=expected_version)


def case_suspend(*, case: Case, by: User, reason: str, expected_version: int | None = None) -> Case:
    return case_change_stage(case=case, to=Stage.ZAWIESZENIE, by=by, reason=reason, expected_version=expected_version)


def case_resume(*, case: Case, by: User, reason: str, expected_version: int | None = None) -> Case:
    """Resume a suspended case at the stage it was suspended at – read from the locked row."""
    with transaction.atomic():
        locked = _lock(case, expected_version, by=by, action=Action.TRANSITION)
        if locked.stage != Stage.ZAWIESZENIE or not locked.suspended_from:
            raise TransitionRefused(_("Sprawa nie jest zawieszona."))
        return case_change_stage(case=locked, to=Stage(locked.suspended_from), by=by, reason=reason)


# --- flags -------------------------------------------------------------------------------------


def flag_add(
    *, case: Case, by: User, kind: FlagKind, started_on: datetime.date, started_by: str, note: str = ""
) -> CaseFlag:
    if started_on > timezone.localdate():
        raise DomainError(_("Data nie może być z przyszłości."), field="started_on")
    with transaction.atomic():
        locked = _lock(case, None, by=by, action=Action.ALERT)
        if locked.is_closed:
            raise DomainError(_("Sprawa jest zakończona."))
        if locked.flags.filter(kind=kind, removed_at__isnull=True).exists():
            raise DomainError(_("To oznaczenie jest już aktywne."), field="kind")
        flag = CaseFlag(case=locked, kind=kind, started_on=started_on, started_by=started_by, note=note, created_by=by)
        record_save(flag, by=by)
        _save(locked, by)
        urgent_from_assistant(case=locked, by=by, what=_("oznaczenie: %(kind)s") % {"kind": flag.get_kind_display()})
    return flag


def urgent_from_assistant(*, case: Case, by: User, what: str) -> None:
    """The family's assistant acted in an emergency (seed 002): the worker – and today's
    substitute – are told at once (issue 17.5)."""
    if not policy.user_acts_as_assistant(by, case):
        return
    notice_send(
        recipients=policy.people_to_tell([case])[case.pk],
        kind=Notice.Kind.URGENT,
        case=case,
        text=_("Sprawa %(number)s: asystent rodziny dodał %(what)s.") % {"number": case.number, "what": what},
    )


def flag_remove(*, flag: CaseFlag, by: User, reason: str) -> CaseFlag:
    if not reason.strip():
        raise DomainError(_("Podaj powód zdjęcia oznaczenia."), field="reason")
    with transaction.atomic():
        locked_case = _lock(flag.case, None, by=by, action=Action.WRITE)
        if locked_case.is_closed:
            raise DomainError(_("Sprawa jest zakończona."))
        locked = CaseFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.removed_at is not None:
            raise DomainError(_("Oznaczenie zostało już zdjęte."))
        locked.removed_at = timezone.now()
        locked.removed_by = by
        locked.removal_reason = reason.strip()
        record_save(locked, by=by)
        _save(locked_case, by)
    return locked
