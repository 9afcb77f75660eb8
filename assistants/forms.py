"""Forms of the family-assistant procedure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assistants.models import Assignment, AssistantVisit, ChangeReport, MonthlyReport, PeriodicAssessment, WorkPlan
from cases.forms import DateInput, TodayDateField, VersionedForm, not_in_future, start_today
from cases.models import CaseDocument


class WorkerRequestForm(forms.Form):
    justification = forms.CharField(
        label=_("Uzasadnienie (np. zaniedbania wobec dziecka, niezaradność, złożoność problemów)"),
        widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
    )  # fmt: skip
    consent_on = TodayDateField(label=_("Data pisemnej zgody rodziny"))
    consent_scan = forms.ModelChoiceField(
        label=_("Skan zgody w teczce sprawy"), queryset=CaseDocument.objects.none(), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_scan"].queryset = case.documents.order_by("-document_date")


class ExternalRequestForm(forms.Form):
    institution_name = forms.CharField(label=_("Instytucja wnioskująca (szkoła, poradnia, sąd…)"), max_length=200)
    institution_address = forms.CharField(label=_("Adres instytucji"), max_length=300, required=False)
    received_on = TodayDateField(label=_("Data wpływu wniosku"))
    justification = forms.CharField(
        label=_("Treść wniosku"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False
    )


class CourtRequestForm(forms.Form):
    court_name = forms.CharField(label=_("Sąd"), max_length=200)
    ruling_reference = forms.CharField(label=_("Sygnatura orzeczenia"), max_length=120)
    ruled_on = forms.DateField(label=_("Data orzeczenia"), widget=DateInput(), validators=[not_in_future])


class InterviewForm(VersionedForm):
    interview_on = TodayDateField(label=_("Data wywiadu środowiskowego"))
    support_justified = forms.BooleanField(label=_("Wsparcie asystenta jest zasadne"), required=False)
    family_wants = forms.BooleanField(label=_("Rodzina chce współpracy z asystentem"), required=False)
    consent_on = forms.DateField(
        label=_("Data pisemnej zgody rodziny"), widget=DateInput(), required=False, validators=[not_in_future]
    )
    reply = forms.CharField(
        label=_("Odpowiedź dla instytucji"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )


class OpinionForm(VersionedForm):
    positive = forms.TypedChoiceField(
        label=_("Opinia"), choices=[("1", _("pozytywna")), ("0", _("negatywna"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )  # fmt: skip
    comment = forms.CharField(
        label=_("Komentarz"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class DecisionForm(VersionedForm):
    approve = forms.TypedChoiceField(
        label=_("Decyzja"), choices=[("1", _("zatwierdzam")), ("0", _("odrzucam"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )  # fmt: skip
    comment = forms.CharField(
        label=_("Komentarz (przy odrzuceniu wymagany)"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        max_length=5000,
    )  # fmt: skip


class AssignForm(VersionedForm):
    assistant = forms.ModelChoiceField(label=_("Asystent rodziny"), queryset=None)
    qualified_on = TodayDateField(label=_("Data zakwalifikowania rodziny"))
    letter_note = forms.CharField(
        label=_("Uwagi do pisma przydzielającego"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        max_length=5000,
    )  # fmt: skip

    def __init__(self, *args, assistants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assistant"].queryset = assistants


class VisitForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        start_today(self, "visited_on")
        self.fields["started_at"].required = True  # new visits record the hour (issue 17.8)

    class Meta:
        model = AssistantVisit
        fields = ["visited_on", "started_at", "joint_with_worker", "place", "description", "minutes"]
        widgets = {
            "visited_on": DateInput(),
            "started_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class PlanForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        start_today(self, "drafted_on")

    class Meta:
        model = WorkPlan
        fields = ["drafted_on", "assessment", "goals", "methods", "change_reason"]
        widgets = {
            "drafted_on": DateInput(),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "methods": forms.Textarea(attrs={"rows": 3}),
            "change_reason": forms.Textarea(attrs={"rows": 2}),
        }


class MonthlyReportForm(forms.ModelForm):
    class Meta:
        model = MonthlyReport
        fields = ["month", "summary"]
        widgets = {"month": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}


class AssessmentForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        start_today(self, "assessed_on")

    class Meta:
        model = PeriodicAssessment
        fields = ["assessed_on", "assessment"]
        widgets = {"assessed_on": DateInput(), "assessment": forms.Textarea(attrs={"rows": 5})}


class ChangeForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        start_today(self, "learnt_on")

    class Meta:
        model = ChangeReport
        fields = ["learnt_on", "change", "family_told_worker_on", "assistant_told_worker_on"]
        widgets = {
            "learnt_on": DateInput(),
            "family_told_worker_on": DateInput(),
            "assistant_told_worker_on": DateInput(),
            "change": forms.Textarea(attrs={"rows": 3}),
        }


class ChangeCloseForm(VersionedForm):
    family_told_worker_on = forms.DateField(
        label=_("Rodzina poinformowała pracownika"), widget=DateInput(), required=False
    )
    assistant_told_worker_on = forms.DateField(
        label=_("Asystent poinformował pracownika"), widget=DateInput(), required=False
    )


class EndForm(VersionedForm):
    end = forms.ChoiceField(label=_("Przyczyna zakończenia"), choices=Assignment.End.choices)
    ended_on = TodayDateField(label=_("Data zakończenia"))
    reason = forms.CharField(label=_("Uzasadnienie"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    final_summary = forms.CharField(
        label=_("Sprawozdanie z pracy asystenta z rodziną"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )


class TimeReportForm(forms.Form):
    month = forms.DateField(label=_("Miesiąc (dowolny dzień miesiąca)"), widget=DateInput())

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignments = list(assignments)
        for a in self.assignments:
            label = _("Godziny: %(family)s (%(number)s)") % {
                "family": a.case.client.display_name,
                "number": a.case.number,
            }
            self.fields[f"hours_{a.pk}"] = forms.DecimalField(
                label=label, min_value=0, max_value=400, decimal_places=1, required=False
            )

    def hours(self) -> dict:
        return {
            a.pk: self.cleaned_data[f"hours_{a.pk}"]
            for a in self.assignments
            if self.cleaned_data.get(f"hours_{a.pk}") is not None
        }


class AuthorisationForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Osoba upoważniona do zatwierdzania wniosków"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
