"""Forms of the organisation's own pages: the access log search and the second factor."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mopr.models import AccessLog


class LoginForm(AuthenticationForm):
    """Django's login form, whose refusal says only what is known: the name or the password does
    not match, or the account is switched off (Django's "enter the correct values" is false for a
    switched-off account; which of the three it is, a login page never says)."""

    error_summary = False  # its one message is the page's own (no "nothing saved" summary)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nie zalogowano: nazwa użytkownika lub hasło się nie zgadza albo konto jest wyłączone. "
            "Wielkość liter ma znaczenie."
        ),
    }

    def get_invalid_login_error(self):
        from django.conf import settings

        limit = settings.AXES_FAILURE_LIMIT
        warning = ngettext(
            "Po %(n)d nieudanej próbie logowanie pod tą nazwą z tego adresu zostanie zablokowane.",
            "Po %(n)d nieudanych próbach logowanie pod tą nazwą z tego adresu zostanie zablokowane.",
            limit,
        ) % {"n": limit}
        return ValidationError(f"{self.error_messages['invalid_login']} {warning}", code="invalid_login")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AccessLogFilter(forms.Form):
    date_from = forms.DateField(label=_("Od dnia"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Do dnia"), required=False, widget=DateInput())
    who = forms.CharField(label=_("Kto (login lub nazwisko)"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Czynność"), required=False, choices=[("", _("wszystkie")), *AccessLog.Action.choices]
    )
    case_number = forms.CharField(label=_("Numer sprawy"), required=False, max_length=40)
    address = forms.GenericIPAddressField(label=_("Adres IP"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Data końcowa jest wcześniejsza niż początkowa."))
        return data


class ClientLookupForm(forms.Form):
    q = forms.CharField(label=_("Osoba: PESEL, nazwisko lub adres"), required=False, max_length=100, strip=True)


class TokenForm(forms.Form):
    """The six digits from the authenticator app."""

    token = forms.RegexField(
        label=_("Kod z aplikacji uwierzytelniającej"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Kod to sześć cyfr z aplikacji."), "required": _("Podaj kod z aplikacji.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class ReplaceTokenForm(TokenForm):
    """A new key for whom has one already: a code of the key in use, then one of the new key."""

    current_token = forms.RegexField(
        label=_("Kod z dotychczasowej aplikacji"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Kod to sześć cyfr z aplikacji."), "required": _("Podaj kod z aplikacji.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
    field_order = ["current_token", "token"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].label = _("Kod z nowej aplikacji")
        self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean_current_token(self) -> str:
        return self.cleaned_data["current_token"].strip()


class DirectoryEntryForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if self.has_error("version"):  # a hidden field's error is not shown at it: say it at the top
            self.add_error(None, _("Formularz jest nieaktualny – otwórz go ponownie i wprowadź zmiany jeszcze raz."))
        return data

    class Meta:
        from mopr.models import DirectoryEntry

        model = DirectoryEntry
        fields = ["kind", "name", "department", "address", "phone", "email", "active"]


# The settings page's sections (issue 19.1): every per-centre term of the procedure, in the order a
# director reads them; each (legend, fields).
INSTITUTION_SECTIONS = [
    (_("Nazwa, adres i kontakt (na pismach i ulotkach)"),
     ["name", "name_genitive", "name_locative", "short_name", "city", "city_locative", "address", "phone", "email"]),
    (_("Podstawa procedury i przypis karty (na załącznikach)"), ["procedure_basis", "karta_footnote"]),
    (_("Terminy procedury"),
     ["contract_deadline_months", "repeat_visit_days", "backdate_confirm_days", "family_change_report_days"]),
    (_("Asystent rodziny: terminy i zatwierdzanie wniosków"),
     ["assistant_approver_title", "assistant_needs_head_opinion", "assistant_first_visit_days", "assistant_plan_months",
      "assistant_visit_interval_days", "assistant_assessment_months", "assistant_monthly_report_day",
      "control_visits_months"]),
    (_("Normy obciążenia"), ["caseload_norm_social_worker", "caseload_norm_benefits_worker"]),
    (_("Bezpieczeństwo i przechowywanie"),
     ["otp_required_roles", "session_idle_minutes", "session_max_hours", "retention_years"]),
]  # fmt: skip

# Bounds a centre may set, each a Polish message at its field (too small a term would make every
# case overdue, too long a session would leave a desk open).
INSTITUTION_BOUNDS = {
    "contract_deadline_months": (1, 12),
    "repeat_visit_days": (1, 60),
    "backdate_confirm_days": (1, 365),
    "family_change_report_days": (1, 60),
    "assistant_first_visit_days": (1, 60),
    "assistant_plan_months": (1, 12),
    "assistant_visit_interval_days": (1, 90),
    "assistant_assessment_months": (1, 24),
    "assistant_monthly_report_day": (1, 28),
    "control_visits_months": (1, 24),
    "caseload_norm_social_worker": (1, 200),
    "caseload_norm_benefits_worker": (1, 500),
    "session_idle_minutes": (5, 480),
    "session_max_hours": (1, 24),
    "retention_years": (1, 100),
}


class InstitutionSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    otp_required_roles = forms.MultipleChoiceField(
        label=_("Role z obowiązkowym drugim składnikiem (TOTP)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pozostali mogą włączyć drugi składnik sami, na stronie swojego konta."),
    )

    class Meta:
        from mopr.models import Institution

        model = Institution
        fields = [name for _legend, names in INSTITUTION_SECTIONS for name in names]

    def __init__(self, *args, **kwargs):
        from mopr.models import Role

        super().__init__(*args, **kwargs)
        self.fields["otp_required_roles"].choices = Role.choices
        for name, (low, high) in INSTITUTION_BOUNDS.items():
            field = self.fields[name]
            field.widget.attrs.update({"min": low, "max": high, "inputmode": "numeric"})
            field.validators += [MinValueValidator(low, _("Najmniej %(limit_value)s.")),
                                 MaxValueValidator(high, _("Najwięcej %(limit_value)s."))]  # fmt: skip
        for name in ("name", "short_name", "city", "address", "procedure_basis", "karta_footnote",
                     "assistant_approver_title"):  # fmt: skip
            self.fields[name].error_messages["required"] = _("To pole jest wymagane na wydrukach.")

    def clean(self):
        data = super().clean()
        if self.has_error("version"):  # a hidden field's error is not shown at it: say it at the top
            self.add_error(None, _("Formularz jest nieaktualny – otwórz go ponownie i wprowadź zmiany jeszcze raz."))
        return data

    def sections(self):
        """(legend, bound fields) for the template."""
        return [(legend, [self[name] for name in names]) for legend, names in INSTITUTION_SECTIONS]


class StaffNewForm(forms.ModelForm):
    """A new account of the centre: who it is, and the first password the manager hands over."""

    password1 = forms.CharField(
        label=_("Hasło początkowe"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Przekaż je pracownikowi osobiście; zmieni je na stronie „Moje konto”."),
    )
    password2 = forms.CharField(label=_("Powtórz hasło"), widget=forms.PasswordInput(render_value=False))

    class Meta:
        from mopr.models import User

        model = User
        fields = ["username", "first_name", "last_name", "title", "sex", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Hasła się różnią."))
        return data


class StaffRolesForm(forms.Form):
    """The roles of an account: the institution's, and the region roles per region of the centre."""

    centre_roles = forms.MultipleChoiceField(
        label=_("Role w ośrodku"), required=False, widget=forms.CheckboxSelectMultiple
    )
    social_worker = forms.MultipleChoiceField(
        label=_("Pracownik socjalny w rejonach"), required=False, widget=forms.CheckboxSelectMultiple
    )
    coordinator = forms.MultipleChoiceField(
        label=_("Koordynator rejonów"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, regions, **kwargs):
        from mopr.models import Role

        super().__init__(*args, **kwargs)
        self.fields["centre_roles"].choices = [
            (role.value, role.label) for role in Role if role not in Role.region_roles()
        ]
        region_choices = [(str(r.pk), f"{r.code} – {r.name}") for r in regions]
        self.fields["social_worker"].choices = region_choices
        self.fields["coordinator"].choices = region_choices

    def regions(self) -> dict[str, set[int]]:
        from mopr.models import Role

        return {
            Role.SOCIAL_WORKER: {int(pk) for pk in self.cleaned_data["social_worker"]},
            Role.COORDINATOR: {int(pk) for pk in self.cleaned_data["coordinator"]},
        }


class StaffDataForm(forms.ModelForm):
    """Corrects who an account is (a name after marriage, a mistyped e-mail); the login stays."""

    loaded = forms.CharField(widget=forms.HiddenInput)  # services.staff_data_fingerprint at load

    class Meta:
        from mopr.models import User

        model = User
        fields = ["first_name", "last_name", "title", "sex", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
