"""A piece of long work done in the background for one user (issue 18.5): a large export, the
statistics of a long period. The page polls its progress; the file it makes is kept privately,
downloaded through the access policy, logged when downloaded, and removed after a set time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("czeka w kolejce")
        RUNNING = "running", _("w toku")
        DONE = "done", _("gotowy do pobrania")
        FAILED = "failed", _("nie udało się")
        EXPIRED = "expired", _("usunięty po terminie")

    institution = models.ForeignKey("mopr.Institution", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    kind = models.CharField(_("rodzaj"), max_length=40)  # a key of background.kinds
    title = models.CharField(_("co"), max_length=300)  # "Rejestr CSV: rejon RPŚ-1; etap …"
    params = models.JSONField(_("parametry"), default=dict)
    status = models.CharField(_("stan"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("zrobiono"), default=0)
    total = models.PositiveIntegerField(_("z"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    file_path = models.CharField(max_length=300, blank=True)  # under MEDIA_ROOT/jobs, never served directly
    file_name = models.CharField(_("plik"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(_("błąd"), blank=True)
    summary = models.TextField(_("wynik"), blank=True)  # set by the kind's run: a short report beside the file
    created_at = models.DateTimeField(_("zlecono"), auto_now_add=True)
    started_at = models.DateTimeField(_("rozpoczęto"), null=True, blank=True)
    finished_at = models.DateTimeField(_("zakończono"), null=True, blank=True)
    expires_at = models.DateTimeField(_("plik dostępny do"), null=True, blank=True)

    class Meta:
        verbose_name = _("praca w tle")
        verbose_name_plural = _("prace w tle")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="job_user_idx"),
            models.Index(fields=["status", "expires_at"], name="job_expiry_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, round(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)
