"""Environments that refuse help (seed 003, MGOPS Strzelce Krajeńskie): the refusal, the note to
the director, the director's plan with its monitoring dates, the worker's report and the joint
decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case
from mopr.models import CoverMarked


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
    history = HistoricalRecords(table_name="registers_historicalrefusalmonitoring")

    class Meta:
        db_table = "registers_refusalmonitoring"  # its table from before the app left registers
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
    history = HistoricalRecords(table_name="registers_historicalmonitoringdate")

    class Meta:
        db_table = "registers_monitoringdate"  # its table from before the app left registers
        verbose_name = _("termin monitoringu")
        verbose_name_plural = _("terminy monitoringu")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.due_on:%d.%m.%Y}"
