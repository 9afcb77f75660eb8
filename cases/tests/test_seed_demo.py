"""`manage.py seed_demo`: the demo data covers the whole procedure, is valid, and loads only once."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases import services
from cases.management.commands.seed_demo import PASSWORD
from cases.models import Case, CaseFlag, Client, ClientMember, Report, ReportForm, StageTransition, TargetGroup
from cases.pesel import pesel_birth_date, pesel_checksum_ok
from cases.procedure import CloseReason, Stage
from mopr.errors import DomainError
from mopr.models import Institution, Role, RoleAssignment, User


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Institution, User, RoleAssignment, Client, ClientMember, Case, Report, CaseFlag, StageTransition]
    return {model.__name__: model.objects.count() for model in models} | {"history": Case.history.count()}


@pytest.fixture
def output(db) -> str:
    return seed()


def test_cases_cover_every_stage_and_side_path(output):
    assert 55 <= Case.objects.count() <= 70
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Case.objects.values_list("target_group", flat=True)) == set(TargetGroup.values)
    queue = Case.objects.filter(stage=Stage.ZGLOSZENIE, worker=None)
    assert queue.exists() and queue.filter(urgent=True).count() >= 2
    assert Case.objects.filter(stage=Stage.ZGLOSZENIE, worker__isnull=False, accepted_at=None).exists()
    anonymous = Report.objects.filter(form=ReportForm.ANONYMOUS, needs_verification=True)
    assert anonymous.filter(verified_at=None).exists() and anonymous.exclude(verified_at=None).exists()
    assert Report.objects.filter(form=ReportForm.INSTITUTION).exclude(institution_name="").exists()
    assert CaseFlag.objects.filter(removed_at=None).exists() and CaseFlag.objects.exclude(removed_at=None).exists()
    assert StageTransition.objects.filter(from_stage=Stage.ZAKONCZENIE).exists()  # reopened
    assert StageTransition.objects.filter(from_stage=Stage.ZAWIESZENIE).exclude(to_stage=Stage.ZAKONCZENIE).exists()
    assert len(set(Case.objects.exclude(close_reason="").values_list("close_reason", flat=True))) >= 5
    assert Case.objects.filter(close_reason=CloseReason.UNFOUNDED).exists()


def test_cases_have_a_real_past(output):
    """Built through the services at past moments: numbered per region, with history over months."""
    reported = list(Case.objects.order_by("reported_at").values_list("reported_at", flat=True))
    assert (reported[-1] - reported[0]).days > 120
    for case in Case.objects.all():
        assert case.history.count() >= 1
        stamps = list(case.transitions.values_list("at", flat=True))
        assert stamps == sorted(stamps) and stamps[0] == case.reported_at
    numbers = list(Case.objects.filter(region__code="RPŚ-1").order_by("reported_at").values_list("number", flat=True))
    assert numbers == sorted(numbers)


def test_every_role_has_a_user_who_can_log_in(output):
    for role in Role:
        assert RoleAssignment.objects.filter(role=role).exists(), role
    assert RoleAssignment.objects.filter(role=Role.COORDINATOR, region=None).count() == 0
    assert User.objects.get(username="pracownik1").check_password(PASSWORD)


def test_people_are_valid(output):
    members = ClientMember.objects.all()
    with_pesel = members.exclude(pesel="")
    assert 0 < with_pesel.count() < members.count()  # most, not all
    for member in with_pesel:
        assert pesel_checksum_ok(member.pesel), member.pesel
        assert pesel_birth_date(member.pesel) == member.birth_date
    assert members.filter(in_foster_care=True).exists()
    assert Client.objects.filter(kind=Client.Kind.FAMILY).exists() and Client.objects.filter(kind="person").exists()


def test_output_lists_the_logins(output):
    assert PASSWORD in output and "pracownik1" in output and "koordynator1" in output


def test_second_run_changes_nothing(output):
    before = counts()
    again = seed()
    assert counts() == before
    assert "już" in again and PASSWORD in again and "pracownik1" in again


def test_failure_leaves_nothing(db, monkeypatch):
    def refuse(**kwargs):
        raise DomainError("odmowa")

    monkeypatch.setattr(services, "flag_remove", refuse)
    with pytest.raises(CommandError):
        seed()
    assert not Institution.objects.exists() and not Case.objects.exists() and not User.objects.exists()
