"""Karta Pracy Socjalnej (Załącznik 1 of Zarządzenie 30/2023), assembled from what the case
already holds – never typed again. A read: a fixed number of queries whatever the entries.

Sections: client data; 1. the report; 2. the transfer; 3. the client's situation, each piece
with its source; 4. diagnosis and assessment; 5. remarks and conclusions (the decision and
its reason); 6. further actions, in date order. Every entry carries its date and author.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.models import Case, ClientMember, Diagnosis, Notification, Report
from cases.selectors import TimelineItem, case_timeline

# Section 3 is what was learnt about the situation (and from where); section 6 what was done.
SITUATION_KINDS = frozenset({"visit", "document_review", "contact", "parent_apart", "child", "note"})
ACTION_KINDS = frozenset({"transition", "summons", "notification", "contract", "flag", "document", "declaration"})


@dataclass
class Karta:
    case: Case
    members: list[ClientMember]
    reports: list[Report]
    situation: list[TimelineItem]
    diagnoses: list[Diagnosis]
    notifications: list[Notification]
    actions: list[TimelineItem]


def karta_assemble(*, case: Case) -> Karta:
    timeline = case_timeline(case=case, kinds=set(SITUATION_KINDS | ACTION_KINDS))
    return Karta(
        case=case,
        members=list(case.client.members.order_by("-is_head", "birth_date", "pk")),
        reports=list(case.reports.select_related("received_by", "verified_by").order_by("received_at", "pk")),
        situation=[i for i in timeline if i.kind in SITUATION_KINDS],
        diagnoses=list(case.diagnoses.select_related("author").order_by("diagnosed_on", "pk")),
        notifications=list(case.notifications.select_related("author").order_by("sent_on", "pk")),
        actions=[i for i in timeline if i.kind in ACTION_KINDS],
    )
