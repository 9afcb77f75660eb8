"""The statistics' figure of the refusing environments (seed 003; registers/statistics.py)."""

from __future__ import annotations

from django.db.models import Q

from refusals.models import RefusalMonitoring
from registers.statistics import Figure, register

SECTION = "Środowiska odmawiające pomocy"


def _monitored(cases, period):
    rows = RefusalMonitoring.objects.filter(case__in=cases, refused_on__lte=period.end).filter(
        Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=period.start_at)
    )
    return rows.values("case_id").distinct().count()


def _begun(cases, period):
    rows = RefusalMonitoring.objects.filter(case__in=cases, refused_on__gte=period.start, refused_on__lte=period.end)
    return rows.values("case_id").distinct().count()


register(
    Figure("monitoring_families", SECTION, "Środowiska objęte monitoringiem w okresie",
           "Sprawy z odmową przyjęcia pomocy odnotowaną (monitoring, procedura odmowy) najpóźniej w ostatnim dniu "
           "okresu i niezakończone przed jego początkiem.", _monitored, 50),
    Figure("monitoring_begun", SECTION, "Odmowy pomocy odnotowane w okresie",
           "Sprawy z datą odmowy pomocy w okresie.", _begun, 51),
)  # fmt: skip
