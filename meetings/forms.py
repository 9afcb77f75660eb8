"""Forms of meetings and inspections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput, ModelMultipleChoiceField, TodayDateField
from cases.models import Case
from mopr.models import User


class MeetingForm(forms.Form):
    held_on = TodayDateField(label=_("Data spotkania"))
    attendees = ModelMultipleChoiceField(
        label=_("Lista obecności"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    guests = forms.CharField(label=_("Inne osoby obecne"), required=False, max_length=300)
    cases_discussed = ModelMultipleChoiceField(
        label=_("Omawiane sprawy"), queryset=Case.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Notatka służbowa ze spotkania"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )

    def __init__(self, *args, attendees, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = attendees
        self.fields["cases_discussed"].queryset = cases


class InspectionForm(forms.Form):
    inspected_worker = forms.ModelChoiceField(label=_("Kontrolowany pracownik"), queryset=User.objects.none())
    held_on = TodayDateField(label=_("Data kontroli"))
    scope = forms.CharField(label=_("Zakres kontroli"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    cases = ModelMultipleChoiceField(
        label=_("Skontrolowane sprawy"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(label=_("Ustalenia"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    recommendations = forms.CharField(
        label=_("Zalecenia"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000
    )
    follow_up_by = forms.DateField(label=_("Termin realizacji zaleceń"), widget=DateInput(), required=False)

    def __init__(self, *args, workers, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_worker"].queryset = workers
        self.fields["cases"].queryset = cases


class FollowUpForm(forms.Form):
    done_on = TodayDateField(label=_("Zalecenia zrealizowano dnia"))
