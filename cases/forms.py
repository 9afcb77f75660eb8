"""Forms of the intake, the client, the assignment and the stage changes.

Forms check the shape of the input and put a Polish message at the field; the rules of the
procedure are checked by the services, whose DomainError the view puts back on the form.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseFlag, Client, ClientMember, FlagKind, Relation, ReportForm, TargetGroup
from cases.pesel import pesel_birth_date, validate_pesel
from cases.procedure import CloseReason, Stage
from mopr.models import Region, Role, User
from mopr.policy import regions_visible_to


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class VersionedForm(forms.Form):
    """Carries the version of the record the form was loaded at (no lost updates)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def not_in_future(value):
    now = timezone.now() if hasattr(value, "hour") else timezone.localdate()
    if value > now:
        raise forms.ValidationError(_("Data nie może być z przyszłości."), code="future")


# --- the client -----------------------------------------------------------------------------


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["kind", "street", "house_number", "flat_number", "postal_code", "city", "phone", "email"]

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and not (len(value) == 6 and value[2] == "-" and (value[:2] + value[3:]).isdigit()):
            raise forms.ValidationError(_("Kod pocztowy w postaci 00-000."))
        return value


class MemberForm(forms.ModelForm):
    pesel = forms.CharField(label=_("PESEL"), required=False, max_length=11, validators=[validate_pesel])
    # The head of the family is the client entered first; other members relate to them.
    relation = forms.ChoiceField(
        label=_("Pokrewieństwo"), choices=[c for c in Relation.choices if c[0] != Relation.HEAD], initial=Relation.CHILD
    )

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
        fields = ["first_name", "last_name", "pesel", "birth_date", "id_document"]


MemberFormSet = forms.formset_factory(MemberForm, extra=2, max_num=15, validate_max=True)


# --- intake ---------------------------------------------------------------------------------------


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("PESEL lub imię i nazwisko"), required=False, max_length=100)


class IntakeForm(forms.Form):
    """The report itself (Karta pt. 1) and where it goes."""

    received_at = forms.DateTimeField(
        label=_("Data i godzina zgłoszenia"), widget=DateTimeInput(), validators=[not_in_future]
    )
    form = forms.ChoiceField(label=_("Forma zgłoszenia"), choices=ReportForm.choices)
    institution_name = forms.CharField(label=_("Instytucja zgłaszająca"), required=False, max_length=200)
    reporter_name = forms.CharField(label=_("Imię i nazwisko zgłaszającego"), required=False, max_length=160)
    reporter_contact = forms.CharField(label=_("Adres lub telefon zgłaszającego"), required=False, max_length=200)
    reporter_relation = forms.CharField(label=_("Związek zgłaszającego z klientem"), required=False, max_length=120)
    content = forms.CharField(label=_("Treść zgłoszenia"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    reporter_signed = forms.BooleanField(label=_("Zgłaszający podpisał notatkę ze zgłoszenia"), required=False)
    urgent = forms.BooleanField(
        label=_("Zagrożenie zdrowia lub życia – pilne"),
        required=False,
        help_text=_("Zgłoszenie trafi na początek każdej kolejki."),
    )
    region = forms.ModelChoiceField(label=_("Rejon (RPŚ)"), queryset=Region.objects.none(), required=False)
    target_group = forms.ChoiceField(label=_("Grupa docelowa"), choices=TargetGroup.choices)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(institution_id=user.institution_id).order_by("code")
        if not self.is_bound and "received_at" not in self.initial:
            self.initial["received_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        form = data.get("form")
        if form == ReportForm.ANONYMOUS:
            for name in ("reporter_name", "reporter_contact"):
                if data.get(name):
                    self.add_error(name, _("Zgłoszenie anonimowe nie zawiera danych zgłaszającego."))
        elif form == ReportForm.INSTITUTION and not data.get("institution_name"):
            self.add_error("institution_name", _("Podaj nazwę instytucji zgłaszającej."))
        elif form and form != ReportForm.ANONYMOUS and not data.get("reporter_name") and form != ReportForm.INSTITUTION:
            self.add_error("reporter_name", _("Podaj dane zgłaszającego albo wybierz formę „anonimowe”."))
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
        self.filters["worker"].queryset = (
            User.objects.filter(role_assignments__role=Role.SOCIAL_WORKER, role_assignments__region__in=regions)
            .distinct()
            .order_by("last_name", "first_name")
        )

    def filter_flag(self, qs, name, value):
        active = CaseFlag.objects.filter(kind=value, removed_at__isnull=True).values("case_id")
        return qs.filter(pk__in=active) if value else qs

    def filter_urgent(self, qs, name, value):
        return qs.filter(urgent=True) if value else qs
