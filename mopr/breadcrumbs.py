"""Breadcrumbs (issue 20.1): where a page sits, shown above its heading on every page below the start page.

The trail comes from the page's address: each shorter address that is itself a page is a step up
(``/sprawy/12/kontrakt/3/aneks/`` → the contract → the case → the case list → Start), so a new
view needs nothing to get its trail. What the address cannot say is declared here: each page that
can be a step up has its label (``LABELS``; a test fails for one that has none), a page whose
address has no parent page names its logical one (``PARENTS``), and a step the user may not open
is left out (``VISIBLE``). The current page is not repeated: its heading follows (GOV.UK's pattern).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from mopr import policy


def _case(context) -> str:
    case = context.get("case")
    return _("Sprawa %(number)s") % {"number": case.number} if getattr(case, "number", None) else _("Sprawa")


def _region(context) -> str:
    region = context.get("region")
    return _("Rejon %(code)s") % {"code": region.code} if getattr(region, "code", None) else _("Rejon")


def _person(context) -> str:
    person = context.get("person")
    return (person.get_full_name() or person.username) if person is not None else _("Pracownik")


Label = str | Callable[[dict], str]

# The label of every page that is a step up from another (by its URL name).
LABELS: dict[str, Label] = {
    "home": _("Start"),
    "cases:list": _("Sprawy"),
    "cases:detail": _case,
    "cases:folder": _("Teczka sprawy"),
    "cases:retention": _("Anonimizacja"),
    "contracts:detail": _("Kontrakt socjalny"),
    "refusals:monitoring_case": _("Monitoring środowiska"),
    "refusals:monitoring_queue": _("Monitoring środowisk"),
    "assistants:mine": _("Moje rodziny"),
    "assistants:queue": _("Wnioski o asystenta"),
    "assistants:request": _("Wniosek o asystenta rodziny"),
    "assistants:assignment": _("Praca asystenta z rodziną"),
    "meetings:meetings": _("Spotkania zespołów"),
    "meetings:meeting": _("Spotkanie zespołu"),
    "meetings:inspections": _("Kontrole"),
    "meetings:inspection": _("Kontrola"),
    "timesheets:time_week": _("Czas pracy"),
    "timesheets:time_caseload": _("Czas pracy i obciążenie"),
    "timesheets:time_summary": _("Zestawienie czasu pracy"),
    "background:jobs": _("Moje pliki"),
    "inbox:list": _("Powiadomienia"),
    "account": _("Moje konto"),
    "access_log": _("Dziennik dostępu"),
    "directory": _("Katalog adresatów"),
    "institution_settings": _("Ustawienia ośrodka"),
    "staff_list": _("Pracownicy"),
    "staff_detail": _person,
    "streets:regions": _("Rejony i ulice"),
    "streets:region_edit": _region,
    "imports:list": _("Import spraw"),
    "registers:register": _("Rejestr RPŚ"),
    "registers:dashboard": _("Pulpit"),
    "staffing:covers": _("Zastępstwa"),
    "cases:queue": _("Kolejka zgłoszeń"),
    "cases:client_edit": _("Dane klienta"),
    "cases:documentation_transfer": _("Przekazanie dokumentacji"),
    "contracts:declaration_new": _("Oświadczenie"),
    "assistants:time_report": _("Czas pracy asystenta"),
    "background:job": _("Plik"),
    "imports:file": _("Plik importu"),
    "registers:statistics": _("Statystyka"),
    "login": _("Logowanie"),
    "otp_setup": _("Logowanie dwuskładnikowe"),
}
# Pages before the application proper: no trail.
NO_TRAIL = {"home", "login", "otp_verify", "logout"}

# Pages whose address has no page above it, and where they belong.
PARENTS: dict[str, str] = {
    "streets:regions": "institution_settings",
    "imports:list": "institution_settings",
    "cases:problem_areas": "institution_settings",
    "lockouts": "access_log",
    "password_change": "account",
    "registers:statistics": "registers:dashboard",
    "registers:register": "registers:dashboard",
    "cases:karta_archive": "registers:dashboard",
    "staffing:handover": "registers:dashboard",
    "cases:move_decide": "cases:queue",
}

# A step the user may not open is not offered (the others are open to whoever reached the page below).
VISIBLE: dict[str, Callable] = {
    "cases:list": policy.user_may_see_case_list,
    "registers:dashboard": policy.user_oversees_regions,
    "institution_settings": policy.user_may_configure_institution,
    "access_log": policy.user_may_read_access_log,
}


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


def _page_at(path: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match if match.view_name in LABELS else None


def _label(name: str, context) -> str:
    label = LABELS[name]
    return str(label(context) if callable(label) else label)


def trail(*, request, context) -> list[Crumb]:
    """The steps above the current page, Start first; none on the start page or without a page."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated or match.view_name in NO_TRAIL:
        return []
    steps: list[tuple[str, str]] = []  # (URL name, URL), from the page upwards
    name, path = match.view_name, request.path
    seen = {name}
    while True:
        parent = None
        if name in PARENTS:
            parent_name = PARENTS[name]
            try:
                parent = (parent_name, reverse(parent_name))
            except NoReverseMatch:
                parent = None
        else:
            # The next shorter address that is a page.
            parts = path.rstrip("/").split("/")
            while len(parts) > 1 and parent is None:
                parts = parts[:-1]
                candidate = "/".join(parts) + "/"
                found = _page_at(candidate)
                if found is not None:
                    parent = (found.view_name, candidate)
        if parent is None or parent[0] in seen:
            break
        seen.add(parent[0])
        steps.append(parent)
        name, path = parent
    if not steps or steps[-1][0] != "home":
        steps.append(("home", reverse("home")))
    crumbs = []
    for step_name, url in reversed(steps):
        allowed = VISIBLE.get(step_name)
        if allowed is not None and not allowed(user):
            continue
        crumbs.append(Crumb(_label(step_name, context), url))
    return crumbs
