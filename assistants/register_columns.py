"""The register's family-assistant column (registers/columns.py): an assistant works with the family now."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from assistants.models import Assignment
from registers.columns import Column, register


def _has_assistant():
    return Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_on__isnull=True))


def _filter(user):
    from registers.forms import YesNoFilter

    return YesNoFilter(label=_("Asystent rodziny"), field_name="has_assistant")


register(
    Column(
        "asystent",
        _("Asystent rodziny"),
        lambda c: c.has_assistant,
        110,
        narrow=True,
        fields=("has_assistant",),
        annotations={"has_assistant": _has_assistant},
        filters=(("has_assistant", _filter),),
    )
)
