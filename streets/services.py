"""Writes of the streets app (issue 19.3): the centre's regions (code, name), the parts of streets
each region serves, the streets themselves – read from TERYT ULIC or entered by hand. Every one
asks the policy (``user_may_configure_institution``: the director, the system administrator),
saves with the actor in the history, and leaves a row in the access log; a refusal is a
``DomainError`` raised before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import AccessLog, Region, User
from mopr.records import record_save
from mopr.services import access_log_write
from streets import teryt
from streets.models import Street, StreetRange, StreetSource, street_keys


def _may(by: User) -> None:
    if not policy.user_may_configure_institution(by):
        raise NotAllowed(_("Rejony i ich ulice ustala dyrektor lub administrator systemu."))


def _log(by: User, what: str, request) -> None:
    access_log_write(user=by, action=AccessLog.Action.SETTINGS, what=what, request=request)


# --- regions -------------------------------------------------------------------------------------------------


def region_save(*, by: User, region_id: int | None, code: str, name: str, request=None) -> Region:
    """A new region of the centre (``region_id`` None) or its code and name changed. A code is the
    first part of the region's case numbers: the numbers given keep theirs, so a code any case
    number of the centre begins with is not given to another region (numbers would repeat)."""
    _may(by)
    code, name = " ".join(code.split()), " ".join(name.split())
    if not code:
        raise DomainError(_("Podaj kod rejonu, np. RPŚ-4."), field="code")
    if "/" in code:
        raise DomainError(_("Kod rejonu jest częścią numeru sprawy – bez znaku „/”."), field="code")
    if not name:
        raise DomainError(_("Podaj nazwę rejonu."), field="name")
    with transaction.atomic():
        if region_id is None:
            region = Region(institution_id=by.institution_id)
        else:
            region = Region.objects.select_for_update().get(pk=region_id, institution_id=by.institution_id)
        if code != region.code:
            _code_free(by, code, region)
        was = f"{region.code} ({region.name})" if region.pk else ""
        if region.pk and (region.code, region.name) == (code, name):
            return region
        region.code, region.name = code, name
        try:
            with transaction.atomic():
                record_save(region, by=by)
        except IntegrityError as error:  # region_code_unique: the same code added at the same moment
            raise DomainError(_("Rejon o tym kodzie już jest."), field="code") from error
        if was:
            what = _("Rejony: %(was)s → %(is)s") % {"was": was, "is": f"{code} ({name})"}
        else:
            what = _("Rejony: nowy rejon %(is)s") % {"is": f"{code} ({name})"}
        _log(by, what, request)
    return region


def _code_free(by: User, code: str, region: Region) -> None:
    from cases.models import Case

    # Letters' case aside, compared in Python: SQLite's iexact folds ASCII only ("rpś-1" ≠ "RPŚ-1" there).
    others = Region.objects.filter(institution_id=by.institution_id).exclude(pk=region.pk)
    if any(other.casefold() == code.casefold() for other in others.values_list("code", flat=True)):
        raise DomainError(_("Rejon o tym kodzie już jest."), field="code")
    numbered = Case.objects.filter(institution_id=by.institution_id, number__startswith=f"{code}/")
    if numbered.exclude(region_id=region.pk).exists():
        raise DomainError(
            _("Numery spraw ośrodka zaczynają się już od „%(code)s/” – wybierz inny kod.") % {"code": code},
            field="code",
        )


# --- the parts of streets a region serves -------------------------------------------------------------------


def street_range_add(
    *, by: User, region_id: int, street_id: int, parity: str = StreetRange.Parity.ALL,
    number_from: int | None = None, number_to: int | None = None, request=None,
) -> StreetRange:  # fmt: skip
    """Region ``region_id`` serves this part of the street. Two regions never share an address:
    a range that has a number in common with another range of the street is refused, naming it;
    the street's row is locked while the ranges are compared, so two people adding at once
    cannot both pass."""
    _may(by)
    if parity not in StreetRange.Parity.values:
        raise DomainError(_("Wybierz: wszystkie numery, nieparzyste albo parzyste."), field="parity")
    for name, number in (("number_from", number_from), ("number_to", number_to)):
        if number is not None and not 1 <= number <= 100_000:
            raise DomainError(_("Numer domu to liczba od 1 do 100000."), field=name)
    if number_from is not None and number_to is not None and number_from > number_to:
        raise DomainError(_("„Od numeru” nie może być większe niż „do numeru”."), field="number_to")
    with transaction.atomic():
        region = Region.objects.filter(institution_id=by.institution_id).get(pk=region_id)
        street = Street.objects.select_for_update().get(pk=street_id, institution_id=by.institution_id)
        wanted = StreetRange(region=region, street=street, parity=parity, number_from=number_from, number_to=number_to)
        for other in street.ranges.select_related("region").order_by("pk"):
            if wanted.overlaps(other):
                raise DomainError(
                    _("%(street)s: ten zakres ma wspólne numery z zakresem „%(other)s” rejonu %(region)s.")
                    % {"street": street.display_name, "other": other.numbers_label, "region": other.region.code},
                    field="number_from",
                )
        try:
            with transaction.atomic():
                record_save(wanted, by=by)
        except IntegrityError as error:  # the database's whole-street constraints, as a last line
            raise DomainError(_("Ta część ulicy jest już przypisana."), field="number_from") from error
        what = _("Ulice rejonu %(region)s: dodano %(street)s, %(numbers)s") % {
            "region": region.code, "street": street.display_name, "numbers": wanted.numbers_label
        }  # fmt: skip
        _log(by, what, request)
    return wanted


def street_range_remove(*, by: User, range_id: int, request=None) -> StreetRange:
    """The region no longer serves this part of the street (the history keeps that it did)."""
    _may(by)
    with transaction.atomic():
        found = (
            StreetRange.objects.select_for_update()
            .select_related("region", "street")
            .get(pk=range_id, region__institution_id=by.institution_id)
        )
        found._history_user = by
        found.delete()
        what = _("Ulice rejonu %(region)s: usunięto %(street)s, %(numbers)s") % {
            "region": found.region.code, "street": found.street.display_name, "numbers": found.numbers_label
        }  # fmt: skip
        _log(by, what, request)
    return found


def street_add(*, by: User, name: str, request=None) -> Street:
    """A street entered by hand: where the centre has not imported TERYT yet, or a new street the
    register does not have yet (a later import links it to its TERYT entry by the name)."""
    _may(by)
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Podaj nazwę ulicy."), field="name")
    if len(name) > 100:
        raise DomainError(_("Nazwa ulicy może mieć najwyżej 100 znaków."), field="name")
    street = Street(institution_id=by.institution_id, nazwa_1=name)
    street.set_keys()
    if (
        Street.objects.filter(institution_id=by.institution_id)
        .filter(Q(full_key__in=street_keys(name)) | Q(key__in=street_keys(name)))
        .exists()
    ):
        raise DomainError(_("Taka ulica już jest na liście ośrodka."), field="name")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record_save(street, by=by)
        except IntegrityError as error:
            raise DomainError(_("Taka ulica już jest na liście ośrodka."), field="name") from error
        _log(by, _("Ulice: dodano ręcznie %(street)s") % {"street": street.display_name}, request)
    return street


# --- TERYT ULIC ------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    gmina_code: str
    encoding: str
    stan_na: object = None
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, str]] = field(default_factory=list)  # (was, is)
    linked: list[str] = field(default_factory=list)  # streets entered by hand, now with their TERYT codes
    unchanged: int = 0
    other_gmina: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    removed: list[str] = field(default_factory=list)  # gone from TERYT, no region named them
    kept: list[tuple[str, list[str]]] = field(default_factory=list)  # gone from TERYT, still in these regions
    gone_not_checked: bool = False  # rows were refused: no street is taken as gone

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.linked or self.removed or self.kept)


_TERYT_FIELDS = ("woj", "pow", "gmi", "rodz_gmi", "sym", "sym_ul", "cecha", "nazwa_1", "nazwa_2")


def street_import(*, by: User, gmina_code: str, data: bytes, request=None) -> ImportResult:
    """The streets of the municipality ``gmina_code`` from a TERYT ULIC file, as the centre's
    street list: new streets added, renamed ones renamed (the history keeps the old name), the
    same file again changes nothing. A street entered by hand whose name the file has once gets
    that entry's codes (its ranges stay). A street gone from the file is removed – unless a region
    still serves it: then it is kept, marked and reported, for the director to reassign. Rows that
    cannot be read are named with their line; while there are any, no street counts as gone.
    A file without a row of the municipality changes nothing (a wrong code, a wrong file)."""
    _may(by)
    gmina_code = (gmina_code or "").strip()
    parsed = teryt.parse(data, gmina_code=gmina_code)
    result = ImportResult(gmina_code=gmina_code, encoding=parsed.encoding, other_gmina=parsed.other_gmina,
                          rejected=parsed.rejected)  # fmt: skip
    if not parsed.rows:
        why = _("W pliku nie ma ani jednej poprawnej ulicy gminy %(code)s (wierszy innych gmin: %(other)s).") % {
            "code": gmina_code, "other": parsed.other_gmina
        }  # fmt: skip
        raise DomainError(f"{why} {_('Sprawdź kod gminy i plik – niczego nie zmieniono.')}", field="gmina_code")
    result.stan_na = max((row.stan_na for row in parsed.rows if row.stan_na), default=None)
    with transaction.atomic():
        # The source's row is the lock of the centre's imports: two at once would both add a street.
        StreetSource.objects.get_or_create(institution_id=by.institution_id)
        source = StreetSource.objects.select_for_update().get(institution_id=by.institution_id)
        streets = list(Street.objects.select_for_update().filter(institution_id=by.institution_id).order_by("pk"))
        known = {(s.sym, s.sym_ul): s for s in streets if s.sym_ul}
        by_hand = [s for s in streets if not s.sym_ul]
        new_rows = [row for row in parsed.rows if (row.sym, row.sym_ul) not in known]
        linked = set()
        for street in by_hand:
            row = _row_for_hand_street(street, new_rows)
            if row is not None:
                new_rows.remove(row)
                _set_from_row(street, row)
                record_save(street, by=by)
                known[row.sym, row.sym_ul] = street
                linked.add(street.pk)
                result.linked.append(street.display_name)
        for row in parsed.rows:
            street = known.get((row.sym, row.sym_ul))
            if street is None or street.pk in linked:
                continue
            if _same(street, row) and street.in_teryt:
                result.unchanged += 1
                continue
            was = street.display_name
            _set_from_row(street, row)
            record_save(street, by=by)
            result.updated.append((was, street.display_name))
        created = []
        for row in new_rows:
            street = Street(institution_id=by.institution_id)
            _set_from_row(street, row)
            street.set_keys()  # bulk_create does not call save()
            created.append(street)
        # One insert for a municipality's hundreds of streets, each with its history row naming the actor.
        bulk_create_with_history(created, Street, default_user=by)
        result.created = [street.display_name for street in created]
        if parsed.rejected:
            result.gone_not_checked = True
        else:
            in_file = {(row.sym, row.sym_ul) for row in parsed.rows}
            _gone(by, [street for key, street in known.items() if key not in in_file], result)
        source.gmina_code, source.stan_na = gmina_code, result.stan_na
        source.imported_at, source.imported_by = timezone.now(), by
        record_save(source, by=by)
        what = _(
            "Ulice z TERYT ULIC (gmina %(code)s): nowe %(created)s, zmienione %(updated)s, "
            "połączone %(linked)s, bez zmian %(unchanged)s, odrzucone wiersze %(rejected)s, usunięte %(removed)s, "
            "nieaktualne w rejonach %(kept)s"
        ) % {
            "code": gmina_code, "created": len(result.created), "updated": len(result.updated),
            "linked": len(result.linked), "unchanged": result.unchanged, "rejected": len(result.rejected),
            "removed": len(result.removed), "kept": len(result.kept),
        }  # fmt: skip
        _log(by, what, request)
    return result


def _same(street: Street, row: teryt.TerytRow) -> bool:
    return all(getattr(street, name) == getattr(row, name) for name in _TERYT_FIELDS)


def _set_from_row(street: Street, row: teryt.TerytRow) -> None:
    for name in _TERYT_FIELDS:
        setattr(street, name, getattr(row, name))
    street.stan_na = row.stan_na
    street.in_teryt = True


def _row_for_hand_street(street: Street, rows: list[teryt.TerytRow]) -> teryt.TerytRow | None:
    """The one row of the file a street entered by hand names ("Kopernika" → ul. Mikołaja
    Kopernika); None where no row or several do (then the director links it by hand)."""
    for key in street_keys(street.nazwa_1):
        for attribute in ("full_key", "key"):
            found = [row for row in rows if getattr(row, attribute) == key]
            if len(found) == 1:
                return found[0]
            if found:
                return None
    return None


def _gone(by: User, gone: list[Street], result: ImportResult) -> None:
    for street in gone:
        regions = sorted({r.region.code for r in street.ranges.select_related("region")})
        if regions:
            if street.in_teryt:
                street.in_teryt = False
                record_save(street, by=by)
            result.kept.append((street.display_name, regions))
        else:
            street._history_user = by
            street.delete()
            result.removed.append(street.display_name)
