"""The import of a centre's clients and open cases from its earlier records (issue 19.4).

An uploaded file is kept (privately, under MEDIA_ROOT) with its checksum, so that the import
that follows a dry run reads exactly the file the dry run read. Each carried-over family is
remembered by the earlier system's identifier: a second run of the same file, or of a later
file that repeats a family, creates nothing twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportFile(models.Model):
    institution = models.ForeignKey("mopr.Institution", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("wgrano"), auto_now_add=True)
    name = models.CharField(_("nazwa pliku"), max_length=200)
    file = models.FileField(upload_to="imports/%Y/")
    sha256 = models.CharField(max_length=64)
    # The last run's outcome per family (imports.services.Outcome as dicts), for the page.
    results = models.JSONField(default=list, blank=True)
    results_dry = models.BooleanField(default=True)  # the results above are a dry run's
    dry_job = models.ForeignKey("background.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    import_job = models.ForeignKey("background.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("plik importu")
        verbose_name_plural = _("pliki importu")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class ImportedRecord(models.Model):
    """A family of the earlier records, carried over: the identifier it had there, and what it is here."""

    institution = models.ForeignKey("mopr.Institution", on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(_("identyfikator w poprzednim systemie"), max_length=60)
    client = models.ForeignKey("cases.Client", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    import_file = models.ForeignKey(ImportFile, on_delete=models.PROTECT, related_name="records")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sprawa z poprzedniego systemu")
        verbose_name_plural = _("sprawy z poprzedniego systemu")
        constraints = [
            # A second run of the same file creates nothing twice, also when two runs meet.
            models.UniqueConstraint(fields=["institution", "external_id"], name="imported_external_id_unique")
        ]

    def __str__(self) -> str:
        return self.external_id
