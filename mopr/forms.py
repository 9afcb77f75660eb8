"""Forms of the organisation's own pages: the access log search and the second factor."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mopr.models import AccessLog


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
