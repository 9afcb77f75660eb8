"""Corrections of the record (issue 16.1): the record is the centre's official documentation, so
an entry is corrected openly – "sprostowanie z dnia … – autor – powód" – or withdrawn as made in
error, never silently overwritten. Each correction is an append-only row naming the entry, the
person, the time, the reason and every value before and after; a withdrawal keeps the entry's
text as it was."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.core import AppendOnlyModel, Case


class Correction(AppendOnlyModel):
    class Kind(models.TextChoices):
        CORRECT = "correct", _("sprostowanie")
        WITHDRAW = "withdraw", _("wycofanie wpisu jako błędnego")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="corrections")
    entry_model = models.CharField(_("rodzaj wpisu"), max_length=60)  # app_label.model_name
    entry_id = models.PositiveBigIntegerField(_("wpis"))
    entry_label = models.CharField(_("wpis"), max_length=300)  # "Wizyta 01.02.2026", as it read then
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("kiedy"), auto_now_add=True)
    reason = models.TextField(_("powód"))
    # [{"field": name, "label": "data wizyty", "before": "01.01.1926 10:00", "after": "01.01.2026 10:00"}]
    # or, for a withdrawal, [{"field": "", "label": "treść wpisu", "before": "…", "after": ""}].
    changes = models.JSONField(_("zmiany"), default=list)

    class Meta:
        verbose_name = _("sprostowanie wpisu")
        verbose_name_plural = _("sprostowania wpisów")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["entry_model", "entry_id"], name="correction_entry_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.entry_label}"
