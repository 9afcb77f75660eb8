"""The methodical procedure of social work (seed 000, Zarządzenie 30/2023 MOPR Toruń).

    I. zgłoszenie → II. rozeznanie → III. diagnoza → IV. praca socjalna (kontrakt) → V. zakończenie

with the side paths of the brief: closing as unfounded after the diagnosis (III.2), closing
on refusal, monitoring an environment that refuses help (seed 003), suspension (seed 004:
"czasowe zawieszenie podejmowania kolejnych działań") and reopening a closed case (V.3).

This module is the table of allowed transitions and the guard of each. A guard is a named
function that returns ``None`` when the move is allowed and otherwise the reason why not,
in words for the worker. The only code that changes a stage is
``cases.services.case_change_stage`` (and its named wrappers), which consults this table.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from cases.models import Case


class Stage(models.TextChoices):
    ZGLOSZENIE = "zgloszenie", gettext_lazy("I. Zgłoszenie")
    ROZEZNANIE = "rozeznanie", gettext_lazy("II. Rozeznanie sytuacji")
    DIAGNOZA = "diagnoza", gettext_lazy("III. Diagnoza")
    PRACA_SOCJALNA = "praca_socjalna", gettext_lazy("IV. Praca socjalna")
    MONITORING = "monitoring", gettext_lazy("Monitoring (odmowa pomocy)")
    ZAWIESZENIE = "zawieszenie", gettext_lazy("Zawieszona")
    ZAKONCZENIE = "zakonczenie", gettext_lazy("V. Zakończona")

    @classmethod
    def open_stages(cls) -> frozenset[Stage]:
        return frozenset(s for s in cls if s != cls.ZAKONCZENIE)

    @classmethod
    def suspendable(cls) -> frozenset[Stage]:
        return frozenset({cls.ROZEZNANIE, cls.DIAGNOZA, cls.PRACA_SOCJALNA})


class CloseReason(models.TextChoices):
    """Why a case ended (seed 000 III.2 and V; issue 4)."""

    CONTRACT_COMPLETED = "contract_completed", gettext_lazy("Kontrakt zrealizowany")
    UNFOUNDED = "unfounded", gettext_lazy("Zgłoszenie nieuzasadnione (brak problemu)")
    REFUSAL = "refusal", gettext_lazy("Odmowa przyjęcia pomocy")
    MOVED_OUT = "moved_out", gettext_lazy("Wyprowadzka poza teren działania ośrodka")
    DEATH = "death", gettext_lazy("Zgon klienta")
    OTHER = "other", gettext_lazy("Inna przyczyna")


@dataclass(frozen=True)
class EndOf:
    """How the closing ends one work under way: the reason of its own kind and, where the kind
    needs one, its final report."""

    choice: str
    report: str = ""


@dataclass(frozen=True)
class Move:
    """What a transition service was asked to do; the guards read it."""

    case: Case
    target: Stage
    reason: str = ""
    close_reason: CloseReason | None = None
    ends: Mapping[str, EndOf] = field(default_factory=dict)  # Ongoing.key → how the closing ends it


# --- work under way that a closing must end (issue 16.6) ---------------------------------------------


@dataclass(frozen=True)
class Ongoing:
    """A kind of work that runs beside the case and must end when the case closes: the family
    assistant (seed 002) and whatever another app registers. Each app registers its own in its
    ``entry_kinds`` module, so the procedure names none of them.

    ``active(case)`` lists the works under way; ``end(work=…, by=…, end=EndOf, reason=…)`` ends one
    inside the closing's transaction, as its own service does (checks, history, versions)."""

    key: str
    label: str
    active: Callable[[Case], Sequence]
    describe: Callable[[object], str]
    end_choices: Sequence[tuple[str, str]]
    end: Callable[..., None]
    report_label: str = ""  # the final report the ending needs; "" none


ONGOING: dict[str, Ongoing] = {}


def register_ongoing(kind: Ongoing) -> None:
    ONGOING[kind.key] = kind


def ongoing_work(case: Case) -> list[tuple[Ongoing, object]]:
    return [(kind, work) for kind in ONGOING.values() for work in kind.active(case)]


Guard = Callable[[Move], str | None]


# --- guards ---------------------------------------------------------------------------------


def worker_accepted(move: Move) -> str | None:
    """Karta pt. 2: a worker must have accepted the report for handling."""
    if move.case.worker_id is None or move.case.accepted_at is None:
        return _("Sprawa nie ma jeszcze pracownika, który przyjął zgłoszenie do realizacji.")
    return None


def anonymous_report_verified(move: Move) -> str | None:
    """Seed 000 I.1: a report from an anonymous person must always be verified."""
    if move.case.reports.filter(needs_verification=True, verified_at__isnull=True).exists():
        return _("Zgłoszenie anonimowe nie zostało jeszcze zweryfikowane.")
    return None


def situation_established(move: Move) -> str | None:
    """II.1: the diagnosis rests on a visit at which the client was met."""
    from cases.models import Visit

    if not move.case.visits.filter(outcome__in=Visit.MET_OUTCOMES).exists():
        return _("Zapisz wizytę, podczas której spotkano klienta – bez niej nie ma podstaw do diagnozy.")
    return None


def mandatory_contacts_done_or_reason(move: Move) -> str | None:
    """II.4: the district clinic for every child under 7 and the foster-care organiser for
    every child in foster care are mandatory. The worker may go on without one, but only with
    the reason recorded in the transition."""
    missing = mandatory_contacts_missing(move.case)
    if missing and not move.reason.strip():
        listed = "; ".join(f"{kind.label} – {member.full_name}" for kind, member in missing)
        return _("Brakuje obowiązkowych kontaktów: %(list)s. Uzupełnij je albo podaj powód, aby przejść dalej.") % {
            "list": listed
        }
    return None


def diagnosis_says_social_work(move: Move) -> str | None:
    """III → IV only on a diagnosis that found social work needed."""
    latest = _latest_diagnosis(move.case)
    if latest is None or latest.decision != latest.Decision.SOCIAL_WORK:
        return _("Pracę socjalną podejmuje się na podstawie diagnozy stwierdzającej jej potrzebę.")
    return None


def unfounded_only_on_diagnosis(move: Move) -> str | None:
    """III.2: closing as unfounded needs a diagnosis that found no problem, with its reason."""
    if move.close_reason != CloseReason.UNFOUNDED:
        return None
    latest = _latest_diagnosis(move.case)
    if latest is None or latest.decision != latest.Decision.NO_PROBLEM:
        return _("Zgłoszenie uznaje się za nieuzasadnione tylko na podstawie diagnozy, która nie wykazała problemu.")
    return None


def completion_rests_on_the_contract(move: Move) -> str | None:
    """V.1: a case closes as "contract completed" when its last contract ended so."""
    if move.close_reason != CloseReason.CONTRACT_COMPLETED:
        return None
    last = move.case.contracts.order_by("-number").first()
    if last is None or last.end != "completed":
        return _("Zakończenie „kontrakt zrealizowany” wymaga kontraktu zakończonego jako zrealizowany.")
    return None


def no_contract_in_force(move: Move) -> str | None:
    """V.4: a contract ends by its own act (completion, notice – always with a reason) before
    the case closes or turns to monitoring."""
    if move.case.contracts.exclude(status="ended").exists():
        return _("W sprawie jest niezakończony kontrakt socjalny – najpierw zakończ go z podaniem przyczyny.")
    return None


def _latest_diagnosis(case: Case):
    return case.diagnoses.order_by("-diagnosed_on", "-pk").first()


def mandatory_contacts_missing(case: Case) -> list:
    """(kind of institution, child) pairs of the mandatory contacts not yet made (II.4)."""
    from django.utils import timezone

    from cases.models import InstitutionContact

    kind = InstitutionContact.Kind
    today = timezone.localdate()
    made = set(case.institution_contacts.values_list("kind", "member_id"))
    missing = []
    for member in case.client.members.all():
        needed = []
        if member.birth_date and age_in_years(member.birth_date, today) < 7:
            needed.append(kind.DISTRICT_CLINIC)
        if member.in_foster_care:
            needed.append(kind.FOSTER_CARE)
        for needed_kind in needed:
            # A contact about this child, or about the whole family, counts.
            if (needed_kind, member.pk) not in made and (needed_kind, None) not in made:
                missing.append((needed_kind, member))
    return missing


def age_in_years(born, today) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def ongoing_work_ends(move: Move) -> str | None:
    """Closing means closed: an assistant still working or other work under way ends in the same
    act, each with the ending reason of its own procedure."""
    reasons = []
    for kind, work in ongoing_work(move.case):
        chosen = move.ends.get(kind.key)
        if chosen is None or chosen.choice not in dict(kind.end_choices):
            reasons.append(
                _("Trwa: %(what)s (%(who)s) – wybierz, jak się kończy wraz ze sprawą.")
                % {"what": kind.label, "who": kind.describe(work)}
            )
        elif kind.report_label and not chosen.report.strip():
            reasons.append(_("Wpisz: %(report)s.") % {"report": kind.report_label})
    return " ".join(reasons) or None


def reason_given(move: Move) -> str | None:
    if not move.reason.strip():
        return _("Podaj uzasadnienie.")
    return None


def close_reason_given(move: Move) -> str | None:
    # An empty choice ("") is no reason either.
    if not move.close_reason:
        return _("Wybierz przyczynę zakończenia sprawy.")
    return None


def close_reason_fits_stage(move: Move) -> str | None:
    """An unfounded report closes only after the diagnosis (III.2); a completed contract only
    from social work (V.1). Refusal, moving out, death and other reasons close at any stage."""
    allowed = CLOSE_REASONS_BY_STAGE.get(Stage(move.case.stage), frozenset())
    if move.close_reason and move.close_reason not in allowed:
        return _("Z etapu „%(stage)s” nie można zakończyć sprawy z przyczyny „%(reason)s”.") % {
            "stage": Stage(move.case.stage).label,
            "reason": CloseReason(move.close_reason).label,
        }
    return None


def close_reason_only_on_closing(move: Move) -> str | None:
    """Only a closure has a close reason: on any other move it would enter the history as the
    reason of a closure that never happened (the case's timeline shows it)."""
    if move.close_reason and move.target != Stage.ZAKONCZENIE:
        return _("Przyczynę zakończenia podaje się tylko przy zakończeniu sprawy.")
    return None


def resumes_suspended_stage(move: Move) -> str | None:
    """A suspended case resumes at the stage at which it was suspended."""
    if move.case.suspended_from and move.target != move.case.suspended_from:
        return _("Sprawa wraca do etapu, na którym ją zawieszono: %(stage)s.") % {
            "stage": Stage(move.case.suspended_from).label
        }
    return None


def reopened_within_procedure(move: Move) -> str | None:
    """V.3: reopened at rozeznanie, or straight at social work when it had been run before."""
    if move.target == Stage.PRACA_SOCJALNA and move.case.social_work_started_at is None:
        return _("W tej sprawie nie prowadzono pracy socjalnej; wznów ją od rozeznania sytuacji.")
    return None


def no_other_open_case(move: Move) -> str | None:
    """V.3 and the intake's rule that a client has one open case (a report about a client with an
    open case joins it): a closed case is not reopened beside a newer open case of the client."""
    other = move.case.client.cases.filter(stage__in=Stage.open_stages()).exclude(pk=move.case.pk).first()
    if other is not None:
        return _("Klient ma otwartą sprawę %(number)s – działania prowadzi się w niej.") % {"number": other.number}
    return None


# --- the table ---------------------------------------------------------------------------------


class Weight(enum.StrEnum):
    """How the case page offers a move (issue 20.1): the procedure going on, a step aside, or a
    final one – which is asked again, saying what will happen (``Transition.consequence``)."""

    FORWARD = "forward"
    ASIDE = "aside"
    FINAL = "final"


@dataclass(frozen=True)
class Transition:
    label: str
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False
    # False where the move is made by its own form (the diagnosis decides III → IV).
    offered: bool = True
    weight: Weight = Weight.FORWARD
    consequence: str = ""  # what a final move does, said before it is confirmed


REFUSAL_MONITORING = gettext_lazy(
    "Sprawa przejdzie do monitoringu trudnego środowiska, które odmawia przyjęcia pomocy: pracy socjalnej się "
    "nie prowadzi, dyrektor ustala plan monitorowania, a pracownik odnotowuje kolejne kontakty. Gdy klient "
    "przyjmie pomoc, rozeznanie wznawia się z uzasadnieniem."
)
CLOSING_CONSEQUENCE = gettext_lazy(
    "Sprawa zostanie zakończona z podaną przyczyną i uzasadnieniem: zniknie z list spraw otwartych i z terminów, "
    "karta pracy socjalnej zapisze zakończenie, a prace trwające przy sprawie zakończą się tak, jak wskazano "
    "w formularzu. Zakończonej sprawy się nie zmienia; wznowić ją można tylko z uzasadnieniem."
)


S = Stage
CLOSING = (
    worker_accepted,
    close_reason_given,
    close_reason_fits_stage,
    unfounded_only_on_diagnosis,
    completion_rests_on_the_contract,
    no_contract_in_force,
    ongoing_work_ends,
    reason_given,
)

CLOSE = Transition(gettext_lazy("Zakończ sprawę"), CLOSING, needs_reason=True, weight=Weight.FINAL,
                   consequence=CLOSING_CONSEQUENCE)  # fmt: skip

TRANSITIONS: dict[tuple[Stage, Stage], Transition] = {
    # I → II: the worker who accepted the report goes to find out the situation.
    (S.ZGLOSZENIE, S.ROZEZNANIE): Transition(gettext_lazy("Rozpocznij rozeznanie sytuacji"), (worker_accepted,)),
    # II → III: what was found is analysed; an anonymous report must be verified first.
    (S.ROZEZNANIE, S.DIAGNOZA): Transition(
        gettext_lazy("Przejdź do diagnozy"),
        (worker_accepted, anonymous_report_verified, situation_established, mandatory_contacts_done_or_reason),
    ),
    # III → IV: social work is needed; it runs on a contract.
    (S.DIAGNOZA, S.PRACA_SOCJALNA): Transition(
        gettext_lazy("Podejmij pracę socjalną"), (worker_accepted, diagnosis_says_social_work), offered=False
    ),
    # Refusal of help (seed 003): the environment is monitored.
    (S.ROZEZNANIE, S.MONITORING): Transition(
        gettext_lazy("Odmowa pomocy – monitoring środowiska"),
        (worker_accepted, reason_given),
        needs_reason=True,
        weight=Weight.FINAL,
        consequence=REFUSAL_MONITORING,
    ),
    (S.DIAGNOZA, S.MONITORING): Transition(
        gettext_lazy("Odmowa pomocy – monitoring środowiska"),
        (worker_accepted, reason_given),
        needs_reason=True,
        weight=Weight.FINAL,
        consequence=REFUSAL_MONITORING,
    ),
    (S.PRACA_SOCJALNA, S.MONITORING): Transition(
        gettext_lazy("Odmowa pomocy – monitoring środowiska"),
        (worker_accepted, no_contract_in_force, reason_given),
        needs_reason=True,
        weight=Weight.FINAL,
        consequence=REFUSAL_MONITORING,
    ),
    # The person accepts help after all: back to finding out the situation.
    (S.MONITORING, S.ROZEZNANIE): Transition(
        gettext_lazy("Klient przyjmuje pomoc – wznów rozeznanie"), (worker_accepted, reason_given), needs_reason=True
    ),
    # Suspension (seed 004) and resumption at the same stage.
    (S.ROZEZNANIE, S.ZAWIESZENIE): Transition(
        gettext_lazy("Zawieś sprawę"), (worker_accepted, reason_given), needs_reason=True, weight=Weight.ASIDE
    ),
    (S.DIAGNOZA, S.ZAWIESZENIE): Transition(
        gettext_lazy("Zawieś sprawę"), (worker_accepted, reason_given), needs_reason=True, weight=Weight.ASIDE
    ),
    (S.PRACA_SOCJALNA, S.ZAWIESZENIE): Transition(
        gettext_lazy("Zawieś sprawę"), (worker_accepted, reason_given), needs_reason=True, weight=Weight.ASIDE
    ),
    (S.ZAWIESZENIE, S.ROZEZNANIE): Transition(
        gettext_lazy("Wznów sprawę"), (worker_accepted, resumes_suspended_stage, reason_given), needs_reason=True
    ),
    (S.ZAWIESZENIE, S.DIAGNOZA): Transition(
        gettext_lazy("Wznów sprawę"), (worker_accepted, resumes_suspended_stage, reason_given), needs_reason=True
    ),
    (S.ZAWIESZENIE, S.PRACA_SOCJALNA): Transition(
        gettext_lazy("Wznów sprawę"), (worker_accepted, resumes_suspended_stage, reason_given), needs_reason=True
    ),
    # V. Closing, always with a reason.
    (S.ROZEZNANIE, S.ZAKONCZENIE): CLOSE,
    (S.DIAGNOZA, S.ZAKONCZENIE): CLOSE,
    (S.PRACA_SOCJALNA, S.ZAKONCZENIE): CLOSE,
    (S.MONITORING, S.ZAKONCZENIE): CLOSE,
    (S.ZAWIESZENIE, S.ZAKONCZENIE): CLOSE,
    # V.3: the effects do not hold – reopen, keeping everything that came before.
    (S.ZAKONCZENIE, S.ROZEZNANIE): Transition(
        gettext_lazy("Wznów zakończoną sprawę (rozeznanie)"), (reason_given, no_other_open_case), needs_reason=True
    ),
    (S.ZAKONCZENIE, S.PRACA_SOCJALNA): Transition(
        gettext_lazy("Wznów zakończoną sprawę (praca socjalna)"),
        (reason_given, reopened_within_procedure, no_other_open_case),
        needs_reason=True,
    ),
}

CLOSE_REASONS_BY_STAGE: dict[Stage, frozenset[CloseReason]] = {
    S.ROZEZNANIE: frozenset({CloseReason.REFUSAL, CloseReason.MOVED_OUT, CloseReason.DEATH, CloseReason.OTHER}),
    S.DIAGNOZA: frozenset(
        {CloseReason.UNFOUNDED, CloseReason.REFUSAL, CloseReason.MOVED_OUT, CloseReason.DEATH, CloseReason.OTHER}
    ),
    S.PRACA_SOCJALNA: frozenset(
        {
            CloseReason.CONTRACT_COMPLETED,
            CloseReason.REFUSAL,
            CloseReason.MOVED_OUT,
            CloseReason.DEATH,
            CloseReason.OTHER,
        }
    ),
    S.MONITORING: frozenset({CloseReason.REFUSAL, CloseReason.MOVED_OUT, CloseReason.DEATH, CloseReason.OTHER}),
    S.ZAWIESZENIE: frozenset({CloseReason.MOVED_OUT, CloseReason.DEATH, CloseReason.OTHER}),
}


def transition_for(source: Stage, target: Stage) -> Transition | None:
    return TRANSITIONS.get((Stage(source), Stage(target)))


def refusal(move: Move) -> str | None:
    """Why ``move`` is not allowed, or None. Every failing guard speaks, so the worker learns
    at once everything that is missing."""
    transition = transition_for(Stage(move.case.stage), move.target)
    if transition is None:
        return _("Przejście z etapu „%(source)s” do „%(target)s” nie jest dozwolone w procedurze.") % {
            "source": Stage(move.case.stage).label,
            "target": Stage(move.target).label,
        }
    guards = (*transition.guards, close_reason_only_on_closing)
    reasons = [why for guard in guards if (why := guard(move))]
    return " ".join(reasons) or None


def next_steps(case: Case) -> list[tuple[Stage, Transition]]:
    """The moves the table offers from the case's stage (guards are checked on submit, so the
    worker sees every step of the procedure and, if refused, why)."""
    source = Stage(case.stage)
    return [(target, t) for (src, target), t in TRANSITIONS.items() if src == source and t.offered]


# Closing as unfounded is the diagnosis form's decision (III.2), not a bare choice.
CLOSE_REASONS_OFFERED = frozenset(CloseReason) - {CloseReason.UNFOUNDED}
