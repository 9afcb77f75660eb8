"""The social contract (kontrakt socjalny, art. 108 of the Act on social assistance; template:
the regulation of 8 November 2010, Dz.U. 2010 nr 218 poz. 1439), its evaluations, amendments
and end, and the Oświadczenie of Załącznik 2.

Writes in contracts/services.py; the rules of when a contract may end and what follows live
there and in cases/procedure.py (closing a case on a completed contract).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, ClientMember
from mopr.models import CoverMarked


class IdDocument(models.TextChoices):
    """The identity document named before its number on the contract (legitymujący się …)."""

    ID_CARD = "id_card", _("dowodem osobistym")
    PASSPORT = "passport", _("paszportem")
    RESIDENCE_CARD = "residence", _("kartą pobytu")
    OTHER = "other", _("innym dokumentem tożsamości")


class Contract(CoverMarked):
    class Kind(models.TextChoices):
        # The two templates of the regulation (Załącznik 1 and 2 of Dz.U. 2010 nr 218 poz. 1439).
        A = "A", _("A – rozwiązanie trudnej sytuacji życiowej osoby lub rodziny")
        B = "B", _("B – wzmocnienie aktywności i samodzielności, aktywizacja zawodowa, przeciwdziałanie wykluczeniu")

    class Status(models.TextChoices):
        DRAFT = "draft", _("projekt (niepodpisany)")
        SIGNED = "signed", _("obowiązuje")
        ENDED = "ended", _("zakończony")

    class End(models.TextChoices):
        COMPLETED = "completed", _("zrealizowany – osiągnięto wszystkie lub większość celów")
        NOTICE_WORKER = "notice_worker", _("wypowiedzenie przez pracownika socjalnego")
        NOTICE_CLIENT = "notice_client", _("wypowiedzenie przez klienta")
        MUTUAL = "mutual", _("rozwiązanie za porozumieniem stron")
        REFUSED_TO_SIGN = "refused_to_sign", _("odmowa podpisania kontraktu")
        NOT_KEPT = "not_kept", _("brak realizacji postanowień kontraktu")
        EXPIRED = "expired", _("wygaśnięcie – zgon, wyprowadzka lub inna przyczyna niezależna od stron")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(_("wzór kontraktu"), max_length=1, choices=Kind.choices)
    status = models.CharField(_("stan"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.PositiveSmallIntegerField(_("kolejny kontrakt w sprawie"), default=1)

    # The parties: the worker for the centre, and the client (with PESEL or identity document).
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pracownik socjalny")
    )
    client_member = models.ForeignKey(
        ClientMember, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("klient (strona kontraktu)")
    )
    client_id_document_kind = models.CharField(
        _("rodzaj dokumentu tożsamości"), max_length=20, choices=IdDocument.choices, default=IdDocument.ID_CARD
    )
    client_id_document = models.CharField(_("dokument tożsamości (gdy brak PESEL)"), max_length=40, blank=True)
    covered_members = models.ManyToManyField(
        ClientMember,
        related_name="covered_by_contracts",
        blank=True,
        verbose_name=_("członkowie rodziny objęci kontraktem"),
    )

    # Ocena sytuacji.
    # Part I B of the template: a person referred by the labour office (powiatowy urząd pracy).
    referral = models.CharField(_("skierowanie z powiatowego urzędu pracy (numer i data)"), max_length=200, blank=True)
    unemployment_causes = models.TextField(_("przyczyny pozostawania bez zatrudnienia"), blank=True)
    employment_barriers = models.TextField(_("ograniczenia w podjęciu zatrudnienia"), blank=True)
    previous_activation = models.TextField(
        _("dotychczasowe działania aktywizujące i przyczyny ich niepowodzenia"), blank=True
    )
    problems = models.TextField(_("problemy (ocena sytuacji)"))
    resources = models.TextField(_("zasoby i możliwości"))
    limitations = models.TextField(_("ograniczenia"), blank=True)
    main_goal = models.TextField(_("cel główny"))

    period_from = models.DateField(_("okres obowiązywania od"))
    period_to = models.DateField(_("okres obowiązywania do"))
    drafted_on = models.DateField(_("data sporządzenia"))
    signed_on = models.DateField(_("data podpisania"), null=True, blank=True)
    # Seed 000 IV.1: signed later than two months after the first contact – why.
    late_reason = models.TextField(_("powód podpisania po terminie"), blank=True)

    ended_on = models.DateField(_("data zakończenia"), null=True, blank=True)
    end = models.CharField(_("sposób zakończenia"), max_length=20, choices=End.choices, blank=True)
    end_reason = models.TextField(_("uzasadnienie zakończenia"), blank=True)
    # IV.5: a refusal or a contract not kept while the welfare of a person or child is threatened.
    welfare_threatened = models.BooleanField(_("zagrożone dobro osoby / dziecka"), default=False)

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    # A correction of its date is checked as an entry's is (cases/services/dates.py).
    date_field = "drafted_on"
    person_field = None
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontrakt socjalny")
        verbose_name_plural = _("kontrakty socjalne")
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="contract_number_unique"),
            # One contract at a time per case: a new one is drafted only when the last has ended.
            models.UniqueConstraint(
                fields=["case"], condition=~models.Q(status="ended"), name="contract_one_current_per_case"
            ),
            models.CheckConstraint(condition=models.Q(period_to__gte=models.F("period_from")), name="contract_period"),
        ]
        indexes = [models.Index(fields=["case", "status"], name="contract_case_status_idx")]

    def __str__(self) -> str:
        return f"{_('Kontrakt')} {self.case.number}/{self.number}"

    @property
    def display_status(self) -> str:
        """Its state as a reader needs it: a contract whose period has passed without an end
        "czeka na ewaluację i zakończenie" (issue 17.4), not "obowiązuje"."""
        from django.utils import timezone

        if self.status == self.Status.SIGNED and self.period_to < timezone.localdate():
            return str(
                _("okres minął %(d)s – czeka na ewaluację i zakończenie") % {"d": self.period_to.strftime("%d.%m.%Y")}
            )
        return str(self.get_status_display())

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.SIGNED


class Goal(models.Model):
    """A specific goal (cel szczegółowy) of the contract."""

    class Status(models.TextChoices):
        OPEN = "open", _("w realizacji")
        REACHED = "reached", _("osiągnięty")
        PARTLY = "partly", _("osiągnięty częściowo")
        NOT_REACHED = "not_reached", _("nieosiągnięty")
        DROPPED = "dropped", _("zaniechany")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(_("cel szczegółowy"))
    status = models.CharField(_("stan"), max_length=12, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cel szczegółowy")
        verbose_name_plural = _("cele szczegółowe")
        ordering = ["contract", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    """An action (działanie) of the client or of the worker, with its deadline and who does it."""

    class Side(models.TextChoices):
        CLIENT = "client", _("klient")
        WORKER = "worker", _("pracownik socjalny")

    class Status(models.TextChoices):
        OPEN = "open", _("w realizacji")
        DONE = "done", _("wykonane")
        PARTLY = "partly", _("wykonane częściowo")
        NOT_DONE = "not_done", _("niewykonane")
        DROPPED = "dropped", _("zaniechane")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    side = models.CharField(_("strona"), max_length=10, choices=Side.choices)
    description = models.TextField(_("działanie"))
    deadline = models.DateField(_("termin"))
    responsible = models.CharField(_("osoba odpowiedzialna"), max_length=160)
    status = models.CharField(_("stan"), max_length=10, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("działanie")
        verbose_name_plural = _("działania")
        ordering = ["contract", "deadline", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class Resource(models.Model):
    """A resource the contract uses (seed 000 IV.1)."""

    class Kind(models.TextChoices):
        CENTRE_BENEFITS = "centre_benefits", _("świadczenia z pomocy społecznej (ośrodek)")
        OTHER_BENEFITS = "other_benefits", _("świadczenia innych podmiotów (ZUS, PUP, MZOON, TCŚR, trzeci sektor)")
        CRISIS_CENTRE = "crisis_centre", _("skierowanie do Ośrodka Interwencji Kryzysowej")
        FAMILY_ASSISTANT = "family_assistant", _("asystent rodziny")
        MUNICIPAL_FLAT = "municipal_flat", _("lokal gminny")
        PROJECT = "project", _("udział w projekcie")
        SPECIALISTS = "specialists", _("pomoc specjalistów (psycholog, pedagog, prawnik, terapeuta)")
        OTHER = "other", _("inne")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="resources_used")
    kind = models.CharField(_("zasób"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("opis"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wykorzystany zasób")
        verbose_name_plural = _("wykorzystane zasoby")
        ordering = ["contract", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Evaluation(CoverMarked):
    """A dated evaluation of the contract with the client (seed 000 IV.4)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="evaluations")
    evaluated_on = models.DateField(_("data ewaluacji"))
    with_client = models.BooleanField(_("z udziałem klienta"), default=True)
    summary = models.TextField(_("ocena i wnioski"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ewaluacja kontraktu")
        verbose_name_plural = _("ewaluacje kontraktu")
        ordering = ["evaluated_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Ewaluacja')} {self.evaluated_on:%d.%m.%Y}"


class GoalAssessment(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goal_assessments")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(_("stan celu"), max_length=12, choices=Goal.Status.choices)
    comment = models.CharField(_("komentarz"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "goal"], name="goal_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.status}"


class ActionAssessment(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="action_assessments")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(_("stan działania"), max_length=10, choices=Action.Status.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "action"], name="action_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.status}"


class Amendment(CoverMarked):
    """A change of a signed contract. ``previous`` keeps the whole earlier version readable."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    amended_on = models.DateField(_("data aneksu"))
    reason = models.TextField(_("powód zmiany"))
    previous = models.JSONField(_("poprzednia wersja"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aneks do kontraktu")
        verbose_name_plural = _("aneksy do kontraktu")
        ordering = ["amended_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Aneks')} {self.amended_on:%d.%m.%Y}"


class Declaration(CoverMarked):
    """Oświadczenie (Załącznik 2): a biological parent of a child in foster care who does not
    intend, at present, to take steps toward reintegrating the family (seed 000 IV.2)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="declarations")
    parent = models.ForeignKey(ClientMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("rodzic"))
    # What the printout shows is kept as signed, even if the client's data changes later.
    full_name = models.CharField(_("imię i nazwisko"), max_length=160)
    address = models.CharField(_("adres"), max_length=300)
    email = models.EmailField(_("adres e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    id_card = models.CharField(_("dowód osobisty: seria i numer"), max_length=20)
    place = models.CharField(_("miejscowość"), max_length=100)
    signed_on = models.DateField(_("data"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oświadczenie (Załącznik 2)")
        verbose_name_plural = _("oświadczenia (Załącznik 2)")
        ordering = ["signed_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Oświadczenie')} {self.full_name} {self.signed_on:%d.%m.%Y}"
