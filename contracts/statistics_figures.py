"""The statistics' contract figures (registers/statistics.py; definitions in docs/statistics.md).
A contract counts where it was signed: a draft never signed is not a contract."""

from __future__ import annotations

from django.db.models import Q

from cases.deadlines import add_months
from cases.models import ClientMember
from contracts.models import Contract
from registers.statistics import Figure, register

SECTION = "Kontrakty socjalne"
DEADLINES = "Terminy dotrzymane i przekroczone"


def _signed(cases):
    return Contract.objects.filter(case__in=cases, signed_on__isnull=False)


def _concluded(cases, period):
    return _signed(cases).filter(signed_on__gte=period.start, signed_on__lte=period.end)


def _in_force(cases, period):
    # In force from its signature until it ended (a contract past its period but not yet evaluated
    # and ended still binds: the deadline engine asks for its evaluation).
    return (
        _signed(cases)
        .filter(signed_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
    )


def _ended(cases, period, *, completed: bool):
    ended = _signed(cases).filter(ended_on__gte=period.start, ended_on__lte=period.end)
    return ended.filter(end=Contract.End.COMPLETED) if completed else ended.exclude(end=Contract.End.COMPLETED)


def _persons(contracts) -> int:
    """The persons a contract covers: its party and the members it names, each once."""
    ids = contracts.values("pk")
    # Two uncorrelated IN lists, not a join of both relations made distinct (140 ms → ~30 at 100,000 cases).
    covered = Contract.covered_members.through.objects.filter(contract__in=ids).values("clientmember_id")
    return ClientMember.objects.filter(Q(pk__in=contracts.values("client_member_id")) | Q(pk__in=covered)).count()


def _first_contract_on_time(*, kept: bool):
    """IV.1: with a new client the contract is signed within the institution's months of the first
    contact. Counted for the first contracts of the cases signed in the period."""

    def count(cases, period):
        n = 0
        rows = _concluded(cases, period).filter(number=1, case__first_contact_at__isnull=False)
        for signed, first, months in rows.values_list(
            "signed_on", "case__first_contact_at", "case__institution__contract_deadline_months"
        ):
            n += (signed <= add_months(first, months)) == kept
        return n

    return count


register(
    Figure("contracts_concluded", SECTION, "Kontrakty zawarte w okresie",
           "Kontrakty z datą podpisania w okresie (kontrakt kilkuletni liczy się jako zawarty raz, w roku podpisania).",
           lambda c, p: _concluded(c, p).count(), 20),
    Figure("contracts_concluded_persons", SECTION, "Osoby objęte kontraktami zawartymi w okresie",
           "Strona kontraktu i wymienieni w nim członkowie rodziny, każdy raz.",
           lambda c, p: _persons(_concluded(c, p)), 21),
    Figure("contracts_in_force", SECTION, "Kontrakty realizowane w okresie",
           "Kontrakty podpisane najpóźniej w ostatnim dniu okresu i niezakończone przed jego początkiem.",
           lambda c, p: _in_force(c, p).count(), 22),
    Figure("contracts_in_force_persons", SECTION, "Osoby objęte kontraktami realizowanymi",
           "Jak wyżej, osoby objęte tymi kontraktami, każda raz.", lambda c, p: _persons(_in_force(c, p)), 23),
    Figure("contracts_completed", SECTION, "Kontrakty zrealizowane (zakończone w okresie)",
           "Kontrakty zakończone w okresie jako zrealizowane (osiągnięto wszystkie lub większość celów).",
           lambda c, p: _ended(c, p, completed=True).count(), 24),
    Figure("contracts_completed_persons", SECTION, "Osoby objęte kontraktami zrealizowanymi", "Jak wyżej, osoby.",
           lambda c, p: _persons(_ended(c, p, completed=True)), 25),
    Figure("contracts_ended_otherwise", SECTION, "Kontrakty zakończone w okresie w inny sposób",
           "Kontrakty zakończone w okresie wypowiedzeniem, porozumieniem stron, z powodu braku realizacji "
           "postanowień lub wygaśnięcia.", lambda c, p: _ended(c, p, completed=False).count(), 26),
    Figure("contracts_ended_otherwise_persons", SECTION, "Osoby objęte kontraktami zakończonymi w inny sposób",
           "Jak wyżej, osoby.", lambda c, p: _persons(_ended(c, p, completed=False)), 27),
    Figure("contract_deadline_kept", DEADLINES, "Kontrakt z nowym klientem w terminie",
           "Pierwsze kontrakty spraw podpisane w okresie najpóźniej w terminie od pierwszego kontaktu "
           "(ustawienie ośrodka, domyślnie 2 miesiące – Procedura IV.1).", _first_contract_on_time(kept=True), 82),
    Figure("contract_deadline_missed", DEADLINES, "Kontrakt z nowym klientem po terminie",
           "Jak wyżej, podpisane po terminie.", _first_contract_on_time(kept=False), 83),
)  # fmt: skip
