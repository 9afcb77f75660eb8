"""Forms of the contract (after the template of Dz.U. 2010 nr 218 poz. 1439) and the Oświadczenie."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput, EntryForm, ModelMultipleChoiceField, TodayDateField, VersionedForm
from contracts.models import Action, Contract, Goal, IdDocument, Resource
from contracts.validators import id_card_ok


class ContractForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Wzór kontraktu"), choices=Contract.Kind.choices, widget=forms.RadioSelect)
    client_member = forms.ModelChoiceField(label=_("Klient – strona kontraktu"), queryset=None)
    client_id_document_kind = forms.ChoiceField(
        label=_("Rodzaj dokumentu tożsamości (gdy klient nie ma numeru PESEL)"), choices=IdDocument.choices,
        initial=IdDocument.ID_CARD, required=False,
    )  # fmt: skip
    client_id_document = forms.CharField(
        label=_("Seria i numer dokumentu tożsamości (gdy klient nie ma numeru PESEL)"), required=False, max_length=40
    )
    referral = forms.CharField(
        label=_("Wzór B: skierowanie z powiatowego urzędu pracy (numer i data)"), required=False, max_length=200
    )
    unemployment_causes = forms.CharField(
        label=_("Wzór B: przyczyny pozostawania bez zatrudnienia"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), max_length=20000,
    )  # fmt: skip
    employment_barriers = forms.CharField(
        label=_("Wzór B: ograniczenia w podjęciu zatrudnienia"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), max_length=20000,
    )  # fmt: skip
    previous_activation = forms.CharField(
        label=_("Wzór B: dotychczasowe działania aktywizujące i przyczyny ich niepowodzenia"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), max_length=20000,
    )  # fmt: skip
    covered_members = ModelMultipleChoiceField(
        label=_("Członkowie rodziny objęci kontraktem"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    problems = forms.CharField(label=_("Ocena sytuacji: problemy"), widget=forms.Textarea(attrs={"rows": 3}))
    resources = forms.CharField(
        label=_("Ocena sytuacji: zasoby i możliwości"), widget=forms.Textarea(attrs={"rows": 3})
    )
    limitations = forms.CharField(
        label=_("Ocena sytuacji: ograniczenia"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    main_goal = forms.CharField(label=_("Cel główny"), widget=forms.Textarea(attrs={"rows": 2}))
    period_from = forms.DateField(label=_("Okres obowiązywania od"), widget=DateInput())
    period_to = forms.DateField(label=_("Okres obowiązywania do"), widget=DateInput())
    drafted_on = TodayDateField(label=_("Data sporządzenia"))
    resources_used = forms.MultipleChoiceField(
        label=_("Wykorzystane zasoby"),
        choices=Resource.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources_note = forms.CharField(label=_("Zasoby – szczegóły"), required=False, max_length=300)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        members = case.client.members.all()
        self.fields["client_member"].queryset = members
        self.fields["covered_members"].queryset = members

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("Koniec okresu nie może być przed jego początkiem."))
        return data


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Cel szczegółowy"), required=False, max_length=1000)


class ActionForm(forms.Form):
    side = forms.ChoiceField(label=_("Strona"), choices=[("", "—"), *Action.Side.choices], required=False)
    description = forms.CharField(label=_("Działanie"), required=False, max_length=1000)
    deadline = forms.DateField(label=_("Termin"), required=False, widget=DateInput())
    responsible = forms.CharField(label=_("Osoba odpowiedzialna"), required=False, max_length=160)
    goal_number = forms.IntegerField(label=_("Nr celu"), required=False, min_value=1, max_value=50)

    def clean(self):
        data = super().clean()
        filled = [n for n in ("side", "description", "deadline", "responsible") if data.get(n)]
        if filled and len(filled) < 4:
            for name in ("side", "description", "deadline", "responsible"):
                if not data.get(name):
                    self.add_error(name, _("To pole jest wymagane."))
        return data


class RowsFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("usuń")


# As many rows as the contract needs (issue 16.7): "Dodaj …" brings one more, "usuń" drops one.
GoalFormSet = forms.formset_factory(
    GoalForm, formset=RowsFormSet, extra=2, max_num=30, validate_max=True, can_delete=True
)
ActionFormSet = forms.formset_factory(
    ActionForm, formset=RowsFormSet, extra=2, max_num=60, validate_max=True, can_delete=True
)


class ActionChangeForm(forms.Form):
    """An action of a signed contract, changed or ended by an amendment."""

    action_id = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(label=_("Działanie"), max_length=1000)
    deadline = forms.DateField(label=_("Termin"), widget=DateInput())
    responsible = forms.CharField(label=_("Osoba odpowiedzialna"), max_length=160)
    drop = forms.BooleanField(label=_("zakończ (zaniechane)"), required=False)


ActionChangeFormSet = forms.formset_factory(ActionChangeForm, extra=0)


def more_rows(data, *formset_prefixes: str, limits: dict[str, int]) -> bool:
    """The "Dodaj wiersz" button (name ``add_row``, value the list's prefix): one more empty row
    in a copy of ``data``; answers whether it was asked for. Without JavaScript the page comes
    back whole; with htmx only the list is swapped."""
    which = data.get("add_row")
    if which not in formset_prefixes:
        return False
    total = f"{which}-TOTAL_FORMS"
    try:
        count = int(data.get(total, "0"))
    except ValueError:
        count = 0
    data[total] = str(max(0, min(count + 1, limits[which])))
    return True


def quiet(*forms_and_sets) -> None:
    """Show what was typed without validating it (a row was added, nothing is being saved)."""
    from django.forms.utils import ErrorDict

    for item in forms_and_sets:
        if isinstance(item, forms.BaseFormSet):
            for form in item.forms:
                form._errors = ErrorDict()
            item._errors = [ErrorDict() for _ in item.forms]
            item._non_form_errors = item.error_class()
        else:
            item._errors = ErrorDict()


class SignForm(VersionedForm):
    signed_on = TodayDateField(label=_("Data podpisania"))
    late_reason = forms.CharField(
        label=_("Powód podpisania po terminie (gdy minęły 2 miesiące od pierwszego kontaktu)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )


class EvaluationForm(VersionedForm):
    evaluated_on = TodayDateField(label=_("Data ewaluacji"))
    with_client = forms.BooleanField(label=_("Ewaluacja z udziałem klienta"), required=False, initial=True)
    summary = forms.CharField(label=_("Ocena i wnioski"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(contract.goals.all())
        self.actions = list(contract.actions.all())
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=_("Cel %(n)s: %(text)s") % {"n": goal.order, "text": goal.text},
                # No default: a goal skipped must not be recorded as reached.
                choices=[("", "—"), *[c for c in Goal.Status.choices if c[0] != Goal.Status.OPEN]],
            )
            self.fields[f"goal_{goal.pk}_comment"] = forms.CharField(
                label=_("Komentarz do celu %(n)s") % {"n": goal.order}, required=False, max_length=500
            )
        for action in self.actions:
            self.fields[f"action_{action.pk}"] = forms.ChoiceField(
                label=_("Działanie (%(side)s): %(text)s")
                % {"side": action.get_side_display(), "text": action.description},
                choices=Action.Status.choices,
                initial=action.status,
            )

    def goal_statuses(self) -> dict[int, tuple[str, str]]:
        d = self.cleaned_data
        return {g.pk: (d[f"goal_{g.pk}"], d.get(f"goal_{g.pk}_comment", "")) for g in self.goals}

    def action_statuses(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"action_{a.pk}"] for a in self.actions}


class AmendmentForm(VersionedForm):
    amended_on = TodayDateField(label=_("Data aneksu"))
    reason = forms.CharField(label=_("Powód zmiany"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    main_goal = forms.CharField(label=_("Cel główny"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    period_to = forms.DateField(label=_("Okres obowiązywania do"), widget=DateInput())
    new_goals = forms.CharField(
        label=_("Nowe cele szczegółowe (każdy w osobnym wierszu)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )


class EndForm(VersionedForm):
    end = forms.ChoiceField(label=_("Sposób zakończenia"), choices=Contract.End.choices)
    ended_on = TodayDateField(label=_("Data zakończenia"))
    reason = forms.CharField(label=_("Uzasadnienie"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    welfare_threatened = forms.BooleanField(
        label=_("Zagrożone jest dobro osoby lub dziecka – zawiadomię Sąd Rodzinny i inne służby"), required=False
    )


class MovingAwayForm(VersionedForm):
    since = TodayDateField(label=_("Od kiedy"))
    plan = forms.CharField(
        label=_("Plan rzadszych kontaktów"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DeclarationForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("Rodzic składający oświadczenie"), queryset=None)
    id_card = forms.CharField(label=_("Dowód osobisty: seria i numer"), max_length=12)
    signed_on = TodayDateField(label=_("Data"))
    email = forms.EmailField(label=_("Adres e-mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # A parent: an adult of the family (not a child in foster care, not a minor).
        today = timezone.localdate()
        adults = [m.pk for m in case.client.members.filter(in_foster_care=False) if not m.is_child(today)]
        self.fields["parent"].queryset = case.client.members.filter(pk__in=adults)

    def clean_id_card(self):
        value = self.cleaned_data["id_card"].replace(" ", "").upper()
        if not id_card_ok(value):
            raise forms.ValidationError(_("Nieprawidłowa seria i numer dowodu osobistego (np. ABC123456)."))
        return value


class ContractCorrectionForm(EntryForm):
    """The contract's own data a correction may set right (issue 16.1); its goal, period and
    actions change by an amendment, its end by ending it."""

    class Meta:
        model = Contract
        fields = ["drafted_on", "signed_on", "problems", "resources", "limitations", "client_id_document"]
        widgets = {
            "drafted_on": DateInput(),
            "signed_on": DateInput(),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "limitations": forms.Textarea(attrs={"rows": 2}),
        }
