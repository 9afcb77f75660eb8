"""The kind of entry of ``imports`` in a case's timeline (the registry: ``cases/timeline.py``):
``imported`` – the case was carried over from the centre's earlier records (issue 19.4), under
which identifier and from which file, by whom. The auditor reading the karta sees why its report
is older than the system."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.timeline import EntryKind, Query, Section, TimelineItem, register
from imports.models import ImportedRecord


def _imported(q: Query):
    for record in ImportedRecord.objects.filter(case=q.case).select_related("import_file__uploaded_by").order_by():
        text = _("Identyfikator w poprzednim systemie: %(id)s; plik importu: %(file)s.") % {
            "id": record.external_id,
            "file": record.import_file.name,
        }
        yield TimelineItem(
            record.imported_at, "imported", _("Sprawa przeniesiona z poprzedniego systemu"), text,
            record.import_file.uploaded_by, record,
        )  # fmt: skip


register(
    # The earlier system's identifier is a record number, as the case number is: kept.
    EntryKind("imported", gettext_lazy("Import z poprzedniego systemu"), Section.REPORT, _imported,
              not_personal={ImportedRecord: ("external_id",)}),
)  # fmt: skip
