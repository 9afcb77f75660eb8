"""The RPŚ team's own records (seed 000 IV.3 and VII): the monthly team meetings with their note
and attendance list, and the inspections of a worker's social work with their protocol."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case
from mopr.models import Region


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
    history = HistoricalRecords(table_name="registers_historicalteammeeting")

    class Meta:
        db_table = "registers_teammeeting"  # its table from before the app left registers
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
    history = HistoricalRecords(table_name="registers_historicalinspection")

    class Meta:
        db_table = "registers_inspection"  # its table from before the app left registers
        verbose_name = _("kontrola pracy socjalnej")
        verbose_name_plural = _("kontrole pracy socjalnej")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('Kontrola')} {self.inspected_worker} {self.held_on:%d.%m.%Y}"
