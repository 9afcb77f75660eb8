"""End to end through the services: intake, routing, assignment, acceptance, stages."""

import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, ReportForm, StageTransition, TargetGroup
from cases.procedure import CloseReason, Stage
from mopr.errors import DomainError, NotAllowed, TransitionRefused


def _report(**kw):
    data = dict(
        received_at=timezone.now() - datetime.timedelta(hours=1),
        form=ReportForm.PHONE,
        reporter_name="Maria Wiśniewska",
        content="Dzieci same w domu.",
    )
    data.update(kw)
    return services.ReportData(**data)


def _client(p, org, street="Szeroka"):
    return services.client_create(
        institution=org.inst_a,
        by=p.worker_a,
        kind="family",
        address=services.AddressData(city="Toruń", street=street, house_number="5"),
        members=[services.MemberData(first_name="Łucja", last_name="Żółkiewska", pesel="44051401359")],
    )


def test_report_by_own_worker_is_taken_at_once(p, org):
    report = services.report_register(
        by=p.worker_a,
        client=_client(p, org),
        region=org.region_a1,
        target_group=TargetGroup.FAMILY_WITH_CHILDREN,
        report=_report(),
    )
    case = report.case
    assert case.worker == p.worker_a and case.accepted_at is not None
    assert case.number.startswith("RPŚ-1/") and case.stage == Stage.ZGLOSZENIE
    services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a)
    case.refresh_from_db()
    assert case.stage == Stage.ROZEZNANIE
    assert StageTransition.objects.filter(case=case).count() == 2


def test_report_outside_region_goes_to_coordinator(p, org):
    report = services.report_register(
        by=p.worker_a2, client=_client(p, org), region=org.region_a1, target_group=TargetGroup.ELDERLY, report=_report()
    )
    case = report.case
    assert case.worker is None
    services.case_assign(case=case, worker=p.worker_a, by=p.coordinator_a, expected_version=case.version)
    case.refresh_from_db()
    assert case.transferred_at and case.accepted_at is None
    # Not accepted yet: the access policy refuses the move before the procedure is asked.
    with pytest.raises(NotAllowed, match="przyjmij zgłoszenie"):
        services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a)
    services.case_accept(case=case, by=p.worker_a)
    services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a)


def test_close_needs_reason(p, org):
    report = services.report_register(
        by=p.worker_a, client=_client(p, org), region=org.region_a1, target_group=TargetGroup.ELDERLY, report=_report()
    )
    case = services.case_change_stage(case=report.case, to=Stage.ROZEZNANIE, by=p.worker_a)
    with pytest.raises(TransitionRefused):
        services.case_close(case=case, by=p.worker_a, reason=CloseReason.REFUSAL, justification="")
    with pytest.raises(TransitionRefused):
        services.case_close(case=case, by=p.worker_a, reason=CloseReason.CONTRACT_COMPLETED, justification="x")
    case = services.case_close(
        case=case, by=p.worker_a, reason=CloseReason.MOVED_OUT, justification="Wyprowadzka do Gdańska"
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.ZAKONCZENIE


def test_benefits_worker_cannot_be_assigned(p, org):
    report = services.report_register(
        by=p.first_contact_a,
        client=_client(p, org),
        region=org.region_a1,
        target_group=TargetGroup.ELDERLY,
        report=_report(),
    )
    assert report.case.worker is None
    with pytest.raises(DomainError):
        services.case_assign(case=report.case, worker=p.benefits_a, by=p.coordinator_a, expected_version=1)
