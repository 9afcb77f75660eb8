"""The organisation: institutions (ośrodki), their regions (RPŚ), users and their roles.

Who may do what with these is decided in mopr/policy.py, never here.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Sex(models.TextChoices):
    """For the grammar of the documents (Pani/Pan, reprezentującą/reprezentującym): never printed."""

    FEMALE = "K", _("kobieta")
    MALE = "M", _("mężczyzna")


class Role(models.TextChoices):
    """Roles of DOMAIN.md. Region roles are held per RPŚ, the others per institution."""

    SOCIAL_WORKER = "social_worker", _("Pracownik socjalny")
    COORDINATOR = "coordinator", _("Koordynator RPŚ")
    HEAD_OF_DEPARTMENT = "head_of_department", _("Kierownik działu / z-ca dyrektora")
    DIRECTOR = "director", _("Dyrektor")
    FAMILY_ASSISTANT = "family_assistant", _("Asystent rodziny")
    FIRST_CONTACT = "first_contact", _("Pracownik pierwszego kontaktu")
    BENEFITS_WORKER = "benefits_worker", _("Pracownik ds. świadczeń")
    AUDITOR = "auditor", _("Kontroler / audytor")
    # Sets the centre up (its settings, later its staff): reads no case (issue 19).
    SYSTEM_ADMIN = "system_admin", _("Administrator systemu")

    @classmethod
    def region_roles(cls) -> frozenset["Role"]:
        return frozenset({cls.SOCIAL_WORKER, cls.COORDINATOR})


def default_karta_footnote() -> str:
    """The footnote of Załącznik 1 to Zarządzenie 30/2023 (seed 000), word for word."""
    return (
        "Każdy wpis zawarty w karcie powinien zawierać datę i podpis osoby go dokonującego i zostać wprowadzony "
        "do systemu TT-Pomoc. W przypadku prowadzenia pracy socjalnej poprzez zawarcie i realizację kontraktu "
        "socjalnego w karcie powinny być zapisy o dacie jego sporządzenia oraz ewaluacji i zakończenia. Karta "
        "powinna być dokumentacją papierową, w której sygnalizowane są działania w formie pracy socjalnej, "
        "dokładne opisy pracy socjalnej powinny być ujęte w Systemie TT-Pomoc zakładka kontrakt/ praca socjalna."
    )


def default_otp_roles() -> list[str]:
    """Issue 8: by default the director, the coordinators and the auditors must use TOTP; issue 19:
    the system administrator too (a centre's settings and, later, its accounts)."""
    return [Role.DIRECTOR.value, Role.COORDINATOR.value, Role.AUDITOR.value, Role.SYSTEM_ADMIN.value]


class Institution(models.Model):
    """A welfare centre (MOPR / MOPS / MGOPS). The procedure's terms that differ between
    centres are its settings, with the values of the seeds as defaults."""

    name = models.CharField(_("nazwa"), max_length=200)
    # The forms the documents need, entered once (never guessed by code): "w siedzibie Miejskiego
    # Ośrodka…" (dopełniacz), "w Miejskim Ośrodku…" (miejscownik), "zawarty w Toruniu". Empty: the
    # printouts use a phrasing that needs no inflection ("w miejscowości Toruń").
    name_genitive = models.CharField(
        _("nazwa w dopełniaczu"),
        max_length=200,
        blank=True,
        help_text=_("Np. Miejskiego Ośrodka Pomocy Rodzinie w Toruniu."),
    )
    name_locative = models.CharField(
        _("nazwa w miejscowniku"),
        max_length=200,
        blank=True,
        help_text=_("Np. Miejskim Ośrodku Pomocy Rodzinie w Toruniu."),
    )
    short_name = models.CharField(_("nazwa skrócona"), max_length=40, unique=True)
    city = models.CharField(_("miejscowość"), max_length=100, help_text=_("Na wydrukach: „Toruń, dnia …”."))
    city_locative = models.CharField(
        _("miejscowość w miejscowniku"), max_length=100, blank=True, help_text=_("Np. Toruniu (… zawarty w Toruniu).")
    )
    # The annexes' header line: "Załącznik nr 1 do Procedury … <procedure_basis>".
    procedure_basis = models.CharField(
        _("podstawa procedury na załącznikach"), max_length=300, blank=True,
        help_text=_("Np. przyjętej Zarządzeniem nr 30/2023 Dyrektora MOPR Toruń."),
    )  # fmt: skip
    # The karta's footnote is the form's own words (seed 000, Załącznik 1); a centre may word its own.
    karta_footnote = models.TextField(_("przypis karty pracy socjalnej"), default=default_karta_footnote)
    address = models.CharField(_("adres"), max_length=200)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    # Seed 000 IV.1: a contract with a new client within two months of the first contact.
    contract_deadline_months = models.PositiveSmallIntegerField(_("termin kontraktu (miesiące)"), default=2)
    # Seed 000 II.6: a visit without the child must be repeated; within this many days.
    repeat_visit_days = models.PositiveSmallIntegerField(_("powtórna wizyta, gdy dziecko nieobecne (dni)"), default=7)
    # Issue 16.2: an entry dated further back than this needs the user's explicit confirmation.
    backdate_confirm_days = models.PositiveSmallIntegerField(
        _("wpis z datą starszą niż (dni) wymaga potwierdzenia"), default=30
    )
    # Seed 002: the family-assistant intervals.
    assistant_first_visit_days = models.PositiveSmallIntegerField(
        _("pierwsza wspólna wizyta asystenta (dni)"), default=14
    )
    assistant_plan_months = models.PositiveSmallIntegerField(_("plan pracy z rodziną (miesiące)"), default=1)
    assistant_visit_interval_days = models.PositiveSmallIntegerField(_("wizyty asystenta co (dni)"), default=14)
    assistant_assessment_months = models.PositiveSmallIntegerField(_("okresowa ocena rodziny co (miesiące)"), default=6)
    family_change_report_days = models.PositiveSmallIntegerField(
        _("zgłoszenie zmiany sytuacji przez rodzinę (dni)"), default=7
    )
    control_visits_months = models.PositiveSmallIntegerField(_("wizyty kontrolne po asyście (miesiące)"), default=2)
    assistant_monthly_report_day = models.PositiveSmallIntegerField(
        _("miesięczne sprawozdanie asystenta do dnia następnego miesiąca"), default=10
    )
    # Who approves an assistant: "Dyrektor" in Toruń, "Kierownik MGOPS" in Łask.
    assistant_approver_title = models.CharField(_("zatwierdzający asystenta"), max_length=80, default="Dyrektor")
    assistant_needs_head_opinion = models.BooleanField(_("opinia kierownika działu przed zatwierdzeniem"), default=True)
    # Seed 004: about 20 families per social worker, 80 per benefits worker.
    caseload_norm_social_worker = models.PositiveSmallIntegerField(
        _("norma: rodzin na pracownika socjalnego"), default=20
    )
    caseload_norm_benefits_worker = models.PositiveSmallIntegerField(
        _("norma: rodzin na pracownika ds. świadczeń"), default=80
    )
    session_idle_minutes = models.PositiveSmallIntegerField(_("wylogowanie po bezczynności (minuty)"), default=30)
    retention_years = models.PositiveSmallIntegerField(_("okres przechowywania zamkniętych spraw (lata)"), default=10)
    session_max_hours = models.PositiveSmallIntegerField(
        _("najdłuższa sesja (godziny)"), default=10, help_text=_("Po tym czasie trzeba zalogować się ponownie.")
    )
    otp_required_roles = models.JSONField(
        _("role z obowiązkowym drugim składnikiem (TOTP)"),
        default=default_otp_roles,
        blank=True,
        help_text=_('Lista kodów ról, np. ["director", "coordinator", "auditor"]. Pozostali mogą włączyć TOTP sami.'),
    )
    version = models.PositiveIntegerField(default=1)  # the settings page's forms carry it: no lost update
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ośrodek")
        verbose_name_plural = _("ośrodki")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name

    # --- the forms the documents print (never inflected by code: entered in the settings) -------

    @property
    def in_city(self) -> str:
        """ "w Toruniu"; without the entered form a phrasing that needs none: "w miejscowości Toruń"."""
        return f"w {self.city_locative}" if self.city_locative else f"w miejscowości {self.city}"

    @property
    def at_seat(self) -> str:
        """ "w siedzibie Miejskiego Ośrodka …"; without the entered form: "w siedzibie ośrodka (…)"."""
        if self.name_genitive:
            return f"w siedzibie {self.name_genitive}"
        return f"w siedzibie ośrodka ({self.name})"


class Region(models.Model):
    """RPŚ – Rejon Pomocy Środowiskowej, a district team of an institution."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="regions")
    code = models.CharField(_("kod"), max_length=20, help_text=_("Np. RPŚ-2; część numeru sprawy."))
    name = models.CharField(_("nazwa"), max_length=120)
    # The region's streets are streets.StreetRange rows (issue 19.3: TERYT ULIC, odd/even and number ranges).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rejon (RPŚ)")
        verbose_name_plural = _("rejony (RPŚ)")
        ordering = ["institution", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="region_code_unique")]

    def __str__(self) -> str:
        return self.code


class User(AbstractUser):
    """A member of staff. Belongs to exactly one institution (superusers may have none)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    title = models.CharField(_("stanowisko"), max_length=120, blank=True)
    # The grammar of the documents the worker signs ("reprezentującą" / "reprezentującym").
    sex = models.CharField(_("płeć (do odmiany w pismach)"), max_length=1, choices=Sex.choices, blank=True)
    # Printed on the summons and letters: how a client reaches the worker.
    phone = models.CharField(_("telefon służbowy"), max_length=40, blank=True)
    # The daily e-mail of new notifications (inbox, issue 17.7): the user's own choice.
    email_digest = models.BooleanField(_("codzienne podsumowanie powiadomień e-mailem"), default=False)

    class Meta:
        verbose_name = _("użytkownik")
        verbose_name_plural = _("użytkownicy")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_female(self) -> bool | None:
        """For the grammar of the documents the worker signs; None: not recorded."""
        return {Sex.FEMALE: True, Sex.MALE: False}.get(self.sex)


class RoleAssignment(models.Model):
    """One role of a user: per region (social worker, coordinator) or per institution."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rola"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rola użytkownika")
        verbose_name_plural = _("role użytkowników")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="role_assignment_unique"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(region__isnull=True), name="role_assignment_unique_inst"
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.region})" if self.region_id else ""
        return f"{self.get_role_display()}{where}"


class CoverMarked(models.Model):
    """A record a substitute may write in the cases of an absent worker (staffing.Cover): whom
    they stood in for, printed as "w zastępstwie za …". Set by ``mopr.records.record_save`` from
    the access policy, so no service can forget it."""

    covering_for = models.ForeignKey(
        "mopr.User",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("w zastępstwie za"),
    )

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a record of an append-only log."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses the bulk paths around a log model's save() and delete() guards."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} is append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} is append-only")


class AccessLog(models.Model):
    """Append-only: who saw, printed, downloaded or exported what, when, from where.

    Written by ``mopr.services.access_log_write``; never changed or deleted through the
    application (the model refuses it and the admin shows it read-only)."""

    class Action(models.TextChoices):
        VIEW = "view", _("wgląd w sprawę")
        PRINT = "print", _("wydruk")
        DOWNLOAD = "download", _("pobranie pliku")
        EXPORT = "export", _("eksport")
        SEARCH = "search", _("przeszukanie dziennika")
        LOGIN = "login", _("logowanie")
        LOGIN_FAILED = "login_failed", _("nieudane logowanie")
        LOGOUT = "logout", _("wylogowanie")
        PASSWORD = "password", _("zmiana hasła")
        OTP = "otp", _("drugi składnik (TOTP)")
        ANONYMISE = "anonymise", _("anonimizacja")
        LOOKUP = "lookup", _("wyszukanie osoby przy zgłoszeniu")
        UNLOCK = "unlock", _("odblokowanie logowania")
        SETTINGS = "settings", _("zmiana ustawień ośrodka")
        STAFF = "staff", _("konto pracownika")
        IMPORT = "import", _("import spraw z poprzedniego systemu")

    at = models.DateTimeField(_("kiedy"), auto_now_add=True, db_index=True)
    # Empty only for a failed login under a name no account has; ``username`` keeps what was typed.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("kto"), null=True)
    username = models.CharField(_("login"), max_length=150, blank=True)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+", null=True)
    action = models.CharField(_("czynność"), max_length=20, choices=Action.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    # The person whose data was seen (GDPR art. 15: "who viewed this person's data and when").
    client = models.ForeignKey("cases.Client", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    what = models.CharField(_("co"), max_length=300)
    address = models.GenericIPAddressField(_("adres"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("wpis dziennika dostępu")
        verbose_name_plural = _("dziennik dostępu")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["case", "-at"], name="accesslog_case_idx"),
            models.Index(fields=["client", "-at"], name="accesslog_client_idx"),
            models.Index(fields=["institution", "-at"], name="accesslog_inst_idx"),
            models.Index(fields=["user", "-at"], name="accesslog_user_idx"),
            # The login lock's growing cool-off counts the failures of a user name (mopr.auth).
            models.Index(fields=["username", "-at"], name="accesslog_username_idx"),
            # Failed logins under names no account has: every log reader sees them (policy).
            models.Index(fields=["-at"], condition=models.Q(institution__isnull=True), name="accesslog_no_inst_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("AccessLog is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("AccessLog is append-only")


class AccessLogSubject(models.Model):
    """A case and its client that one row of the access log covered, when the row covers many
    (a register export): a person's art. 15 report finds every export that contained them."""

    log = models.ForeignKey(AccessLog, on_delete=models.PROTECT, related_name="subjects")
    # No database constraint on these two: an export writes them with one INSERT … SELECT of the ids
    # the same statement reads from the cases table, so they cannot dangle, and the 20,000 deferred
    # checks of a 10,000-row export cost a quarter of a second at commit. Cases and clients are never
    # deleted (anonymisation keeps the rows), and the ORM still refuses to delete one they name.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", null=True, db_constraint=False)
    client = models.ForeignKey(
        "cases.Client", on_delete=models.PROTECT, related_name="+", null=True, db_constraint=False
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("osoba we wpisie dziennika dostępu")
        verbose_name_plural = _("osoby we wpisach dziennika dostępu")
        indexes = [models.Index(fields=["client"], name="accesslog_subject_client_idx")]

    def __str__(self) -> str:
        return f"{self.log_id}: {self.case_id}/{self.client_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("AccessLogSubject is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("AccessLogSubject is append-only")


class RenderSlot(models.Model):
    """A PDF render under way for a user: at most PDF_RENDERS_PER_USER at a time (mopr/pdf.py),
    so that one user cannot keep the renderers of every worker busy. A row left by a killed
    process stops counting after the render time limit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "started_at"], name="render_slot_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%H:%M:%S}"


class DirectoryEntry(models.Model):
    """The centre's directory of the institutions it writes to – courts, police, schools, clinics
    (issue 15.9): a letter takes its addressee from here instead of an address typed each time."""

    class Kind(models.TextChoices):
        FAMILY_COURT = "family_court", _("sąd rodzinny")
        COURT = "court", _("sąd (inny wydział)")
        POLICE = "police", _("policja")
        PROSECUTOR = "prosecutor", _("prokuratura")
        HEALTH = "health", _("przychodnia / ośrodek zdrowia")
        MENTAL_HEALTH = "mental_health", _("poradnia zdrowia psychicznego")
        SCHOOL = "school", _("szkoła")
        NURSERY = "nursery", _("żłobek / przedszkole")
        PPP = "ppp", _("poradnia psychologiczno-pedagogiczna")
        FOSTER_CARE = "foster_care", _("organizator pieczy zastępczej / PCPR")
        LABOUR_OFFICE = "labour_office", _("powiatowy urząd pracy")
        WELFARE_CENTRE = "welfare_centre", _("ośrodek pomocy społecznej (inna gmina)")
        OTHER = "other", _("inna instytucja")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="directory")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nazwa"), max_length=200)
    department = models.CharField(_("wydział / komórka"), max_length=200, blank=True)
    address = models.CharField(_("adres"), max_length=300)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("w użyciu"), default=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instytucja w katalogu adresatów")
        verbose_name_plural = _("katalog adresatów")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["institution", "kind", "name"], name="directory_inst_kind_idx")]

    def __str__(self) -> str:
        return f"{self.name}{', ' + self.department if self.department else ''}"

    @property
    def letter_address(self) -> str:
        """The addressee block of a letter: name, department, address – one per line."""
        return "\n".join(p for p in (self.name, self.department, self.address) if p)


class FormDraft(models.Model):
    """What a user typed into a form whose submission arrived after their session had expired
    (issue 16.4): kept on the server for that user only, briefly (``FORM_DRAFT_MINUTES``), never
    in a URL; offered back on the same page after they log in again (mopr/drafts.py)."""

    user = models.ForeignKey("mopr.User", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    data = models.JSONField()  # field name → list of values, as the browser sent them
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "path"], name="formdraft_user_path_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.path}"


class FormSubmission(models.Model):
    """One rendering of a form saves once (issue 16.4): the key the page carried, claimed by
    the first submission; a second one (Back and "Zapisz" again, a double click) is refused."""

    user = models.ForeignKey("mopr.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    redirect_to = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="formsubmission_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
