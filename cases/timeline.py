"""One registry of the kinds of entry of a case, and the timeline read from it (issue 15.12).

A kind of entry declares, once, everything the system does with it:

- ``label``: its name in the case folder's filter;
- ``section``: where its items stand in the karta (Załącznik 1): 3 what was learnt about the
  client's situation, each with its source; 6 what was done. An item may say otherwise for
  itself (``TimelineItem.section``), and ``conclusion`` puts it in section 5 too (a resignation,
  a notification of the services, a decision);
- ``items``: how its rows become the timeline's items – the case page, the folder and the karta
  read the same items, in one query per kind whatever the number of entries;
- ``scrubs`` and ``parents``: its fields of personal data, which the anonymisation removes
  (``cases/services/retention.py``), and the records others hang on;
- ``facts``: the tables the deadline engine reads, whose changes make a case's deadline summary
  stale (``cases/signals.py``);
- ``printouts``: the kind's printouts of one case, each with its template and context, so the case
  file to hand over (``cases/case_file.py``, issue 19.5) renders every one without a request and
  without naming the app.

Each app registers its own kinds in its ``entry_kinds`` module, found by ``autodiscover`` when
the apps are ready, so the core of ``cases`` names no other app: ``cases/entry_kinds.py``,
``contracts/entry_kinds.py``, ``assistants/entry_kinds.py``, ``refusals/entry_kinds.py``, ``meetings/entry_kinds.py``.
``cases/tests/test_timeline_registry.py`` fails for a model with personal text that no kind
classifies.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case as SQLCase
from django.db.models import DateTimeField, F, QuerySet, When
from django.utils import timezone

if TYPE_CHECKING:
    from cases.models import Case
    from mopr.models import User


class Section(enum.StrEnum):
    """The sections of Załącznik 1 an item of the timeline may stand in."""

    REPORT = "1"
    TRANSFER = "2"
    SITUATION = "3"
    DIAGNOSIS = "4"
    CONCLUSIONS = "5"
    ACTIONS = "6"


@dataclass(frozen=True)
class Link:
    """A link beside an item: its printout, its file, a form that completes it."""

    label: str
    url: str
    write: bool = False  # offered only to whom may write in the case


@dataclass(frozen=True)
class TimelineItem:
    at: datetime.datetime | datetime.date
    kind: str  # the key of its EntryKind: filters the case folder
    title: str
    text: str
    author: User | str | None
    obj: object = None
    # When it was written down: orders the entries of one day that carry a date only.
    recorded: datetime.datetime | None = None
    # Karta section 3: where the information came from ("Przychodnia Rejonowa nr 3, pielęgniarka …").
    source: str = ""
    section: Section | None = None  # None: the kind's own
    conclusion: bool = False  # also stated in section 5 (a decision, a resignation, a notification)
    links: tuple[Link, ...] = ()
    # "sprostowanie z dnia … – autor – powód": the corrections of the entry (issue 16.1).
    traces: tuple[str, ...] = ()

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime.datetime)

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.at) if isinstance(self.at, datetime.datetime) else self.at

    @property
    def sort_key(self) -> tuple[datetime.date, datetime.datetime]:
        if isinstance(self.at, datetime.datetime):
            return (timezone.localdate(self.at), self.at)
        recorded = self.recorded or getattr(self.obj, "created_at", None)
        if recorded is None or timezone.localdate(recorded) != self.at:
            # Written on another day: it goes after that day's timed events.
            recorded = timezone.make_aware(datetime.datetime.combine(self.at, datetime.time.max))
        return (self.at, recorded)

    @property
    def recorded_later(self) -> datetime.date | None:
        """The day it was written down, where that is after the day it happened (issue 16.2):
        the timeline orders by the event and shows both."""
        recorded = self.recorded or getattr(self.obj, "created_at", None)
        if recorded is None:
            return None
        day = timezone.localdate(recorded)
        return day if day > self.day else None

    def in_section(self, default: Section) -> Section:
        return self.section or default


@dataclass(frozen=True)
class Printout:
    """One printout of a case as its view renders it, for the case file (issue 19.5): the title
    of its page header (also the index's line), a Polish slug for its file name, its date."""

    title: str
    slug: str
    on: datetime.date
    template: str
    context: dict


@dataclass(frozen=True)
class Scrub:
    """What the anonymisation removes from one model: ``parent`` names the foreign key that leads
    to the case (``case`` or a record of the case that a kind declared in ``parents``)."""

    model: type[models.Model]
    parent: str
    text: tuple[str, ...] = ()  # free text: "(zanonimizowano)" where not empty
    clear: tuple[str, ...] = ()  # identifiers (and uploaded files): emptied
    # What the fields cannot say (a JSON copy of an earlier version): ``extra(obj, marker)`` removes
    # it and answers whether anything changed.
    extra: Callable[[models.Model, str], bool] | None = None


@dataclass(frozen=True)
class Query:
    """What the timeline is asked for: one case, maybe only its ``newest`` items, and rows the
    caller read anyway (``loaded``: kind → rows), which a kind then does not read again."""

    case: Case
    newest: int | None = None
    loaded: dict[str, list] = field(default_factory=dict)


@dataclass(frozen=True)
class EntryKind:
    key: str
    label: str
    section: Section
    items: Callable[[Query], Iterable[TimelineItem]]
    scrubs: tuple[Scrub, ...] = ()
    # Records others hang on: (name, model, its foreign key towards the case or a parent before it).
    parents: tuple[tuple[str, type[models.Model], str], ...] = ()
    # Deadline facts: model label → the attribute path from a row to its case id.
    facts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Text fields of the kind's models that hold no personal data (codes, numbers, file names of
    # the system): declared, so the classification test knows they were looked at.
    not_personal: dict[type[models.Model], tuple[str, ...]] = field(default_factory=dict)
    # Text the anonymisation keeps on purpose: append-only records (README, Retention).
    kept: dict[type[models.Model], tuple[str, ...]] = field(default_factory=dict)
    # (case, user) -> the kind's printouts of the case; the user where a printout's context is
    # the user's (the directory of addressees). A fixed number of queries per kind.
    printouts: Callable[[Case, User], Iterable[Printout]] | None = None


_REGISTRY: dict[str, EntryKind] = {}


def register(*kinds: EntryKind) -> None:
    for kind in kinds:
        if kind.key in _REGISTRY and _REGISTRY[kind.key] is not kind:
            raise ValueError(f"entry kind {kind.key!r} registered twice")
        _REGISTRY[kind.key] = kind


def autodiscover() -> None:
    """Import every app's ``entry_kinds`` module (called when the apps are ready)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("entry_kinds")


def entry_kinds() -> list[EntryKind]:
    """In the order the apps registered them (INSTALLED_APPS, then each module's order)."""
    return list(_REGISTRY.values())


def entry_kind(key: str) -> EntryKind:
    return _REGISTRY[key]


def folder_labels() -> dict[str, str]:
    return {kind.key: kind.label for kind in _REGISTRY.values()}


def scrubs() -> tuple[Scrub, ...]:
    return tuple(s for kind in _REGISTRY.values() for s in kind.scrubs)


def parents() -> dict[str, tuple[type[models.Model], str]]:
    """Name → (model, foreign key), a parent's parent first (registration order)."""
    return {name: (model, fk) for kind in _REGISTRY.values() for name, model, fk in kind.parents}


def fact_sources() -> dict[str, tuple[str, ...]]:
    return {label: path for kind in _REGISTRY.values() for label, path in kind.facts.items()}


def case_printouts(*, case: Case, user: User) -> list[Printout]:
    """Every printout of the case that a kind declares, in date order (the karta is not an entry's:
    the caller adds it). Within a day the registry's order, then each kind's own."""
    found: list[Printout] = []
    for kind in _REGISTRY.values():
        if kind.printouts is not None:
            found.extend(kind.printouts(case, user))
    return sorted(found, key=lambda printout: printout.on)  # stable: ties keep the registry's order


# --- reading ------------------------------------------------------------------------------------------


def d(day: datetime.date | None) -> str:
    """A date as the documents write it."""
    return day.strftime("%d.%m.%Y") if day else "—"


def rows(qs: QuerySet, field_name: str, newest: int | None) -> list:
    """The rows of one kind of entry whose item is dated by the single column ``field_name``.

    Without ``newest``: all of them, unordered in SQL (sorted in ``case_timeline``, across the
    kinds) and by pk here, so that entries of one moment keep one order (PostgreSQL returns an
    unordered query's rows in any order). With it: only the ``newest`` newest, limited in SQL and
    ordered as TimelineItem.sort_key orders them, so they are always the kind's newest items: a
    date-only entry written down on its own day by when it was written (``created_at``), any
    other one last in its day; ties by pk. Returned oldest first, like the full list, so the
    stable sort in case_timeline orders them exactly as it orders the full list."""
    if newest is None:
        return sorted(qs.order_by(), key=lambda row: row.pk)
    order = [F(field_name).desc()]
    if not isinstance(qs.model._meta.get_field(field_name), DateTimeField):
        written_that_day = SQLCase(When(created_at__date=F(field_name), then=F("created_at")))
        order.append(written_that_day.desc(nulls_first=True))
    order.append(F("pk").desc())
    return list(qs.order_by(*order)[:newest])[::-1]


def _with_traces(items: list[TimelineItem]) -> list[TimelineItem]:
    """Each corrected entry says so where it stands, as official records do; the correction's
    own item (kind "correction") gives the values before and after."""
    from dataclasses import replace

    traces: dict[tuple[str, int], list[str]] = {}
    for item in items:
        if item.kind == "correction":
            c = item.obj
            author = c.by.get_full_name() or c.by.username
            traces.setdefault((c.entry_model, c.entry_id), []).append(
                f"{c.get_kind_display()} z dnia {d(timezone.localdate(c.at))} – {author} – {c.reason}"
            )
    if not traces:
        return items
    out = []
    for item in items:
        key = (item.obj._meta.label_lower, item.obj.pk) if isinstance(item.obj, models.Model) else None
        found = traces.pop(key, None) if item.kind != "correction" else None  # under its first item only
        out.append(replace(item, traces=tuple(found)) if found else item)
    return out


def _with_covers(items: list[TimelineItem]) -> list[TimelineItem]:
    """An entry a substitute wrote says so beside its author: "w zastępstwie za …" (issue 17.1).
    The absent workers are read in one query, and only when the timeline holds such an entry."""
    from dataclasses import replace

    from mopr.models import User

    ids = {getattr(i.obj, "covering_for_id", None) for i in items} - {None}
    if not ids:
        return items
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    out = []
    for item in items:
        absent = getattr(item.obj, "covering_for_id", None)
        if absent is None:
            out.append(item)
            continue
        author = f"{item.author or '—'} (w zastępstwie za {names.get(absent, '—')})"
        out.append(replace(item, author=author))
    return out


def case_timeline(
    *, case: Case, kinds: set[str] | None = None, newest: int | None = None, loaded: dict[str, list] | None = None
) -> list[TimelineItem]:
    """Every entry of the case in date order: the case page (``newest``: only the last few, still
    oldest first), the folder (filtered by ``kinds``) and the karta. Each kind reads its own rows,
    one query (or a fixed few) whatever their number; the items are sorted here across the kinds.

    With ``newest`` a kind reads only its ``newest`` newest rows where one row makes one item of
    one date (``rows``); kinds whose rows make items of several dates read them whole – they are
    few per case – so the newest N across the kinds are never wrong."""
    query = Query(case=case, newest=newest, loaded=loaded or {})
    items: list[TimelineItem] = []
    for kind in _REGISTRY.values():
        if kinds is None or kind.key in kinds:
            items.extend(kind.items(query))
    items.sort(key=lambda i: i.sort_key)
    items = _with_covers(_with_traces(items))
    if newest is not None:
        return items[max(len(items) - newest, 0) :]
    return items


def items_in(items: Iterable[TimelineItem], section: Section) -> list[TimelineItem]:
    """The items the karta prints in ``section`` (5 takes the conclusions of any section)."""
    if section == Section.CONCLUSIONS:
        return [i for i in items if i.conclusion or i.in_section(_REGISTRY[i.kind].section) == section]
    return [i for i in items if i.in_section(_REGISTRY[i.kind].section) == section]
