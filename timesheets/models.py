"""Time accounting (seed 004): the hours a worker spent per day in the categories of their job's
set, per standard of work."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import TargetGroup


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
    history = HistoricalRecords(table_name="registers_historicaltimeentry")

    class Meta:
        db_table = "registers_timeentry"  # its table from before the app left registers
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
