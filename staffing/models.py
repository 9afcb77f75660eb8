"""Absence cover (zastępstwo): who stands in for an absent social worker, and for how long.

Seed 004's own time tables put leave and sick leave at 10–12 % of all hours: a case must not
stop because its worker is away. Who may set a cover, and what the substitute may do, is
decided in mopr/policy.py; the writes are in staffing/services.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mopr.models import Institution


class CoverReason(models.TextChoices):
    LEAVE = "leave", _("urlop")
    SICK = "sick", _("zwolnienie lekarskie")
    TRAINING = "training", _("szkolenie lub delegacja")
    OTHER = "other", _("inna nieobecność")


class CoverQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None) -> CoverQuerySet:
        """Covers running on ``on`` (today): a cover ends by itself after its last day."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(cancelled_at__isnull=True, starts_on__lte=day, ends_on__gte=day)


class Cover(models.Model):
    """Zastępstwo: from ``starts_on`` to ``ends_on`` (both inclusive) ``substitute`` does in the
    cases of ``absent`` everything ``absent`` may; each entry written then says "w zastępstwie za"."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covers_needed", verbose_name=_("nieobecny")
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covers_taken", verbose_name=_("zastępca")
    )
    starts_on = models.DateField(_("od dnia"))
    ends_on = models.DateField(_("do dnia (włącznie)"))
    reason = models.CharField(_("powód nieobecności"), max_length=20, choices=CoverReason.choices)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("odwołano"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = CoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("zastępstwo")
        verbose_name_plural = _("zastępstwa")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cover_period_ordered"),
            models.CheckConstraint(condition=~Q(absent=F("substitute")), name="cover_not_oneself"),
        ]
        indexes = [
            # The policy's question on every case page of a substitute: "whom do I cover today?"
            models.Index(fields=["substitute", "ends_on"], name="cover_substitute_idx"),
            models.Index(fields=["absent", "ends_on"], name="cover_absent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} za {self.absent} {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.cancelled_at is None and self.starts_on <= day <= self.ends_on
