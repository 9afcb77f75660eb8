"""Forms of the time accounting: the week grid (days × the categories of the worker's job, and the
standard each day was for), the filters, and the range of months of a summary.

The forms check the shape of the input (a number in a cell, a date, a region from the list) and
put a Polish message at the field; the rules (no future day, 0–24 h, at most 24 h a day, who
records) are the service's, whose DomainError the view puts back at the cell or the day.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from cases.models import TargetGroup
from mopr.models import Region
from timesheets.selectors import MAX_MONTHS, categories_of, category_description, hours_text, months_between


class HoursField(forms.Field):
    """Hours in a cell: empty is 0; "7,5" and "7.5" are both seven and a half."""

    default_error_messages = {"invalid": _("Podaj liczbę godzin, np. 7,5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal:
        text = str(value or "").strip().replace("\xa0", "").replace(" ", "").replace(",", ".")
        if not text:
            return Decimal(0)
        if len(text) > 8:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            hours = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not hours.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return hours


def cell_name(day: datetime.date, category: str) -> str:
    return f"h_{day:%Y%m%d}_{category}"


def standard_name(day: datetime.date) -> str:
    return f"s_{day:%Y%m%d}"


def day_label(day: datetime.date) -> str:
    """The day as "poniedziałek 09.03.2026" – lower case, as it follows the category in a cell's label."""
    return f"{formats.date_format(day, 'l').lower()} {formats.date_format(day, 'SHORT_DATE_FORMAT')}"


class WeekForm(forms.Form):
    """A cell per category of the worker's set, and the standard of the day, for every day of the
    week that is not in the future. Only the worker's own set is offered (seed 004)."""

    def __init__(
        self,
        *args,
        days: list[datetime.date],
        editable: set[datetime.date],
        saved: dict,
        category_set: str,
        standards: dict[datetime.date, str] | None = None,
        default_standard: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.days = days
        self.category_set = category_set
        self.categories = categories_of(category_set)
        self.editable = [d for d in days if d in editable]
        self.day_errors: dict[datetime.date, list[str]] = {}
        standards = standards or {}
        for day in self.editable:
            mine = saved.get(day, {})
            self.fields[standard_name(day)] = forms.ChoiceField(
                label=_("Standard pracy, %(day)s") % {"day": day_label(day)},
                choices=[("", _("bez standardu")), *TargetGroup.choices],
                required=False,
                initial=standards.get(day, default_standard if not mine else ""),
                error_messages={"invalid_choice": _("Wybierz standard pracy z listy.")},
            )
            for category in self.categories:
                self.fields[cell_name(day, category)] = HoursField(
                    label=f"{category.value} – {category_description(category.value, category_set)}, {day_label(day)}",
                    initial=hours_text(mine[category.value]) if category.value in mine else "",
                )

    def submitted(self, day: datetime.date) -> bool:
        """Was the day in the form the user sent? (A page loaded yesterday has no cells for today:
        today's entries must not be cleared by it.)"""
        return any(cell_name(day, c) in self.data for c in self.categories)

    def hours_of(self, day: datetime.date) -> dict[str, Decimal]:
        return {c.value: self.cleaned_data[cell_name(day, c)] for c in self.categories}

    def standard_of(self, day: datetime.date) -> str:
        return self.cleaned_data.get(standard_name(day)) or ""

    def add_day_error(self, day: datetime.date, message: str) -> None:
        self.day_errors.setdefault(day, []).append(message)
        dated = formats.date_format(day, "SHORT_DATE_FORMAT") in message
        self.add_error(None, message if dated else f"{day_label(day)}: {message}")


class WeekChoiceForm(forms.Form):
    """Which week to show: any day of it."""

    tydzien = forms.DateField(label=_("Tydzień z dniem"), widget=DateInput())

    def clean_tydzien(self):
        day = self.cleaned_data["tydzien"]
        if not 1900 <= day.year <= 2999:
            raise forms.ValidationError(_("Podaj datę z lat 1900–2999."), code="range")
        return day


class RegionFilterForm(forms.Form):
    rejon = forms.ModelChoiceField(
        label=_("Rejon"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("wszystkie moje rejony"),
        error_messages={"invalid_choice": _("Wybierz rejon z listy.")},
    )

    def __init__(self, *args, regions, whole_institution: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rejon"].queryset = regions
        if whole_institution:
            self.fields["rejon"].empty_label = _("cały ośrodek")


class MonthField(forms.DateField):
    """A month as "2025-03" (what <input type="month"> sends) or "03.2025"; the first day of it."""

    input_formats = ["%Y-%m", "%m.%Y", "%m/%Y"]
    default_error_messages = {"invalid": _("Podaj miesiąc, np. 2025-03.")}
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value):
        month = super().to_python(value)
        if month is not None and not 1900 <= month.year <= 2999:
            raise forms.ValidationError(_("Podaj miesiąc z lat 1900–2999."), code="range")
        return month.replace(day=1) if month else month


class MonthRangeForm(forms.Form):
    """The months of a summary: from ``od`` to ``do`` inclusive (seed 004 reports X–VIII)."""

    od = MonthField(label=_("Od miesiąca"))
    do = MonthField(label=_("Do miesiąca"))

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("od"), cleaned.get("do")
        if first and last:
            if first > last:
                self.add_error("do", _("Miesiąc końcowy nie może być wcześniejszy niż początkowy."))
            elif months_between(first, last) > MAX_MONTHS:
                self.add_error(
                    "do", _("Zestawienie obejmuje najwyżej %(n)s miesiące – skróć okres.") % {"n": MAX_MONTHS}
                )
        return cleaned
