"""The register's columns of the case itself (seed 000 VI.3; registers/columns.py says how a column
is declared). The contract's and the family assistant's columns are their apps' own."""

from __future__ import annotations

import django_filters
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.models import CaseFlag, ClientMember, FlagKind, Subcategory, Subgroup, TargetGroup
from cases.problem_areas import latest_problem_areas, names_area, problem_area_choices, problem_area_names
from cases.procedure import CloseReason, Stage
from registers.columns import Column, register

STAGES = dict(Stage.choices)
GROUPS = dict(TargetGroup.choices)
SUBCATEGORIES = dict(Subcategory.choices)
SUBGROUPS = dict(Subgroup.choices)
CLOSE_REASONS = dict(CloseReason.choices)

# "Resigned from social work": closed on refusal, or refusing and monitored (seed 003). Defined here
# once: the column, its filter and the statistics read this.
RESIGNED = Q(close_reason=CloseReason.REFUSAL) | Q(stage=Stage.MONITORING)


def _flag(kind):
    return lambda: Exists(CaseFlag.objects.filter(case=OuterRef("pk"), kind=kind, removed_at__isnull=True))


def _yes_no(name: str, label):
    from registers.forms import YesNoFilter

    return lambda user: YesNoFilter(label=label, field_name=name)


def _day_range(prefix: str, field: str, label_from, label_to, *, timestamp: bool):
    from cases.forms import DateInput
    from registers.forms import LocalDayFilter

    def since(user):
        if timestamp:
            return LocalDayFilter(label=label_from, field_name=field, since=True)
        return django_filters.DateFilter(label=label_from, field_name=field, lookup_expr="gte", widget=DateInput())

    def until(user):
        if timestamp:
            return LocalDayFilter(label=label_to, field_name=field, since=False)
        return django_filters.DateFilter(label=label_to, field_name=field, lookup_expr="lte", widget=DateInput())

    return ((f"{prefix}_from", since), (f"{prefix}_to", until))


def _choice(name: str, label, choices, method=None):
    def make(user):
        kwargs = {"method": method} if method else {"field_name": name}
        return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=_("wszystkie"), **kwargs)

    return make


# --- the problem areas of the latest diagnosis -------------------------------------------------


def _area_names(rows: list) -> None:
    """One query for the names of every area the rows name (of their institutions)."""
    by_institution: dict[int, set[str]] = {}
    for row in rows:
        by_institution.setdefault(row.institution_id, set()).update(row.latest_problem_areas or ())
    names = {i: problem_area_names(institution_id=i, codes=codes) for i, codes in by_institution.items() if codes}
    for row in rows:
        mine = names.get(row.institution_id, {})
        row.problem_area_text = ", ".join(mine.get(code, code) for code in (row.latest_problem_areas or ()))


def _area_filter(user):
    def method(qs, name, value):
        return qs.filter(**names_area("latest_problem_areas", value)) if value else qs

    return django_filters.ChoiceFilter(
        label=_("Obszar problemowy"),
        choices=problem_area_choices(institution_id=user.institution_id),
        empty_label=_("wszystkie"),
        method=method,
    )


def _subgroup_filter(user):
    return django_filters.ChoiceFilter(
        label=_("Podgrupa (OBOP)"),
        choices=Subgroup.choices,
        empty_label=_("wszystkie"),
        method=lambda qs, name, value: qs.filter(target_subgroups__icontains=f'"{value}"') if value else qs,
    )


def _subgroups_text(c) -> str:
    parts = [str(SUBCATEGORIES.get(c.target_subcategory, c.target_subcategory))] if c.target_subcategory else []
    return ", ".join(parts + [str(SUBGROUPS.get(g, g)) for g in c.target_subgroups or ()])


def _status(qs, name, value):
    if value == "otwarte":
        return qs.exclude(stage=Stage.ZAKONCZENIE)
    if value == "zakonczone":
        return qs.filter(stage=Stage.ZAKONCZENIE)
    return qs


def _yes_no_q(condition: Q):
    def method(qs, name, value):
        if value in ("tak", "nie"):
            return qs.filter(condition) if value == "tak" else qs.exclude(condition)
        return qs

    return method


def _noop(qs, name, value):
    # The view applies it: "overdue" is the deadline engine's (registers.selectors.filter_overdue).
    return qs


YES_NO = [("tak", _("tak")), ("nie", _("nie"))]
MONITORING = Q(stage=Stage.MONITORING)


register(
    Column(
        "numer", _("Numer sprawy"), lambda c: c.number, 10, order=("number",),
        html=lambda c: format_html('<a href="{}">{}</a>', reverse("cases:detail", args=[c.pk]), c.number),
    ),
    Column("klient", _("Klient"), lambda c: c.client.display_name, 20, order=("client__search_text",),
           css="register-person"),
    Column("adres", _("Adres"), lambda c: c.client.address, 30, css="register-address"),
    Column("rejon", _("Rejon"), lambda c: c.region.code, 40),
    Column(
        "pracownik", _("Pracownik socjalny"), lambda c: c.worker.get_full_name() if c.worker else "", 50,
        order=("worker__last_name", "worker__first_name"), css="register-person",
    ),
    Column(
        "etap", _("Etap"), lambda c: STAGES.get(c.stage, c.stage), 60, order=("stage",), fields=("stage",),
        css="register-stage",
        filters=(
            ("stage", _choice("stage", _("Etap"), Stage.choices)),
            ("status", _choice("status", _("Sprawy"), [("otwarte", _("otwarte")), ("zakonczone", _("zakończone"))],
                               method=_status)),
        ),
    ),
    Column(
        "grupa", _("Grupa docelowa"), lambda c: GROUPS.get(c.target_group, c.target_group), 62,
        fields=("target_group",), order=("target_group",), css="register-stage",
        filters=(("target_group", _choice("target_group", _("Grupa docelowa"), TargetGroup.choices)),),
    ),
    Column(
        "podgrupy", _("Podkategoria i podgrupy (OBOP)"),
        lambda c: _subgroups_text(c),
        64, fields=("target_subcategory", "target_subgroups"), default=False, css="register-address",
        filters=(
            ("target_subcategory", _choice("target_subcategory", _("Podkategoria (OBOP)"), Subcategory.choices)),
            ("target_subgroup", _subgroup_filter),
        ),
    ),
    Column(
        "obszary", _("Obszary problemowe (ostatnia diagnoza)"), lambda c: c.problem_area_text, 66,
        annotations={"latest_problem_areas": latest_problem_areas}, fields=("latest_problem_areas", "institution_id"),
        prepare=_area_names, default=False, filters=(("problem_area", _area_filter),), css="register-address",
    ),
    Column(
        "zgloszenie", _("Data zgłoszenia"), lambda c: c.reported_at, 70, fields=("reported_at",),
        order=("reported_at",),
        filters=_day_range("reported", "reported_at", _("Zgłoszenie od"), _("Zgłoszenie do"), timestamp=True),
    ),
    Column(
        "praca_socjalna", _("Początek pracy socjalnej"), lambda c: c.social_work_started_at, 80,
        fields=("social_work_started_at",), order=("social_work_started_at",),
        filters=_day_range("social_work", "social_work_started_at", _("Praca socjalna od"), _("Praca socjalna do"),
                           timestamp=False),
    ),
    Column(
        "zakonczenie", _("Data zakończenia"), lambda c: c.closed_at, 100, fields=("closed_at",), order=("closed_at",),
        filters=_day_range("closed", "closed_at", _("Zakończenie od"), _("Zakończenie do"), timestamp=True),
    ),
    Column(
        "przyczyna", _("Przyczyna zakończenia"), lambda c: CLOSE_REASONS.get(c.close_reason, c.close_reason), 105,
        fields=("close_reason",), default=False, css="register-stage",
        filters=(("close_reason", _choice("close_reason", _("Przyczyna zakończenia"), CloseReason.choices)),),
    ),
    Column(
        "niebieska_karta", _("Niebieska Karta"), lambda c: c.niebieska_karta, 120, narrow=True,
        fields=("niebieska_karta",), annotations={"niebieska_karta": _flag(FlagKind.NIEBIESKA_KARTA)},
        filters=(("niebieska_karta", _yes_no("niebieska_karta", _("Niebieska Karta"))),),
    ),
    Column(
        "krzywdzenie", _("Krzywdzenie dziecka"), lambda c: c.child_abuse, 130, narrow=True,
        fields=("child_abuse",), annotations={"child_abuse": _flag(FlagKind.CHILD_ABUSE)},
        filters=(("child_abuse", _yes_no("child_abuse", _("Krzywdzenie dziecka"))),),
    ),
    Column(
        "piecza", _("Dziecko w pieczy zastępczej"), lambda c: c.foster_care, 140, narrow=True,
        fields=("foster_care",),
        annotations={
            "foster_care": lambda: Exists(
                ClientMember.objects.filter(client=OuterRef("client_id"), in_foster_care=True)
            )
        },
        filters=(("foster_care", _yes_no("foster_care", _("Dziecko w pieczy"))),),
    ),
    Column(
        "rezygnacja", _("Rezygnacja z pracy socjalnej"), lambda c: c.resigned, 150, narrow=True,
        fields=("resigned",), annotations={"resigned": lambda: ExpressionWrapper(RESIGNED, BooleanField())},
        filters=(("resigned", _choice("resigned", _("Rezygnacja z pracy socjalnej"), YES_NO,
                                      method=_yes_no_q(RESIGNED))),),
    ),
    Column(
        "monitoring", _("Monitoring (odmowa pomocy)"), lambda c: c.stage == Stage.MONITORING, 160, narrow=True,
        filters=(("monitoring", _choice("monitoring", _("Monitoring (odmowa)"), YES_NO,
                                        method=_yes_no_q(MONITORING))),),
    ),
    Column(
        "terminy", _("Terminy przekroczone"), lambda c: c.overdue, 170, narrow=True,
        html=lambda c: format_html('<span class="badge badge-overdue">{}</span>', "tak") if c.overdue else "",
        filters=(("overdue", _choice("overdue", _("Terminy przekroczone"), YES_NO, method=_noop)),),
    ),
)  # fmt: skip
