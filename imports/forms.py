from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plik z klientami i sprawami (CSV albo XLSX)"),
        help_text=_("Wypełniony wzór: jeden wiersz na osobę; osoby jednej rodziny mają ten sam identyfikator."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
