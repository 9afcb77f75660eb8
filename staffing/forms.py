"""Forms of absence cover and hand-over: the shape of the input; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput, ModelMultipleChoiceField
from cases.models import CaseTransfer
from staffing.models import CoverReason


class CoverForm(forms.Form):
    absent = forms.ModelChoiceField(
        label=_("Nieobecny pracownik"), queryset=None, empty_label=_("– wybierz pracownika –")
    )
    substitute = forms.ModelChoiceField(label=_("Zastępca"), queryset=None, empty_label=_("– wybierz zastępcę –"))
    starts_on = forms.DateField(label=_("Od dnia"), widget=DateInput(), initial=timezone.localdate)
    ends_on = forms.DateField(
        label=_("Do dnia (włącznie)"),
        widget=DateInput(),
        help_text=_("Po tym dniu zastępstwo kończy się samo."),
    )
    reason = forms.ChoiceField(label=_("Powód nieobecności"), choices=CoverReason.choices)

    def __init__(self, *args, absent_choices, substitute_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = absent_choices
        self.fields["substitute"].queryset = substitute_choices
        if absent_choices.count() == 1:
            self.fields["absent"].initial = absent_choices.first()

    def clean(self):
        data = super().clean()
        if data.get("absent") and data.get("absent") == data.get("substitute"):
            self.add_error("substitute", _("Zastępcą musi być inna osoba niż nieobecny pracownik."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Koniec zastępstwa nie może być wcześniejszy niż jego początek."))
        return data


class CoverEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class HandoverForm(forms.Form):
    """The cases of one worker to hand over (all ticked at first), to whom, and why."""

    cases = ModelMultipleChoiceField(
        label=_("Sprawy do przekazania"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    to = forms.ModelChoiceField(label=_("Nowy pracownik prowadzący"), queryset=None, empty_label=_("– wybierz –"))
    reason = forms.ChoiceField(
        label=_("Przyczyna"),
        choices=[(r.value, r.label) for r in CaseTransfer.Reason if r != CaseTransfer.Reason.MOVED],
    )
    note = forms.CharField(
        label=_("Uwagi dla nowego pracownika"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, cases, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["cases"].initial = [c.pk for c in cases]
        self.fields["cases"].label_from_instance = lambda c: (
            f"{c.number} – {c.client.display_name} ({c.get_stage_display()})"
        )
        self.fields["to"].queryset = receivers
