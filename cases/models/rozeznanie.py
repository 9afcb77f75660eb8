"""Stage II, rozeznanie sytuacji (seed 000 II): visits, summons, notifications to services,
documents reviewed, contacts with institutions, the parent living apart, the child.

Every entry carries its date and author (the karta requires it) and keeps its history.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.core import Case, ClientMember
from mopr.models import CoverMarked


class InForceManager(models.Manager):
    """The entries in force: an entry withdrawn as made in error (issue 16.1) stays in the
    database, readable with its correction record, but nothing derived counts it any more – the
    first contact, the guards of the procedure, the deadlines, the karta, the registers."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class Entry(CoverMarked):
    """What every entry of a case has: the case, the author, when it was written, and – if it
    was withdrawn as made in error – when (the reason is in its Correction)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autor")
    )
    created_at = models.DateTimeField(_("wpisano"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("wycofano"), null=True, blank=True)

    # The field holding the day it happened, checked for plausibility (cases/services/dates.py),
    # and the field naming the person it is about (not dated before their birth).
    date_field: ClassVar[str | None] = None
    person_field: ClassVar[str | None] = None

    objects = InForceManager()
    all_records = models.Manager()  # the second manager: withdrawn entries too

    class Meta:
        abstract = True


class Visit(Entry):
    """A visit in the client's environment (II.1) or at the office."""

    date_field = "visited_at"

    class Place(models.TextChoices):
        HOME = "home", _("miejsce zamieszkania klienta")
        OFFICE = "office", _("siedziba ośrodka")
        OTHER = "other", _("inne miejsce")

    class Outcome(models.TextChoices):
        # What fits the household (issue 16.9): "dzieci obecne" only where there are children.
        MET = "met", _("spotkano klienta (i dzieci, jeśli są w rodzinie)")
        MET_REFUSED_HELP = "met_refused", _("spotkano klienta – odmówił przyjęcia pomocy")
        REFUSED = "refused", _("klient odmówił kontaktu (nie wpuścił pracownika)")
        NOBODY_HOME = "nobody_home", _("nikogo nie zastano")
        CHILD_ABSENT = "child_absent", _("spotkano rodzinę, dziecko nieobecne – wizytę trzeba powtórzyć")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    visited_at = models.DateTimeField(_("data i godzina wizyty"))
    place = models.CharField(_("miejsce"), max_length=10, choices=Place.choices, default=Place.HOME)
    place_other = models.CharField(_("inne miejsce – jakie"), max_length=200, blank=True)
    participants = models.CharField(_("kto uczestniczył"), max_length=300, blank=True)
    outcome = models.CharField(_("wynik"), max_length=20, choices=Outcome.choices)
    findings = models.TextField(_("ustalenia"), blank=True)
    history = HistoricalRecords()

    # The client was met: the first contact (IV.1) and the ground of the diagnosis (II.1).
    MET_OUTCOMES = (Outcome.MET, Outcome.MET_REFUSED_HELP)

    class Meta:
        verbose_name = _("wizyta")
        verbose_name_plural = _("wizyty")
        ordering = ["visited_at", "pk"]
        indexes = [models.Index(fields=["case", "outcome", "visited_at"], name="visit_case_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.visited_at:%d.%m.%Y}"


class Summons(Entry):
    """A written summons (wezwanie) to the office after a refusal of contact (II.2)."""

    date_field = "issued_on"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="summonses")
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="summonses")
    # A summons is addressed to a person, not to "Rodzina …": the head of the family unless chosen.
    addressee = models.ForeignKey(
        ClientMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("adresat")
    )
    issued_on = models.DateField(_("data wezwania"))
    appointment_at = models.DateTimeField(_("termin stawiennictwa w ośrodku"))
    room = models.CharField(_("pokój / miejsce"), max_length=100, blank=True)
    note = models.TextField(_("treść / uwagi"), blank=True)
    # The client cancelled, or the worker did (issue 17.8); a new day is a correction of the summons.
    appointment_cancelled_at = models.DateTimeField(_("termin odwołano"), null=True, blank=True)
    appointment_cancel_reason = models.CharField(_("powód odwołania terminu"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wezwanie")
        verbose_name_plural = _("wezwania")
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Wezwanie')} {self.issued_on:%d.%m.%Y}"


class Notification(Entry):
    """A notification to a service (zawiadomienie, II.2 and IV.5)."""

    date_field = "sent_on"

    class Service(models.TextChoices):
        FAMILY_COURT = "family_court", _("Sąd Rodzinny")
        POLICE = "police", _("Policja")
        PROSECUTOR = "prosecutor", _("Prokuratura")
        HEALTH_CENTRE = "health_centre", _("Ośrodek Zdrowia")
        OTHER = "other", _("inna instytucja")

    class SentHow(models.TextChoices):
        LETTER = "letter", _("pismo (poczta)")
        EPUAP = "epuap", _("ePUAP")
        EMAIL = "email", _("e-mail")
        IN_PERSON = "in_person", _("osobiście")
        PHONE = "phone", _("telefonicznie (z notatką)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    service = models.CharField(_("służba"), max_length=20, choices=Service.choices)
    # The addressee from the centre's directory (mopr.DirectoryEntry); ``service_name`` keeps the
    # name and address as the letter was sent, whatever the directory says later.
    addressee = models.ForeignKey(
        "mopr.DirectoryEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("adresat z katalogu"),
    )  # fmt: skip
    service_name = models.CharField(_("nazwa i adres instytucji"), max_length=300, blank=True)
    reason = models.TextField(_("powód zawiadomienia"))
    sent_on = models.DateField(_("data wysłania"))
    sent_how = models.CharField(_("sposób wysłania"), max_length=20, choices=SentHow.choices)
    answer = models.TextField(_("odpowiedź"), blank=True)
    answered_on = models.DateField(_("data odpowiedzi"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zawiadomienie")
        verbose_name_plural = _("zawiadomienia")
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.sent_on:%d.%m.%Y}"


class DocumentReview(Entry):
    """A document of the client's that the worker looked at (II.3)."""

    date_field = "reviewed_on"

    class Kind(models.TextChoices):
        # dokumentacja medyczna
        CHILD_HEALTH_BOOK = "child_health_book", _("książeczka zdrowia dziecka")
        HOSPITAL_RECORD = "hospital_record", _("karta leczenia szpitalnego")
        DISABILITY_RULING = "disability_ruling", _("orzeczenie o (stopniu) niepełnosprawności")
        PPP_OPINION = "ppp_opinion", _("opinia / orzeczenie poradni psychologiczno-pedagogicznej")
        ADDICTION_THERAPY = "addiction_therapy", _("dokument o terapii uzależnienia")
        SPECIALIST_TREATMENT = "specialist_treatment", _("inny dokument o leczeniu specjalistycznym")
        # postanowienia i wyroki sądu
        PARENTAL_AUTHORITY = "parental_authority", _("postanowienie sądu dot. władzy rodzicielskiej")
        DIVORCE = "divorce", _("wyrok rozwodowy")
        ALIMONY_RULING = "alimony_ruling", _("wyrok alimentacyjny")
        INCAPACITATION = "incapacitation", _("postanowienie o ubezwłasnowolnieniu")
        # dochody i obciążenia
        INCOME = "income", _("dokument o źródle dochodu")
        DEBTS = "debts", _("dokument o obciążeniach finansowych")
        HOUSING_COSTS = "housing_costs", _("dokument o opłatach mieszkaniowych")
        ALIMONY_PAYMENTS = "alimony_payments", _("dokument o alimentach")
        OTHER = "other", _("inny dokument")

    GROUPS = {
        _("Dokumentacja medyczna"): [
            Kind.CHILD_HEALTH_BOOK, Kind.HOSPITAL_RECORD, Kind.DISABILITY_RULING, Kind.PPP_OPINION,
            Kind.ADDICTION_THERAPY, Kind.SPECIALIST_TREATMENT,
        ],
        _("Postanowienia i wyroki sądu"): [
            Kind.PARENTAL_AUTHORITY, Kind.DIVORCE, Kind.ALIMONY_RULING, Kind.INCAPACITATION,
        ],
        _("Dochody i obciążenia"): [Kind.INCOME, Kind.DEBTS, Kind.HOUSING_COSTS, Kind.ALIMONY_PAYMENTS, Kind.OTHER],
    }  # fmt: skip

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="document_reviews")
    kind = models.CharField(_("rodzaj dokumentu"), max_length=30, choices=Kind.choices)
    description = models.CharField(_("opis dokumentu"), max_length=300, blank=True)
    document_date = models.DateField(_("data dokumentu"), null=True, blank=True)
    # The karta's section 3 names the source: which document, of which date, its reference.
    reference = models.CharField(
        _("sygnatura lub numer dokumentu"), max_length=120, blank=True, help_text=_("Np. sygn. akt III Nsm 123/26.")
    )
    reviewed_on = models.DateField(_("data wglądu"))
    findings = models.TextField(_("co wynika z dokumentu"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wgląd w dokument")
        verbose_name_plural = _("wgląd w dokumenty")
        ordering = ["reviewed_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class InstitutionContact(Entry):
    """A contact with an institution that works with the client (II.4)."""

    date_field = "contacted_on"
    person_field = "member"

    class Kind(models.TextChoices):
        DISTRICT_CLINIC = "district_clinic", _("przychodnia rejonowa")
        MENTAL_HEALTH_CLINIC = "mental_health_clinic", _("przychodnia zdrowia psychicznego")
        NURSERY = "nursery", _("żłobek")
        KINDERGARTEN = "kindergarten", _("przedszkole")
        SCHOOL = "school", _("szkoła")
        POLICE = "police", _("komisariat policji (dzielnicowy)")
        PROBATION_OFFICER = "probation_officer", _("sąd (kurator sądowy)")
        FOSTER_CARE = "foster_care", _("organizator pieczy zastępczej / placówka")
        OTHER = "other", _("inna instytucja")

    class Form(models.TextChoices):
        VISIT = "visit", _("wizyta")
        PHONE = "phone", _("telefon")
        LETTER = "letter", _("pismo")
        EMAIL = "email", _("e-mail")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="institution_contacts")
    kind = models.CharField(_("instytucja"), max_length=30, choices=Kind.choices)
    institution_name = models.CharField(_("nazwa instytucji"), max_length=200, blank=True)
    # The karta's section 3 names the source: the institution and the person who gave the information.
    person_contacted = models.CharField(
        _("osoba udzielająca informacji"), max_length=160, blank=True, help_text=_("Np. pedagog szkolny Anna Nowak.")
    )
    member = models.ForeignKey(
        ClientMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="institution_contacts",
        verbose_name=_("dotyczy osoby"),
    )
    contacted_on = models.DateField(_("data kontaktu"))
    form = models.CharField(_("forma kontaktu"), max_length=10, choices=Form.choices)
    learnt = models.TextField(_("uzyskane informacje"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontakt z instytucją")
        verbose_name_plural = _("kontakty z instytucjami")
        ordering = ["contacted_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ParentApartInfo(Entry):
    """Information from the parent living apart (II.5)."""

    date_field = "obtained_on"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parent_apart_infos")
    parent = models.ForeignKey(
        ClientMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("rodzic")
    )
    parent_name = models.CharField(_("rodzic (gdy nie ma go wśród członków rodziny)"), max_length=160, blank=True)
    obtained_on = models.DateField(_("data uzyskania informacji"))
    relation_with_child = models.TextField(_("relacja z dzieckiem"))
    contact_with_child = models.TextField(_("zapewnienie kontaktu z dzieckiem"), blank=True)
    view_of_child = models.TextField(_("ocena funkcjonowania dziecka"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("informacja od rodzica zamieszkałego oddzielnie")
        verbose_name_plural = _("informacje od rodzica zamieszkałego oddzielnie")
        ordering = ["obtained_on", "pk"]

    def __str__(self) -> str:
        return str(self.parent or self.parent_name)


class ChildObservation(Entry):
    """The observation of a child in the family and, with a parent's consent, a talk (II.6)."""

    date_field = "observed_on"
    person_field = "child"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="child_observations")
    child = models.ForeignKey(ClientMember, on_delete=models.CASCADE, related_name="+", verbose_name=_("dziecko"))
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    observed_on = models.DateField(_("data obserwacji"))
    observation = models.TextField(_("obserwacja funkcjonowania dziecka"))
    talked_with_child = models.BooleanField(_("przeprowadzono rozmowę z dzieckiem"), default=False)
    consent_given_by = models.CharField(_("zgodę na rozmowę wyraził(a) (rodzic)"), max_length=160, blank=True)
    talk_summary = models.TextField(_("przebieg rozmowy"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obserwacja dziecka")
        verbose_name_plural = _("obserwacje dzieci")
        ordering = ["observed_on", "pk"]
        constraints = [
            # A talk with the child only with a parent's consent, recorded (II.6).
            models.CheckConstraint(
                condition=models.Q(talked_with_child=False) | ~models.Q(consent_given_by=""),
                name="child_talk_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.observed_on:%d.%m.%Y}"


class CommunityContact(Entry):
    """A contact with the client's own surroundings – the close family, the neighbours, the
    village head, a club or organisation the person belongs to (seed 003, the plan's 6b–e) – as
    an entry of its own, with who said what (issue 16.9)."""

    date_field = "contacted_on"

    class Kind(models.TextChoices):
        FAMILY = "family", _("najbliższa rodzina")
        NEIGHBOUR = "neighbour", _("sąsiad / sąsiadka")
        VILLAGE_HEAD = "village_head", _("sołtys / przewodniczący osiedla")
        ORGANISATION = "organisation", _("klub, stowarzyszenie, parafia lub inna organizacja")
        OTHER = "other", _("inna osoba z otoczenia")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="community_contacts")
    kind = models.CharField(_("z kim"), max_length=20, choices=Kind.choices)
    person = models.CharField(
        _("osoba udzielająca informacji"), max_length=200, help_text=_("Np. córka Maria Nowak; sołtys wsi Lipie.")
    )
    contacted_on = models.DateField(_("data kontaktu"))
    form = models.CharField(_("forma"), max_length=10, choices=InstitutionContact.Form.choices)
    learnt = models.TextField(_("czego się dowiedziano"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontakt z otoczeniem klienta")
        verbose_name_plural = _("kontakty z otoczeniem klienta")
        ordering = ["contacted_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
