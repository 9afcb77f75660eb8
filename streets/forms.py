"""The forms of the regions' pages: what was typed, its shape checked; the rules (a code free, no
two regions on one number, the file's rows) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from streets.models import StreetRange


class RegionForm(forms.Form):
    code = forms.CharField(label=_("Kod"), max_length=20, help_text=_("Np. RPŚ-4; początek numerów spraw rejonu."))
    name = forms.CharField(label=_("Nazwa"), max_length=120, help_text=_("Np. „RPŚ-4 – Rubinkowo”."))


class StreetRangeForm(forms.Form):
    """A part of a street for a region: the street by its name (from the centre's list), which numbers."""

    street = forms.CharField(
        label=_("Ulica"),
        max_length=200,
        help_text=_("Nazwa z listy ulic ośrodka, np. „Kopernika” lub „ul. Mikołaja Kopernika”."),
        widget=forms.TextInput(attrs={"list": "street-names", "autocomplete": "off"}),
    )
    parity = forms.ChoiceField(label=_("Numery"), choices=StreetRange.Parity.choices, initial=StreetRange.Parity.ALL)
    number_from = forms.IntegerField(label=_("od numeru"), required=False, min_value=1, max_value=100_000)
    number_to = forms.IntegerField(label=_("do numeru"), required=False, min_value=1, max_value=100_000)


class StreetForm(forms.Form):
    name = forms.CharField(label=_("Nazwa ulicy"), max_length=100)


class TerytImportForm(forms.Form):
    gmina_code = forms.RegexField(
        label=_("Kod gminy TERYT"),
        regex=r"^\d{7}$",
        max_length=7,
        error_messages={"invalid": _("Kod gminy TERYT to 7 cyfr: WOJ, POW, GMI i RODZ_GMI, np. 0463011.")},
        help_text=_("WOJ + POW + GMI + RODZ_GMI, np. Toruń: 0463011 (gmina miejska)."),
    )
    file = forms.FileField(
        label=_("Plik ULIC z GUS (CSV lub ZIP)"),
        help_text=_("Rejestr TERYT ULIC (eteryt.stat.gov.pl): plik CSV rozdzielany „;”, może być spakowany ZIP-em."),
    )
