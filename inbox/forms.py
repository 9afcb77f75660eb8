"""Forms of the inbox."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DigestForm(forms.Form):
    email_digest = forms.BooleanField(
        label=_("Codziennie rano wysyłaj mi e-mailem listę nowych powiadomień (same numery spraw i odnośniki)"),
        required=False,
    )
