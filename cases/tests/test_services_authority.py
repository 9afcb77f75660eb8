"""Issue 14.7: the services are the authority. Called directly – as a view that forgot to ask
would call them – every writing service of cases and contracts asks mopr/policy.py whether the
actor may do it, and refuses (NotAllowed) before anything is saved.

The attack recorded a visit as a user of another institution and as the read-only auditor."""

import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.models import CaseFlag, FlagKind, OfficialNote, Report, Visit
from cases.procedure import Stage
from contracts import services as contracts
from contracts.models import Contract, Declaration, Evaluation
from mopr.errors import NotAllowed
from mopr.tests.factories import CaseFactory, ContractFactory, MemberFactory, ReportFactory

# Everyone who may see the case (or not) but is not its responsible worker.
INTRUDERS = ["worker_a_2", "worker_a2", "coordinator_a", "head_a", "director_a", "auditor_a", "assistant_a",
             "first_contact_a", "benefits_a", "outsider"]  # fmt: skip


@pytest.fixture
def case(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    MemberFactory(client=case.client, is_head=False, relation="child", in_foster_care=True)
    return case


def _now():
    return timezone.now() - datetime.timedelta(hours=1)


WRITES = {
    "visit_record": lambda case, by: services.visit_record(
        case=case, by=by, visit=Visit(visited_at=_now(), outcome=Visit.Outcome.MET, findings="x")
    ),
    "note_write": lambda case, by: services.note_write(
        case=case, by=by, note=OfficialNote(written_on=timezone.localdate(), content="x")
    ),
    "flag_add": lambda case, by: services.flag_add(
        case=case, by=by, kind=FlagKind.NIEBIESKA_KARTA, started_on=timezone.localdate(), started_by="Policja"
    ),
    "case_change_stage": lambda case, by: services.case_change_stage(
        case=case, to=Stage.ZAWIESZENIE, by=by, reason="Pobyt w szpitalu"
    ),
    "case_start_moving_away": lambda case, by: services.case_start_moving_away(
        case=case, by=by, since=timezone.localdate(), plan="Raz w miesiącu"
    ),
    "client_update": lambda case, by: services.client_update(
        client=case.client,
        by=by,
        kind="family",
        address=services.AddressData(city="Toruń"),
        version=case.client.version,
    ),
    "member_add": lambda case, by: services.member_add(
        client=case.client, by=by, data=services.MemberData(first_name="Ola", last_name="Nowak", relation="child")
    ),
    "member_update": lambda case, by: services.member_update(
        member=case.client.members.first(),
        by=by,
        data=services.MemberData(first_name="Ala", last_name="Nowak"),
        version=case.client.members.first().version,
    ),
    "declaration_record": lambda case, by: contracts.declaration_record(
        case=case, by=by, parent=case.client.head, id_card="ABA300000", signed_on=timezone.localdate()
    ),
    "contract_evaluate": lambda case, by: contracts.contract_evaluate(
        contract=ContractFactory(case=case),
        by=by,
        evaluated_on=timezone.localdate(),
        summary="x",
        with_client=True,
        goal_statuses={},
        action_statuses={},
    ),
    "contract_end": lambda case, by: contracts.contract_end(
        contract=ContractFactory(case=case),
        by=by,
        end=Contract.End.MUTUAL,
        ended_on=timezone.localdate(),
        reason="Porozumienie",
    ),
}
CREATED = {
    "visit_record": Visit,
    "note_write": OfficialNote,
    "flag_add": CaseFlag,
    "declaration_record": Declaration,
    "contract_evaluate": Evaluation,
}


# What the policy lets others write (issue 17.1): the coordinator's supervision note.
ALSO_ALLOWED = {("coordinator_a", "note_write")}


@pytest.mark.parametrize(
    ("intruder", "service"),
    [(who, what) for who in INTRUDERS for what in sorted(WRITES) if (who, what) not in ALSO_ALLOWED],
)
def test_only_the_responsible_worker_writes_in_a_case(case, p, service, intruder):
    before = {model: model.objects.count() for model in CREATED.values()}
    version, client_version = case.version, case.client.version
    with pytest.raises(NotAllowed):
        WRITES[service](case, getattr(p, intruder))
    assert {model: model.objects.count() for model in CREATED.values()} == before
    case.refresh_from_db()
    case.client.refresh_from_db()
    assert (case.version, case.client.version, case.stage) == (version, client_version, Stage.ROZEZNANIE)


def test_the_responsible_worker_still_writes(case, p):
    WRITES["visit_record"](case, p.worker_a)
    assert Visit.objects.filter(case=case).count() == 1


def test_the_coordinator_writes_a_supervision_note(case, p):
    WRITES["note_write"](case, p.coordinator_a)
    note = OfficialNote.objects.get(case=case)
    assert note.author == p.coordinator_a and note.covering_for is None


@pytest.mark.parametrize("intruder", ["worker_a", "worker_a2", "auditor_a", "outsider", "director_a"])
def test_only_the_regions_coordinator_assigns(org, p, intruder):
    case = CaseFactory(region=org.region_a1)
    with pytest.raises(NotAllowed):
        services.case_assign(case=case, worker=p.worker_a, by=getattr(p, intruder))
    case.refresh_from_db()
    assert case.worker is None


@pytest.mark.parametrize("intruder", ["worker_a_2", "coordinator_a", "auditor_a", "outsider"])
def test_only_the_assigned_worker_accepts_and_verifies(org, p, intruder):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a)
    report = ReportFactory(case=case, form="phone", reporter_name="", anonymous=True, needs_verification=True)
    with pytest.raises(NotAllowed):
        services.case_accept(case=case, by=getattr(p, intruder))
    services.case_accept(case=case, by=p.worker_a)
    with pytest.raises(NotAllowed):
        services.report_verify(report=report, by=getattr(p, intruder), note="Sprawdzono na miejscu.")
    assert Report.objects.get(pk=report.pk).verified_at is None


@pytest.mark.parametrize("who", ["auditor_a", "head_a", "director_a", "assistant_a"])
def test_roles_that_take_no_reports_register_none_and_create_no_clients(org, p, who):
    user = getattr(p, who)
    with pytest.raises(NotAllowed):
        services.client_create(
            institution=org.inst_a, by=user, kind="person", address=services.AddressData(city="Toruń"),
            members=[services.MemberData(first_name="Jan", last_name="Kos")],
        )  # fmt: skip
    client = MemberFactory(client__institution=org.inst_a).client
    with pytest.raises(NotAllowed):
        services.report_register(
            by=user, client=client, region=org.region_a1, target_group="family_children",
            report=services.ReportData(received_at=_now(), form="phone", content="x", reporter_name="Ktoś"),
        )  # fmt: skip
    assert not client.cases.exists()


def test_no_client_is_created_in_another_institution(org, p):
    with pytest.raises(NotAllowed):
        services.client_create(
            institution=org.inst_b, by=p.worker_a, kind="person", address=services.AddressData(city="Łask"),
            members=[services.MemberData(first_name="Jan", last_name="Kos")],
        )  # fmt: skip
