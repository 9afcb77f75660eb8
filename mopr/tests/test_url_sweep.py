"""The permission sweep: every URL pattern of the project, requested as every persona.

``EXPECTED`` holds, for each URL name, how to request it and the answer each persona must
get. A URL pattern that is not in the table fails ``test_every_url_is_in_the_sweep``: a new
view cannot be added without deciding who may use it.

Personas (see conftest.py): the responsible worker of the case (region A1), a second worker
of A1, a worker of region A2, the coordinator of A1, the head of department, the director,
the auditor, a family assistant, the first-contact desk, a benefits worker (who also holds a
social-worker role in A1), a worker and a coordinator of another institution, and nobody.
"""

import datetime
import subprocess
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assistants.models import Assignment, ChangeReport, Request, TimeReport, TimeReportLine, WorkPlan
from background.models import Job
from cases import services
from cases.models import (
    Appointment,
    CaseDocument,
    DocumentationTransfer,
    FlagKind,
    Notification,
    ReportForm,
    Summons,
    Visit,
)
from cases.procedure import Stage
from cases.services.appointments import appointment_plan
from cases.services.transfer import case_move_propose
from contracts import services as services_contracts
from imports.models import ImportFile
from inbox.models import Notice
from meetings.models import Inspection, TeamMeeting
from mopr.models import AccessLog, AccessLogSubject, DirectoryEntry, Role
from mopr.tests.factories import PASSWORD, CaseFactory, ContractFactory, MemberFactory, ReportFactory, UserFactory
from mopr.tests.pdfa import pdfa_problems
from refusals.models import MonitoringDate, RefusalMonitoring
from staffing.models import Cover

PERSONAS = [
    "anonymous",
    "worker_a",
    "worker_a_2",
    "worker_a2",
    "coordinator_a",
    "head_a",
    "director_a",
    "auditor_a",
    "assistant_a",
    "first_contact_a",
    "benefits_a",
    "outsider",
    "coordinator_b",
]
LOGGED_IN = PERSONAS[1:]
# Who sees the case of region A1 at all (everyone else gets 404: its existence is not revealed).
# The family assistant sees the family once it is assigned to them (the world assigns it).
SEES_CASE = {"worker_a", "worker_a_2", "coordinator_a", "head_a", "director_a", "auditor_a", "assistant_a"}
INTAKE = {
    "worker_a",
    "worker_a_2",
    "worker_a2",
    "coordinator_a",
    "first_contact_a",
    "benefits_a",
    "outsider",
    "coordinator_b",
}
# The director and the head read the institution's most urgent deadlines (issue 17.6).
DEADLINES = {"worker_a", "worker_a_2", "worker_a2", "coordinator_a", "outsider", "coordinator_b", "assistant_a",
             "director_a", "head_a"}  # fmt: skip
TIME_STAFF = {"worker_a", "worker_a_2", "worker_a2", "coordinator_a", "benefits_a", "outsider", "coordinator_b"}
TIME_READERS = {"head_a", "director_a", "auditor_a"}  # the time summaries of the whole institution
REGISTER = {"coordinator_a", "head_a", "director_a", "auditor_a", "coordinator_b"}
MEETINGS = {
    "worker_a",
    "worker_a_2",
    "worker_a2",
    "coordinator_a",
    "head_a",
    "director_a",
    "auditor_a",
    "outsider",
    "coordinator_b",
}
ACCESS_LOG = {"director_a", "auditor_a"}
COVERS = {"worker_a", "worker_a_2", "worker_a2", "coordinator_a", "head_a", "director_a", "outsider", "coordinator_b"}
INSPECTIONS = {"worker_a", "coordinator_a", "head_a", "director_a", "auditor_a", "coordinator_b"}
CASE_LIST = {
    "worker_a",
    "worker_a_2",
    "worker_a2",
    "coordinator_a",
    "head_a",
    "director_a",
    "auditor_a",
    "outsider",
    "coordinator_b",
}


def case_rule(allowed: dict[str, int], visible_default: int = 403) -> dict[str, int]:
    """Anonymous → login; not visible → 404; visible → ``allowed`` or ``visible_default``."""
    out = {"anonymous": 302}
    for persona in LOGGED_IN:
        out[persona] = allowed.get(persona, visible_default) if persona in SEES_CASE else 404
    return out


def role_rule(allowed: set[str], ok: int = 200, refused: int = 403) -> dict[str, int]:
    return {"anonymous": 302, **{persona: ok if persona in allowed else refused for persona in LOGGED_IN}}


@dataclass
class Spec:
    expected: dict[str, int]
    method: str = "get"
    kwargs: list[str] = field(default_factory=list)  # names of objects in the `world` fixture
    data: dict = field(default_factory=dict)


EXPECTED: dict[str, Spec] = {
    "home": Spec(role_rule(set(LOGGED_IN))),
    "login": Spec({"anonymous": 200, **{persona: 302 for persona in LOGGED_IN}}),
    "logout": Spec({persona: 302 for persona in PERSONAS}, method="post"),
    "password_change": Spec(role_rule(set(LOGGED_IN))),
    "account": Spec(role_rule(set(LOGGED_IN))),
    # Nobody in the sweep has a TOTP key yet: the code page sends them to set one up.
    "otp_verify": Spec(role_rule(set(LOGGED_IN), ok=302)),
    "otp_setup": Spec(role_rule(set(LOGGED_IN))),
    "otp_disable": Spec(role_rule(set(LOGGED_IN), ok=302), method="post"),
    "access_log": Spec(role_rule(ACCESS_LOG)),
    "access_log_client_pdf": Spec(role_rule(ACCESS_LOG), kwargs=["client_pk"]),
    "lockouts": Spec(role_rule({"director_a"})),
    # The centre's settings (issue 19.1): the director (and the system administrator, no persona here).
    "institution_settings": Spec(role_rule({"director_a"})),
    "cases:problem_areas": Spec(role_rule({"director_a"})),
    # The regions and their streets (issue 19.3): the same two roles.
    "streets:regions": Spec(role_rule({"director_a"})),
    "streets:region_new": Spec(role_rule({"director_a"})),
    "streets:region_edit": Spec(role_rule({"director_a"}), kwargs=["pk=region_pk"]),
    "streets:region_ranges": Spec(role_rule({"director_a"}), kwargs=["pk=region_pk"]),
    "streets:teryt_import": Spec(role_rule({"director_a"})),
    # The centre's accounts (issue 19.2): the director (and the system administrator).
    "staff_list": Spec(role_rule({"director_a"})),
    "staff_new": Spec(role_rule({"director_a"})),
    "staff_detail": Spec(
        {"anonymous": 302, **{u: 200 if u == "director_a" else 403 for u in LOGGED_IN}}, kwargs=["pk=worker_pk"]
    ),
    # The import of the existing cases (issue 19.4): who sets the centre up.
    "imports:list": Spec(role_rule({"director_a"})),
    "imports:template": Spec(role_rule({"director_a"}), kwargs=["fmt"]),
    "imports:file": Spec(
        {"anonymous": 302, **{u: 200 if u == "director_a" else 403 for u in LOGGED_IN}}, kwargs=["pk=import_file_pk"]
    ),
    "imports:confirm": Spec(
        {"anonymous": 302, **{u: 302 if u == "director_a" else 403 for u in LOGGED_IN}},
        method="post",
        data={"action": "dry_run"},
        kwargs=["pk=import_file_pk"],
    ),
    "directory": Spec(role_rule({"coordinator_a", "head_a", "director_a", "coordinator_b"})),
    "directory_edit": Spec(
        {
            "anonymous": 302,
            **{
                u: 200 if u in {"coordinator_a", "head_a", "director_a"} else 404 if u == "coordinator_b" else 403
                for u in LOGGED_IN
            },
        },
        kwargs=["pk=directory_pk"],
    ),
    "cases:list": Spec(role_rule(CASE_LIST)),
    "cases:detail": Spec(case_rule({}, visible_default=200), kwargs=["pk"]),
    "cases:transition": Spec(case_rule({"worker_a": 422}), method="post", kwargs=["pk"]),
    "cases:assign": Spec(case_rule({"coordinator_a": 422}), method="post", kwargs=["pk"]),
    # The case was accepted already, so nobody may accept it again.
    "cases:accept": Spec(case_rule({}), method="post", kwargs=["pk"]),
    # Moving a case to another region (issue 17.3): the coordinator of its region proposes (an
    # empty form: back to the case with the message); the other region's coordinator decides.
    "cases:move": Spec(case_rule({"coordinator_a": 302}), method="post", kwargs=["pk"]),
    # The documentation to the new centre: only after a closure for moving out (the world's case is open).
    "cases:documentation_transfer": Spec(case_rule({}), kwargs=["pk"]),
    "cases:documentation_transfer_pdf": Spec(
        case_rule({}, visible_default=200), kwargs=["pk", "transfer_pk=doc_transfer_pk"]
    ),
    # Appointments (issue 17.8): the worker (or their substitute) plans, moves, cancels.
    "cases:appointment_new": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "cases:summons_cancel": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "summons_pk"]),
    "cases:appointment_move": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "appointment_pk"]),
    "cases:appointment_cancel": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "appointment_pk"]),
    "cases:move_decide": Spec(
        {"anonymous": 302, **{u: 302 if u == "coordinator_a" else 404 for u in LOGGED_IN}},
        method="post",
        kwargs=["transfer_pk"],
    ),
    "cases:verify": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "report_pk"]),
    "cases:client_edit": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "cases:target_group": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "cases:member_add": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "cases:member_edit": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "member_pk"]),
    "cases:intake": Spec(role_rule(INTAKE)),
    # A note: the worker, the coordinator (supervision) and the family's assistant (issue 17.1, 17.5).
    "cases:entry_add": Spec(
        case_rule({"worker_a": 200, "coordinator_a": 200, "assistant_a": 200}), kwargs=["pk", "kind"]
    ),
    # Its author and the region's coordinator (issue 16.1).
    "cases:entry_correct": Spec(
        case_rule({"worker_a": 200, "coordinator_a": 200}), kwargs=["pk", "kind=correctable_kind", "entry_pk"]
    ),
    "cases:entry_withdraw": Spec(
        case_rule({"worker_a": 200, "coordinator_a": 200}), kwargs=["pk", "kind=correctable_kind", "entry_pk"]
    ),
    "cases:client_merge": Spec(case_rule({"coordinator_a": 200, "director_a": 200}), kwargs=["pk"]),
    "cases:diagnosis_add": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "cases:flag_add": Spec(case_rule({"worker_a": 200, "assistant_a": 200}), kwargs=["pk"]),
    "cases:flag_remove": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "flag_pk"]),
    "cases:notification_answer": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "notification_pk"]),
    "cases:folder": Spec(case_rule({}, visible_default=200), kwargs=["pk"]),
    "cases:document": Spec(case_rule({}, visible_default=200), kwargs=["pk", "document_pk"]),
    "cases:deadlines": Spec(role_rule(DEADLINES)),
    "cases:karta_pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk"]),
    "cases:karta_preview": Spec(case_rule({}, visible_default=200), kwargs=["pk"]),
    # The case file to hand over (issue 19.5): the worker, the region's coordinator, the director.
    "cases:case_file": Spec(case_rule({"worker_a": 200, "coordinator_a": 200, "director_a": 200}), kwargs=["pk"]),
    "cases:summons_pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk", "summons_pk"]),
    "cases:notification_pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk", "notification_pk"]),
    "cases:report_pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk", "report_pk"]),
    "assistants:request_new": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "path"]),
    "assistants:queue": Spec(role_rule({"head_a", "director_a"})),
    "assistants:request": Spec(case_rule({}, visible_default=200), kwargs=["pk=request_pk"]),
    "assistants:interview": Spec(case_rule({"worker_a": 302}), method="post", kwargs=["pk=request_pk"]),
    "assistants:opinion": Spec(case_rule({}, visible_default=302), method="post", kwargs=["pk=request_pk"]),
    "assistants:decide": Spec(case_rule({}, visible_default=302), method="post", kwargs=["pk=request_pk"]),
    "assistants:assign": Spec(case_rule({}, visible_default=302), method="post", kwargs=["pk=request_pk"]),
    "assistants:reply_pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk=request_pk"]),
    "assistants:mine": Spec(role_rule({"assistant_a"})),
    "assistants:time_report": Spec(role_rule({"assistant_a"})),
    "assistants:authorisations": Spec(role_rule({"director_a"})),
    "assistants:assignment": Spec(case_rule({}, visible_default=200), kwargs=["pk=assignment_pk"]),
    "assistants:letter_pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk=assignment_pk"]),
    "assistants:work_card_pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk=assignment_pk"]),
    "assistants:document_pdf": Spec(
        case_rule({}, visible_default=200), kwargs=["pk=assignment_pk", "kind=plan_kind", "doc_pk=plan_pk"]
    ),
    "assistants:time_report_pdf": Spec(
        {"anonymous": 302, **{u: 200 if u == "assistant_a" else 403 for u in LOGGED_IN}},
        kwargs=["report_pk=time_report_pk"],
    ),
    "assistants:end": Spec(case_rule({"worker_a": 200, "assistant_a": 200}), kwargs=["pk=assignment_pk"]),
    "assistants:work_add": Spec(case_rule({"assistant_a": 200}), kwargs=["pk=assignment_pk", "kind=work_kind"]),
    "assistants:change_close": Spec(case_rule({"worker_a": 200, "assistant_a": 200}), kwargs=["pk=change_pk"]),
    "registers:register": Spec(role_rule(REGISTER)),
    "registers:dashboard": Spec(role_rule(REGISTER)),
    "timesheets:time_week": Spec(role_rule(TIME_STAFF)),
    "timesheets:time_worker_month": Spec(
        {
            "anonymous": 302,
            **{
                u: 200
                if u in {"worker_a", "coordinator_a", "head_a", "director_a", "auditor_a"}
                else 404
                if u in {"outsider", "coordinator_b"}
                else 403
                for u in LOGGED_IN
            },
        },
        kwargs=["user_id=worker_pk", "month"],
    ),
    "timesheets:time_team_month": Spec(
        role_rule({"coordinator_a", "head_a", "director_a", "auditor_a", "coordinator_b"}), kwargs=["month"]
    ),
    "timesheets:time_caseload": Spec(role_rule(TIME_STAFF | {"head_a", "director_a", "auditor_a"})),
    "timesheets:time_summary": Spec(role_rule(TIME_STAFF | TIME_READERS)),
    "timesheets:time_summary_export": Spec(role_rule(TIME_STAFF | TIME_READERS), kwargs=["fmt"]),
    "registers:register_export": Spec(role_rule(REGISTER), kwargs=["fmt"]),
    "registers:statistics": Spec(role_rule(REGISTER)),
    "cases:karta_archive": Spec(role_rule(REGISTER)),
    # Without a period: the form's errors (the page's links always carry one).
    "registers:statistics_export": Spec(role_rule(REGISTER, ok=400), kwargs=["fmt"]),
    "meetings:meetings": Spec(role_rule(MEETINGS)),
    "meetings:meeting_new": Spec(
        {
            "anonymous": 302,
            **{
                u: 200
                if u in {"worker_a", "worker_a_2", "coordinator_a"}
                else 403
                if u in {"head_a", "director_a", "auditor_a"}
                else 404
                for u in LOGGED_IN
            },
        },
        kwargs=["region_pk"],
    ),
    "meetings:meeting": Spec(case_rule({"assistant_a": 404}, visible_default=200), kwargs=["pk=meeting_pk"]),
    "meetings:meeting_pdf": Spec(case_rule({"assistant_a": 404}, visible_default=200), kwargs=["pk=meeting_pk"]),
    "meetings:inspections": Spec(role_rule(INSPECTIONS)),
    # Covers (issue 17.1): a social worker (own leave), the coordinators and the management.
    "staffing:covers": Spec(role_rule(COVERS)),
    "staffing:handover": Spec(role_rule({"coordinator_a", "coordinator_b"})),
    # Notifications (issue 17.7): everyone's own; a notice of worker_a opens only for worker_a.
    "inbox:list": Spec(role_rule(set(LOGGED_IN))),
    # Background work: its requester's only; another's is not found.
    "background:jobs": Spec(role_rule(set(LOGGED_IN))),
    "background:job": Spec(
        {"anonymous": 302, **{u: 200 if u == "director_a" else 404 for u in LOGGED_IN}}, kwargs=["pk=job_pk"]
    ),
    "background:job_download": Spec(
        {"anonymous": 302, **{u: 302 if u == "director_a" else 404 for u in LOGGED_IN}}, kwargs=["pk=job_pk"]
    ),
    "inbox:open": Spec(
        {"anonymous": 302, **{u: 302 if u == "worker_a" else 404 for u in LOGGED_IN}}, kwargs=["pk=notice_pk"]
    ),
    "inbox:read": Spec(role_rule(set(LOGGED_IN), ok=302), method="post"),
    "inbox:digest": Spec(role_rule(set(LOGGED_IN), ok=302), method="post"),
    # A planned cover of worker_a: who sees it ends it; the empty form is refused with a message.
    "staffing:cover_end": Spec(
        {
            "anonymous": 302,
            **{
                u: 302 if u in {"worker_a", "worker_a_2", "coordinator_a", "head_a", "director_a", "auditor_a"} else 404
                for u in LOGGED_IN
            },
        },
        method="post",
        kwargs=["pk=cover_pk"],
    ),
    "meetings:inspection_new": Spec(
        {
            "anonymous": 302,
            **{
                u: 200
                if u in {"coordinator_a", "auditor_a"}
                else 403
                if u in {"worker_a", "worker_a_2", "head_a", "director_a"}
                else 404
                for u in LOGGED_IN
            },
        },
        kwargs=["region_pk"],
    ),
    "meetings:inspection": Spec(
        case_rule({"worker_a_2": 404, "assistant_a": 404}, visible_default=200), kwargs=["pk=inspection_pk"]
    ),
    "meetings:inspection_pdf": Spec(
        case_rule({"worker_a_2": 404, "assistant_a": 404}, visible_default=200), kwargs=["pk=inspection_pk"]
    ),
    "refusals:monitoring_case": Spec(case_rule({}, visible_default=200), kwargs=["pk"]),
    "refusals:monitoring_new": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "refusals:monitoring_plan": Spec(
        case_rule({"head_a": 422, "director_a": 422}), method="post", kwargs=["pk", "monitoring_pk"]
    ),
    "refusals:monitoring_date_done": Spec(
        case_rule({"worker_a": 422}), method="post", kwargs=["pk", "monitoring_pk", "date_pk"]
    ),
    "refusals:monitoring_report": Spec(case_rule({"worker_a": 422}), method="post", kwargs=["pk", "monitoring_pk"]),
    "refusals:monitoring_decide": Spec(
        case_rule({"head_a": 422, "director_a": 422}), method="post", kwargs=["pk", "monitoring_pk"]
    ),
    "refusals:monitoring_queue": Spec(role_rule({"head_a", "director_a"})),
    "refusals:monitoring_pdf": Spec(
        case_rule({}, visible_default=200), kwargs=["pk", "monitoring_pk", "doc=monitoring_doc"]
    ),
    "contracts:new": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "contracts:detail": Spec(case_rule({}, visible_default=200), kwargs=["pk", "contract_pk"]),
    "contracts:sign": Spec(case_rule({"worker_a": 422}), method="post", kwargs=["pk", "contract_pk"]),
    "contracts:evaluate": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "contract_pk"]),
    "contracts:amend": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "contract_pk"]),
    "contracts:end": Spec(case_rule({"worker_a": 200}), kwargs=["pk", "contract_pk"]),
    "contracts:pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk", "contract_pk"]),
    "contracts:declaration_new": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "contracts:declaration_pdf": Spec(case_rule({}, visible_default=200), kwargs=["pk", "declaration_pk"]),
    "contracts:moving_away": Spec(case_rule({"worker_a": 200}), kwargs=["pk"]),
    "cases:queue": Spec(role_rule({"coordinator_a", "coordinator_b"})),
    "cases:retention": Spec(role_rule({"director_a"})),
    # Confirmed with nothing selected: the director is sent back to the list with a message.
    "cases:retention_anonymise": Spec(role_rule({"director_a"}, ok=302), method="post", data={"confirm": "1"}),
}

# The admin site has its own gate (is_staff); none of the personas is staff.
EXCLUDED_NAMESPACES = {"admin"}


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from all_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_sweep():
    missing = set(all_url_names()) - set(EXPECTED)
    assert not missing, f"Views without an entry in the permission sweep: {sorted(missing)}"


@pytest.fixture
def world(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    # Names found nowhere else on a page (the sweep looks for them) and searchable as a person types them.
    case.client.members.update(first_name="Bożena", last_name="Zawadzka")
    member = MemberFactory(client=case.client, is_head=False, relation="child", first_name="Igor", last_name="Zawadzki")
    services.client_refresh_search(client=case.client)
    report = ReportFactory(case=case, form=ReportForm.PHONE, anonymous=True, reporter_name="", needs_verification=True)
    flag = services.flag_add(
        case=case, by=p.worker_a, kind=FlagKind.NIEBIESKA_KARTA, started_on=timezone.localdate(), started_by="Policja"
    )
    notification = services.notification_send(
        case=case,
        by=p.worker_a,
        notification=Notification(
            service=Notification.Service.POLICE,
            service_name="KMP Toruń",
            reason="Brak kontaktu.",
            sent_on=timezone.localdate(),
            sent_how=Notification.SentHow.LETTER,
        ),
    )
    document = services.document_upload(
        case=case,
        by=p.worker_a,
        document=CaseDocument(kind=CaseDocument.Kind.OTHER, description="Skan", document_date=timezone.localdate()),
        upload=SimpleUploadedFile("skan.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    contract = ContractFactory(case=case)
    refused = services.visit_record(
        case=case, by=p.worker_a, visit=Visit(visited_at=timezone.now(), outcome=Visit.Outcome.REFUSED)
    )
    summons = services.summons_issue(
        case=case,
        by=p.worker_a,
        summons=Summons(visit=refused, issued_on=timezone.localdate(), appointment_at=timezone.now()),
    )
    member.in_foster_care = True
    member.save()
    declaration = services_contracts.declaration_record(
        case=case, by=p.worker_a, parent=case.client.head, id_card="ABA300000", signed_on=timezone.localdate()
    )
    assistant_request = Request.objects.create(
        case=case, path=Request.Path.EXTERNAL, status=Request.Status.ORDERED, requested_by=p.worker_a,
        requested_on=timezone.localdate(), justification="x", institution_name="Szkoła Podstawowa nr 5",
        received_on=timezone.localdate(), interview_on=timezone.localdate(), support_justified=True,
        family_wants=True, reply="Rodzina zostanie objęta wsparciem.",
    )  # fmt: skip
    assignment = Assignment.objects.create(
        case=case, request=assistant_request, assistant=p.assistant_a, assigned_by=p.director_a,
        qualified_on=timezone.localdate(),
    )  # fmt: skip
    plan = WorkPlan.objects.create(
        assignment=assignment, author=p.assistant_a, drafted_on=timezone.localdate(), assessment="Ocena", goals="Cele"
    )
    time_report = TimeReport.objects.create(assistant=p.assistant_a, month=timezone.localdate().replace(day=1))
    TimeReportLine.objects.create(report=time_report, assignment=assignment, hours=12)
    change = ChangeReport.objects.create(
        assignment=assignment, author=p.assistant_a, learnt_on=timezone.localdate(), change="Ojciec stracił pracę."
    )
    meeting = TeamMeeting.objects.create(
        region=case.region, held_on=timezone.localdate(), note="Notatka", written_by=p.coordinator_a
    )
    inspection = Inspection.objects.create(
        region=case.region,
        inspected_worker=p.worker_a,
        inspector=p.coordinator_a,
        held_on=timezone.localdate(),
        scope="Akta",
        findings="Bez uwag",
    )
    monitoring = RefusalMonitoring.objects.create(
        case=case,
        refused_on=timezone.localdate(),
        note_to_director="Odmowa.",
        note_written_on=timezone.localdate(),
        author=p.worker_a,
    )
    monitoring_date = MonitoringDate.objects.create(monitoring=monitoring, due_on=timezone.localdate())
    # Planned, not running: a running cover would let worker_a_2 write in worker_a's cases.
    cover = Cover.objects.create(
        institution=org.inst_a, absent=p.worker_a, substitute=p.worker_a_2, set_by=p.coordinator_a,
        starts_on=timezone.localdate() + datetime.timedelta(days=10),
        ends_on=timezone.localdate() + datetime.timedelta(days=20), reason="leave",
    )  # fmt: skip
    # A family of region A2 moving to A1: waits for coordinator_a's decision.
    moving = CaseFactory(region=org.region_a2, worker=p.worker_a2, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    move = case_move_propose(case=moving, to_region=org.region_a1, by=UserFactory(
        username="coordinator_a2", institution=org.inst_a, roles=[(Role.COORDINATOR, org.region_a2)]
    ), note="ul. Szeroka 1")  # fmt: skip
    notice = Notice.objects.create(
        recipient=p.worker_a, kind="assigned", case=case, text="x", url=f"/sprawy/{case.pk}/"
    )
    appointment = appointment_plan(case=case, by=p.worker_a, appointment=Appointment(
        at=timezone.now() + datetime.timedelta(days=2), note="Rozmowa"
    ))  # fmt: skip
    doc_transfer = DocumentationTransfer.objects.create(
        case=case, author=p.worker_a, sent_on=timezone.localdate(), addressee_text="MOPR w Gdańsku",
        new_address="ul. Długa 5, Gdańsk", enclosures="Karta Pracy Socjalnej (kopia)",
    )  # fmt: skip
    job = Job.objects.create(institution=org.inst_a, requested_by=p.director_a, kind="register_export",
                             title="Rejestr CSV: bez filtrów", status=Job.Status.FAILED, error="x")  # fmt: skip
    return {
        "job_pk": job.pk,
        "doc_transfer_pk": doc_transfer.pk,
        "appointment_pk": appointment.pk,
        "notice_pk": notice.pk,
        "cover_pk": cover.pk,
        "transfer_pk": move.pk,
        # What identifies the family on a page: the sweep asks an access-log row of every page showing it.
        "shows_family": [case.client.head.last_name, case.number, member.last_name],
        "head_name": case.client.head.full_name,
        "client_id": case.client_id,
        "worker_pk": p.worker_a.pk,
        "import_file_pk": ImportFile.objects.create(
            institution=org.inst_a, uploaded_by=p.director_a, name="sprawy.csv", file="imports/sprawy.csv", sha256="0"
        ).pk,
        "month": timezone.localdate(),
        "fmt": "csv",
        "region_pk": case.region_id,
        "meeting_pk": meeting.pk,
        "inspection_pk": inspection.pk,
        "monitoring_pk": monitoring.pk,
        "date_pk": monitoring_date.pk,
        "request_pk": assistant_request.pk,
        "assignment_pk": assignment.pk,
        "change_pk": change.pk,
        "plan_pk": plan.pk,
        "plan_kind": "plan",
        "directory_pk": DirectoryEntry.objects.create(
            institution=org.inst_a, kind="family_court", name="Sąd Rejonowy w Toruniu", address="ul. Piekary 51"
        ).pk,
        "monitoring_doc": "notatka",
        "time_report_pk": time_report.pk,
        "path": "pracownik",
        "work_kind": "wizyta",
        "contract_pk": contract.pk,
        "summons_pk": summons.pk,
        "declaration_pk": declaration.pk,
        "pk": case.pk,
        "client_pk": case.client_id,
        "report_pk": report.pk,
        "member_pk": member.pk,
        "kind": "notatka",
        "correctable_kind": "wezwanie",
        "entry_pk": summons.pk,
        "flag_pk": flag.pk,
        "notification_pk": notification.pk,
        "document_pk": document.pk,
    }


# Before the application proper, the start page, and the karta's preview (the printout itself, as HTML).
NO_TRAIL = {"home", "login", "otp_verify", "otp_setup", "logout", "cases:karta_preview"}


def is_html(response) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sweep(client, p, world, name):
    spec = EXPECTED[name]
    # "pk=request_pk" names the URL's keyword and the world's object; "pk" alone is both.
    pairs = [k.split("=") if "=" in k else (k, k) for k in spec.kwargs]
    url = reverse(name, kwargs={url_kw: world[key] for url_kw, key in pairs})
    failures = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            assert client.login(username=persona, password=PASSWORD)
        before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = getattr(client, spec.method)(url, spec.data)
        if response.status_code != spec.expected[persona]:
            failures.append(f"{persona}: {response.status_code} (expected {spec.expected[persona]})")
        elif persona != "anonymous" and _shows_family(response, world) and not _logged(world, before):
            failures.append(f"{persona}: shows the family but wrote no access-log row naming them")
        elif (
            is_html(response)
            and response.status_code == 200
            and persona != "anonymous"
            and name not in NO_TRAIL
            and ('aria-label="Ścieżka"'.encode() not in response.content)
        ):
            failures.append(f"{persona}: a page below the start page without its breadcrumbs")
        elif is_html(response) and b">---------<" in response.content:
            failures.append(f"{persona}: a select offers Django's '---------' instead of the Polish prompt")
        elif response.status_code == 200 and response.get("Content-Type") == "application/pdf" and name not in SCANS:
            # Every printout kind is PDF/A-3b by its structure (issue 15.10): checked once per URL.
            problems = pdfa_problems(b"".join(response.streaming_content) if response.streaming else response.content)
            if problems:
                failures.append(f"{persona}: not PDF/A: {problems}")
    assert not failures, f"{spec.method.upper()} {url}: " + "; ".join(failures)


# Files uploaded into a case folder: served as they came, not printouts of ours.
SCANS = {"cases:document"}


OTHER_INSTITUTION = {"outsider", "coordinator_b"}


def test_sweep_intake_look_ups(client, p, world):
    """The intake's search and the report page of a found client show a person: a row each."""
    head = world["head_name"]
    failures = []
    for persona in sorted(INTAKE):
        client.logout()
        assert client.login(username=persona, password=PASSWORD)
        for params in ({"q": head}, {"klient": world["client_id"]}):
            before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(reverse("cases:intake"), params)
            # The search box shows back what was typed: that is not the family shown.
            response.content = response.content.replace(f'value="{head}"'.encode(), b"")
            if _shows_family(response, world) and not _logged(world, before):
                failures.append(f"{persona} {params}: shows the family but wrote no access-log row naming them")
            elif (
                params.get("q") and persona not in {"outsider", "coordinator_b"} and not _shows_family(response, world)
            ):
                failures.append(f"{persona}: the search by the full name did not find the family")
    assert not failures, "; ".join(failures)


def _shows_family(response, world) -> bool:
    """A page that answered with data and names the family (an HTML page, a CSV), or a file (a PDF,
    an XLSX, a scan: their text is compressed) of a URL about the family."""
    if not (200 <= response.status_code < 300 or response.status_code in (409, 422)):
        return False
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith(("text/html", "text/csv")):
        text = body.decode("utf-8", "replace")
    elif kind == "application/pdf":
        extracted = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True)
        if extracted.returncode != 0:
            return True  # not one of ours (a scan from the case folder): the family's by definition
        text = extracted.stdout.decode()
    elif "spreadsheetml" in kind:
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
        text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    else:
        return True  # a scan from the case folder: it is the family's by definition
    return any(mark in text for mark in world["shows_family"])


def _logged(world, before: int) -> bool:
    rows = AccessLog.objects.filter(pk__gt=before)
    return (
        rows.filter(client_id=world["client_id"]).exists()
        or AccessLogSubject.objects.filter(log__in=rows, client_id=world["client_id"]).exists()
    )


def test_admin_is_closed_to_staff_without_admin_rights(client, p):
    client.login(username="director_a", password=PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
