"""The import of clients and open cases (issue 19.4): store the file, try it (the dry run), import it.

Both runs go family by family through ``cases.services.case_import`` – the intake's own rules, the
histories, the deadline engine and the policy see an imported case as any other – each family in
its own transaction, so a family with an error leaves nothing behind and the others go on. The dry
run does the same work and rolls every family back: what it says would happen is what the
services said, not a guess. A family is remembered by its identifier in the earlier records (and
its people by their PESEL), so a second run of the same file creates nothing."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from background.models import Job
from background.services import job_start
from cases.models import Case, ClientMember
from cases.procedure import Stage
from cases.services import case_import
from imports import table
from imports.models import ImportedRecord, ImportFile
from mopr import policy
from mopr.errors import DomainError, NotAllowed, PersonKnown, PersonNeedsConfirmation
from mopr.models import AccessLog, Region, User
from mopr.services import access_log_write

CREATED, WOULD_CREATE, UNCHANGED, SKIPPED, ERROR = "created", "would_create", "unchanged", "skipped", "error"
STATUS_LABELS = {
    CREATED: _("utworzono"),
    WOULD_CREATE: _("zostanie utworzona"),
    UNCHANGED: _("bez zmian – już zaimportowana"),
    SKIPPED: _("pominięta – osoba jest już w kartotece"),
    ERROR: _("błąd – do poprawienia w pliku"),
}
# The services' field names in the template's words.
_COLUMN_OF_FIELD = {"pesel": "pesel", "first_name": "imie", "last_name": "nazwisko", "region": "rejon",
                    "worker": "pracownik", "received_at": "data_zgloszenia", "reporter_name": "zglaszajacy",
                    "institution_name": "instytucja_zglaszajaca"}  # fmt: skip
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Outcome:
    external_id: str
    rows: str  # "4" or "4–6": the family's rows in the file
    status: str
    region: str = ""
    case_number: str = ""
    message: str = ""

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _refuse_unless_allowed(by: User) -> None:
    if not policy.user_may_import_cases(by):
        raise NotAllowed(_("Sprawy z poprzedniego systemu importuje dyrektor lub administrator systemu."))


def import_file_store(*, by: User, name: str, content: bytes) -> ImportFile:
    """Keep an uploaded file (read once here, so that a file that is not the template is refused
    at the upload, not in the background) and log the upload."""
    _refuse_unless_allowed(by)
    if len(content) > MAX_BYTES:
        raise DomainError(_("Plik jest większy niż 10 MB – podziel go na części."), field="file")
    if not name.lower().endswith((".csv", ".xlsx")):
        raise DomainError(_("Wybierz plik CSV albo XLSX (wzór jest do pobrania na tej stronie)."), field="file")
    try:
        table.families_read(table.dataset_load(content=content, name=name))
    except table.FileRefused as error:
        raise DomainError(error.message, field="file") from error
    from django.core.files.base import ContentFile

    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        stored = ImportFile(institution_id=by.institution_id, uploaded_by=by, name=name[:200], sha256=digest)
        stored.file.save(f"import-{digest[:16]}{'.xlsx' if name.lower().endswith('.xlsx') else '.csv'}",
                         ContentFile(content), save=False)  # fmt: skip
        stored.save()
        access_log_write(user=by, action=AccessLog.Action.IMPORT, what=_("Plik importu: %(name)s") % {"name": name})
    return stored


def import_start(*, by: User, import_file: ImportFile, dry_run: bool) -> Job:
    """Queue a run of the file in the background; an import only after its dry run has finished."""
    _refuse_unless_allowed(by)
    with transaction.atomic():
        locked = ImportFile.objects.select_for_update().get(pk=import_file.pk, institution_id=by.institution_id)
        running = [j for j in (locked.dry_job, locked.import_job) if j is not None and not j.finished]
        if running:
            raise DomainError(_("Ten plik jest właśnie sprawdzany lub importowany – poczekaj na wynik."))
        if not dry_run and (locked.dry_job is None or locked.dry_job.status != Job.Status.DONE):
            raise DomainError(_("Najpierw próba importu: pokaże, co powstanie i które wiersze mają błędy."))
        title = (_("Próba importu: %(name)s") if dry_run else _("Import spraw: %(name)s")) % {"name": locked.name}
        job = job_start(by=by, kind="cases_import", title=title, params={"file": locked.pk, "dry_run": dry_run})
        if dry_run:
            locked.dry_job = job
        else:
            locked.import_job = job
        locked.save(update_fields=["dry_job" if dry_run else "import_job"])
    return job


def import_run(*, by: User, import_file: ImportFile, dry_run: bool, progress=None) -> list[Outcome]:
    """Try or import every family of the file; the outcomes are kept on the file for its page."""
    _refuse_unless_allowed(by)
    with import_file.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != import_file.sha256:
        raise DomainError(_("Plik importu zmienił się na dysku od wgrania – wgraj go ponownie."))
    families = table.families_read(table.dataset_load(content=content, name=import_file.name))
    regions = {r.code: r for r in Region.objects.filter(institution_id=by.institution_id)}
    workers = {u.username: u for u in User.objects.filter(institution_id=by.institution_id, is_active=True)}
    outcomes = []
    if progress:
        progress(0, len(families))
    for n, family in enumerate(families, start=1):
        outcome = _family_apply(
            by=by, family=family, import_file=import_file, dry_run=dry_run, regions=regions, workers=workers
        )
        outcomes.append(outcome)
        if progress:
            progress(n, len(families))
    ImportFile.objects.filter(pk=import_file.pk).update(results=[asdict(o) for o in outcomes], results_dry=dry_run)
    if not dry_run:
        created = sum(1 for o in outcomes if o.status == CREATED)
        what = _("Import spraw z pliku %(name)s: utworzono %(n)s") % {"name": import_file.name, "n": created}
        access_log_write(user=by, action=AccessLog.Action.IMPORT, what=what)
    return outcomes


def _rows(family: table.Family) -> str:
    numbers = [r.number for r in family.rows]
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


def _family_apply(*, by, family, import_file, dry_run, regions, workers) -> Outcome:
    outcome = Outcome(family.external_id, _rows(family), ERROR)
    if family.errors:
        outcome.message = " ".join(family.errors)
        return outcome
    done = ImportedRecord.objects.filter(institution_id=by.institution_id, external_id=family.external_id)
    record = done.select_related("case").first()
    if record is not None:
        outcome.status = UNCHANGED
        outcome.case_number = record.case.number if record.case else ""
        return outcome
    pesels = [m.pesel for m in family.members if m.pesel]
    known = ClientMember.objects.filter(institution_id=by.institution_id, pesel__in=pesels).first() if pesels else None
    if known is not None:
        position = pesels.index(known.pesel)
        client_id = known.client.merged_into_id or known.client_id
        open_cases = Case.objects.filter(client_id=client_id, stage__in=Stage.open_stages())
        open_case = open_cases.values_list("number", flat=True).first()
        outcome.status = SKIPPED
        outcome.case_number = open_case or ""
        outcome.message = _(
            "wiersz %(n)s: osoba o tym numerze PESEL jest już w kartotece ośrodka – rodziny nie zaimportowano; "
            "jeśli trzeba, dołącz zgłoszenie do jej rekordu w systemie."
        ) % {"n": family.member_row(position)}
        return outcome
    region = None
    if family.region_code:
        region = regions.get(family.region_code) or regions.get(family.region_code.upper())
        if region is None:
            outcome.message = _("wiersz %(n)s, kolumna rejon: nie ma rejonu o kodzie „%(code)s”.") % {
                "n": family.first_row, "code": family.region_code}  # fmt: skip
            return outcome
    worker = None
    if family.worker:
        worker = workers.get(family.worker)
        if worker is None:
            outcome.message = _("wiersz %(n)s, kolumna pracownik: nie ma aktywnego konta „%(login)s” w ośrodku.") % {
                "n": family.first_row, "login": family.worker}  # fmt: skip
            return outcome
    try:
        with transaction.atomic():
            report = case_import(by=by, kind=family.kind, address=family.address, members=family.members,
                                 region=region, target_group=family.target_group, report=family.report,
                                 worker=worker)  # fmt: skip
            ImportedRecord.objects.create(
                institution_id=by.institution_id, external_id=family.external_id, client=report.case.client,
                case=report.case, import_file=import_file,
            )  # fmt: skip
            outcome.region = report.case.region.code
            if dry_run:
                transaction.set_rollback(True)  # the services' answer, and nothing kept
                outcome.status = WOULD_CREATE
            else:
                outcome.status, outcome.case_number = CREATED, report.case.number
    except PersonNeedsConfirmation as error:
        outcome.message = _(
            "wiersz %(n)s: w kartotece jest już osoba o tym imieniu, nazwisku i dacie urodzenia – jeśli to ta sama "
            "osoba, dołącz zgłoszenie do jej rekordu w systemie; jeśli inna, wpisz jej PESEL."
        ) % {"n": family.member_row(error.member)}
    except DomainError as error:
        row = family.member_row(error.member) if isinstance(error, PersonKnown) else family.first_row
        column = _COLUMN_OF_FIELD.get(error.field or "")
        where = (_("wiersz %(n)s, kolumna %(col)s") % {"n": row, "col": column} if column
                 else _("wiersz %(n)s") % {"n": row})  # fmt: skip
        outcome.message = f"{where}: {error.message}"
    except IntegrityError:
        # Another run imported this family in the meantime (imported_external_id_unique).
        outcome.status = UNCHANGED
    return outcome


PROTOCOL_HEADER = ["id_zewnetrzny", "wiersze", "wynik", "rejon", "numer sprawy", "uwagi"]


def protocol_write(*, outcomes: list[Outcome], out) -> None:
    """The run's protocol as a CSV Excel opens in Polish (a BOM, semicolons)."""
    text = io.StringIO()
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(PROTOCOL_HEADER)
    for o in outcomes:
        writer.writerow([o.external_id, o.rows, o.label, o.region, o.case_number, o.message])
    out.write(text.getvalue().encode("utf-8"))


def outcomes_summary(outcomes: list[Outcome], *, dry_run: bool) -> str:
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in STATUS_LABELS}
    made = counts[WOULD_CREATE] if dry_run else counts[CREATED]
    return (_("Rodzin w pliku: %(all)s. %(made_label)s: %(made)s; już zaimportowanych: %(same)s; pominiętych "
              "(osoba w kartotece): %(skipped)s; z błędami: %(errors)s.") % {
        "all": len(outcomes), "made_label": _("Do utworzenia") if dry_run else _("Utworzono"), "made": made,
        "same": counts[UNCHANGED], "skipped": counts[SKIPPED], "errors": counts[ERROR]})  # fmt: skip
