"""The import's template – its columns, declared once – and the reading of a filled-in file into
families (issue 19.4).

The file is read with tablib, the reader under django-import-export. Its ``Resource`` is not used:
it saves model instances itself (``instance.save()``), past the services and the access policy,
and it maps one row to one record, while a family here spans several rows (one per person)
and becomes a client, its members, a report and a case. The rows are read here; the families
are written by ``cases.services.case_import``.

One row per person. The rows of one family share ``id_zewnetrzny``; the family's own columns
(address, case, report) are read from its first row and must not differ in the others."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Client, Relation, ReportForm, TargetGroup
from cases.pesel import pesel_birth_date, pesel_checksum_ok
from cases.services import AddressData, MemberData, ReportData
from mopr.models import Sex
from mopr.text import fold

FAMILY, PERSON = "family", "person"


@dataclass(frozen=True)
class Column:
    key: str  # the header in the file
    level: str  # FAMILY: read from the family's first row; PERSON: from every row
    help: str
    example: str
    required: bool = False


def _choices(choices) -> str:
    return "; ".join(str(label) for _value, label in choices)


COLUMNS = [
    Column("id_zewnetrzny", FAMILY, "Identyfikator rodziny (sprawy) w poprzednim systemie; wiersze osób jednej "
           "rodziny mają ten sam. Drugi import tego samego identyfikatora niczego nie zmienia.", "TT-2019-0042",
           required=True),
    Column("rodzaj", FAMILY, "osoba albo rodzina; pusty: osoba, gdy rodzina ma jeden wiersz.", "rodzina"),
    Column("pokrewienstwo", PERSON, "Pierwszy wiersz rodziny to klient (głowa rodziny). Dalej: "
           + _choices(Relation.choices[1:]) + ".", "głowa rodziny / klient"),
    Column("imie", PERSON, "Imię.", "Anna", required=True),
    Column("nazwisko", PERSON, "Nazwisko.", "Kowalska", required=True),
    Column("pesel", PERSON, "11 cyfr (sprawdzana cyfra kontrolna); pusty, gdy osoba go nie ma.", "85042312340"),
    Column("data_urodzenia", PERSON, "Gdy brak PESEL: RRRR-MM-DD albo DD.MM.RRRR.", ""),
    Column("plec", PERSON, "Gdy brak PESEL: K albo M (do odmiany w pismach).", ""),
    Column("miejscowosc", FAMILY, "Miejscowość zamieszkania.", "Toruń", required=True),
    Column("ulica", FAMILY, "Ulica bez „ul.”; pusta, gdy brak adresu (bezdomność).", "Szeroka"),
    Column("nr_domu", FAMILY, "Numer domu.", "12"),
    Column("nr_lokalu", FAMILY, "Numer lokalu.", "4"),
    Column("kod_pocztowy", FAMILY, "NN-NNN.", "87-100"),
    Column("telefon", FAMILY, "Telefon klienta.", "600 100 200"),
    Column("email", FAMILY, "E-mail klienta.", ""),
    Column("rejon", FAMILY, "Kod rejonu (np. RPŚ-1) – tylko gdy ulicy nie ma w tabeli ulic rejonów; "
           "adres znany tabeli decyduje sam.", ""),
    Column("grupa_docelowa", FAMILY, _choices(TargetGroup.choices) + ".", "Rodziny z dziećmi", required=True),
    Column("data_zgloszenia", FAMILY, "Data (i godzina) zgłoszenia w poprzednim systemie: RRRR-MM-DD [GG:MM] albo "
           "DD.MM.RRRR [GG:MM].", "2019-03-15", required=True),
    Column("forma_zgloszenia", FAMILY, _choices(ReportForm.choices) + "; pusta: inna.", "telefoniczne"),
    Column("zglaszajacy", FAMILY, "Imię i nazwisko zgłaszającego; bez zgłaszającego i instytucji zgłoszenie jest "
           "anonimowe i czeka na weryfikację (zarządzenie, pkt I.1).", "Anna Kowalska"),
    Column("instytucja_zglaszajaca", FAMILY, "Nazwa instytucji zgłaszającej.", ""),
    Column("tresc_zgloszenia", FAMILY, "Treść zgłoszenia (na kartę pracy socjalnej).",
           "Prośba o pomoc w opiece nad dziećmi.", required=True),
    Column("pracownik", FAMILY, "Login pracownika socjalnego rejonu, który przejmie sprawę (przyjmuje ją w "
           "systemie); pusty: sprawa czeka na przydział u koordynatora.", ""),
]  # fmt: skip
BY_KEY = {c.key: c for c in COLUMNS}
MAX_ROWS = 20_000  # a centre's open cases are hundreds to a few thousand; more is a wrong file


def template_dataset() -> tablib.Dataset:
    """The empty template with one example family (two people), as the documentation shows it."""
    data = tablib.Dataset(headers=[c.key for c in COLUMNS], title="import")
    data.append([c.example for c in COLUMNS])
    child = {"pokrewienstwo": "dziecko", "imie": "Jan", "nazwisko": "Kowalski", "pesel": "15230112340"}
    data.append([child.get(c.key, BY_KEY["id_zewnetrzny"].example if c.key == "id_zewnetrzny" else "")
                 for c in COLUMNS])  # fmt: skip
    return data


# --- reading -----------------------------------------------------------------------------------------


class FileRefused(Exception):
    """The whole file cannot be read as the template (its format, its header)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, object]

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():  # a spreadsheet's number: 12.0 → "12"
            value = int(value)
        return " ".join(str(value).split())


@dataclass
class Family:
    external_id: str
    rows: list[Row]
    errors: list[str] = field(default_factory=list)  # "wiersz 3, kolumna pesel: …"
    # Read when there are no errors:
    kind: str = ""
    address: AddressData | None = None
    members: list[MemberData] = field(default_factory=list)
    region_code: str = ""
    target_group: str = ""
    report: ReportData | None = None
    worker: str = ""

    @property
    def first_row(self) -> int:
        return self.rows[0].number

    def member_row(self, position: int) -> int:
        return self.rows[position].number if 0 <= position < len(self.rows) else self.first_row


def _header(text) -> str:
    return fold(str(text or "")).replace(" ", "_").replace("-", "_")


def dataset_load(*, content: bytes, name: str) -> tablib.Dataset:
    """The file as a dataset: XLSX by its extension, else CSV in UTF-8 (with or without a BOM) or
    Windows-1250, separated by semicolons (as Polish Excel saves) or commas."""
    if name.lower().endswith(".xlsx"):
        try:
            return tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception as error:  # openpyxl raises many kinds on a damaged file
            raise FileRefused(_("Nie można odczytać pliku XLSX – zapisz go ponownie w Excelu.")) from error
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover – cp1250 decodes nearly every byte; the rest is said
        raise FileRefused(_("Plik CSV ma nieznane kodowanie znaków – zapisz go jako UTF-8."))
    if "\x00" in text:
        raise FileRefused(_("To nie jest plik CSV (zawiera znaki binarne) – wybierz plik CSV albo XLSX."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except Exception as error:  # csv.Error and tablib's own on a ragged file
        raise FileRefused(_("Nie można odczytać pliku CSV: %(error)s") % {"error": error}) from error


def families_read(data: tablib.Dataset) -> list[Family]:
    """The families of the file with every row's errors in Polish; nothing is written."""
    headers = [_header(h) for h in (data.headers or [])]
    missing = [c.key for c in COLUMNS if c.required and c.key not in headers]
    if missing:
        raise FileRefused(
            _("W pierwszym wierszu pliku brakuje kolumn: %(cols)s. Pobierz wzór i zachowaj jego nagłówki.")
            % {"cols": ", ".join(missing)}
        )
    if len(data) > MAX_ROWS:
        too_many = _("Plik ma %(n)s wierszy; jednorazowo importuje się do %(max)s.")
        raise FileRefused(too_many % {"n": len(data), "max": MAX_ROWS})
    known = {i: h for i, h in enumerate(headers) if h in BY_KEY}
    families: dict[str, Family] = {}
    orphans: list[Family] = []
    for index, raw in enumerate(data, start=2):
        row = Row(index, {key: raw[i] for i, key in known.items() if i < len(raw)})
        if not any(row.text(k) for k in row.values):
            continue  # an empty line between families
        external = row.text("id_zewnetrzny")
        if not external:
            orphans.append(Family("", [row], [_("wiersz %(n)s: brak identyfikatora (id_zewnetrzny).") % {"n": index}]))
            continue
        families.setdefault(external, Family(external, [])).rows.append(row)
    read = list(families.values())
    for family in read:
        _family_read(family)
    _one_pesel_in_the_file(read)
    return orphans + read


def _error(family: Family, row: Row, key: str, message: str) -> None:
    family.errors.append(_("wiersz %(n)s, kolumna %(col)s: %(msg)s") % {"n": row.number, "col": key, "msg": message})


def _choice(text: str, choices, synonyms: dict[str, str] | None = None) -> str | None:
    wanted = fold(text)
    for value, label in choices:
        if wanted in (fold(value), fold(str(label))) or fold(str(label)).startswith(wanted + " "):
            return value
    return (synonyms or {}).get(wanted)


def _date(value, *, with_time: bool):
    """A date (or a local date and time) from a spreadsheet's cell or the text forms of the template."""
    if isinstance(value, datetime.datetime):
        if not with_time:
            return value.date()
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if isinstance(value, datetime.date):
        value = datetime.datetime.combine(value, datetime.time()) if with_time else value
        return timezone.make_aware(value) if with_time else value
    text = " ".join(str(value or "").split())
    for pattern in ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            parsed = datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return timezone.make_aware(parsed) if with_time else parsed.date()
    return None


_RELATION_SYNONYMS = {"glowa": Relation.HEAD, "klient": Relation.HEAD, "glowa rodziny": Relation.HEAD,
                      "zona": Relation.SPOUSE, "maz": Relation.SPOUSE, "syn": Relation.CHILD, "corka": Relation.CHILD,
                      "matka": Relation.PARENT, "ojciec": Relation.PARENT}  # fmt: skip
_KIND_SYNONYMS = {"osoba": Client.Kind.PERSON, "rodzina": Client.Kind.FAMILY}


def _family_read(family: Family) -> None:
    first = family.rows[0]
    for row in family.rows[1:]:
        for column in COLUMNS:
            if column.level == FAMILY and row.text(column.key) and row.text(column.key) != first.text(column.key):
                _error(family, row, column.key, _("inna wartość niż w pierwszym wierszu tej rodziny (wiersz %(n)s).")
                       % {"n": first.number})  # fmt: skip
    for column in COLUMNS:
        if column.required and column.level == FAMILY and not first.text(column.key):
            _error(family, first, column.key, _("pole wymagane."))

    kind_text = first.text("rodzaj")
    family.kind = (_choice(kind_text, Client.Kind.choices, _KIND_SYNONYMS) if kind_text
                   else (Client.Kind.FAMILY if len(family.rows) > 1 else Client.Kind.PERSON))  # fmt: skip
    if family.kind is None:
        _error(family, first, "rodzaj", _("wpisz „osoba” albo „rodzina”."))
    if family.kind == Client.Kind.PERSON and len(family.rows) > 1:
        _error(family, first, "rodzaj", _("„osoba” ma jeden wiersz; kilka osób to „rodzina”."))

    for position, row in enumerate(family.rows):
        member = _member_read(family, row, position)
        if member is not None:
            family.members.append(member)

    family.address = AddressData(
        city=first.text("miejscowosc"), street=first.text("ulica"), house_number=first.text("nr_domu"),
        flat_number=first.text("nr_lokalu"), postal_code=first.text("kod_pocztowy"), phone=first.text("telefon"),
        email=first.text("email"),
    )  # fmt: skip
    for key, limit in (("miejscowosc", 80), ("ulica", 120), ("nr_domu", 20), ("nr_lokalu", 20), ("telefon", 40)):
        if len(first.text(key)) > limit:
            _error(family, first, key, _("najwyżej %(n)s znaków.") % {"n": limit})
    postal = first.text("kod_pocztowy")
    if postal and not (len(postal) == 6 and postal[2] == "-" and (postal[:2] + postal[3:]).isdigit()):
        _error(family, first, "kod_pocztowy", _("kod pocztowy ma postać NN-NNN."))

    family.region_code = first.text("rejon")
    group = first.text("grupa_docelowa")
    family.target_group = _choice(group, TargetGroup.choices) if group else ""
    if group and family.target_group is None:
        unknown = _("nieznana grupa; wpisz jedną z: %(c)s.") % {"c": _choices(TargetGroup.choices)}
        _error(family, first, "grupa_docelowa", unknown)

    received = _date(first.values.get("data_zgloszenia"), with_time=True) if first.text("data_zgloszenia") else None
    if first.text("data_zgloszenia") and received is None:
        _error(family, first, "data_zgloszenia", _("data ma postać RRRR-MM-DD albo DD.MM.RRRR."))
    form_text = first.text("forma_zgloszenia")
    form = _choice(form_text, ReportForm.choices) if form_text else ReportForm.OTHER
    if form is None:
        unknown = _("nieznana forma; wpisz jedną z: %(c)s.") % {"c": _choices(ReportForm.choices)}
        _error(family, first, "forma_zgloszenia", unknown)
    if received is not None and form is not None:
        family.report = ReportData(
            received_at=received, form=form, content=first.text("tresc_zgloszenia"),
            reporter_name=first.text("zglaszajacy")[:160], institution_name=first.text("instytucja_zglaszajaca")[:200],
        )  # fmt: skip
    family.worker = first.text("pracownik")


def _member_read(family: Family, row: Row, position: int) -> MemberData | None:
    errors = len(family.errors)
    for key in ("imie", "nazwisko"):
        if not row.text(key):
            _error(family, row, key, _("pole wymagane."))
        elif len(row.text(key)) > 80:
            _error(family, row, key, _("najwyżej 80 znaków."))
    pesel = row.text("pesel").replace(" ", "")
    if pesel and not (len(pesel) == 11 and pesel.isascii() and pesel.isdigit()):
        _error(family, row, "pesel", _("PESEL składa się z 11 cyfr."))
    elif pesel and not pesel_checksum_ok(pesel):
        _error(family, row, "pesel", _("nieprawidłowy PESEL: cyfra kontrolna się nie zgadza."))
    elif pesel and pesel_birth_date(pesel) is None:
        _error(family, row, "pesel", _("nieprawidłowy PESEL: nie zawiera poprawnej daty urodzenia."))
    born = None
    if row.text("data_urodzenia"):
        born = _date(row.values.get("data_urodzenia"), with_time=False)
        if born is None:
            _error(family, row, "data_urodzenia", _("data ma postać RRRR-MM-DD albo DD.MM.RRRR."))
    sex = row.text("plec").upper()
    if sex and sex not in Sex.values:
        _error(family, row, "plec", _("wpisz K albo M."))
    relation_text = row.text("pokrewienstwo")
    relation = Relation.HEAD if position == 0 else (
        _choice(relation_text, Relation.choices, _RELATION_SYNONYMS) if relation_text else Relation.OTHER)  # fmt: skip
    if relation is None:
        _error(family, row, "pokrewienstwo", _("nieznane; wpisz jedno z: %(c)s.") % {"c": _choices(Relation.choices)})
    elif position > 0 and relation == Relation.HEAD:
        _error(family, row, "pokrewienstwo", _("klientem (głową rodziny) jest osoba z pierwszego wiersza rodziny."))
    if len(family.errors) > errors:
        return None
    return MemberData(first_name=row.text("imie"), last_name=row.text("nazwisko"), pesel=pesel, birth_date=born,
                      relation=relation, sex=sex)  # fmt: skip


def _one_pesel_in_the_file(families: list[Family]) -> None:
    seen: dict[str, tuple[Family, Row]] = {}
    for family in families:
        for row in family.rows:
            pesel = row.text("pesel").replace(" ", "")
            if not pesel:
                continue
            if pesel in seen:
                other, at = seen[pesel]
                _error(family, row, "pesel", _("ten sam PESEL jest w wierszu %(n)s (%(id)s).")
                       % {"n": at.number, "id": other.external_id})  # fmt: skip
            else:
                seen[pesel] = (family, row)
