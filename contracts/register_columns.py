"""The register's contract column (registers/columns.py): the date of the latest signed contract."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from registers.columns import Column, register


def _signed_on():
    signed = Contract.objects.filter(case=OuterRef("pk"), signed_on__isnull=False).order_by("-signed_on")
    return Subquery(signed.values("signed_on")[:1])


def _day(name: str, label, lookup: str):
    def make(user):
        import django_filters

        from cases.forms import DateInput

        return django_filters.DateFilter(label=label, field_name=name, lookup_expr=lookup, widget=DateInput())

    return make


register(
    Column(
        "kontrakt",
        _("Kontrakt socjalny"),
        lambda c: c.contract_signed_on,
        90,
        fields=("contract_signed_on",),
        annotations={"contract_signed_on": _signed_on},
        filters=(
            ("contract_from", _day("contract_signed_on", _("Kontrakt od"), "gte")),
            ("contract_to", _day("contract_signed_on", _("Kontrakt do"), "lte")),
        ),
    )
)
