"""The register's filters (every column, date ranges, open/closed) and its sort."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from cases.procedure import CloseReason, Stage
from cases.selectors import search_condition
from registers.selectors import ORDERINGS, regions_for_filter, workers_for_filter

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
    q = django_filters.CharFilter(label=_("Szukaj (nazwisko, PESEL, adres, numer)"), method="filter_q")
    region = django_filters.ModelChoiceFilter(label=_("Rejon"), queryset=None, empty_label=_("wszystkie"))
    worker = django_filters.ModelChoiceFilter(label=_("Pracownik"), queryset=None, empty_label=_("wszyscy"))
    stage = django_filters.ChoiceFilter(label=_("Etap"), choices=Stage.choices, empty_label=_("wszystkie"))
    status = django_filters.ChoiceFilter(
        label=_("Sprawy"), choices=[("otwarte", _("otwarte")), ("zakonczone", _("zakończone"))],
        empty_label=_("wszystkie"), method="filter_status",
    )  # fmt: skip
    has_assistant = YesNoFilter(label=_("Asystent rodziny"))
    niebieska_karta = YesNoFilter(label=_("Niebieska Karta"))
    child_abuse = YesNoFilter(label=_("Krzywdzenie dziecka"))
    foster_care = YesNoFilter(label=_("Dziecko w pieczy"))
    monitoring = django_filters.ChoiceFilter(
        label=_("Monitoring (odmowa)"), choices=YES_NO[1:], empty_label=_("wszystkie"), method="filter_monitoring"
    )
    resigned = django_filters.ChoiceFilter(
        label=_("Rezygnacja z pracy socjalnej"), choices=YES_NO[1:], empty_label=_("wszystkie"),
        method="filter_resigned",
    )  # fmt: skip
    overdue = django_filters.ChoiceFilter(
        label=_("Terminy przekroczone"), choices=YES_NO[1:], empty_label=_("wszystkie"), method="filter_noop"
    )
    reported_from = LocalDayFilter(label=_("Zgłoszenie od"), field_name="reported_at", since=True)
    reported_to = LocalDayFilter(label=_("Zgłoszenie do"), field_name="reported_at", since=False)
    social_work_from = django_filters.DateFilter(
        label=_("Praca socjalna od"), field_name="social_work_started_at", lookup_expr="gte", widget=DateInput()
    )
    social_work_to = django_filters.DateFilter(
        label=_("Praca socjalna do"), field_name="social_work_started_at", lookup_expr="lte", widget=DateInput()
    )
    contract_from = django_filters.DateFilter(
        label=_("Kontrakt od"), field_name="contract_signed_on", lookup_expr="gte", widget=DateInput()
    )
    contract_to = django_filters.DateFilter(
        label=_("Kontrakt do"), field_name="contract_signed_on", lookup_expr="lte", widget=DateInput()
    )
    closed_from = LocalDayFilter(label=_("Zakończenie od"), field_name="closed_at", since=True)
    closed_to = LocalDayFilter(label=_("Zakończenie do"), field_name="closed_at", since=False)
    sort = django_filters.ChoiceFilter(
        label=_("Sortuj"), method="filter_noop", empty_label=_("numer sprawy"),
        choices=[
            ("-zgloszenie", _("zgłoszenie – najnowsze")), ("zgloszenie", _("zgłoszenie – najstarsze")),
            ("klient", _("klient")), ("pracownik", _("pracownik")), ("etap", _("etap")),
            ("-zakonczenie", _("zakończenie – najnowsze")), ("-numer", _("numer malejąco")),
        ],
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = regions_for_filter(user=user)
        self.filters["worker"].queryset = workers_for_filter(user=user)

    def filter_q(self, qs, name, value):
        from cases.models import Case

        return qs.filter(pk__in=Case.objects.filter(search_condition(value)).values("pk")) if value.strip() else qs

    def filter_status(self, qs, name, value):
        if value == "otwarte":
            return qs.exclude(stage=Stage.ZAKONCZENIE)
        if value == "zakonczone":
            return qs.filter(stage=Stage.ZAKONCZENIE)
        return qs

    def filter_monitoring(self, qs, name, value):
        if value in ("tak", "nie"):
            return qs.filter(stage=Stage.MONITORING) if value == "tak" else qs.exclude(stage=Stage.MONITORING)
        return qs

    def filter_resigned(self, qs, name, value):
        resigned = Q(close_reason=CloseReason.REFUSAL) | Q(stage=Stage.MONITORING)
        if value in ("tak", "nie"):
            return qs.filter(resigned) if value == "tak" else qs.exclude(resigned)
        return qs

    def filter_noop(self, qs, name, value):
        # Applied by the view: the sort chooses the order, "overdue" is computed by the deadline engine.
        return qs

    @property
    def ordering(self) -> tuple[str, ...]:
        value = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else ""
        return ORDERINGS.get(value or "numer", ORDERINGS["numer"])

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
