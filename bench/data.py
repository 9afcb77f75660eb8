"""Synthetic data for ``make bench``: one centre with ``size`` cases, written in bulk.

Why not through the services: 100,000 cases with 20–80 entries each is about five million
entries, and the services write each one in its own transaction with a row lock and a history
row – hours. Instead the rows are generated here along the paths of the procedure
(``cases/procedure.py``: the stages in their order, a transition row for every move, the close
reasons each stage allows, a diagnosis before stage IV, contracts only from stage IV on, the
first met visit as the first contact) and written in bulk, one transaction per chunk of cases:
PostgreSQL ``COPY``, SQLite ``executemany``. Every history-tracked model gets its historical row
("+", created, by the author, at the time of the event) in the same bulk – the project's rule
is that no tracked row is written without its history, and the karta reads that history.

Only the organisation (a handful of rows) and the karta's case are made through the ORM and the
services: the karta case (``KARTA_CASE``, 50 entries) is the one the karta and the case detail
are measured on, so it is the real thing, with real versions and history.

Safety: the database's name must contain "bench" (``var/bench-<size>.sqlite3``,
``postgres://…/mopr_bench``), so the dev and the test databases are never filled or flushed.

Idempotent per size: a table ``bench_marker`` (not a model – it exists only in bench databases)
records the size, whether the fill finished, and the probes the bench measures (a PESEL, case
ids with 20 and 80 entries…). A database that holds the requested size is reused; one that holds
another size, or an interrupted fill, is flushed and filled again; one with cases but no marker
is refused.
"""

from __future__ import annotations

import collections
import datetime
import itertools
import json
import random
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction

MARKER_TABLE = "bench_marker"
# Shared by every bench user; the load test logs in with it. Bench databases only.
PASSWORD = "Bench-mopr-2026"
KARTA_CASE = "BENCH/KARTA/50"
INSTITUTION = "BENCH"
CHUNK = 2000  # cases per transaction
UTC = datetime.UTC
WARSAW = ZoneInfo("Europe/Warsaw")
DAY = datetime.timedelta(days=1)


class NotABenchDatabase(Exception):
    pass


# --- the marker -------------------------------------------------------------------------------------------


def database_name() -> str:
    return str(settings.DATABASES["default"]["NAME"])


def check_bench_database() -> None:
    name = database_name()
    if "bench" not in name.lower():
        raise NotABenchDatabase(
            f"Baza {name!r} nie wygląda na bazę benchmarku (nazwa musi zawierać „bench”); "
            "make bench nigdy nie zapisuje do bazy deweloperskiej ani testowej."
        )


def create_database() -> None:
    """A PostgreSQL bench database that does not exist yet is created (SQLite creates its file)."""
    from django.db import OperationalError

    if connection.vendor != "postgresql":
        return
    try:
        connection.ensure_connection()
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
        import psycopg

        db = connection.settings_dict
        params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None,
                  "password": db["PASSWORD"] or None}  # fmt: skip
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as maintenance:
            maintenance.execute(f"CREATE DATABASE {connection.ops.quote_name(database_name())}")


def marker() -> dict | None:
    with connection.cursor() as cur:
        columns = "size integer NOT NULL, state varchar(20) NOT NULL, info text NOT NULL"
        cur.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} ({columns})")
        cur.execute(f"SELECT size, state, info FROM {MARKER_TABLE}")
        row = cur.fetchone()
    if row is None:
        return None
    return {"size": row[0], "state": row[1], **json.loads(row[2])}


def _set_marker(size: int, state: str, info: dict) -> None:
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {MARKER_TABLE}")
        sql = f"INSERT INTO {MARKER_TABLE} (size, state, info) VALUES (%s, %s, %s)"
        cur.execute(sql, [size, state, json.dumps(info)])


# --- the bulk writer -----------------------------------------------------------------------------------------


@dataclass
class _Spec:
    table: str
    columns: list[str]
    pk: str
    to_tuple: object  # row dict → the tuple of column values, in the order of ``columns``


def _sqlite_datetime(value):
    # As Django stores it on SQLite: naive UTC text.
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ")


def _sqlite_date(value):
    return value.isoformat()


def _json(value):
    return json.dumps(value)


class Writer:
    """Buffers rows (dicts by attname) per model and writes them in bulk; ids are given here, so
    nothing has to come back from the database."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"
        self.specs: dict[type[models.Model], _Spec] = {}
        self.buffers: dict[type[models.Model], list[tuple]] = {}
        self.next_ids: dict[type[models.Model], int] = {}
        self.written: dict[str, int] = {}
        self.histories: dict[type[models.Model], type[models.Model]] = {}

    def _spec(self, model) -> _Spec:
        spec = self.specs.get(model)
        if spec is None:
            spec = self.specs[model] = self._compile(model)
            self.buffers[model] = []
        return spec

    def _compile(self, model) -> _Spec:
        """A function from a row dict to the column tuple, generated once per model: a row is taken
        apart millions of times, a loop over the fields each time would double the fill's time.
        A field with no value and no default is a KeyError (``row["name"]``), never a silent NULL."""
        names: dict[str, object] = {}
        parts = []
        for i, f in enumerate(model._meta.concrete_fields):
            if f.has_default():
                names[f"d{i}"] = f.get_default()
                value = f"row.get({f.attname!r}, d{i})"
            elif f.null:
                value = f"row.get({f.attname!r})"
            elif f.blank and isinstance(f, models.CharField | models.TextField):
                value = f"row.get({f.attname!r}, '')"
            else:
                value = f"row[{f.attname!r}]"
            convert = None
            if isinstance(f, models.JSONField):
                convert = _json
            elif not self.pg and isinstance(f, models.DateTimeField):
                convert = _sqlite_datetime
            elif not self.pg and isinstance(f, models.DateField):
                convert = _sqlite_date
            if convert is not None:
                names[f"c{i}"] = convert
                value = f"(None if (v{i} := {value}) is None else c{i}(v{i}))"
            parts.append(value)
        code = "lambda row: (" + ", ".join(parts) + ",)"
        to_tuple = eval(code, names)
        columns = [f.column for f in model._meta.concrete_fields]
        return _Spec(model._meta.db_table, columns, model._meta.pk.attname, to_tuple)

    def new_id(self, model) -> int:
        nid = self.next_ids.get(model)
        if nid is None:
            pk = model._meta.pk.attname
            nid = (model._base_manager.aggregate(m=models.Max(pk))["m"] or 0) + 1
        self.next_ids[model] = nid + 1
        return nid

    def add(self, model, row: dict) -> int:
        spec = self.specs.get(model) or self._spec(model)
        pk = spec.pk
        if pk not in row:
            row[pk] = self.new_id(model)
        self.buffers[model].append(spec.to_tuple(row))
        return row[pk]

    def add_tracked(self, model, row: dict, *, at: datetime.datetime, by: int | None) -> int:
        """The row and its historical "+" row, as simple_history would have written it."""
        pk = self.add(model, row)
        history = self.histories.get(model)
        if history is None:  # the descriptor builds a manager on every access: look it up once
            history = self.histories[model] = model.history.model
        self.add(
            history,
            {**row, "history_date": at, "history_type": "+", "history_user_id": by, "history_change_reason": None},
        )
        return pk

    def flush(self) -> None:
        raw = connection.connection
        for model, rows in self.buffers.items():
            if not rows:
                continue
            spec = self.specs[model]
            qn = connection.ops.quote_name
            columns = ", ".join(qn(c) for c in spec.columns)
            if self.pg:
                with raw.cursor() as cur, cur.copy(f"COPY {qn(spec.table)} ({columns}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
            else:
                marks = ", ".join("?" * len(spec.columns))
                raw.executemany(f"INSERT INTO {qn(spec.table)} ({columns}) VALUES ({marks})", rows)
            self.written[spec.table] = self.written.get(spec.table, 0) + len(rows)
            rows.clear()

    def reset_sequences(self) -> None:
        if not self.pg:
            return  # SQLite's AUTOINCREMENT follows the largest id written
        from django.core.management.color import no_style

        with connection.cursor() as cur:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.specs)):
                cur.execute(sql)


# --- the vocabulary ---------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE = _words(
    "Jan Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Grzegorz Józef Łukasz Adam Zbigniew Jerzy "
    "Tadeusz Mateusz Dariusz Mariusz Wojciech Ryszard Jakub Kazimierz Marek Sławomir Bartłomiej Mirosław "
    "Stanisław Szymon Dawid Kamil Przemysław Zdzisław Bogdan Henryk Wiesław Czesław Jarosław Maciej"
)
FEMALE = _words(
    "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Elżbieta Zofia Teresa Joanna "
    "Magdalena Monika Jadwiga Danuta Aleksandra Natalia Irena Beata Dorota Jolanta Halina Grażyna Bożena "
    "Urszula Żaneta Jagoda Weronika Łucja Iwona Renata Wiesława Sylwia Justyna Paulina Dominika Gabriela"
)
CHILD_MALE = _words("Antoni Jan Aleksander Franciszek Nikodem Szymon Filip Ignacy Leon Wojciech Kacper Mikołaj")
CHILD_FEMALE = _words("Zuzanna Zofia Hanna Julia Maja Lena Alicja Oliwia Pola Łucja Helena Nadia Wiktoria")
# Common surnames, in their masculine form; the feminine one follows the -ski/-cki/-dzki rule.
SURNAMES = _words(
    "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
    "Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski "
    "Michalski Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król Majewski Olszewski Jaworski Wróbel "
    "Malinowski Pawlak Witkowski Walczak Stępień Górski Rutkowski Michalak Sikora Ostrowski Baran Duda "
    "Szewczyk Tomaszewski Pietrzak Marciniak Wróblewski Zalewski Jakubowski Jasiński Zawadzki Sadowski "
    "Bąk Chmielewski Włodarczyk Borkowski Czarnecki Sawicki Sokołowski Urbański Kubiak Maciejewski "
    "Szczepański Kucharski Wilk Kalinowski Lis Mazurek Wysocki Adamski Kaźmierczak Wasilewski Sobczak "
    "Czerwiński Andrzejewski Cieślak Głowacki Zakrzewski Kołodziej Sikorski Krajewski Gajewski Szymczak "
    "Szulc Baranowski Laskowski Brzeziński Makowski Ziółkowski Przybylski Żółkiewski Łukasiewicz "
    "Ćwikliński Ślusarczyk Żak Łęcki Gęsicki Świątek Dziedzic Kaczmarek Błaszczyk Górecki Śliwiński"
)
# The long tail: rarer names, prefix + suffix.
TAIL_PREFIX = _words(
    "Grzyb Chmiel Żmud Ścibor Brzęcz Kręż Wąs Dzięg Płaz Mrocz Łoziń Głąb Rzepk Szczyp Wierzb Trzaskal "
    "Gawron Sroczy Jeleń Kruszyn Podgór Zagór Osiec Bielaw Jastrzęb Konop Kłos Miodu Ogór Pszczół"
)
TAIL_SUFFIX = ("owski", "ewicz", "czak", "iński", "ak", "ek", "ała", "ecki")
STREETS = _words(
    "Szeroka Żeglarska Mostowa Łódzka Grudziądzka Chełmińska Mickiewicza Kościuszki Bydgoska Lubicka "
    "Legionów Reja Kraszewskiego Prosta Podmurna Ślusarska Wałbrzyska Rydygiera Świętopełka Żółkiewskiego "
    "Ligi_Polskiej Olsztyńska Gagarina Broniewskiego Szosa_Chełmińska Szosa_Lubicka Polna Wschodnia "
    "Kasprowicza Jagiellońska Dekerta Łąkowa Sienkiewicza Moniuszki Okólna Batorego Wielkie_Garbary "
    "Fałata Słowackiego Skłodowskiej-Curie Łukasiewicza Ściegiennego Żwirki_i_Wigury Chrobrego Danielewskiego"
)
STREETS = tuple(s.replace("_", " ") for s in STREETS)

REPORT_TEXTS = (
    "Sąsiadka zgłasza, że dzieci często zostają same w domu do późnych godzin.",
    "Pedagog szkolny informuje o częstych nieobecnościach i zaniedbaniu ucznia.",
    "Dzielnicowy zgłasza awantury domowe i nadużywanie alkoholu przez ojca.",
    "Klientka prosi o pomoc: zaległości czynszowe, grozi eksmisja.",
    "Starszy mężczyzna mieszka sam, nie radzi sobie z prowadzeniem gospodarstwa domowego.",
    "Przychodnia informuje, że matka nie zgłasza się z niemowlęciem na szczepienia.",
)
FINDINGS = (
    "Rodzina w mieszkaniu dwupokojowym, warunki mieszkaniowe skromne, dzieci zadbane.",
    "Matka samotnie wychowuje troje dzieci, bez stałego zatrudnienia, korzysta z zasiłku.",
    "Ojciec deklaruje podjęcie terapii uzależnienia; rozmowa o planie działania.",
    "Stwierdzono zaległości w opłatach za mieszkanie; omówiono możliwość rozłożenia na raty.",
    "Dzieci uczęszczają do szkoły, najmłodsze do przedszkola; kontakt z wychowawcą dobry.",
    "Klient skarży się na samotność i problemy zdrowotne; potrzebne wsparcie usług opiekuńczych.",
    "W mieszkaniu chłodno, brak opału na zimę; złożono wniosek o zasiłek celowy.",
    "Rozmowa o budżecie domowym; klientka prowadzi zeszyt wydatków, widać postęp.",
)
NOTES = (
    "W sytuacji rodziny nie zaszły istotne zmiany.",
    "Klientka poinformowała telefonicznie o podjęciu pracy na pół etatu.",
    "Rozmowa z pedagogiem szkolnym: frekwencja syna poprawiła się w ostatnim miesiącu.",
    "Klient nie stawił się na umówione spotkanie; wysłano wezwanie.",
    "Ustalono z kuratorem sądowym wspólny termin wizyty w rodzinie.",
    "Rodzina otrzymała paczkę żywnościową z banku żywności.",
)
LEARNT = (
    "Dziecko pod opieką poradni, szczepienia aktualne.",
    "Uczeń opuścił w semestrze 40 godzin bez usprawiedliwienia.",
    "Dzielnicowy potwierdza brak interwencji w ostatnim kwartale.",
    "Kurator ocenia współpracę rodziny jako poprawną.",
)
GOALS = (
    "Spłata zaległości czynszowych w ratach.",
    "Podjęcie zatrudnienia przez klienta.",
    "Regularne uczęszczanie dzieci do szkoły.",
    "Utrzymanie abstynencji i udział w terapii.",
    "Poprawa organizacji gospodarstwa domowego.",
)


def _surname(rng: random.Random) -> str:
    """A surname in its masculine form, spread roughly as in Poland: the commonest (Nowak) ~1% of
    the clients, the hundred common ones together a quarter, the rest a long tail of rarer ones.
    A search by a fragment of a common name ("kowal") then finds about one client in a hundred."""
    if rng.random() < 0.25:
        return SURNAMES[int(len(SURNAMES) * rng.random() ** 1.5)]
    return rng.choice(TAIL_PREFIX) + rng.choice(TAIL_SUFFIX)


def _feminine(name: str) -> str:
    for masc, fem in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if name.endswith(masc):
            return name[: -len(masc)] + fem
    return name


_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def _pesel(born: datetime.date, serial: int, female: bool) -> str:
    """The ``serial``-th PESEL of that birth date and sex: 5,000 of them, all different (a PESEL is
    unique within an institution, and the database holds that)."""
    month = born.month + {1800: 80, 1900: 0, 2000: 20}[born.year // 100 * 100]
    sex = (serial // 1000 % 5) * 2 + (0 if female else 1)
    digits = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial % 1000:03d}{sex}"
    total = sum(int(d) * w for d, w in zip(digits, _PESEL_WEIGHTS, strict=True))
    return digits + str((10 - total % 10) % 10)


def _local(dt: datetime.datetime) -> datetime.date:
    return dt.astimezone(WARSAW).date()


# --- the organisation ------------------------------------------------------------------------------------


@dataclass
class Org:
    institution: object
    regions: list
    workers: dict[int, list[int]]  # region id → worker ids
    coordinators: dict[int, int]  # region id → coordinator id
    assistants: list[int]
    head: int
    director: int
    desk: int
    admin: object


def _make_org(size: int) -> Org:
    """The centre, its RPŚ and people, through the ORM (a few hundred rows, histories included).
    One password hash for everyone: hashing it per user would take minutes and prove nothing."""
    from django.contrib.auth.hashers import make_password

    from mopr.models import Institution, Region, Role, RoleAssignment, User

    n_regions = max(3, min(20, size // 5000))
    per_region = max(2, min(10, size // (n_regions * 500)))
    password = make_password(PASSWORD)
    # No TOTP for anyone: the load test logs in with a password (production keeps the default).
    institution = Institution.objects.create(
        name="Miejski Ośrodek Pomocy Rodzinie – baza benchmarku",
        short_name=INSTITUTION,
        city="Toruń",
        address="ul. Konstytucji 3 Maja 42, 87-100 Toruń",
        otp_required_roles=[],
    )
    streets = list(STREETS)
    regions, workers, coordinators = [], {}, {}
    rng = random.Random(7)

    def user(username, first, last, roles, **extra):
        u = User.objects.create(
            username=username, first_name=first, last_name=last, institution=institution, password=password, **extra
        )
        for role, region in roles:
            RoleAssignment.objects.create(user=u, role=role, region=region)
        return u

    from streets.models import Street, StreetRange

    for r in range(n_regions):
        own = streets[r::n_regions]
        region = Region.objects.create(institution=institution, code=f"RPŚ-{r + 1}", name=f"Rejon {r + 1}")
        # Each street whole to one region, entered by hand (issue 19.3's table; the bench needs no TERYT codes).
        for name in own:
            street = Street.objects.create(institution=institution, nazwa_1=name)
            StreetRange.objects.create(region=region, street=street)
        region.street_names = own
        regions.append(region)
        workers[region.pk] = [
            user(
                f"bench-worker-{r + 1}-{w + 1}",
                rng.choice(FEMALE),
                _feminine(_surname(rng)),
                [(Role.SOCIAL_WORKER, region)],
            ).pk
            for w in range(per_region)
        ]
        coordinators[region.pk] = user(
            f"bench-coordinator-{r + 1}", rng.choice(FEMALE), _feminine(_surname(rng)), [(Role.COORDINATOR, region)]
        ).pk
    assistants = [
        user(
            f"bench-assistant-{a + 1}", rng.choice(FEMALE), _feminine(_surname(rng)), [(Role.FAMILY_ASSISTANT, None)]
        ).pk
        for a in range(max(2, size // 4000))
    ]
    head = user("bench-head", "Grażyna", "Kierownicka", [(Role.HEAD_OF_DEPARTMENT, None)]).pk
    director = user("bench-director", "Zbigniew", "Dyrektorski", [(Role.DIRECTOR, None)]).pk
    user("bench-auditor", "Halina", "Kontrolna", [(Role.AUDITOR, None)])
    desk = user("bench-desk", "Irena", "Recepcyjna", [(Role.FIRST_CONTACT, None)]).pk
    # The reference of the admin changelist: a superuser of no institution.
    admin = User.objects.create(username="bench-admin", password=password, is_staff=True, is_superuser=True)
    return Org(institution, regions, workers, coordinators, assistants, head, director, desk, admin)


# --- one case ------------------------------------------------------------------------------------------

STAGE_WEIGHTS = {
    "zgloszenie": 5,
    "rozeznanie": 18,
    "diagnoza": 7,
    "praca_socjalna": 25,
    "monitoring": 3,
    "zawieszenie": 4,
    "zakonczenie": 38,
}
# How old (days) a case at each stage may be: a fresh report is at stage I, a closed case may be years old.
AGE_DAYS = {
    "zgloszenie": (1, 20),
    "rozeznanie": (5, 150),
    "diagnoza": (30, 240),
    "praca_socjalna": (60, 900),
    "monitoring": (60, 900),
    "zawieszenie": (60, 900),
    "zakonczenie": (90, 6 * 365),
}
ENTRY_KINDS = ("visit", "note", "contact", "review", "notification", "summons", "child", "parent_apart")
ENTRY_WEIGHTS = (30, 25, 15, 10, 5, 4, 8, 3)


@dataclass
class Plan:
    """A case's path through the procedure, before it is written."""

    stage: str
    reported: datetime.datetime
    region: object
    path: list[tuple[str, datetime.datetime]] = field(default_factory=list)
    close_reason: str = ""
    suspended_from: str = ""


class Filler:
    def __init__(self, size: int, org: Org, writer: Writer, now: datetime.datetime, seed: int = 2026):
        self.size, self.org, self.w, self.now = size, org, writer, now
        self.rng = random.Random(seed)
        self.pesel_serials: collections.Counter = collections.Counter()  # per birth date and sex
        self.returning: dict[int, list[tuple[int, datetime.datetime, list]]] = {r.pk: [] for r in org.regions}
        self.counters: dict[tuple[int, int], int] = {}
        self.probes: dict = {}
        self.inst_id = org.institution.pk
        self.n_cases = 0
        self._last_entries = None

    # --- plans ---

    def plan(self) -> list[Plan]:
        rng, stages = self.rng, list(STAGE_WEIGHTS)
        weights = list(STAGE_WEIGHTS.values())
        plans = []
        for _ in range(self.size):
            stage = rng.choices(stages, weights)[0]
            low, high = AGE_DAYS[stage]
            reported = self.now - datetime.timedelta(days=rng.uniform(low, high), minutes=rng.randint(0, 600))
            plans.append(Plan(stage, reported, rng.choice(self.org.regions)))
        plans.sort(key=lambda p: p.reported)
        return plans

    def _path(self, p: Plan) -> None:
        """The stages the case went through, with their times, ending at ``p.stage``."""
        rng = self.rng
        final = p.stage
        if final == "zakonczenie":
            last = rng.choices(
                ["rozeznanie", "diagnoza", "praca_socjalna", "monitoring", "zawieszenie"], [28, 14, 50, 5, 3]
            )[0]
        elif final in ("monitoring", "zawieszenie"):
            last = rng.choices(["rozeznanie", "diagnoza", "praca_socjalna"], [40, 15, 45])[0]
        else:
            last = final
        order = ["zgloszenie", "rozeznanie", "diagnoza", "praca_socjalna"]
        steps = order[: order.index(last) + 1] if last in order else None
        if steps is None:  # closed after monitoring or suspension: they came from somewhere
            origin = rng.choice(["rozeznanie", "praca_socjalna"])
            steps = [*order[: order.index(origin) + 1], last]
        elif final in ("monitoring", "zawieszenie"):
            steps = [*steps, final]
        if final == "zakonczenie":
            steps = [*steps, "zakonczenie"]
        # Typical durations (days) of each step; squeezed when the case is younger than that.
        durations = {
            "zgloszenie": 2,
            "rozeznanie": rng.uniform(15, 60),
            "diagnoza": rng.uniform(5, 20),
            "praca_socjalna": rng.uniform(120, 600),
            "monitoring": rng.uniform(30, 200),
            "zawieszenie": rng.uniform(30, 120),
        }
        needed = sum(durations[s] for s in steps[:-1]) or 1
        available = (self.now - p.reported).total_seconds() / 86400 - 0.5
        scale = min(1.0, available / needed)
        at = p.reported
        p.path = [("zgloszenie", at)]
        for previous, stage in itertools.pairwise(steps):
            at = at + datetime.timedelta(days=durations[previous] * scale * rng.uniform(0.7, 1.0))
            p.path.append((stage, at))
        if final == "zawieszenie":
            p.suspended_from = steps[-2]
        if final == "zakonczenie":
            from cases.procedure import CLOSE_REASONS_BY_STAGE, Stage

            allowed = sorted(CLOSE_REASONS_BY_STAGE[Stage(steps[-2])])
            preferred = {
                "diagnoza": "unfounded",
                "praca_socjalna": "contract_completed",
                "rozeznanie": "refusal",
                "monitoring": "refusal",
                "zawieszenie": "moved_out",
            }
            wanted = preferred[steps[-2]]
            p.close_reason = wanted if rng.random() < 0.6 and wanted in allowed else rng.choice(allowed)

    # --- writing ---

    def run(self, stdout=None) -> dict:
        plans = self.plan()
        started = time.monotonic()
        for first in range(0, len(plans), CHUNK):
            with transaction.atomic():
                for p in plans[first : first + CHUNK]:
                    self.case(p)
                self.w.flush()
            if stdout is not None and (first // CHUNK) % 5 == 0:
                done = first + len(plans[first : first + CHUNK])
                stdout.write(f"  {done}/{len(plans)} spraw, {time.monotonic() - started:.0f} s")
        from cases.models import CaseNumberCounter

        with transaction.atomic():
            for (region_id, year), last in sorted(self.counters.items()):
                self.w.add(CaseNumberCounter, {"region_id": region_id, "year": year, "last": last})
            self.w.flush()
        return self.probes

    def _client(self, p: Plan) -> tuple[int, list]:
        """A new client (person or family) at an address of the case's region; its member rows."""
        from cases.models import Client, ClientMember
        from mopr.text import fold

        rng, w, at = self.rng, self.w, p.reported
        family = rng.random() < 0.6
        female = rng.random() < 0.6
        base = _surname(rng)

        def surname(is_female):
            return _feminine(base) if is_female else base

        head_born = datetime.date(rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28))
        members = [(rng.choice(FEMALE if female else MALE), surname(female), head_born, female, "head")]
        if family:
            if rng.random() < 0.55:
                born = head_born + datetime.timedelta(days=rng.randint(-2000, 2000))
                members.append(
                    (rng.choice(MALE if female else FEMALE), surname(not female), born, not female, "spouse")
                )
            for _ in range(rng.randint(1, 4)):
                child_female = rng.random() < 0.5
                born = at.date() - datetime.timedelta(days=rng.randint(200, 17 * 365))
                name = rng.choice(CHILD_FEMALE if child_female else CHILD_MALE)
                members.append((name, surname(child_female), born, child_female, "child"))
        street = rng.choice(p.region.street_names)
        client = {
            "institution_id": self.inst_id,
            "kind": "family" if family else "person",
            "street": street,
            "house_number": str(rng.randint(1, 120)),
            "flat_number": str(rng.randint(1, 40)) if rng.random() < 0.7 else "",
            "postal_code": f"87-1{rng.randint(0, 9)}{rng.randint(0, 9)}",
            "city": "Toruń",
            "phone": f"5{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            "created_at": at,
        }
        rows = []
        for first, surname, born, is_female, relation in members:
            self.pesel_serials[born, is_female] += 1
            rows.append(
                {
                    "first_name": first,
                    "last_name": surname,
                    "birth_date": born,
                    "relation": relation,
                    "is_head": relation == "head",
                    "pesel": _pesel(born, self.pesel_serials[born, is_female], is_female),
                    "in_foster_care": relation == "child" and rng.random() < 0.01,
                }
            )
        parts = []
        for m in rows:
            parts += [m["first_name"], m["last_name"], m["pesel"]]
        parts += [client["street"], client["house_number"], client["postal_code"], client["city"]]
        client["search_text"] = fold(" ".join(x for x in parts if x))
        by = self.org.desk
        client_id = w.add_tracked(Client, client, at=at, by=by)
        for m in rows:
            m["client_id"] = client_id
            m["institution_id"] = self.inst_id
            m["id"] = w.add_tracked(ClientMember, m, at=at, by=by)
        return client_id, rows

    def case(self, p: Plan) -> None:
        from cases.models import Case, Report, StageTransition

        rng, w = self.rng, self.w
        self._path(p)
        region_id = p.region.pk
        pool = self.returning[region_id]
        if pool and pool[0][1] < p.reported and rng.random() < 0.08:
            client_id, _closed, members = pool.pop(0)  # a client who comes back after a closed case
        else:
            client_id, members = self._client(p)
        year = _local(p.reported).year
        seq = self.counters.get((region_id, year), 0) + 1
        self.counters[(region_id, year)] = seq
        times = dict(p.path)
        unassigned = p.stage == "zgloszenie" and rng.random() < 0.5
        worker = None if unassigned else rng.choice(self.org.workers[region_id])
        coordinator = self.org.coordinators[region_id]
        transferred = worker is not None and rng.random() < 0.7
        transferred_at = p.reported + datetime.timedelta(hours=rng.uniform(1, 30)) if transferred else None
        accepted_at = None
        if worker is not None and not (p.stage == "zgloszenie" and rng.random() < 0.6):
            accepted_at = (transferred_at or p.reported) + datetime.timedelta(hours=rng.uniform(0, 20))
        if "rozeznanie" in times and accepted_at is not None:
            accepted_at = min(accepted_at, times["rozeznanie"])
        end = times.get("zakonczenie") or times.get("zawieszenie") or self.now
        closed = p.stage == "zakonczenie"
        case = {
            "institution_id": self.inst_id,
            "client_id": client_id,
            "region_id": region_id,
            "worker_id": worker,
            "number": f"{p.region.code}/{year}/{seq:04d}",
            "target_group": rng.choice(
                ["family_children"] * 5 + ["unemployed", "elderly", "disabled", "addiction", "homeless"]
            ),
            "stage": p.stage,
            "suspended_from": p.suspended_from,
            "urgent": rng.random() < 0.03,
            "reported_at": p.reported,
            "transferred_at": transferred_at,
            "transferred_by_id": coordinator if transferred else None,
            "accepted_at": accepted_at,
            "social_work_started_at": _local(times["praca_socjalna"]) if "praca_socjalna" in times else None,
            "closed_at": times.get("zakonczenie"),
            "close_reason": p.close_reason,
            "close_justification": "Zakończenie zgodnie z procedurą." if closed else "",
            "version": len(p.path) + 2,
            "created_at": p.reported,
            "updated_at": end,
        }
        case_id = w.new_id(Case)
        case["id"] = case_id
        author = worker or self.org.desk

        # Reports: one, sometimes a second; an anonymous one is verified once the case moved on.
        anonymous = rng.random() < 0.05
        for k in range(2 if rng.random() < 0.1 else 1):
            received = p.reported if k == 0 else p.reported + (end - p.reported) * rng.uniform(0.2, 0.9)
            unnamed = anonymous and k == 0
            form = "phone" if unnamed else rng.choice(["oral", "phone", "written", "institution"])
            verified = unnamed and len(p.path) > 1
            w.add_tracked(
                Report,
                {
                    "case_id": case_id,
                    "received_at": received,
                    "form": form,
                    "institution_name": "Szkoła Podstawowa nr 7" if form == "institution" else "",
                    "reporter_name": "" if unnamed else "Maria Wiśniewska",
                    "content": rng.choice(REPORT_TEXTS),
                    "urgent": case["urgent"] and k == 0,
                    "received_by_id": worker if (worker and not transferred) else self.org.desk,
                    "anonymous": unnamed,
                    "needs_verification": unnamed,
                    "verified_at": (accepted_at or received) + DAY if verified else None,
                    "verified_by_id": author if verified else None,
                    "verification_note": "Zgłoszenie potwierdzone podczas wizyty." if verified else "",
                    "created_at": received,
                },
                at=received,
                by=self.org.desk,
            )

        # The transition log, one row per move.
        previous = ""
        for stage, at in p.path:
            reason = "" if stage in ("zgloszenie", "rozeznanie", "diagnoza", "praca_socjalna") else "Uzasadnienie."
            w.add(
                StageTransition,
                {
                    "case_id": case_id,
                    "from_stage": previous,
                    "to_stage": stage,
                    "by_id": author,
                    "at": at,
                    "reason": reason if previous != "zawieszenie" else "Wznowienie.",
                    "close_reason": p.close_reason if stage == "zakonczenie" else "",
                },
            )
            previous = stage

        first_contact = None
        if accepted_at is not None and p.stage != "zgloszenie":
            first_contact = self._entries(case_id, worker, members, accepted_at, end, times)
        case["first_contact_at"] = first_contact
        w.add_tracked(Case, case, at=p.reported, by=self.org.desk)
        if "praca_socjalna" in times:
            self._contracts(p, case_id, worker, members, times, end)
        self._flags(p, case_id, author, end)
        if p.stage == "monitoring":
            self._monitoring(case_id, worker, times["monitoring"])
        if closed:
            self.returning[region_id].append((client_id, times["zakonczenie"], members))
        self._probe(case_id, p, members)

    def _entries(self, case_id, worker, members, start, end, times) -> datetime.date | None:
        """20–80 entries spread over the case's active time; returns the first contact's date."""
        from cases.models import (
            ChildObservation,
            Diagnosis,
            DocumentReview,
            InstitutionContact,
            Notification,
            OfficialNote,
            ParentApartInfo,
            Summons,
            Visit,
        )

        rng, w = self.rng, self.w
        n = rng.randint(20, 80)
        self._last_entries = n
        children = [m for m in members if m["relation"] == "child"]
        span = max((end - start).total_seconds(), 3600.0)
        first_met = None
        last_refusal = None
        for i in range(n):
            at = start + datetime.timedelta(seconds=span * (i + rng.random()) / n)
            day = _local(at)
            kind = "visit" if i == 0 else rng.choices(ENTRY_KINDS, ENTRY_WEIGHTS)[0]
            if kind in ("child", "parent_apart") and not children:
                kind = "note"
            if kind == "summons" and last_refusal is None:
                kind = "note"
            base = {"case_id": case_id, "author_id": worker, "created_at": at + datetime.timedelta(minutes=30)}
            if kind == "visit":
                outcome = (
                    "met"
                    if i == 0
                    else rng.choices(["met", "nobody_home", "refused", "child_absent"], [75, 12, 8, 5])[0]
                )
                vid = w.add_tracked(
                    Visit,
                    {
                        **base,
                        "visited_at": at,
                        "place": "home",
                        "outcome": outcome,
                        "participants": "klient, pracownik socjalny",
                        "findings": rng.choice(FINDINGS),
                    },
                    at=at,
                    by=worker,
                )
                if outcome == "met" and first_met is None:
                    first_met = day
                if outcome == "refused":
                    last_refusal = vid
            elif kind == "note":
                w.add_tracked(OfficialNote, {**base, "written_on": day, "content": rng.choice(NOTES)}, at=at, by=worker)
            elif kind == "contact":
                w.add_tracked(
                    InstitutionContact,
                    {
                        **base,
                        "kind": rng.choice(
                            ["district_clinic", "school", "police", "kindergarten", "probation_officer"]
                        ),
                        "contacted_on": day,
                        "form": rng.choice(["phone", "letter", "email"]),
                        "learnt": rng.choice(LEARNT),
                        "member_id": rng.choice(children)["id"] if children else None,
                    },
                    at=at,
                    by=worker,
                )
            elif kind == "review":
                w.add_tracked(
                    DocumentReview,
                    {
                        **base,
                        "kind": rng.choice(
                            ["income", "child_health_book", "debts", "housing_costs", "disability_ruling"]
                        ),
                        "reviewed_on": day,
                        "findings": "Dokument potwierdza sytuację opisaną przez klienta.",
                    },
                    at=at,
                    by=worker,
                )
            elif kind == "notification":
                w.add_tracked(
                    Notification,
                    {
                        **base,
                        "service": rng.choice(["family_court", "police", "health_centre"]),
                        "service_name": "Sąd Rejonowy w Toruniu, III Wydział Rodzinny i Nieletnich",
                        "reason": "Zaniedbanie potrzeb dzieci, brak współpracy rodziców.",
                        "sent_on": day,
                        "sent_how": rng.choice(["letter", "epuap"]),
                    },
                    at=at,
                    by=worker,
                )
            elif kind == "summons":
                w.add_tracked(
                    Summons,
                    {
                        **base,
                        "visit_id": last_refusal,
                        "issued_on": day,
                        "appointment_at": at + datetime.timedelta(days=7),
                        "room": "pok. 12",
                        "note": "Wezwanie do stawiennictwa w ośrodku.",
                    },
                    at=at,
                    by=worker,
                )
            elif kind == "child":
                child = rng.choice(children)
                w.add_tracked(
                    ChildObservation,
                    {
                        **base,
                        "child_id": child["id"],
                        "observed_on": day,
                        "observation": "Dziecko pogodne, zadbane, chętnie rozmawia.",
                    },
                    at=at,
                    by=worker,
                )
            else:
                w.add_tracked(
                    ParentApartInfo,
                    {
                        **base,
                        "parent_name": "Ojciec dzieci (mieszka oddzielnie)",
                        "obtained_on": day,
                        "relation_with_child": "Widuje dzieci co drugi weekend.",
                    },
                    at=at,
                    by=worker,
                )
        # The diagnosis: it moved the case to stage IV, or closed it as unfounded.
        if "praca_socjalna" in times or self._unfounded(times):
            on = times.get("praca_socjalna") or times["zakonczenie"]
            social_work = "praca_socjalna" in times
            w.add_tracked(
                Diagnosis,
                {
                    "case_id": case_id,
                    "author_id": worker,
                    "created_at": on,
                    "diagnosed_on": _local(on),
                    "facts": rng.choice(FINDINGS),
                    "problem_areas": ["poverty", "care_upbringing"] if social_work else [],
                    "resources": "Wsparcie dalszej rodziny, motywacja do zmiany.",
                    "dysfunctional": social_work,
                    "decision": "social_work" if social_work else "no_problem",
                    "justification": "Wnioski z rozeznania sytuacji.",
                },
                at=on,
                by=worker,
            )
        return first_met

    def _unfounded(self, times) -> bool:
        return "zakonczenie" in times and "diagnoza" in times and "praca_socjalna" not in times

    def _contracts(self, p: Plan, case_id, worker, members, times, end) -> None:
        """Stage IV on: contracts of 6–12 months one after another; the last is in force while the case
        is at stage IV (or suspended), ended as the closure or the refusal says otherwise."""
        from contracts.models import Action, Contract, Evaluation, Goal, Resource

        rng, w = self.rng, self.w
        start = times["praca_socjalna"]
        # A contract ends before the case turns to monitoring or closes (no_contract_in_force).
        stop = times.get("monitoring") or times.get("zakonczenie") or self.now
        head = members[0]["id"]
        number, drafted = 0, start + datetime.timedelta(days=rng.uniform(1, 8))
        while number < 4 and drafted < stop:
            number += 1
            signed = drafted + datetime.timedelta(days=rng.uniform(0, 5))
            period_to = signed + datetime.timedelta(days=rng.uniform(180, 365))
            last = period_to >= stop or number == 4
            contract = {
                "case_id": case_id,
                "kind": rng.choice("AB"),
                "number": number,
                "worker_id": worker,
                "client_member_id": head,
                "problems": rng.choice(FINDINGS),
                "resources": "Motywacja, wsparcie rodziny.",
                "main_goal": rng.choice(GOALS),
                "period_from": _local(signed),
                "period_to": _local(period_to),
                "drafted_on": _local(drafted),
                "signed_on": _local(signed),
                "author_id": worker,
                "created_at": drafted,
                "status": "signed",
            }
            if not last or p.stage in ("zakonczenie", "monitoring"):
                ended = min(period_to, stop)
                contract.update(status="ended", ended_on=_local(ended), end_reason="Zgodnie z oceną końcową.")
                if not last:
                    contract["end"] = "completed"
                elif p.stage == "monitoring":
                    contract["end"] = "not_kept"
                    contract["welfare_threatened"] = rng.random() < 0.2
                else:
                    contract["end"] = {
                        "contract_completed": "completed",
                        "refusal": "notice_client",
                        "moved_out": "expired",
                        "death": "expired",
                    }.get(p.close_reason, "mutual")
            elif period_to < self.now:
                contract["period_to"] = _local(self.now + datetime.timedelta(days=rng.uniform(30, 180)))
            cid = w.add_tracked(Contract, contract, at=signed, by=worker)
            for order, text in enumerate(rng.sample(GOALS, 2), start=1):
                gid = w.add_tracked(Goal, {"contract_id": cid, "order": order, "text": text}, at=signed, by=worker)
                for side in ("client", "worker"):
                    w.add_tracked(
                        Action,
                        {
                            "contract_id": cid,
                            "goal_id": gid,
                            "side": side,
                            "description": "Działanie zgodne z celem.",
                            "deadline": contract["period_to"],
                            "responsible": "klient" if side == "client" else "pracownik socjalny",
                        },
                        at=signed,
                        by=worker,
                    )
            w.add_tracked(Resource, {"contract_id": cid, "kind": "centre_benefits"}, at=signed, by=worker)
            evaluated = signed + datetime.timedelta(days=90)
            while evaluated < min(period_to, self.now):
                w.add_tracked(
                    Evaluation,
                    {
                        "contract_id": cid,
                        "evaluated_on": _local(evaluated),
                        "author_id": worker,
                        "summary": "Cele realizowane zgodnie z planem.",
                        "created_at": evaluated,
                    },
                    at=evaluated,
                    by=worker,
                )
                evaluated += datetime.timedelta(days=90)
            if last:
                break
            drafted = period_to + datetime.timedelta(days=rng.uniform(0, 10))
        children = [m for m in members if m["relation"] == "child"]
        if children and p.stage in ("praca_socjalna", "zakonczenie") and rng.random() < 0.08:
            self._assistant(p, case_id, worker, start + datetime.timedelta(days=20), end)

    def _assistant(self, p: Plan, case_id, worker, requested, end) -> None:
        from assistants.models import Assignment, AssistantVisit, Decision, Request, WorkPlan

        rng, w = self.rng, self.w
        if requested >= end:
            return
        request = w.add_tracked(
            Request,
            {
                "case_id": case_id,
                "path": "worker",
                "status": "approved",
                "requested_by_id": worker,
                "requested_on": _local(requested),
                "justification": "Rodzina potrzebuje wsparcia w opiece i wychowaniu dzieci.",
                "consent_on": _local(requested),
                "created_at": requested,
            },
            at=requested,
            by=worker,
        )
        w.add(
            Decision,
            {
                "request_id": request,
                "step": "opinion",
                "positive": True,
                "decided_by_id": self.org.head,
                "decided_at": requested + DAY,
            },
        )
        w.add(
            Decision,
            {
                "request_id": request,
                "step": "approval",
                "positive": True,
                "decided_by_id": self.org.director,
                "decided_at": requested + 2 * DAY,
            },
        )
        qualified = requested + 3 * DAY
        assistant = rng.choice(self.org.assistants)
        closed = p.stage == "zakonczenie"
        assignment = w.add_tracked(
            Assignment,
            {
                "case_id": case_id,
                "request_id": request,
                "assistant_id": assistant,
                "assigned_by_id": self.org.director,
                "qualified_on": _local(qualified),
                "created_at": qualified,
                "ended_on": _local(end) if closed else None,
                "end": "goals_reached" if closed else "",
            },
            at=qualified,
            by=self.org.director,
        )
        w.add_tracked(
            WorkPlan,
            {
                "assignment_id": assignment,
                "author_id": assistant,
                "created_at": qualified + 9 * DAY,
                "drafted_on": _local(qualified + 9 * DAY),
                "assessment": "Rodzina wymaga wsparcia.",
                "goals": "Organizacja dnia dzieci, budżet domowy.",
            },
            at=qualified,
            by=assistant,
        )
        visit = qualified + 5 * DAY
        first = True
        while visit < end and visit < qualified + 120 * DAY:
            w.add_tracked(
                AssistantVisit,
                {
                    "assignment_id": assignment,
                    "author_id": assistant,
                    "created_at": visit,
                    "visited_on": _local(visit),
                    "joint_with_worker": first,
                    "description": "Wizyta w domu rodziny, praca nad planem dnia.",
                },
                at=visit,
                by=assistant,
            )
            first = False
            visit += 14 * DAY

    def _flags(self, p: Plan, case_id, author, end) -> None:
        from cases.models import CaseFlag

        rng = self.rng
        for kind, share in (("niebieska_karta", 0.03), ("child_abuse", 0.01)):
            if rng.random() >= share:
                continue
            at = p.reported + (end - p.reported) * rng.uniform(0, 0.5)
            removed = at + (end - at) * rng.uniform(0.3, 1) if rng.random() < 0.25 else None
            self.w.add_tracked(
                CaseFlag,
                {
                    "case_id": case_id,
                    "kind": kind,
                    "started_on": _local(at),
                    "started_by": "Policja, KMP Toruń",
                    "created_by_id": author,
                    "created_at": at,
                    "removed_at": removed,
                    "removed_by_id": author if removed else None,
                    "removal_reason": "Procedura zakończona." if removed else "",
                },
                at=at,
                by=author,
            )

    def _monitoring(self, case_id, worker, since) -> None:
        from refusals.models import MonitoringDate, RefusalMonitoring

        w = self.w
        on = _local(since)
        mid = w.add_tracked(
            RefusalMonitoring,
            {
                "case_id": case_id,
                "refused_on": on,
                "statement_taken": True,
                "leaflet_left": True,
                "note_to_director": "Klient odmawia przyjęcia pomocy; środowisko wymaga monitorowania.",
                "note_written_on": on,
                "plan_by_id": self.org.director,
                "plan_on": on + DAY,
                "contact_neighbours": "Rozmowa z sąsiadką raz w miesiącu.",
                "author_id": worker,
                "created_at": since,
            },
            at=since,
            by=worker,
        )
        for k in range(1, 4):
            due = on + datetime.timedelta(days=30 * k)
            done = due if due < self.now.date() - datetime.timedelta(days=20) else None
            w.add_tracked(
                MonitoringDate,
                {"monitoring_id": mid, "due_on": due, "done_on": done, "outcome": "Bez zmian." if done else ""},
                at=since,
                by=self.org.director,
            )

    def _probe(self, case_id, p: Plan, members) -> None:
        """Remember what the bench asks for: cases with 20 and 80 entries, a PESEL, a worker with cases."""
        n, self._last_entries = self._last_entries, None
        probes = self.probes
        if n in (20, 80) and f"case_{n}_entries" not in probes and p.stage == "praca_socjalna":
            probes[f"case_{n}_entries"] = case_id
        self.n_cases += 1
        if self.n_cases == self.size // 2:
            probes["pesel"] = members[0]["pesel"]  # a head of family from the middle of the table


# --- the karta's case, through the services --------------------------------------------------------------


def _first_street(region) -> str:
    from streets.models import StreetRange

    first = StreetRange.objects.filter(region=region).select_related("street").order_by("pk").first()
    return first.street.nazwa_1 if first else ""


def make_karta_case(*, region, worker, entries: int = 50):
    """A case with ``entries`` entries of the karta's kinds, made through the services at past dates."""
    import time_machine
    from django.utils import timezone

    from cases import services
    from cases.models import Client, OfficialNote, Visit
    from cases.procedure import Stage

    start = timezone.now() - datetime.timedelta(days=entries + 10)
    with transaction.atomic(), time_machine.travel(start, tick=False):
        client = services.client_create(
            institution=region.institution,
            by=worker,
            kind=Client.Kind.FAMILY,
            # A street of the worker's own region: intake routes a report by the address (issue 14.4).
            address=services.AddressData(city="Toruń", street=_first_street(region), house_number="7"),
            members=[services.MemberData(first_name="Żaneta", last_name="Ćwiklińska", pesel="44051401359")],
        )
        report = services.report_register(
            by=worker,
            client=client,
            region=region,
            target_group="family_children",
            report=services.ReportData(
                received_at=start, form="phone", reporter_name="Sąsiadka", content="Zgłoszenie do pomiaru."
            ),
        )
        case = report.case
        case.number = KARTA_CASE
        case.save(update_fields=["number"])
        services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=worker)
    for i in range(entries):
        with time_machine.travel(start + datetime.timedelta(days=i + 1, hours=2), tick=False):
            if i % 2:
                findings = f"Wizyta nr {i}: sytuacja rodziny się poprawia, dzieci w szkole."
                visit = Visit(visited_at=timezone.now(), outcome=Visit.Outcome.MET, findings=findings)
                services.visit_record(case=case, by=worker, visit=visit)
            else:
                note = OfficialNote(written_on=timezone.localdate(), content=f"Notatka nr {i}: bez istotnych zmian.")
                services.note_write(case=case, by=worker, note=note)
    return case


# --- the whole fill ------------------------------------------------------------------------------------


def ensure(size: int, stdout=None, refill: bool = False) -> dict:
    """The bench data of ``size`` cases, filled unless the database already holds them (or ``refill``);
    the probes."""
    from django.core.management import call_command
    from django.utils import timezone

    from cases.models import Case

    check_bench_database()
    current = marker()
    if current and current["size"] == size and current["state"] == "done" and not refill:
        return current
    if current is None and Case.objects.exists():
        raise NotABenchDatabase("Baza zawiera sprawy, ale nie ma znacznika benchmarku – nie nadpisuję jej.")
    if current is not None or Case.objects.exists():
        if stdout:
            stdout.write(f"Czyszczę bazę benchmarku (było: {current and current['size']} spraw).")
        call_command("flush", interactive=False, verbosity=0)
    _set_marker(size, "filling", {})
    started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # This session only: a lost fill is simply refilled, so no need to wait for the disk.
            cur.execute("SET synchronous_commit = off")
    else:
        with connection.cursor() as cur:
            cur.execute("PRAGMA synchronous = OFF")
    with transaction.atomic():
        org = _make_org(size)
    if stdout:
        stdout.write(f"Wypełniam bazę benchmarku: {size} spraw…")
    writer = Writer()
    filler = Filler(size, org, writer, timezone.now())
    probes = filler.run(stdout)
    writer.reset_sequences()
    region = org.regions[0]
    worker = type(org.admin).objects.get(pk=org.workers[region.pk][0])
    karta = make_karta_case(region=region, worker=worker)
    probes.update(
        karta_case=karta.pk,
        worker=worker.username,
        region=region.pk,
        coordinator=type(org.admin).objects.get(pk=org.coordinators[region.pk]).username,
        director="bench-director",
        admin=org.admin.username,
        regions=len(org.regions),
        workers_per_region=len(org.workers[region.pk]),
    )
    with connection.cursor() as cur:
        # The planner's statistics, as a database in use has them (autovacuum; on SQLite, run it
        # now and then); VACUUM also marks the pages all-visible for index-only scans.
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    probes["fill_seconds"] = round(time.monotonic() - started)
    probes["rows"] = writer.written
    _set_marker(size, "done", probes)
    return {"size": size, "state": "done", **probes}
