"""The family assistant (asystent rodziny): seed 002 (MGOPS Łask) and seed 000 IV.6–8 (Toruń).

A request (wniosek) comes from the case's worker after the diagnosis with the family's
written consent, from an external institution (checked by the worker with a community
interview), or from a court judgment (no approval). It passes the institution's approval
chain (an opinion of the head of department where the institution has one, then the
director or a person the director authorised), then an assistant is assigned. The assistant's
work – first joint visit, plan, visits, monthly reports, periodic assessments, changes of the
family's situation, the final report – is recorded per assignment, each item dated and
attributed. Writes in assistants/services.py; due dates in cases/deadlines.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, CaseDocument
from mopr.models import AppendOnlyError, AppendOnlyQuerySet, CoverMarked, Institution


class Request(CoverMarked):
    class Path(models.TextChoices):
        WORKER = "worker", _("wniosek pracownika socjalnego (po diagnozie, za zgodą rodziny)")
        EXTERNAL = "external", _("wniosek instytucji zewnętrznej (szkoła, poradnia, sąd)")
        COURT = "court", _("asystent przyznany wyrokiem sądu")

    class Status(models.TextChoices):
        INTERVIEW = "interview", _("rozeznanie wniosku instytucji (wywiad)")
        OPINION = "opinion", _("czeka na opinię kierownika działu")
        APPROVAL = "approval", _("czeka na zatwierdzenie")
        APPROVED = "approved", _("zatwierdzony")
        REJECTED = "rejected", _("odrzucony")
        NOT_JUSTIFIED = "not_justified", _("wsparcie niezasadne lub rodzina nie chce współpracy")
        ORDERED = "ordered", _("orzeczony przez sąd")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assistant_requests")
    path = models.CharField(_("droga"), max_length=10, choices=Path.choices)
    status = models.CharField(_("stan"), max_length=20, choices=Status.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("data wniosku"))
    justification = models.TextField(_("uzasadnienie"))
    # The family's written consent (seed 002, document 1): its date and the scan in the folder.
    consent_on = models.DateField(_("data pisemnej zgody rodziny"), null=True, blank=True)
    consent_scan = models.ForeignKey(
        CaseDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("skan zgody")
    )
    # An external institution's request and the worker's answer to it.
    institution_name = models.CharField(_("instytucja wnioskująca"), max_length=200, blank=True)
    institution_address = models.CharField(_("adres instytucji"), max_length=300, blank=True)
    received_on = models.DateField(_("data wpływu wniosku instytucji"), null=True, blank=True)
    interview_on = models.DateField(_("data wywiadu środowiskowego"), null=True, blank=True)
    support_justified = models.BooleanField(_("wsparcie asystenta zasadne"), null=True, blank=True)
    family_wants = models.BooleanField(_("rodzina chce współpracy z asystentem"), null=True, blank=True)
    reply = models.TextField(_("odpowiedź dla instytucji"), blank=True)
    # A court judgment.
    court_name = models.CharField(_("sąd"), max_length=200, blank=True)
    ruling_reference = models.CharField(_("sygnatura i data orzeczenia"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wniosek o asystenta rodziny")
        verbose_name_plural = _("wnioski o asystenta rodziny")
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["status"], name="assistant_request_status_idx")]
        # One request in progress per family (seed 002); an approved one still without its assistant
        # is held by the services, which lock the case row (docs/architecture.md, invariants).
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=["interview", "opinion", "approval"]),
                name="assistant_one_request_in_progress",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Wniosek o asystenta')} {self.case.number} ({self.get_status_display()})"


class Decision(models.Model):
    """An opinion or an approval/rejection, with its comment. Written once, never changed."""

    class Step(models.TextChoices):
        OPINION = "opinion", _("opinia kierownika działu")
        APPROVAL = "approval", _("decyzja o zatwierdzeniu")

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="decisions")
    step = models.CharField(_("etap"), max_length=10, choices=Step.choices)
    positive = models.BooleanField(_("pozytywna"))
    comment = models.TextField(_("komentarz"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("kiedy"))
    # Whom the decider acted for: the director, or by the director's authorisation.
    as_authorised = models.BooleanField(_("z upoważnienia dyrektora"), default=False)

    # Written once and never changed, so the row is its own history; bulk writes are refused too.
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("decyzja w sprawie asystenta")
        verbose_name_plural = _("decyzje w sprawie asystenta")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {'+' if self.positive else '−'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Decision is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Decision is append-only")


class Authorisation(models.Model):
    """The director authorises a person to approve assistant requests in the director's name."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="approver_authorisations")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("upoważnienie do zatwierdzania")
        verbose_name_plural = _("upoważnienia do zatwierdzania")

    def __str__(self) -> str:
        return f"{self.user} ({self.institution})"


class Assignment(models.Model):
    """An assistant working with a family; the case's worker stays the coordinator of the case."""

    class End(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("osiągnięcie zamierzonych celów")
        NO_COOPERATION = "no_cooperation", _("brak współpracy rodziny z asystentem")
        MOVED_OUT = "moved_out", _("zmiana miejsca zamieszkania poza teren gminy")
        RESIGNED = "resigned", _("rezygnacja rodziny z asystenta")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assistant_assignments")
    request = models.OneToOneField(Request, on_delete=models.PROTECT, related_name="assignment")
    assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assistant_assignments",
        verbose_name=_("asystent rodziny"),
    )  # fmt: skip
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The family's qualification for support: the 14 days of the first joint visit run from it.
    qualified_on = models.DateField(_("data zakwalifikowania rodziny"))
    letter_note = models.TextField(_("treść pisma przydzielającego (uwagi)"), blank=True)
    ended_on = models.DateField(_("data zakończenia"), null=True, blank=True)
    end = models.CharField(_("przyczyna zakończenia"), max_length=20, choices=End.choices, blank=True)
    end_reason = models.TextField(_("uzasadnienie zakończenia"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("przydział asystenta rodziny")
        verbose_name_plural = _("przydziały asystentów rodziny")
        ordering = ["-qualified_on", "-pk"]
        indexes = [models.Index(fields=["assistant", "ended_on"], name="assignment_assistant_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(ended_on__isnull=True), name="one_active_assistant_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assistant} – {self.case.number}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class Work(models.Model):
    """What every item of the assistant's work has: the assignment, the author, when written."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class AssistantVisit(Work):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("data wizyty"))
    # Seed 002: the assistant works afternoons and weekends – the hour is part of the record (17.8).
    started_at = models.TimeField(_("godzina rozpoczęcia"), null=True, blank=True)
    joint_with_worker = models.BooleanField(_("wspólna wizyta z pracownikiem socjalnym"), default=False)
    place = models.CharField(_("miejsce"), max_length=200, default="miejsce zamieszkania rodziny")
    description = models.TextField(_("przebieg wizyty"))
    minutes = models.PositiveSmallIntegerField(_("czas (minuty)"), default=60)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wizyta asystenta")
        verbose_name_plural = _("wizyty asystenta")
        ordering = ["visited_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Wizyta asystenta')} {self.visited_on:%d.%m.%Y}"


class WorkPlan(Work):
    """The plan of work with the family; an amendment is a new version, earlier ones kept."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="plans")
    version_number = models.PositiveSmallIntegerField(_("wersja"), default=1)
    drafted_on = models.DateField(_("data sporządzenia"))
    assessment = models.TextField(_("ocena sytuacji rodziny"))
    goals = models.TextField(_("cele i zadania"))
    methods = models.TextField(_("sposoby realizacji"), blank=True)
    change_reason = models.TextField(_("powód zmiany planu"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan pracy z rodziną")
        verbose_name_plural = _("plany pracy z rodziną")
        ordering = ["version_number"]
        constraints = [models.UniqueConstraint(fields=["assignment", "version_number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{_('Plan pracy')} v{self.version_number}"


class MonthlyReport(Work):
    """The monthly report on the family (seed 002, document 4)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="monthly_reports")
    month = models.DateField(_("miesiąc"), help_text=_("Pierwszy dzień miesiąca."))
    summary = models.TextField(_("sprawozdanie"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("miesięczne sprawozdanie z pracy z rodziną")
        verbose_name_plural = _("miesięczne sprawozdania z pracy z rodziną")
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["assignment", "month"], name="monthly_report_unique")]

    def __str__(self) -> str:
        return f"{_('Sprawozdanie')} {self.month:%m.%Y}"


class TimeReport(models.Model):
    """The monthly report of the assistant's working time across their families (document 6)."""

    assistant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_reports")
    month = models.DateField(_("miesiąc"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("miesięczne sprawozdanie z czasu pracy asystenta")
        verbose_name_plural = _("miesięczne sprawozdania z czasu pracy asystenta")
        constraints = [models.UniqueConstraint(fields=["assistant", "month"], name="time_report_unique")]

    def __str__(self) -> str:
        return f"{self.assistant} {self.month:%m.%Y}"


class TimeReportLine(models.Model):
    report = models.ForeignKey(TimeReport, on_delete=models.CASCADE, related_name="lines")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="time_lines")
    hours = models.DecimalField(_("godziny"), max_digits=5, decimal_places=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "assignment"], name="time_line_unique")]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.hours} h"


class PeriodicAssessment(Work):
    """The periodic assessment of the family's situation for the head of the centre (document 7)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("data oceny"))
    assessment = models.TextField(_("ocena sytuacji rodziny"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("okresowa ocena sytuacji rodziny")
        verbose_name_plural = _("okresowe oceny sytuacji rodziny")
        ordering = ["assessed_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Ocena okresowa')} {self.assessed_on:%d.%m.%Y}"


class ChangeReport(Work):
    """A change in the family's situation: the family tells the worker within 7 days, otherwise
    the assistant informs the worker (seed 002, 4.8)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="change_reports")
    learnt_on = models.DateField(_("data powzięcia informacji"))
    change = models.TextField(_("zmiana sytuacji (finansowej, zawodowej, struktury rodziny…)"))
    family_told_worker_on = models.DateField(_("rodzina poinformowała pracownika"), null=True, blank=True)
    assistant_told_worker_on = models.DateField(_("asystent poinformował pracownika"), null=True, blank=True)
    # The one item of the assistant's work edited after it is written (the dates the worker was
    # told, by the assistant or the worker): its form carries the version, so neither overwrites the other.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zmiana sytuacji rodziny")
        verbose_name_plural = _("zmiany sytuacji rodziny")
        ordering = ["learnt_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Zmiana sytuacji')} {self.learnt_on:%d.%m.%Y}"


class FinalReport(Work):
    """The report of the assistant's work with the family, at the end (document 8)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="final_report")
    written_on = models.DateField(_("data sprawozdania"))
    summary = models.TextField(_("sprawozdanie z pracy z rodziną"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sprawozdanie końcowe asystenta")
        verbose_name_plural = _("sprawozdania końcowe asystenta")

    def __str__(self) -> str:
        return f"{_('Sprawozdanie końcowe')} {self.written_on:%d.%m.%Y}"
