"""Karta Pracy Socjalnej (Załącznik 1 of Zarządzenie 30/2023), assembled from what the case
already holds – never typed again. A read: a fixed number of queries whatever the entries.

Sections: client data; 1. the report; 2. the transfer; 3. the client's situation, each piece
with its source; 4. diagnosis and assessment; 5. remarks and conclusions (the decisions and
their reasons); 6. further actions, in date order. Every entry carries its date, its author and
a place for the author's signature (the form's footnote). Which kind of entry stands in which
section is the kind's own declaration (``cases/timeline.py``), so every app's entries reach it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.models import Case, CaseTransfer, ClientMember, Diagnosis, Report
from cases.selectors import Assignment, case_transfers, first_assignment
from cases.timeline import Section, TimelineItem, case_timeline, items_in


@dataclass
class Karta:
    case: Case
    members: list[ClientMember]
    reports: list[Report]
    situation: list[TimelineItem]
    diagnoses: list[Diagnosis]
    first: Assignment  # section 2: the first transfer and acceptance
    handovers: list[TimelineItem]  # section 2 continued: every later hand (issue 17.2–3)
    conclusions: list[TimelineItem]
    actions: list[TimelineItem]


def karta_assemble(*, case: Case) -> Karta:
    timeline = case_timeline(case=case)
    transfers = case_transfers(case=case)
    return Karta(
        case=case,
        members=list(case.client.members.order_by("-is_head", "birth_date", "pk")),
        reports=list(case.reports.select_related("received_by", "verified_by").order_by("received_at", "pk")),
        situation=items_in(timeline, Section.SITUATION),
        diagnoses=list(case.diagnoses.select_related("author").order_by("diagnosed_on", "pk")),
        first=first_assignment(case=case, transfers=transfers),
        handovers=[i for i in items_in(timeline, Section.TRANSFER) if isinstance(i.obj, CaseTransfer)],
        conclusions=items_in(timeline, Section.CONCLUSIONS),
        actions=items_in(timeline, Section.ACTIONS),
    )
