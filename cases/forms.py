"""Forms of the intake, the client, the assignment and the stage changes.

Forms check the shape of the input and put a Polish message at the field; the rules of the
procedure are checked by the services, whose DomainError the view puts back on the form.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Appointment,
    CaseDocument,
    CaseFlag,
    ChildObservation,
    Client,
    ClientMember,
    CommunityContact,
    Diagnosis,
    DocumentationTransfer,
    DocumentReview,
    FlagKind,
    InstitutionContact,
    Notification,
    OfficialNote,
    ParentApartInfo,
    Relation,
    Report,
    ReportForm,
    Subcategory,
    Subgroup,
    Summons,
    TargetGroup,
    Visit,
)
from cases.pesel import pesel_birth_date, validate_pesel
from cases.problem_areas import problem_area_choices, problem_area_names
from cases.procedure import CloseReason, Stage
from mopr.models import Region, User
from mopr.policy import regions_visible_to, social_workers_in


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LocalDateTimeField(forms.DateTimeField):
    """A local time as the user typed it, on any night (issue 16.10). Django refuses 02:30 of
    the nights the clocks change; a visit may happen then. An hour that comes twice is taken the
    first time; an hour skipped in spring is the same moment an hour on (02:30 is 03:30 CEST)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code != "ambiguous_timezone":
                raise
        naive = parse_datetime(str(value).strip())
        if naive is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        zone = timezone.get_current_timezone()
        return naive.replace(tzinfo=zone).astimezone(datetime.UTC).astimezone(zone)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but an id past the database's integer range is a choice not offered, not an
    OverflowError from SQLite (Django guards the lookup of one id, not of a list of them)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(pk)  # as the id field will read it
            except (TypeError, ValueError):
                continue  # not a number: Django's own check refuses it
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(pk)[:30]}
                )
        return super()._check_values(value)


class VersionedForm(forms.Form):
    """Carries the version of the record the form was loaded at (no lost updates)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        data = super().clean()
        if self.has_error("version"):  # a hidden field's error is not shown at it: say it at the top
            self.add_error(None, _("Formularz jest nieaktualny – otwórz go ponownie i wprowadź zmiany jeszcze raz."))
        return data


def not_in_future(value):
    now = timezone.now() if hasattr(value, "hour") else timezone.localdate()
    if value > now:
        raise forms.ValidationError(_("Data nie może być z przyszłości."), code="future")


def now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


def start_today(form: forms.BaseForm, name: str) -> None:
    """A new record is usually of today (issue 16.8): its own date starts there."""
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None:
        field = form.fields[name]
        field.initial = now_to_the_minute if isinstance(field, forms.DateTimeField) else timezone.localdate


class TodayDateField(forms.DateField):
    """The date of something the user has just done: it starts from today (what it usually is,
    issue 16.8) and is never in the future."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput())
        kwargs.setdefault("initial", timezone.localdate)  # a callable: today when the page is drawn
        super().__init__(**kwargs)
        self.validators.append(not_in_future)


# --- the client -----------------------------------------------------------------------------


class VersionedModelFormMixin:
    """The edit of an existing row carries the version it was loaded at (not a model field of
    the form: the service compares and bumps it); a new row has no version to carry."""

    def _carry_version(self) -> None:
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.initial.setdefault("version", self.instance.version)

    def clean(self):
        data = super().clean()
        # The hidden field's own error is not shown (a page opened before versions were carried).
        if "version" in self.errors:
            self.add_error(None, _("Formularz jest nieaktualny – otwórz go ponownie i wprowadź zmiany jeszcze raz."))
        return data


class ClientForm(VersionedModelFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Client
        fields = ["kind", "street", "house_number", "flat_number", "postal_code", "city", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._carry_version()

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and not (
            len(value) == 6 and value[2] == "-" and value.isascii() and (value[:2] + value[3:]).isdigit()
        ):
            raise forms.ValidationError(_("Kod pocztowy w postaci 00-000."))
        return value


class MemberForm(VersionedModelFormMixin, forms.ModelForm):
    pesel = forms.CharField(label=_("PESEL"), required=False, max_length=11, validators=[validate_pesel])
    # The head of the family is the client entered first; other members relate to them.
    relation = forms.ChoiceField(
        label=_("Pokrewieństwo"), choices=[c for c in Relation.choices if c[0] != Relation.HEAD], initial=Relation.CHILD
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    other_person = forms.BooleanField(label=_("To inna osoba niż ta o tych samych danych w kartotece"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._carry_version()
        keep_confirmation_shown(self, "other_person")

    class Meta:
        model = ClientMember
        fields = [
            "first_name",
            "last_name",
            "pesel",
            "birth_date",
            "relation",
            "in_foster_care",
            "lives_apart",
            "id_document",
            "sex",
        ]
        widgets = {"birth_date": DateInput()}

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value:
            not_in_future(value)
        return value

    def clean(self):
        data = super().clean()
        pesel, birth = data.get("pesel"), data.get("birth_date")
        if pesel and birth and pesel_birth_date(pesel) != birth:
            self.add_error("birth_date", _("Data urodzenia nie zgadza się z numerem PESEL."))
        return data


class HeadMemberForm(MemberForm):
    relation = None  # the head is the head

    class Meta(MemberForm.Meta):
        fields = ["first_name", "last_name", "pesel", "birth_date", "id_document", "sex"]


class OptionalMemberForm(MemberForm):
    """A row of the intake's "other members" section: may stay empty; once begun, it needs names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in ("first_name", "last_name", "pesel", "birth_date")):
            for name in ("first_name", "last_name"):
                if not data.get(name):
                    self.add_error(name, _("To pole jest wymagane."))
        return data


MemberFormSet = forms.formset_factory(OptionalMemberForm, extra=2, max_num=15, validate_max=True)


# --- intake ---------------------------------------------------------------------------------------


class ClientSearchForm(forms.Form):
    """The intake's search before a new client is created: a whole, valid PESEL, or a full name
    (two words at least). Never a part of a number, which would let anyone read PESELs digit by
    digit (issue 14.3)."""

    q = forms.CharField(
        label=_("PESEL lub imię i nazwisko"),
        required=False,
        max_length=100,
        help_text=_("Cały numer PESEL albo imię i nazwisko."),
    )

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data["q"].replace("\x00", "").split())
        if not q:
            return ""
        compact = q.replace(" ", "")
        if any(ch.isdigit() for ch in q):
            if not compact.isdigit() or len(compact) != 11:
                raise forms.ValidationError(
                    _("Podaj cały numer PESEL (11 cyfr) albo samo imię i nazwisko – po fragmencie numeru nie szukamy.")
                )
            validate_pesel(compact)
            return compact
        words = [w for w in q.split() if len(w.strip(".-'")) >= 2]
        if len(words) < 2:
            raise forms.ValidationError(_("Podaj imię i nazwisko (co najmniej dwa słowa)."))
        return q

    @property
    def by_pesel(self) -> bool:
        return self.cleaned_data.get("q", "").isdigit()


class IntakeForm(forms.Form):
    """The report itself (Karta pt. 1) and where it goes."""

    received_at = LocalDateTimeField(
        label=_("Data i godzina zgłoszenia"), widget=DateTimeInput(), validators=[not_in_future]
    )
    form = forms.ChoiceField(label=_("Forma zgłoszenia"), choices=ReportForm.choices)
    institution_name = forms.CharField(label=_("Instytucja zgłaszająca"), required=False, max_length=200)
    reporter_name = forms.CharField(
        label=_("Imię i nazwisko zgłaszającego"),
        required=False,
        max_length=160,
        help_text=_("Puste, gdy zgłaszający się nie przedstawił: zgłoszenie anonimowe, do weryfikacji."),
    )
    reporter_contact = forms.CharField(label=_("Adres lub telefon zgłaszającego"), required=False, max_length=200)
    reporter_relation = forms.CharField(label=_("Związek zgłaszającego z klientem"), required=False, max_length=120)
    content = forms.CharField(label=_("Treść zgłoszenia"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    reporter_signed = forms.BooleanField(label=_("Zgłaszający podpisał notatkę ze zgłoszenia"), required=False)
    urgent = forms.BooleanField(
        label=_("Zagrożenie zdrowia lub życia – pilne"),
        required=False,
        help_text=_("Zgłoszenie trafi na początek każdej kolejki."),
    )
    region = forms.ModelChoiceField(
        label=_("Rejon (RPŚ)"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("Puste: rejon zostanie ustalony na podstawie ulicy."),
    )
    target_group = forms.ChoiceField(label=_("Grupa docelowa"), choices=TargetGroup.choices)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(institution_id=user.institution_id).order_by("code")
        if not self.is_bound and "received_at" not in self.initial:
            self.initial["received_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        if data.get("form") == ReportForm.INSTITUTION and not data.get("institution_name"):
            self.add_error("institution_name", _("Podaj nazwę instytucji zgłaszającej."))
        return data


# --- coordinator, worker, stages ------------------------------------------------------------------


class AssignForm(VersionedForm):
    worker = forms.ModelChoiceField(label=_("Pracownik socjalny"), queryset=User.objects.none())

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class TransitionForm(VersionedForm):
    target = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Uzasadnienie"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    close_reason = forms.ChoiceField(
        label=_("Przyczyna zakończenia"), required=False, choices=[("", "—"), *list(CloseReason.choices)]
    )

    def __init__(self, *args, ongoing=(), **kwargs):
        """``ongoing``: the work under way that a closing ends (procedure.ongoing_work): for each,
        how it ends and, where its procedure needs one, the final report."""
        super().__init__(*args, **kwargs)
        self.ongoing = []
        for kind, work in ongoing:
            what = f"{kind.label} – {kind.describe(work)}"
            self.fields[f"end_{kind.key}"] = forms.ChoiceField(
                label=_("Jak kończy się: %(what)s") % {"what": what},
                choices=[("", "—"), *kind.end_choices],
                required=False,
            )
            if kind.report_label:
                self.fields[f"report_{kind.key}"] = forms.CharField(
                    label=str(kind.report_label).capitalize(),
                    widget=forms.Textarea(attrs={"rows": 3}),
                    required=False,
                    max_length=20000,
                )
            self.ongoing.append(kind)

    def ongoing_fields(self) -> list[tuple]:
        return [(self[f"end_{k.key}"], self[f"report_{k.key}"] if k.report_label else None) for k in self.ongoing]

    def ends(self) -> dict:
        from cases.procedure import EndOf

        data = self.cleaned_data
        return {
            k.key: EndOf(choice=data[f"end_{k.key}"], report=data.get(f"report_{k.key}", ""))
            for k in self.ongoing
            if data.get(f"end_{k.key}")
        }


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Wynik weryfikacji"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


# --- the case list ----------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    """Filters of the case list; the queryset it narrows comes from the access policy."""

    stage = django_filters.ChoiceFilter(label=_("Etap"), choices=Stage.choices, empty_label=_("wszystkie"))
    region = django_filters.ModelChoiceFilter(
        label=_("Rejon"), queryset=Region.objects.none(), empty_label=_("wszystkie")
    )
    worker = django_filters.ModelChoiceFilter(
        label=_("Pracownik"), queryset=User.objects.none(), empty_label=_("wszyscy")
    )
    flag = django_filters.ChoiceFilter(
        label=_("Oznaczenie"), choices=FlagKind.choices, method="filter_flag", empty_label=_("dowolne")
    )
    urgent = django_filters.BooleanFilter(label=_("Tylko pilne"), widget=forms.CheckboxInput, method="filter_urgent")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_visible_to(user)
        self.filters["region"].queryset = regions
        self.filters["worker"].queryset = social_workers_in(regions)

    def filter_flag(self, qs, name, value):
        active = CaseFlag.objects.filter(kind=value, removed_at__isnull=True).values("case_id")
        return qs.filter(pk__in=active) if value else qs

    def filter_urgent(self, qs, name, value):
        return qs.filter(urgent=True) if value else qs


# --- entries of the case (stage II, III and every stage) ----------------------------------------------


class EntryForm(forms.ModelForm):
    """An entry form knows its case, to offer only that family's members.

    Its first date is the day it happened: it starts from today, and a day long past is saved
    only once the user confirms it (``date_confirmed``, shown when the service asks for it).
    """

    member_fields: tuple[str, ...] = ()
    date_fields: tuple[str, ...] = ()
    starts_today = True
    date_confirmed = forms.BooleanField(
        label=_("Potwierdzam tę datę – wpis dotyczy zdarzenia sprzed wielu dni"), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        for name in self.member_fields:
            self.fields[name].queryset = case.client.members.all()
        for name in self.date_fields:
            self.fields[name].validators.append(not_in_future)
        if self.date_fields and self.starts_today:
            start_today(self, self.date_fields[0])
        keep_confirmation_shown(self)


def keep_confirmation_shown(form: forms.BaseForm, name: str = "date_confirmed") -> None:
    """A confirmation box is hidden until the service asks for it (and stays once ticked)."""
    field = form.fields.get(name)
    if field is not None and not form.data.get(form.add_prefix(name)):
        field.widget = forms.HiddenInput()


def reveal_confirmation(form: forms.BaseForm, error, name: str = "date_confirmed") -> None:
    """Show the service's question at its field and the box that answers it."""
    form.fields[name].widget = forms.CheckboxInput()
    form.add_error(error.field if error.field in form.fields else None, error.message)


class VisitForm(EntryForm):
    date_fields = ("visited_at",)

    class Meta:
        model = Visit
        fields = ["visited_at", "place", "place_other", "participants", "outcome", "findings"]
        field_classes = {"visited_at": LocalDateTimeField}
        widgets = {"visited_at": DateTimeInput(), "findings": forms.Textarea(attrs={"rows": 4})}


class SummonsForm(EntryForm):
    member_fields = ("addressee",)
    date_fields = ("issued_on",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].required = False
        self.fields["addressee"].empty_label = _("głowa rodziny (klient)")

    class Meta:
        model = Summons
        fields = ["addressee", "issued_on", "appointment_at", "room", "note"]
        field_classes = {"appointment_at": LocalDateTimeField}
        widgets = {
            "issued_on": DateInput(),
            "appointment_at": DateTimeInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class NotificationForm(EntryForm):
    date_fields = ("sent_on", "answered_on")

    class Meta:
        model = Notification
        fields = ["service", "addressee", "service_name", "reason", "sent_on", "sent_how", "answer", "answered_on"]
        widgets = {
            "sent_on": DateInput(),
            "answered_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 4}),
            "answer": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The centre's directory of institutions (mopr.DirectoryEntry); an address typed by hand
        # only for an institution not in it.
        from mopr.models import DirectoryEntry

        self.fields["addressee"].queryset = DirectoryEntry.objects.filter(
            institution_id=self.case.institution_id, active=True
        ).order_by("kind", "name")
        self.fields["addressee"].help_text = _("Z katalogu adresatów ośrodka.")
        self.fields["service_name"].help_text = _("Tylko gdy instytucji nie ma w katalogu.")


class DocumentReviewForm(EntryForm):
    date_fields = ("reviewed_on", "document_date")

    class Meta:
        model = DocumentReview
        fields = ["kind", "description", "document_date", "reference", "reviewed_on", "findings"]
        widgets = {
            "document_date": DateInput(),
            "reviewed_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped as in seed 000 II.3: medical, court, income and debts.
        labels = dict(DocumentReview.Kind.choices)
        self.fields["kind"].choices = [("", "—")] + [
            (str(group), [(k.value, labels[k]) for k in kinds]) for group, kinds in DocumentReview.GROUPS.items()
        ]


class InstitutionContactForm(EntryForm):
    member_fields = ("member",)
    date_fields = ("contacted_on",)

    class Meta:
        model = InstitutionContact
        fields = ["kind", "institution_name", "person_contacted", "member", "contacted_on", "form", "learnt"]
        widgets = {"contacted_on": DateInput(), "learnt": forms.Textarea(attrs={"rows": 3})}


class CommunityContactForm(EntryForm):
    date_fields = ("contacted_on",)

    class Meta:
        model = CommunityContact
        fields = ["kind", "person", "contacted_on", "form", "learnt"]
        widgets = {"contacted_on": DateInput(), "learnt": forms.Textarea(attrs={"rows": 3})}


class ParentApartForm(EntryForm):
    member_fields = ("parent",)
    date_fields = ("obtained_on",)

    class Meta:
        model = ParentApartInfo
        fields = ["parent", "parent_name", "obtained_on", "relation_with_child", "contact_with_child", "view_of_child"]
        widgets = {
            "obtained_on": DateInput(),
            "relation_with_child": forms.Textarea(attrs={"rows": 2}),
            "contact_with_child": forms.Textarea(attrs={"rows": 2}),
            "view_of_child": forms.Textarea(attrs={"rows": 2}),
        }


class ChildObservationForm(EntryForm):
    member_fields = ("child",)
    date_fields = ("observed_on",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        children = [m.pk for m in self.case.client.members.all() if m.is_child(today)]
        self.fields["child"].queryset = self.case.client.members.filter(pk__in=children)

    class Meta:
        model = ChildObservation
        fields = ["child", "observed_on", "observation", "talked_with_child", "consent_given_by", "talk_summary"]
        widgets = {
            "observed_on": DateInput(),
            "observation": forms.Textarea(attrs={"rows": 3}),
            "talk_summary": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        if data.get("talked_with_child") and not (data.get("consent_given_by") or "").strip():
            self.add_error("consent_given_by", _("Rozmowa z dzieckiem wymaga zgody rodzica – wpisz, kto jej udzielił."))
        return data


class DiagnosisForm(EntryForm):
    date_fields = ("diagnosed_on",)
    problem_areas = forms.MultipleChoiceField(
        label=_("Obszary problemowe"), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Diagnosis
        fields = [
            "diagnosed_on", "facts", "problem_areas", "problem_other", "children_care", "resources",
            "dysfunctional", "decision", "justification",
        ]  # fmt: skip
        widgets = {
            "diagnosed_on": DateInput(),
            "facts": forms.Textarea(attrs={"rows": 4}),
            "children_care": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "justification": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The Act's areas and the institution's own in use; a correction keeps an area no longer in use.
        choices = problem_area_choices(institution_id=self.case.institution_id)
        known = {code for code, _name in choices}
        kept = [code for code in (self.instance.problem_areas or []) if code not in known]
        if kept:
            names = problem_area_names(institution_id=self.case.institution_id, codes=kept)
            choices += [(code, names.get(code, code)) for code in kept]
        self.fields["problem_areas"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("decision") == Diagnosis.Decision.NO_PROBLEM and not (data.get("justification") or "").strip():
            self.add_error("justification", _("Uzasadnij, dlaczego nie podejmujesz pracy socjalnej."))
        return data


class NoteForm(EntryForm):
    date_fields = ("written_on",)

    class Meta:
        model = OfficialNote
        fields = ["written_on", "nothing_changed", "content"]
        widgets = {"written_on": DateInput(), "content": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].required = False
        self.fields["content"].help_text = _("Przy zaznaczeniu „bez zmian” treść może zostać pusta.")


class FlagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Oznaczenie"), choices=FlagKind.choices)
    started_on = TodayDateField(label=_("Data wszczęcia procedury"))
    started_by = forms.CharField(label=_("Kto wszczął (instytucja, osoba)"), max_length=160)
    note = forms.CharField(label=_("Uwagi"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)


class FlagRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód zdjęcia oznaczenia"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class DocumentUploadForm(EntryForm):
    date_fields = ("document_date",)
    starts_today = False  # the document's own date: a letter or a ruling is rarely of today
    date_confirmed = None
    file = forms.FileField(label=_("Plik (PDF, JPEG, PNG, ODT, DOCX)"))

    class Meta:
        model = CaseDocument
        fields = ["kind", "description", "document_date"]
        widgets = {"document_date": DateInput()}


class DocumentCorrectionForm(EntryForm):
    """What a correction changes in a scan's record: its kind, description and date (the file is
    the file; one in the wrong folder is withdrawn)."""

    date_fields = ("document_date",)
    starts_today = False
    date_confirmed = None

    class Meta:
        model = CaseDocument
        fields = ["kind", "description", "document_date"]
        widgets = {"document_date": DateInput()}


class ReportCorrectionForm(EntryForm):
    """The report's data, as the karta's section 1 prints them."""

    date_fields = ()
    date_confirmed = None

    class Meta:
        model = Report
        fields = [
            "received_at", "form", "institution_name", "reporter_name", "reporter_contact", "reporter_relation",
            "content", "urgent",
        ]  # fmt: skip
        field_classes = {"received_at": LocalDateTimeField}
        widgets = {"received_at": DateTimeInput(), "content": forms.Textarea(attrs={"rows": 5})}


def reason_field(label, example) -> forms.CharField:
    """The reason a record-changing act needs (a correction, a withdrawal, a merge)."""
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, help_text=example)


class ClientMergeForm(forms.Form):
    other_case = forms.CharField(
        label=_("Numer sprawy drugiego rekordu tej samej osoby"),
        max_length=40,
        help_text=_("Np. RPŚ-1/2025/0042. Jej klient zostanie dołączony do klienta tej sprawy."),
    )
    reason = reason_field(_("Powód połączenia"), _("Np. „ta sama osoba: PESEL wpisany z błędem w 2025 r.”"))
    confirm = forms.BooleanField(
        label=_("Potwierdzam, że oba rekordy dotyczą tej samej osoby – połączenia nie cofa się"), required=True
    )


class CorrectionForm(forms.Form):
    """The reason of a correction; the entry's own form carries the new values."""

    reason = reason_field(
        _("Powód sprostowania"),
        _("Np. „błędnie wpisany rok wizyty”. Powód i wartości sprzed zmiany zostaną w karcie."),
    )


class WithdrawForm(forms.Form):
    reason = reason_field(
        _("Powód wycofania wpisu"),
        _("Np. „wpis dotyczy innej rodziny”. Treść wpisu pozostanie do wglądu w historii sprawy."),
    )


class NotificationAnswerForm(forms.Form):
    answered_on = TodayDateField(label=_("Data odpowiedzi"))
    answer = forms.CharField(label=_("Odpowiedź"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    # The answer's state when the form was loaded (services.notification_state): no lost updates.
    state = forms.CharField(widget=forms.HiddenInput, max_length=64)


# --- passing a case on (issue 17.2–3) ----------------------------------------------------------


class MoveForm(forms.Form):
    """The family moved within the municipality: the case goes to the other region's coordinator."""

    to_region = forms.ModelChoiceField(
        label=_("Nowy rejon"), queryset=Region.objects.none(), empty_label=_("– wybierz rejon –")
    )
    note = forms.CharField(
        label=_("Nowy adres rodziny lub powód"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_region"].queryset = regions


class MoveAcceptForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=_("Pracownik socjalny"), queryset=User.objects.none(), empty_label=_("– wybierz –")
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class MoveRefuseForm(forms.Form):
    reason = forms.CharField(label=_("Powód odmowy"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


# --- appointments (issue 17.8) -------------------------------------------------------------------------


class AppointmentForm(forms.ModelForm):
    at = LocalDateTimeField(label=_("Data i godzina"), widget=DateTimeInput())

    class Meta:
        model = Appointment
        fields = ["kind", "at", "place", "note"]


class AppointmentMoveForm(VersionedForm):
    at = LocalDateTimeField(label=_("Nowa data i godzina"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Powód zmiany terminu"), max_length=300)


class AppointmentCancelForm(VersionedForm):
    reason = forms.CharField(label=_("Powód odwołania"), max_length=300)


class DocumentationTransferForm(forms.ModelForm):
    """The documentation to the family's new centre (issue 17.3)."""

    sent_on = TodayDateField(label=_("Data pisma"))

    class Meta:
        model = DocumentationTransfer
        fields = ["sent_on", "addressee", "addressee_text", "new_address", "enclosures"]
        widgets = {"addressee_text": forms.Textarea(attrs={"rows": 3}), "enclosures": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, institution_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        from mopr.models import DirectoryEntry

        self.fields["addressee"].queryset = DirectoryEntry.objects.filter(
            institution_id=institution_id, active=True,
            kind__in=[DirectoryEntry.Kind.WELFARE_CENTRE, DirectoryEntry.Kind.OTHER],
        )  # fmt: skip
        self.fields["addressee"].empty_label = _("– spoza katalogu: wpisz poniżej –")
        self.fields["addressee_text"].help_text = _("Gdy ośrodka nie ma w katalogu adresatów.")
        self.fields["enclosures"].help_text = _("Jeden dokument w wierszu; lista wydrukuje się w piśmie.")


class SummonsCancelForm(forms.Form):
    reason = forms.CharField(label=_("Powód odwołania terminu"), max_length=300)


class TargetGroupForm(VersionedForm):
    """The target group and OBOP's subcategory and subgroups (seed 004)."""

    target_group = forms.ChoiceField(label=_("Grupa docelowa"), choices=TargetGroup.choices)
    subcategory = forms.ChoiceField(
        label=_("Podkategoria (osoby pozostające bez pracy)"),
        choices=[("", _("— brak —")), *Subcategory.choices],
        required=False,
    )
    subgroups = forms.MultipleChoiceField(
        label=_("Podgrupy (osoby pozostające bez pracy)"),
        choices=Subgroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Powód zmiany"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wymagany, gdy zmieniasz grupę docelową."),
    )


class KartaArchiveForm(forms.Form):
    """Which closed cases' kartas go into one archive ZIP."""

    region = forms.ModelChoiceField(label=_("Rejon"), queryset=Region.objects.none(), empty_label=_("— wybierz —"))
    closed_before = forms.DateField(label=_("Zakończone przed dniem"), widget=DateInput())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class ProblemAreaForm(forms.Form):
    """A centre's own problem area: its name (the service refuses one already on the list)."""

    name = forms.CharField(label=_("Nazwa"), max_length=200)
