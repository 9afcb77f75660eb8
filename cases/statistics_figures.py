"""The statistics' figures of the case itself (registers/statistics.py says how a figure is
declared; docs/statistics.md gives each definition with its source)."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, DateField, Exists, ExpressionWrapper, Min, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate

from cases.models import Case, CaseFlag, Diagnosis, FlagKind, Notification, Visit
from cases.procedure import CloseReason
from registers.statistics import Figure, Period, closed_in, in_social_work, median_of, persons_in, register

SW = "Praca socjalna"
NK = "Niebieska Karta i ochrona dziecka"
COURT = "Zawiadomienia sądu"
TIME = "Czas od zgłoszenia"
DEADLINES = "Terminy dotrzymane i przekroczone"


def _sw(cases, period):
    return in_social_work(cases, period)


def _begun(cases, period):
    return cases.filter(social_work_started_at__gte=period.start, social_work_started_at__lte=period.end)


def _ongoing_at_end(cases, period):
    return cases.filter(social_work_started_at__lte=period.end).exclude(closed_at__lt=period.end_before)


def _ended(reason):
    def count(cases, period):
        return closed_in(cases.filter(social_work_started_at__isnull=False), period).filter(close_reason=reason).count()

    return count


def _flagged(kind, *, begun: bool):
    def count(cases, period):
        flags = CaseFlag.objects.filter(case__in=cases, kind=kind)
        if begun:
            flags = flags.filter(started_on__gte=period.start, started_on__lte=period.end)
        else:
            flags = flags.filter(started_on__lte=period.end).exclude(removed_at__lt=period.start_at)
        return flags.values("case_id").distinct().count()

    return count


def _court(cases, period):
    return Notification.objects.filter(
        case__in=cases, service=Notification.Service.FAMILY_COURT, sent_on__gte=period.start, sent_on__lte=period.end
    ).count()


def _court_families(cases, period):
    notifications = Notification.objects.filter(
        case__in=cases, service=Notification.Service.FAMILY_COURT, sent_on__gte=period.start, sent_on__lte=period.end
    )
    return notifications.values("case_id").distinct().count()


def _reported_in(cases: QuerySet[Case], period: Period):
    return cases.filter(reported_at__gte=period.start_at, reported_at__lt=period.end_before)


def _days_to(event: str):
    """The median calendar days from the report to ``event`` among the cases reported in the
    period where it happened; ``waiting``: those still without it (and not closed)."""

    def count(cases, period):
        # The report's local day and whether the case is still open come from SQL: tens of
        # thousands of timestamps converted here cost more than the query (make bench).
        reported = _reported_in(cases, period).annotate(
            reported_day=TruncDate("reported_at"),
            still_open=ExpressionWrapper(Q(closed_at__isnull=True), BooleanField()),
        )
        if event == "first_contact":
            rows = reported.values_list("reported_day", "first_contact_at", "still_open")
        else:
            if event == "diagnosis":
                first = Diagnosis.objects.filter(case__in=reported).values("case_id").annotate(day=Min("diagnosed_on"))
            else:  # contract
                from contracts.models import Contract

                first = (
                    Contract.objects.filter(case__in=reported, signed_on__isnull=False)
                    .values("case_id")
                    .annotate(day=Min("signed_on"))
                )
            days = {r["case_id"]: r["day"] for r in first}
            rows = [(r, days.get(pk), o) for pk, r, o in reported.values_list("pk", "reported_day", "still_open")]
        done, waiting = [], 0
        for reported_day, day, still_open in rows:
            if day is not None:
                done.append(max(0, (day - reported_day).days))
            elif still_open:
                waiting += 1
        return median_of(done, waiting)

    return count


def _repeat_visits(*, kept: bool):
    """II.6: a visit that found the child absent is repeated within the institution's days. Counted
    for the absent-child visits whose term ended in the period: kept when the family was met by
    then."""

    def count(cases, period):
        # Counted in SQL, one query per length of the term in scope (one per institution at most):
        # the visits read into Python took 12 s for a year at 100,000 cases (make bench).
        n = 0
        for days in cases.order_by().values_list("institution__repeat_visit_days", flat=True).distinct():
            term = datetime.timedelta(days=days)
            absent = (
                Visit.objects.filter(case__in=cases, case__institution__repeat_visit_days=days,
                                     outcome=Visit.Outcome.CHILD_ABSENT)
                .annotate(day=TruncDate("visited_at"))
                .filter(day__gte=period.start - term, day__lte=period.end - term)
            )  # fmt: skip
            met = (
                Visit.objects.filter(case=OuterRef("case_id"), outcome=Visit.Outcome.MET)
                .annotate(day=TruncDate("visited_at"))
                .filter(day__gte=OuterRef("day"), day__lte=ExpressionWrapper(OuterRef("day") + term, DateField()))
            )
            n += absent.filter(Exists(met) if kept else ~Exists(met)).count()
        return n

    return count


register(
    Figure("sw_families", SW, "Rodziny objęte pracą socjalną w okresie",
           "Sprawy, w których praca socjalna rozpoczęła się najpóźniej w ostatnim dniu okresu i nie zakończyła "
           "się przed jego początkiem; każda rodzina (osoba samotna to rodzina jednoosobowa) liczona raz.",
           lambda c, p: _sw(c, p).count(), 10),
    Figure("sw_persons", SW, "Osoby w tych rodzinach",
           "Wszyscy członkowie rodzin z wiersza wyżej (jak „liczba osób w rodzinach” w sprawozdaniu), każdy raz.",
           lambda c, p: persons_in(_sw(c, p)), 11),
    Figure("sw_begun", SW, "Praca socjalna rozpoczęta w okresie",
           "Sprawy z datą rozpoczęcia pracy socjalnej w okresie.", lambda c, p: _begun(c, p).count(), 12),
    Figure("sw_ongoing", SW, "Praca socjalna trwająca na koniec okresu",
           "Sprawy z pracą socjalną rozpoczętą do końca okresu i niezakończone do jego końca.",
           lambda c, p: _ongoing_at_end(c, p).count(), 13),
    *(
        Figure(f"sw_ended_{reason.value}", SW, f"Zakończone w okresie: {reason.label}",
               "Sprawy, w których prowadzono pracę socjalną, zakończone w okresie z tą przyczyną.",
               _ended(reason), 14 + i)
        for i, reason in enumerate(CloseReason)
    ),
    Figure("nk_families", NK, "Rodziny objęte procedurą „Niebieskie Karty” w okresie",
           "Sprawy, w których oznaczenie Niebieskiej Karty trwało choćby jeden dzień okresu (według oznaczenia "
           "w sprawie, nie liczby formularzy NK-A).", _flagged(FlagKind.NIEBIESKA_KARTA, begun=False), 40),
    Figure("nk_begun", NK, "Procedury „Niebieskie Karty” wszczęte w okresie",
           "Sprawy z oznaczeniem Niebieskiej Karty wszczętym w okresie.",
           _flagged(FlagKind.NIEBIESKA_KARTA, begun=True), 41),
    Figure("child_abuse", NK, "Rodziny z procedurą krzywdzenia dziecka w okresie",
           "Sprawy, w których oznaczenie krzywdzenia dziecka trwało choćby jeden dzień okresu.",
           _flagged(FlagKind.CHILD_ABUSE, begun=False), 42),
    Figure("court_notifications", COURT, "Zawiadomienia Sądu Rodzinnego wysłane w okresie",
           "Zawiadomienia do Sądu Rodzinnego z datą wysłania w okresie (liczba pism).", _court, 60),
    Figure("court_families", COURT, "Rodziny, których dotyczyły",
           "Sprawy z co najmniej jednym takim zawiadomieniem w okresie.", _court_families, 61),
    Figure("days_first_contact", TIME, "Mediana dni od zgłoszenia do pierwszego kontaktu",
           "Sprawy zgłoszone w okresie, w których doszło do pierwszego kontaktu: mediana dni kalendarzowych od "
           "zgłoszenia; n – ile spraw, „czeka” – otwarte sprawy bez kontaktu.", _days_to("first_contact"), 70),
    Figure("days_diagnosis", TIME, "Mediana dni od zgłoszenia do diagnozy",
           "Jak wyżej, do daty pierwszej diagnozy.", _days_to("diagnosis"), 71),
    Figure("days_contract", TIME, "Mediana dni od zgłoszenia do kontraktu",
           "Jak wyżej, do daty podpisania pierwszego kontraktu socjalnego.", _days_to("contract"), 72),
    Figure("repeat_visit_kept", DEADLINES, "Powtórna wizyta (dziecko nieobecne) w terminie",
           "Wizyty, na których dziecko było nieobecne, z terminem powtórzenia (ustawienie ośrodka) w okresie: "
           "spotkano rodzinę najpóźniej w dniu terminu.", _repeat_visits(kept=True), 80),
    Figure("repeat_visit_missed", DEADLINES, "Powtórna wizyta (dziecko nieobecne) po terminie lub wcale",
           "Jak wyżej: do dnia terminu nie spotkano rodziny.", _repeat_visits(kept=False), 81),
)  # fmt: skip
