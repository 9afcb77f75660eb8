"""Clients, cases, reports (zgłoszenia), flags and the stage-transition log.

Writes happen in cases/services.py, reads in cases/selectors.py; the procedure's table of
stages lives in cases/procedure.py and the access rules in mopr/policy.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.procedure import CloseReason, Stage
from mopr.models import AppendOnlyError, AppendOnlyQuerySet, CoverMarked, Institution, Region, Sex


class AppendOnlyModel(models.Model):
    """A log row: written once, never changed or deleted through the application – but for the
    retention's anonymisation, which scrubs the personal text of an expired case's rows and says
    so (``_anonymising``, set only by cases/services/retention.py)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        scrubbing = getattr(self, "_anonymising", False)
        if self.pk is not None and not kwargs.get("force_insert") and not scrubbing:
            raise AppendOnlyError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} is append-only")


class TargetGroup(models.TextChoices):
    """Teams by problem (seeds 001 and 004)."""

    FAMILY_WITH_CHILDREN = "family_children", _("Rodziny z dziećmi")
    UNEMPLOYED = "unemployed", _("Osoby pozostające bez pracy")
    ELDERLY = "elderly", _("Osoby starsze")
    DISABLED = "disabled", _("Osoby z niepełnosprawnością")
    ADDICTION = "addiction", _("Osoby uzależnione")
    HOMELESS = "homeless", _("Osoby bezdomne")
    # Seed 001 IV.1: "chorych psychicznie wymagających wsparcia aktywizująco-integracyjnego".
    MENTAL_ILLNESS = "mental_illness", _("Osoby chorujące psychicznie")


class Subcategory(models.TextChoices):
    """The subcategories of Osoby Pozostające Bez Pracy (OBOP, seed 004): one per case."""

    UNEMPLOYED = "unemployed", _("osoby bezrobotne")
    JOB_SEEKING = "job_seeking", _("osoby poszukujące pracy")
    INACTIVE = "inactive", _("osoby nieaktywne zawodowo")


class Subgroup(models.TextChoices):
    """The problem subgroups of OBOP (seed 004): any number per case."""

    UNDER_25 = "under_25", _("osoby do 25 roku życia")
    WOMEN_RETURNING = "women_returning", _("kobiety powracające na rynek pracy po urodzeniu dziecka")
    SINGLE_MOTHERS = "single_mothers", _("kobiety samotnie wychowujące dzieci, mające pod opieką osoby zależne")
    NO_QUALIFICATIONS = "no_qualifications", _("osoby bez kwalifikacji zawodowych")
    AFTER_PRISON = "after_prison", _("osoby po opuszczeniu zakładu karnego")
    DISABLED = "disabled", _("osoby niepełnosprawne")
    OVER_50 = "over_50", _("osoby w wieku 50+")
    NOT_ACTIVABLE = (
        "not_activable",
        _("osoby z problemami uniemożliwiającymi aktywizację zawodową na początku pracy socjalnej"),
    )


# The target groups with subcategories and subgroups (seed 004 names them for OBOP only).
WITH_SUBGROUPS = (TargetGroup.UNEMPLOYED,)


class Client(models.Model):
    """A person or a family (klient). A family has members; a person has one member."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Osoba")
        FAMILY = "family", _("Rodzina")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="clients")
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    street = models.CharField(_("ulica"), max_length=120, blank=True)
    house_number = models.CharField(_("nr domu"), max_length=20, blank=True)
    flat_number = models.CharField(_("nr lokalu"), max_length=20, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6, blank=True)
    city = models.CharField(_("miejscowość"), max_length=100)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Names, PESELs and address folded to lower-case ASCII ("Łódź" → "lodz"): the search
    # column, refreshed by cases.services on every write of the client or its members.
    search_text = models.TextField(editable=False, default="")
    # Optimistic lock of the client's own data (see Case.version).
    version = models.PositiveIntegerField(default=1)
    # Set when the retention rule removed the personal data (cases/services/retention.py).
    anonymised_at = models.DateTimeField(_("zanonimizowano"), null=True, blank=True)
    # A second record of the same person, merged into this one by a coordinator (issue 16.3):
    # its cases moved, its members' numbers still findable, the record itself kept as it was.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records",
        verbose_name=_("połączono z"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    # The search column is derived data; keeping it out of the history lets the service
    # refresh it with a plain UPDATE without losing anything an auditor needs.
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("klient")
        verbose_name_plural = _("klienci")
        # The register sorted by client reads clients in this order and stops after a page. The search
        # ("contains") has its trigram index on PostgreSQL: migration cases 0006.
        indexes = [models.Index(fields=["search_text"], name="client_search_text_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def head(self) -> "ClientMember | None":
        members = list(self.members.all())
        return next((m for m in members if m.is_head), members[0] if members else None)

    @property
    def display_name(self) -> str:
        head = self.head
        if head is None:
            return str(_("(bez danych osobowych)"))
        if self.kind == self.Kind.FAMILY:
            return _("Rodzina %(name)s") % {"name": head.full_name}
        return head.full_name

    @property
    def address(self) -> str:
        street = " ".join(p for p in (self.street, self.house_number) if p)
        if self.flat_number:
            street = f"{street}/{self.flat_number}"
        town = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (street, town) if p)


class Relation(models.TextChoices):
    HEAD = "head", _("głowa rodziny / klient")
    SPOUSE = "spouse", _("małżonek")
    PARTNER = "partner", _("partner / partnerka")
    CHILD = "child", _("dziecko")
    PARENT = "parent", _("rodzic")
    SIBLING = "sibling", _("rodzeństwo")
    GRANDPARENT = "grandparent", _("dziadek / babcia")
    GRANDCHILD = "grandchild", _("wnuk / wnuczka")
    OTHER = "other", _("inna osoba")


class ClientMember(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="members")
    # The client's, copied (the services set it): the database's "one PESEL per institution".
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(_("imię"), max_length=80)
    last_name = models.CharField(_("nazwisko"), max_length=80)
    pesel = models.CharField(_("PESEL"), max_length=11, blank=True)
    # A number another record of the institution had first, found when one PESEL per institution
    # came in (cases 0016): kept here, findable, until a coordinator merges the records.
    pesel_to_verify = models.CharField(_("PESEL do wyjaśnienia"), max_length=11, blank=True)
    birth_date = models.DateField(_("data urodzenia"), null=True, blank=True)
    relation = models.CharField(_("pokrewieństwo"), max_length=20, choices=Relation.choices, default=Relation.HEAD)
    is_head = models.BooleanField(_("głowa rodziny"), default=False)
    # Seed 000 II.4: contact with the foster-care organiser is mandatory for such a child.
    in_foster_care = models.BooleanField(_("w pieczy zastępczej"), default=False)
    lives_apart = models.BooleanField(_("zamieszkuje oddzielnie"), default=False)
    id_document = models.CharField(_("dowód osobisty (seria i nr)"), max_length=20, blank=True)
    # Where there is no PESEL (whose 10th digit says it): the grammar of the documents.
    sex = models.CharField(_("płeć (gdy brak PESEL)"), max_length=1, choices=Sex.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("członek rodziny")
        verbose_name_plural = _("członkowie rodziny")
        ordering = ["-is_head", "birth_date", "pk"]
        constraints = [
            # Issue 16.3: one person, one record per institution (an anonymised member has none).
            models.UniqueConstraint(
                fields=["institution", "pesel"], condition=~models.Q(pesel=""), name="member_pesel_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["pesel"], name="member_pesel_idx"),
            # The register's "child in foster care" column and filter: the few such children.
            models.Index(fields=["client"], condition=models.Q(in_foster_care=True), name="member_foster_care_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_female(self) -> bool | None:
        """From the PESEL (an even 10th digit: a woman), else the recorded field; None: unknown."""
        if len(self.pesel) == 11 and self.pesel.isdigit():
            return int(self.pesel[9]) % 2 == 0
        return {Sex.FEMALE: True, Sex.MALE: False}.get(self.sex)

    def is_child(self, today) -> bool:
        """A minor by the birth date, or – without one – a child or grandchild of the family."""
        if self.birth_date:
            born = self.birth_date
            return today.year - born.year - ((today.month, today.day) < (born.month, born.day)) < 18
        return self.relation in (Relation.CHILD, Relation.GRANDCHILD)


class Case(models.Model):
    """A case (sprawa) of social work with one client in one RPŚ."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="cases")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name=_("pracownik socjalny"),
    )
    number = models.CharField(_("numer sprawy"), max_length=40)
    target_group = models.CharField(_("grupa docelowa"), max_length=20, choices=TargetGroup.choices)
    target_subcategory = models.CharField(_("podkategoria"), max_length=20, choices=Subcategory.choices, blank=True)
    target_subgroups = models.JSONField(_("podgrupy"), default=list, blank=True)
    stage = models.CharField(_("etap"), max_length=20, choices=Stage.choices, default=Stage.ZGLOSZENIE)
    suspended_from = models.CharField(_("zawieszona na etapie"), max_length=20, choices=Stage.choices, blank=True)
    urgent = models.BooleanField(_("pilne – zagrożenie zdrowia lub życia"), default=False)

    # The dates the karta and the register need.
    reported_at = models.DateTimeField(_("data zgłoszenia"))
    transferred_at = models.DateTimeField(_("data przekazania przez koordynatora"), null=True, blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    accepted_at = models.DateTimeField(_("data przyjęcia do realizacji"), null=True, blank=True)
    first_contact_at = models.DateField(_("pierwszy kontakt z klientem"), null=True, blank=True)
    social_work_started_at = models.DateField(_("rozpoczęcie pracy socjalnej"), null=True, blank=True)
    # V.2: before the final closure, a period of "moving away" with fewer contacts.
    moving_away_since = models.DateField(_("oddalanie się od"), null=True, blank=True)
    moving_away_plan = models.TextField(_("plan oddalania się (częstotliwość kontaktów)"), blank=True)
    closed_at = models.DateTimeField(_("data zakończenia"), null=True, blank=True)
    close_reason = models.CharField(_("przyczyna zakończenia"), max_length=30, choices=CloseReason.choices, blank=True)
    close_justification = models.TextField(_("uzasadnienie zakończenia"), blank=True)

    # Optimistic lock: every write through the services bumps it; a form carries the value it
    # was loaded at, and a save over a newer version is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    anonymised_at = models.DateTimeField(_("zanonimizowano"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sprawa")
        verbose_name_plural = _("sprawy")
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="case_number_unique"),
            # A client has one open case: a report about a client with an open case joins it, and a
            # closed case is not reopened beside an open one. Held here so that two interleaved
            # intakes cannot both open one (issue 14.6); the services lock the client row first.
            models.UniqueConstraint(
                fields=["client"], condition=~models.Q(stage=Stage.ZAKONCZENIE), name="case_one_open_per_client"
            ),
            # Seed 004's subcategory belongs to OBOP only.
            models.CheckConstraint(
                condition=models.Q(target_subcategory="") | models.Q(target_group__in=WITH_SUBGROUPS),
                name="case_subcategory_obop_only",
            ),
        ]
        # Every filter and sort of the case list and the register within an institution (docs/performance.md):
        indexes = [
            # the stage and open/closed filters, the register sorted by stage;
            models.Index(fields=["institution", "stage", "id"], name="case_inst_stage_idx"),
            # the region and worker filters (and a worker's own cases);
            models.Index(fields=["region", "stage"], name="case_region_stage_idx"),
            # The dashboards' one grouped read of a centre's cases, from the index alone (issue 18.6).
            models.Index(fields=["institution", "region", "stage", "worker", "id"], name="case_tally_idx"),
            models.Index(fields=["worker", "stage"], name="case_worker_stage_idx"),
            # the case list's order (urgent first, newest first) and the "urgent" filter;
            # (with the id last, as the list orders: a deep page walks the index instead of sorting, 18.6).
            models.Index(fields=["institution", "-urgent", "-reported_at", "-id"], name="case_list_order_idx"),
            # the register sorted by the date of the report, of the closure, of the start of social work;
            models.Index(fields=["institution", "reported_at", "id"], name="case_inst_reported_idx"),
            models.Index(fields=["institution", "closed_at", "id"], name="case_inst_closed_idx"),
            models.Index(fields=["institution", "social_work_started_at"], name="case_inst_social_work_idx"),
            # "resigned from social work": closed on refusal (or monitored – the stage index).
            models.Index(fields=["institution", "close_reason"], name="case_inst_close_reason_idx"),
            # the register's and the statistics' target-group filter.
            models.Index(fields=["institution", "target_group", "id"], name="case_inst_target_group_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def target_subgroup_labels(self) -> list[str]:
        labels = dict(Subgroup.choices)
        return [str(labels.get(code, code)) for code in self.target_subgroups]

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.ZAKONCZENIE

    @property
    def awaiting_assignment(self) -> bool:
        return self.worker_id is None

    @property
    def awaiting_acceptance(self) -> bool:
        return self.worker_id is not None and self.accepted_at is None


class CaseNumberCounter(models.Model):
    """The last sequence number given out per region and year; locked while numbering."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last}"


class ReportForm(models.TextChoices):
    """Forma zgłoszenia (seed 000 I; Karta pt. 1): the channel only. Whether the reporter is known
    is a fact of its own (Report.anonymous): an anonymous phone call is a phone call."""

    ORAL = "oral", _("ustne (osobiście)")
    WRITTEN = "written", _("pisemne")
    PHONE = "phone", _("telefoniczne")
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("pismo / list")
    INSTITUTION = "institution", _("od instytucji")
    OTHER = "other", _("inna (np. ulotka, skrzynka, nieznana)")


class Report(models.Model):
    """A report (zgłoszenie): the signal that opens a case or adds to an open one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    received_at = models.DateTimeField(_("data i godzina zgłoszenia"))
    form = models.CharField(_("forma zgłoszenia"), max_length=20, choices=ReportForm.choices)
    institution_name = models.CharField(_("instytucja zgłaszająca"), max_length=200, blank=True)
    reporter_name = models.CharField(_("imię i nazwisko zgłaszającego"), max_length=160, blank=True)
    reporter_contact = models.CharField(_("adres / telefon zgłaszającego"), max_length=200, blank=True)
    reporter_relation = models.CharField(_("związek z klientem"), max_length=120, blank=True)
    content = models.TextField(_("treść zgłoszenia"))
    reporter_signed = models.BooleanField(_("zgłaszający podpisał notatkę ze zgłoszenia"), default=False)
    urgent = models.BooleanField(_("zagrożenie zdrowia lub życia"), default=False)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_received")
    # No reporter's name and no reporting institution, whatever the channel (set by the service).
    anonymous = models.BooleanField(_("zgłoszenie anonimowe"), default=False)
    # Seed 000 I.1: anonymous reports must always be verified.
    needs_verification = models.BooleanField(_("do weryfikacji"), default=False)
    verified_at = models.DateTimeField(_("data weryfikacji"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    verification_note = models.TextField(_("wynik weryfikacji"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zgłoszenie")
        verbose_name_plural = _("zgłoszenia")
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.received_at:%d.%m.%Y}"

    @property
    def is_anonymous(self) -> bool:
        return self.anonymous


class FlagKind(models.TextChoices):
    NIEBIESKA_KARTA = "niebieska_karta", _("Niebieska Karta")
    CHILD_ABUSE = "child_abuse", _("Procedura interwencji – krzywdzenie dziecka")


class CaseFlag(CoverMarked):
    """A flag that shows on every screen of the case (seed 000 II.7–8)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("oznaczenie"), max_length=30, choices=FlagKind.choices)
    started_on = models.DateField(_("data wszczęcia"))
    started_by = models.CharField(_("kto wszczął"), max_length=160)
    note = models.TextField(_("uwagi"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(_("zdjęto"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    removal_reason = models.TextField(_("powód zdjęcia oznaczenia"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oznaczenie sprawy")
        verbose_name_plural = _("oznaczenia spraw")
        indexes = [models.Index(fields=["kind", "removed_at"], name="flag_kind_active_idx")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def active(self) -> bool:
        return self.removed_at is None


class StageTransition(AppendOnlyModel, CoverMarked):
    """The append-only record of every change of a case's stage."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField(_("z etapu"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("do etapu"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("kiedy"))
    reason = models.TextField(_("uzasadnienie"), blank=True)
    close_reason = models.CharField(_("przyczyna zakończenia"), max_length=30, choices=CloseReason.choices, blank=True)

    class Meta:
        verbose_name = _("zmiana etapu")
        verbose_name_plural = _("zmiany etapów")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"


class ClientMerge(AppendOnlyModel):
    """Two client records of one person made one (issue 16.3): who, when, why, what moved."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="client_merges")  # where it was done
    kept = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+", verbose_name=_("rekord zachowany"))
    merged = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+", verbose_name=_("rekord dołączony"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("kiedy"), auto_now_add=True)
    reason = models.TextField(_("powód"))
    summary = models.TextField(_("co przeniesiono"))  # the cases and members moved, as the timeline says it

    class Meta:
        verbose_name = _("połączenie rekordów klienta")
        verbose_name_plural = _("połączenia rekordów klienta")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class CaseTransfer(models.Model):
    """A case passed on after its first transfer (Karta pt. 2): to another worker (a hand-over,
    issue 17.2) or to another RPŚ of the municipality (a move, 17.3). The assignment it replaced
    is kept here, so every hand the case went through stays readable (timeline, karta)."""

    class Kind(models.TextChoices):
        HANDOVER = "handover", _("przekazanie innemu pracownikowi")
        MOVE = "move", _("przeniesienie do innego rejonu")

    class Reason(models.TextChoices):
        LEFT = "left", _("odejście pracownika")
        ABSENCE = "absence", _("długotrwała nieobecność pracownika")
        CASELOAD = "caseload", _("wyrównanie obciążenia")
        MOVED = "moved", _("zmiana miejsca zamieszkania rodziny")
        OTHER = "other", _("inna przyczyna")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices)
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("od pracownika"),
    )  # fmt: skip
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("do pracownika"),
    )  # fmt: skip
    from_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("z rejonu"))
    to_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("do rejonu"))
    reason = models.CharField(_("przyczyna"), max_length=10, choices=Reason.choices)
    note = models.TextField(_("uwagi"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("kiedy"))
    # The assignment this transfer replaced: the karta's section 2 keeps every hand.
    replaced_transferred_at = models.DateTimeField(null=True, blank=True)
    replaced_transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    replaced_accepted_at = models.DateTimeField(null=True, blank=True)
    # A move: the receiving coordinator's decision (a refusal says why; the case stays).
    decided_at = models.DateTimeField(_("decyzja koordynatora"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    refusal_reason = models.TextField(_("powód odmowy przyjęcia"), blank=True)
    # The new worker's acceptance of the case (as Karta pt. 2's "data przyjęcia do realizacji").
    accepted_at = models.DateTimeField(_("przyjęto do realizacji"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("przekazanie sprawy")
        verbose_name_plural = _("przekazania spraw")
        ordering = ["at", "pk"]
        constraints = [
            # One move of a case waits for the other coordinator at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind="move", decided_at__isnull=True),
                name="transfer_one_move_pending",
            ),
        ]
        indexes = [models.Index(fields=["to_region", "kind", "decided_at"], name="transfer_pending_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()} {self.at:%d.%m.%Y}"

    @property
    def decided(self) -> bool:
        return self.decided_at is not None

    @property
    def refused(self) -> bool:
        return bool(self.refusal_reason)

    @property
    def took_effect(self) -> bool:
        """A hand-over at once; a move once the other coordinator accepted it."""
        return self.kind == self.Kind.HANDOVER or (self.decided and not self.refused)


class Appointment(CoverMarked):
    """A meeting planned with the family (issue 17.8): a visit in their home or a meeting at the
    office, on a day and at an hour. Seed 004: clients cancel meetings and new dates are set – a
    move keeps the earlier time in the history and on the timeline, a cancellation its reason."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("wizyta w miejscu zamieszkania")
        OFFICE = "office", _("spotkanie w ośrodku")
        OTHER = "other", _("spotkanie w innym miejscu")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices, default=Kind.VISIT)
    at = models.DateTimeField(_("data i godzina"))
    place = models.CharField(_("miejsce (gdy inne)"), max_length=200, blank=True)
    note = models.CharField(_("uwagi"), max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("umówiono"), auto_now_add=True)
    moves = models.PositiveSmallIntegerField(_("przełożono razy"), default=0)
    cancelled_at = models.DateTimeField(_("odwołano"), null=True, blank=True)
    cancel_reason = models.CharField(_("powód odwołania"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("umówione spotkanie")
        verbose_name_plural = _("umówione spotkania")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="appointment_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"

    @property
    def planned(self) -> bool:
        return self.cancelled_at is None
