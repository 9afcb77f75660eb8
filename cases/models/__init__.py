"""The models of cases, split by topic: the case itself (core), stage II (rozeznanie),
the diagnosis and what every stage uses (entries)."""

from cases.models.core import (
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
    Case,
    CaseFlag,
    CaseNumberCounter,
    Client,
    ClientMember,
    FlagKind,
    Relation,
    Report,
    ReportForm,
    StageTransition,
    TargetGroup,
)
from cases.models.corrections import Correction
from cases.models.deadlines import DeadlineSummary
from cases.models.entries import CaseDocument, Diagnosis, OfficialNote, ProblemArea
from cases.models.rozeznanie import (
    ChildObservation,
    DocumentReview,
    Entry,
    InstitutionContact,
    Notification,
    ParentApartInfo,
    Summons,
    Visit,
)

__all__ = [
    "AppendOnlyError",
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "Case",
    "CaseDocument",
    "CaseFlag",
    "CaseNumberCounter",
    "ChildObservation",
    "Client",
    "ClientMember",
    "Correction",
    "DeadlineSummary",
    "Diagnosis",
    "DocumentReview",
    "Entry",
    "FlagKind",
    "InstitutionContact",
    "Notification",
    "OfficialNote",
    "ParentApartInfo",
    "ProblemArea",
    "Relation",
    "Report",
    "ReportForm",
    "StageTransition",
    "Summons",
    "TargetGroup",
    "Visit",
]
