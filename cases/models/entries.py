"""Stage III, the diagnosis, and what every stage uses: official notes and the case folder."""

import uuid
from pathlib import PurePath

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.core import Case
from cases.models.rozeznanie import Entry


class ProblemArea(models.Model):
    """A problem area of the diagnosis (seed 000 III.1). The reasons of art. 7 of the Act on social
    assistance are rows without an institution, written by migration (``cases.problem_areas``) and
    not edited by anyone; an institution adds its own (seed 001's teams work by problem).
    A diagnosis keeps the codes, so a renamed area renames every diagnosis that names it."""

    institution = models.ForeignKey(
        "mopr.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="problem_areas"
    )
    code = models.SlugField(_("kod"), max_length=40)
    name = models.CharField(_("nazwa"), max_length=200)
    legal_basis = models.CharField(_("podstawa"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("kolejność"), default=100)
    active = models.BooleanField(_("w użyciu"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obszar problemowy")
        verbose_name_plural = _("obszary problemowe")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(institution__isnull=True), name="problem_area_code_common"
            ),
            models.UniqueConstraint(fields=["institution", "code"], name="problem_area_code_per_institution"),
        ]

    def __str__(self) -> str:
        return self.name


class Diagnosis(Entry):
    """Diagnoza i ocena sytuacji (Karta pkt 4) with the decision (Karta pkt 5)."""

    date_field = "diagnosed_on"

    class Decision(models.TextChoices):
        NO_PROBLEM = "no_problem", _("nie stwierdzono problemu – rezygnacja z pracy socjalnej")
        SOCIAL_WORK = "social_work", _("potrzebna praca socjalna – zawarcie kontraktu socjalnego")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="diagnoses")
    diagnosed_on = models.DateField(_("data diagnozy"))
    facts = models.TextField(_("stan faktyczny"))
    problem_areas = models.JSONField(_("obszary problemowe"), default=list, blank=True)
    problem_other = models.CharField(_("inny problem – jaki"), max_length=300, blank=True)
    children_care = models.TextField(_("zapewnienie dzieciom opieki i wychowania"), blank=True)
    resources = models.TextField(_("zasoby klienta i środowiska"))
    dysfunctional = models.BooleanField(_("klient funkcjonuje w sposób dysfunkcyjny i wymaga pomocy"), default=False)
    decision = models.CharField(_("decyzja"), max_length=20, choices=Decision.choices)
    justification = models.TextField(_("uzasadnienie / uwagi i wnioski"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diagnoza")
        verbose_name_plural = _("diagnozy")
        ordering = ["diagnosed_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Diagnoza')} {self.diagnosed_on:%d.%m.%Y}"

    @property
    def problem_area_labels(self) -> list[str]:
        from cases.problem_areas import problem_area_names

        names = problem_area_names(institution_id=self.case.institution_id, codes=self.problem_areas)
        return [names.get(code, code) for code in self.problem_areas]


class OfficialNote(Entry):
    """Notatka służbowa: at any stage, updates the situation without going back (seed 004)."""

    date_field = "written_on"

    NOTHING_CHANGED = _("W sytuacji klienta nie zaszły istotne zmiany.")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("data notatki"))
    content = models.TextField(_("treść"))
    nothing_changed = models.BooleanField(_("bez zmian w sytuacji klienta"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notatka służbowa")
        verbose_name_plural = _("notatki służbowe")
        ordering = ["written_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Notatka służbowa')} {self.written_on:%d.%m.%Y}"


def _upload_to(instance: "CaseDocument", filename: str) -> str:
    # A random name on disk: the original name is kept in the row, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{suffix}"


upload_name = _upload_to  # the services name the file before writing it (migrations know the old name)


class CaseDocument(Entry):
    """A scan in the case folder (teczka). Stored under MEDIA_ROOT, served only by a view
    that asks the access policy."""

    class Kind(models.TextChoices):
        CONSENT = "consent", _("zgoda / oświadczenie klienta")
        LETTER_IN = "letter_in", _("pismo od instytucji")
        LETTER_OUT = "letter_out", _("pismo do instytucji")
        MEDICAL = "medical", _("dokumentacja medyczna")
        COURT = "court", _("dokument sądowy")
        OPINION = "opinion", _("opinia szkoły / poradni")
        INTERVIEW = "interview", _("wywiad środowiskowy")
        OTHER = "other", _("inny dokument")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("opis"), max_length=300)
    document_date = models.DateField(_("data dokumentu"))
    file = models.FileField(_("plik"), upload_to=_upload_to, max_length=300)
    original_name = models.CharField(_("nazwa pliku"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("rozmiar (bajty)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dokument w teczce")
        verbose_name_plural = _("dokumenty w teczce")
        ordering = ["document_date", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DocumentationTransfer(Entry):
    """The documentation handed to the welfare centre of the family's new municipality after the
    case closed for moving out (issue 17.3): to whom, the new address, what was enclosed. The
    letter prints from it (``printouts/documentation_transfer.html``)."""

    date_field = "sent_on"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documentation_transfers")
    sent_on = models.DateField(_("data pisma"))
    addressee = models.ForeignKey(
        "mopr.DirectoryEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ośrodek z katalogu adresatów"),
    )  # fmt: skip
    # The address as sent: the letter stays as it was, whatever the directory says later.
    addressee_text = models.TextField(_("adresat (nazwa i adres ośrodka)"), blank=True)
    new_address = models.CharField(_("nowy adres rodziny"), max_length=300)
    enclosures = models.TextField(_("przekazywane dokumenty (załączniki)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("przekazanie dokumentacji do innego ośrodka")
        verbose_name_plural = _("przekazania dokumentacji do innych ośrodków")
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Przekazanie dokumentacji')} {self.sent_on:%d.%m.%Y}"
