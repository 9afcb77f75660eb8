"""What coordinators, directors and auditors work with (seed 000 IV.3, VI.3 and VII; seeds 003
and 004): team meetings, inspections, the monitoring of environments that refuse help, time
accounting, and the log of register exports. The register itself is a read of the cases
(registers/selectors.py); it has no table of its own.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, TargetGroup
from mopr.models import CoverMarked, Region


class TeamMeeting(models.Model):
    """The monthly meeting of an RPŚ's workers (seed 000 IV.3), with the note and the attendance list."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("data spotkania"))
    note = models.TextField(_("notatka służbowa ze spotkania"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("notatkę sporządził(a)")
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings_attended", verbose_name=_("lista obecności")
    )
    guests = models.CharField(_("inne osoby obecne"), max_length=300, blank=True)
    cases_discussed = models.ManyToManyField(
        Case, related_name="meetings", blank=True, verbose_name=_("omawiane sprawy")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spotkanie zespołu RPŚ")
        verbose_name_plural = _("spotkania zespołów RPŚ")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["region", "-held_on"], name="meeting_region_idx")]

    def __str__(self) -> str:
        return f"{self.region} {self.held_on:%d.%m.%Y}"


class Inspection(models.Model):
    """An inspection (kontrola) of a worker's social work by a coordinator or an authorised
    controller (seed 000 VII), with its protocol."""

    inspected_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspections",
        verbose_name=_("kontrolowany pracownik"),
    )  # fmt: skip
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="inspections")
    held_on = models.DateField(_("data kontroli"))
    scope = models.TextField(_("zakres kontroli"))
    cases = models.ManyToManyField(Case, related_name="inspections", blank=True, verbose_name=_("skontrolowane sprawy"))
    findings = models.TextField(_("ustalenia"))
    recommendations = models.TextField(_("zalecenia"), blank=True)
    follow_up_by = models.DateField(_("termin realizacji zaleceń"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("zalecenia zrealizowano"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontrola pracy socjalnej")
        verbose_name_plural = _("kontrole pracy socjalnej")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('Kontrola')} {self.inspected_worker} {self.held_on:%d.%m.%Y}"


class RefusalMonitoring(CoverMarked):
    """A difficult environment that refuses help (seed 003, MGOPS Strzelce Krajeńskie)."""

    class Decision(models.TextChoices):
        KEEP_MONITORING = "keep", _("dalszy monitoring środowiska")
        FAMILY_COURT = "court", _("wystąpienie do sądu rodzinnego o wgląd w sytuację rodziny")
        CARE_HOME_OR_HOSPITAL = "care_home", _("umieszczenie w domu pomocy społecznej lub w szpitalu")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="refusal_monitorings")
    # 3. The refusal: the statement taken and the leaflet left.
    refused_on = models.DateField(_("data odmowy pomocy"))
    statement_taken = models.BooleanField(_("odebrano oświadczenie o rezygnacji z pomocy"), default=False)
    leaflet_left = models.BooleanField(_("pozostawiono ulotkę z danymi kontaktowymi ośrodka"), default=False)
    # 5. The worker's official note to the director.
    note_to_director = models.TextField(_("notatka służbowa dla dyrektora"))
    note_written_on = models.DateField(_("data notatki"))
    # 6. The director's plan of action.
    plan_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("plan ustalił(a)"),
    )  # fmt: skip
    plan_on = models.DateField(_("data planu działania"), null=True, blank=True)
    contact_close_family = models.TextField(_("kontakt z najbliższą rodziną"), blank=True)
    contact_neighbours = models.TextField(_("kontakt z sąsiadami lub sołtysem"), blank=True)
    contact_health = models.TextField(_("kontakt z lekarzem rodzinnym lub pielęgniarką środowiskową"), blank=True)
    contact_organisations = models.TextField(_("kontakt z organizacjami, do których należy osoba"), blank=True)
    # 7.–8. The worker's written report and the joint decision.
    report = models.TextField(_("sprawozdanie z rezultatów działań"), blank=True)
    report_on = models.DateField(_("data sprawozdania"), null=True, blank=True)
    report_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("sprawozdanie przedstawił(a)"),
    )  # fmt: skip
    decision = models.CharField(_("wspólna decyzja"), max_length=10, choices=Decision.choices, blank=True)
    decision_on = models.DateField(_("data decyzji"), null=True, blank=True)
    decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("dyrektor (zastępca)"),
    )  # fmt: skip
    # Seed 003 p. 8: the decision is the director's and the worker's together: both are named.
    decision_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("pracownik socjalny"),
    )  # fmt: skip
    decision_note = models.TextField(_("uzasadnienie decyzji"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monitoring środowiska odmawiającego pomocy")
        verbose_name_plural = _("monitoring środowisk odmawiających pomocy")
        ordering = ["-refused_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('Monitoring')} {self.case.number}"


class MonitoringDate(models.Model):
    """6a. The next dates of monitoring the environment, set in the plan; done when visited."""

    monitoring = models.ForeignKey(RefusalMonitoring, on_delete=models.CASCADE, related_name="dates")
    due_on = models.DateField(_("termin monitoringu"))
    done_on = models.DateField(_("wykonano"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("wykonał(a)"),
    )  # fmt: skip
    outcome = models.TextField(_("wynik"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("termin monitoringu")
        verbose_name_plural = _("terminy monitoringu")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.due_on:%d.%m.%Y}"


class TimeCategorySet(models.TextChoices):
    """Whose categories an entry is in (seed 004 has a table of its own for each job). The letters
    overlap – A of one set is not A of the other – so an entry names its set."""

    SOCIAL = "social", _("pracownik socjalny")
    BENEFITS = "benefits", _("pracownik ds. świadczeń")


class TimeCategory(models.TextChoices):
    """The social worker's categories (seed 004, the tables "… – pracownicy socjalni")."""

    A = "A", _("A – praca socjalna z osobą/rodziną w środowisku")
    B = "B", _("B – praca socjalna z osobą/rodziną w siedzibie ośrodka")
    C = "C", _("C – zawarcie umowy współpracy")
    D = "D", _("D – działania bez udziału osoby/rodziny (np. reprezentowanie interesów klienta)")
    E = "E", _("E – przygotowanie dokumentacji")
    F = "F", _("F – doskonalenie zawodowe")
    G = "G", _("G – urlopy, zwolnienia lekarskie")
    H = "H", _("H – zadania związane z realizacją projektu")
    I = "I", _("I – dojazd do klienta i powrót do siedziby")  # noqa: E741 - the seed's letter


class BenefitsTimeCategory(models.TextChoices):
    """The benefits worker's categories, in the seed's words (seed 004, the tables "… – pracownik
    ds. świadczeń"). L and Ł are the seed's overlays (NAKŁADKA): see ``OVERLAYS``."""

    A = "A", _("A – Wywiad część I – wizyta w środowisku (od momentu wyjścia z siedziby Ośrodka do momentu powrotu)")
    B = "B", _("B – Wywiad część I – opracowanie dokumentacji – praca w siedzibie Ośrodka")
    C = "C", _("C – Wywiad część IV – wizyta w środowisku (od momentu wyjścia z siedziby Ośrodka do momentu powrotu)")
    D = "D", _("D – Wywiad część IV – opracowanie dokumentacji – praca w siedzibie Ośrodka")
    E = (
        "E",
        _("E – Wywiad część II i III – wizyta w środowisku (od momentu wyjścia z siedziby Ośrodka do momentu powrotu)"),
    )
    F = "F", _("F – Wywiad część II i III – opracowanie dokumentacji – praca w siedzibie Ośrodka")
    G = "G", _("G – Wprowadzanie decyzji do systemu informatycznego")
    H = "H", _("H – Przygotowanie decyzji odmawiającej przyznania pomocy")
    I = (  # noqa: E741 - the seed's letter
        "I",
        _("I – Prowadzenie innych postępowań (skargi, odwołania, postępowania wyjaśniające niezwiązane ze skargami)"),
    )
    J = "J", _("J – Sporządzanie sprawozdań, prowadzenie baz danych")
    K = "K", _("K – Urlopy, zwolnienia lekarskie")
    L = (
        "L",
        _(
            "L – Wykonywanie zadań związanych realizacją projektu w tym: zadania związane z prowadzoną ewaluacją "
            "projektu, zebrania organizacyjne dotyczące wdrażanego modelu instytucji oraz standardów, inne NAKŁADKA"
        ),
    )
    L_STROKE = "Ł", _("Ł – Doskonalenie zawodowe NAKŁADKA")


# The seed marks these rows NAKŁADKA (overlay): shown with a subtotal of their own. Its percentages
# still take them into the 100 % (C 245,5 of 1848 h = 13 %, not 14 % of the 1694 h without them).
OVERLAYS: dict[str, frozenset[str]] = {
    TimeCategorySet.SOCIAL: frozenset(),
    TimeCategorySet.BENEFITS: frozenset({BenefitsTimeCategory.L, BenefitsTimeCategory.L_STROKE}),
}
CATEGORY_SETS: dict[str, type[models.TextChoices]] = {
    TimeCategorySet.SOCIAL: TimeCategory,
    TimeCategorySet.BENEFITS: BenefitsTimeCategory,
}


class TimeEntry(models.Model):
    """Hours a worker spent on a day in one category of their job's set (seed 004), optionally
    for one standard of work (the target group of the seed's tables)."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    day = models.DateField(_("dzień"))
    # Rows written before the benefits worker's set existed were all in the social set: the default.
    category_set = models.CharField(
        _("zestaw kategorii"), max_length=10, choices=TimeCategorySet.choices, default=TimeCategorySet.SOCIAL
    )
    category = models.CharField(_("kategoria"), max_length=1)
    # The seed reports per standard ("Rodziny z Dziećmi", "Osoby Pozostające Bez Pracy"); the worker
    # says which one a day's hours were for. Blank: not assigned to a standard.
    target_group = models.CharField(
        _("standard pracy (grupa docelowa)"), max_length=20, choices=TargetGroup.choices, blank=True
    )
    hours = models.DecimalField(_("godziny"), max_digits=4, decimal_places=2)
    note = models.CharField(_("uwagi"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("czas pracy")
        verbose_name_plural = _("czas pracy")
        ordering = ["day", "category_set", "category"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "day", "category_set", "category"], name="time_entry_unique"),
            models.CheckConstraint(condition=models.Q(hours__gt=0) & models.Q(hours__lte=24), name="time_entry_hours"),
            models.CheckConstraint(
                condition=models.Q(category_set=TimeCategorySet.SOCIAL, category__in=TimeCategory.values)
                | models.Q(category_set=TimeCategorySet.BENEFITS, category__in=BenefitsTimeCategory.values),
                name="time_entry_category_in_set",
            ),
        ]
        indexes = [models.Index(fields=["worker", "day"], name="time_worker_day_idx")]

    def __str__(self) -> str:
        return f"{self.worker} {self.day} {self.category_set}:{self.category}: {self.hours}"

    @property
    def category_label(self) -> str:
        return str(CATEGORY_SETS[self.category_set](self.category).label)
