"""Forms of the monitoring of environments that refuse help (seed 003).

They check the shape of the input; the order of the steps, who takes them and the dates'
rules are the services' (refusals/services.py), whose DomainError the view puts
back on the form.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput, VersionedForm, not_in_future
from refusals.models import RefusalMonitoring

PLAN_DATES = 6  # a plan rarely runs longer than half a year of monthly visits
NEXT_DATES = 3


def _text(label, rows: int = 3, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=20000,
        required=required,
        help_text=help_text,
    )


def _date(label, required: bool = True, past_only: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        required=required,
        validators=[not_in_future] if past_only else [],
        help_text=help_text,
        # A step done is usually recorded the day it is done (issue 16.8); a planned date is not.
        initial=timezone.localdate if past_only and required else None,
    )


class DateListMixin:
    """Numbered date fields ``<prefix>_1`` … collected, in the order entered, into one list."""

    def _dates(self, prefix: str, count: int) -> list:
        return [d for i in range(1, count + 1) if (d := self.cleaned_data.get(f"{prefix}_{i}"))]


class OpenForm(forms.Form):
    refused_on = _date(_("Data odmowy przyjęcia pomocy"))
    statement_taken = forms.BooleanField(label=_("Odebrano oświadczenie o rezygnacji z pomocy"), required=False)
    leaflet_left = forms.BooleanField(
        label=_("Pozostawiono ulotkę z danymi kontaktowymi ośrodka (telefon, e-mail, adres)"), required=False
    )
    note_written_on = _date(_("Data notatki służbowej"))
    note_to_director = _text(
        _("Notatka służbowa dla dyrektora lub zastępcy dyrektora"),
        rows=6,
        help_text=_(
            "Opisz sytuację osoby lub rodziny i przedstawioną ofertę pomocy. Jeśli nie odebrano oświadczenia "
            "(np. nie udało się wejść do środowiska), napisz dlaczego."
        ),
    )


class PlanForm(DateListMixin, VersionedForm):
    plan_on = _date(_("Data ustalenia planu działania"))
    contact_close_family = _text(_("Próba nawiązania kontaktu z najbliższą rodziną"), rows=2, required=False)
    contact_neighbours = _text(
        _("Kontakt ze środowiskiem sąsiedzkim lub sołtysem"),
        rows=2,
        required=False,
        help_text=_("Sołtys – gdy osoba lub rodzina mieszka na terenie wsi."),
    )
    contact_health = _text(_("Kontakt z lekarzem rodzinnym lub pielęgniarką środowiskową"), rows=2, required=False)
    contact_organisations = _text(
        _("Kontakt z organizacjami, stowarzyszeniami lub wspólnotami, do których należy osoba"),
        rows=2,
        required=False,
        help_text=_("Np. klub seniora, uniwersytet trzeciego wieku."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, PLAN_DATES + 1):
            self.fields[f"date_{i}"] = _date(
                _("Termin monitoringu %(n)s") % {"n": i},
                required=i == 1,
                past_only=False,
                help_text=_("Co najmniej jeden termin, dzisiejszy lub przyszły; kolejne w porządku dat.")
                if i == 1
                else "",
            )
        # The seed's order: 6a the next monitoring dates, then b–e the contacts to try.
        self.order_fields(["version", "plan_on", *(f"date_{i}" for i in range(1, PLAN_DATES + 1))])

    def clean(self):
        data = super().clean()
        data["dates"] = self._dates("date", PLAN_DATES)
        return data


class DateDoneForm(forms.Form):
    done_on = _date(_("Data monitoringu"))
    outcome = _text(_("Wynik monitoringu"), rows=2)


class ReportForm(VersionedForm):
    report_on = _date(_("Data sprawozdania"))
    report = _text(
        _("Sprawozdanie z rezultatów działań podjętych w środowisku"),
        rows=6,
        help_text=_("Dla dyrektora lub zastępcy dyrektora, po wykonaniu czynności z planu działania."),
    )


class DecisionForm(DateListMixin, VersionedForm):
    decision = forms.ChoiceField(
        label=_("Wspólna decyzja dyrektora (zastępcy) i pracownika socjalnego"),
        choices=RefusalMonitoring.Decision.choices,
        widget=forms.RadioSelect,
    )
    decision_on = _date(_("Data decyzji"))
    decision_note = _text(
        _("Uzasadnienie decyzji"),
        rows=3,
        required=False,
        help_text=_("Wymagane przy wystąpieniu do sądu oraz przy domu pomocy społecznej lub szpitalu."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, NEXT_DATES + 1):
            self.fields[f"next_date_{i}"] = _date(
                _("Kolejny termin monitoringu %(n)s") % {"n": i},
                required=False,
                past_only=False,
                help_text=_("Przy dalszym monitoringu wymagany co najmniej jeden, dzisiejszy lub przyszły.")
                if i == 1
                else "",
            )

    def clean(self):
        data = super().clean()
        data["next_dates"] = self._dates("next_date", NEXT_DATES)
        return data
