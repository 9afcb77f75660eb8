"""The statistics' family-assistant figures (registers/statistics.py; docs/statistics.md). Unlike
the register's column (an assistant now), a family counts for every period its assistance met."""

from __future__ import annotations

from assistants.models import Assignment
from registers.statistics import Figure, overlapping, register

SECTION = "Asystent rodziny"


def _assisted(cases, period):
    assignments = Assignment.objects.filter(case__in=cases).filter(overlapping("qualified_on", "ended_on", period))
    return assignments.values("case_id").distinct().count()


def _begun(cases, period):
    assignments = Assignment.objects.filter(
        case__in=cases, qualified_on__gte=period.start, qualified_on__lte=period.end
    )
    return assignments.values("case_id").distinct().count()


def _ended(cases, period):
    assignments = Assignment.objects.filter(case__in=cases, ended_on__gte=period.start, ended_on__lte=period.end)
    return assignments.values("case_id").distinct().count()


register(
    Figure("assistant_families", SECTION, "Rodziny z asystentem rodziny w okresie",
           "Rodziny, którym asystent był przydzielony choćby jeden dzień okresu (od daty zakwalifikowania do daty "
           "zakończenia) – także te, których asysta zakończyła się w okresie.", _assisted, 30),
    Figure("assistant_begun", SECTION, "Rodziny zakwalifikowane do asysty w okresie",
           "Rodziny z datą zakwalifikowania w okresie.", _begun, 31),
    Figure("assistant_ended", SECTION, "Rodziny, których asysta zakończyła się w okresie",
           "Rodziny z datą zakończenia asysty w okresie.", _ended, 32),
)  # fmt: skip
