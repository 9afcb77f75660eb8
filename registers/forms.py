"""The register's filters (every column, date ranges, open/closed) and its sort."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from cases.selectors import search_condition
from registers import columns
from registers.selectors import regions_for_filter, workers_for_filter

YES_NO = [("", _("wszystkie")), ("tak", _("tak")), ("nie", _("nie"))]


class YesNoFilter(django_filters.ChoiceFilter):
    """tak / nie / (empty) on an annotated boolean column."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO[1:])
        kwargs.setdefault("empty_label", _("wszystkie"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("tak", "nie"):
            return qs.filter(**{self.field_name: value == "tak"})
        return qs


class LocalDayFilter(django_filters.DateFilter):
    """A day of the calendar against a timestamp column, as the bounds of that day in the local
    time zone – ``reported_at >= 00:00 of the day`` (``since``) or ``< 00:00 of the next day`` –
    so the register's (institution, column, id) index answers it; ``reported_at__date`` would
    read every case. A bound beyond what a timestamp holds (year 1, 9999) filters nothing."""

    def __init__(self, *args, since: bool, **kwargs):
        self.since = since
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        try:
            day = value if self.since else value + datetime.timedelta(days=1)
            bound = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            bound.astimezone(datetime.UTC)  # the database stores UTC: year 1 or 9999 overflow here
        except (OverflowError, ValueError):
            return qs
        lookup = "gte" if self.since else "lt"
        return qs.filter(**{f"{self.field_name}__{lookup}": bound})


class RegisterFilter(django_filters.FilterSet):
    """The search, the region and the worker (the user's own choices), then each column's filters
    (``registers.columns``), then the sort among the sortable columns."""

    q = django_filters.CharFilter(label=_("Szukaj (nazwisko, PESEL, adres, numer)"), method="filter_q")
    region = django_filters.ModelChoiceFilter(label=_("Rejon"), queryset=None, empty_label=_("wszystkie"))
    worker = django_filters.ModelChoiceFilter(label=_("Pracownik"), queryset=None, empty_label=_("wszyscy"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = regions_for_filter(user=user)
        self.filters["worker"].queryset = workers_for_filter(user=user)
        for name, column_filter in columns.filters(user):
            column_filter.parent = self
            column_filter.model = self._meta.model
            self.filters[name] = column_filter
        sortable = [c for c in columns.all_columns() if c.order]
        choices = []
        for column in sortable:
            choices.append((column.key, _("%(column)s – rosnąco") % {"column": column.title}))
            choices.append((f"-{column.key}", _("%(column)s – malejąco") % {"column": column.title}))
        self.filters["sort"] = django_filters.ChoiceFilter(
            label=_("Sortuj"), method="filter_noop", empty_label=_("numer sprawy"), choices=choices
        )
        self.filters["sort"].parent = self

    def filter_q(self, qs, name, value):
        from cases.models import Case

        return qs.filter(pk__in=Case.objects.filter(search_condition(value)).values("pk")) if value.strip() else qs

    def filter_noop(self, qs, name, value):
        # Applied by the view: the sort chooses the order.
        return qs

    @property
    def ordering(self) -> tuple[str, ...]:
        value = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else ""
        orderings = columns.orderings()
        return orderings.get(value or "numer", orderings["numer"])

    @property
    def overdue_only(self) -> str:
        return (self.form.cleaned_data.get("overdue") or "") if self.is_bound and self.form.is_valid() else ""

    def describe(self) -> str:
        """The filters applied, in words, for the export log and the printout: labels, not codes."""
        if not self.is_bound or not self.form.is_valid():
            return ""
        parts = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []):
                continue
            field = self.form.fields[name]
            if hasattr(value, "strftime"):
                shown = value.strftime("%d.%m.%Y")
            elif getattr(field, "choices", None) and not hasattr(value, "pk"):
                shown = str(dict(field.choices).get(value, value))
            else:
                shown = str(value)
            parts.append(f"{self.filters[name].label}: {shown}")
        return "; ".join(parts)


class ColumnsForm(forms.Form):
    """Which columns the page shows and the exports write (remembered for the session)."""

    kolumny = forms.MultipleChoiceField(label=_("Kolumny"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kolumny"].choices = [(c.key, c.title) for c in columns.all_columns()]


class StatisticsForm(forms.Form):
    """The period and the scope of the statistics, and the breakdown."""

    MAX_DAYS = 5 * 366

    od = forms.DateField(label=_("Od"), widget=DateInput())
    do = forms.DateField(label=_("Do"), widget=DateInput())
    region = forms.ModelChoiceField(label=_("Rejon"), queryset=None, required=False, empty_label=_("wszystkie"))
    worker = forms.ModelChoiceField(label=_("Pracownik"), queryset=None, required=False, empty_label=_("wszyscy"))
    target_group = forms.ChoiceField(label=_("Grupa docelowa"), required=False)
    problem_area = forms.ChoiceField(label=_("Obszar problemowy"), required=False)
    by = forms.ChoiceField(label=_("Podział według"), required=False)

    def __init__(self, *args, user, **kwargs):
        from cases.models import TargetGroup
        from cases.problem_areas import problem_area_choices
        from registers.statistics import BREAKDOWNS

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_filter(user=user)
        self.fields["worker"].queryset = workers_for_filter(user=user)
        self.fields["target_group"].choices = [("", _("wszystkie")), *TargetGroup.choices]
        areas = problem_area_choices(institution_id=user.institution_id)
        self.fields["problem_area"].choices = [("", _("wszystkie")), *areas]
        self.fields["by"].choices = list(BREAKDOWNS.items())

    def clean(self):
        data = super().clean()
        start, end = data.get("od"), data.get("do")
        if start and end:
            if start > end:
                self.add_error("do", _("Koniec okresu nie może być przed jego początkiem."))
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("do", _("Okres może mieć najwyżej 5 lat."))
        return data
