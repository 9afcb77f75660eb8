"""The transition table: every allowed move, every refused one, and each guard's reason."""

import itertools

import pytest
from django.utils import timezone

from cases import services
from cases.models import ReportForm, StageTransition
from cases.procedure import CLOSE_REASONS_BY_STAGE, TRANSITIONS, CloseReason, Move, Stage, refusal
from cases.services import case_change_stage
from mopr.errors import StaleVersionError, TransitionRefused
from mopr.tests.factories import CaseFactory, ContractFactory, DiagnosisFactory, ReportFactory, VisitFactory

ALL_PAIRS = [(a, b) for a, b in itertools.product(Stage, Stage) if a != b]


def _case(org, p, stage, **kw):
    defaults = dict(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=stage)
    if stage == Stage.ZAWIESZENIE:
        defaults["suspended_from"] = Stage.DIAGNOZA
    if stage == Stage.ZAKONCZENIE:
        defaults["social_work_started_at"] = timezone.localdate()
        defaults["close_reason"] = CloseReason.OTHER
    defaults.update(kw)
    case = CaseFactory(**defaults)
    # What the guards of the next moves ask for: the client met (II), a diagnosis (III).
    if stage in (Stage.ROZEZNANIE, Stage.DIAGNOZA, Stage.PRACA_SOCJALNA, Stage.ZAWIESZENIE, Stage.ZAKONCZENIE):
        VisitFactory(case=case)
    if stage in (Stage.DIAGNOZA, Stage.PRACA_SOCJALNA, Stage.ZAWIESZENIE, Stage.ZAKONCZENIE):
        DiagnosisFactory(case=case)
    return case


def _valid_args(case, target):
    """Arguments that satisfy every guard of the move."""
    kwargs = {"reason": "Uzasadnienie ruchu."}
    if target == Stage.ZAKONCZENIE:
        # Any reason the stage allows that needs no document behind it (a diagnosis, a contract).
        kwargs["close_reason"] = CloseReason.OTHER if case.stage != Stage.ZAWIESZENIE else CloseReason.MOVED_OUT
    return kwargs


@pytest.mark.parametrize(("source", "target"), list(TRANSITIONS), ids=lambda s: s.value)
def test_every_allowed_move_succeeds_and_is_logged(org, p, source, target):
    case = _case(org, p, source)
    if source == Stage.ZAWIESZENIE:
        case.suspended_from = target if target != Stage.ZAKONCZENIE else Stage.DIAGNOZA
        case.save()
    version = case.version
    moved = case_change_stage(
        case=case, to=target, by=p.worker_a, expected_version=version, **_valid_args(case, target)
    )
    assert moved.stage == target
    assert moved.version == version + 1
    log = StageTransition.objects.get(case=case, to_stage=target)
    assert (log.from_stage, log.by) == (source, p.worker_a)


@pytest.mark.parametrize(
    ("source", "target"), [pair for pair in ALL_PAIRS if pair not in TRANSITIONS], ids=lambda s: s.value
)
def test_every_move_outside_the_table_is_refused(org, p, source, target):
    case = _case(org, p, source)
    with pytest.raises(TransitionRefused, match="nie jest dozwolone w procedurze"):
        case_change_stage(case=case, to=target, by=p.worker_a, **_valid_args(case, target))
    case.refresh_from_db()
    assert case.stage == source
    assert not StageTransition.objects.filter(case=case).exists()


def test_start_of_rozeznanie_needs_an_accepted_report(org, p):
    case = _case(org, p, Stage.ZGLOSZENIE, accepted_at=None)
    assert "przyjął zgłoszenie" in refusal(Move(case=case, target=Stage.ROZEZNANIE))
    case.worker = None
    assert "przyjął zgłoszenie" in refusal(Move(case=case, target=Stage.ROZEZNANIE))


def test_diagnosis_waits_for_the_verification_of_an_anonymous_report(org, p):
    case = _case(org, p, Stage.ROZEZNANIE)
    report = ReportFactory(case=case, form=ReportForm.PHONE, anonymous=True, reporter_name="", needs_verification=True)
    with pytest.raises(TransitionRefused, match="anonimowe nie zostało jeszcze zweryfikowane"):
        case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a)
    services.report_verify(report=report, by=p.worker_a, note="Potwierdzono podczas wizyty.")
    assert case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a).stage == Stage.DIAGNOZA


@pytest.mark.parametrize(
    "target", [t for (s, t), tr in TRANSITIONS.items() if tr.needs_reason and s == Stage.PRACA_SOCJALNA]
)
def test_side_paths_need_a_reason(org, p, target):
    case = _case(org, p, Stage.PRACA_SOCJALNA)
    kwargs = {"close_reason": CloseReason.CONTRACT_COMPLETED} if target == Stage.ZAKONCZENIE else {}
    with pytest.raises(TransitionRefused, match="Podaj uzasadnienie"):
        case_change_stage(case=case, to=target, by=p.worker_a, reason="   ", **kwargs)


def test_closing_needs_a_close_reason(org, p):
    case = _case(org, p, Stage.ROZEZNANIE)
    with pytest.raises(TransitionRefused, match="Wybierz przyczynę"):
        case_change_stage(case=case, to=Stage.ZAKONCZENIE, by=p.worker_a, reason="Koniec")


@pytest.mark.parametrize(
    ("stage", "reason"),
    [
        (stage, reason)
        for stage, allowed in CLOSE_REASONS_BY_STAGE.items()
        for reason in CloseReason
        if reason not in allowed
    ],
)
def test_close_reason_must_fit_the_stage(org, p, stage, reason):
    """Unfounded only after the diagnosis (III.2), contract completed only from social work (V.1)."""
    case = _case(org, p, stage)
    with pytest.raises(TransitionRefused, match="nie można zakończyć sprawy z przyczyny"):
        services.case_close(case=case, by=p.worker_a, reason=reason, justification="Uzasadnienie")


def test_closing_records_reason_and_reopening_keeps_the_history(org, p):
    case = _case(org, p, Stage.PRACA_SOCJALNA, social_work_started_at=timezone.localdate())
    ContractFactory(case=case, status="ended", end="completed", ended_on=timezone.localdate())
    case = services.case_close(
        case=case, by=p.worker_a, reason=CloseReason.CONTRACT_COMPLETED, justification="Cele osiągnięte."
    )
    assert (case.close_reason, case.close_justification) == (CloseReason.CONTRACT_COMPLETED, "Cele osiągnięte.")
    assert case.closed_at is not None
    case = services.case_reopen(case=case, by=p.worker_a, reason="Efekty się nie utrzymały.")
    assert case.stage == Stage.ROZEZNANIE and case.closed_at is None
    closing = StageTransition.objects.get(case=case, to_stage=Stage.ZAKONCZENIE)
    assert closing.close_reason == CloseReason.CONTRACT_COMPLETED
    assert case.history.filter(stage=Stage.ZAKONCZENIE).exists()


def test_reopening_at_social_work_needs_earlier_social_work(org, p):
    case = _case(org, p, Stage.ZAKONCZENIE, social_work_started_at=None)
    with pytest.raises(TransitionRefused, match="nie prowadzono pracy socjalnej"):
        services.case_reopen(case=case, by=p.worker_a, reason="Powrót", to=Stage.PRACA_SOCJALNA)


def test_suspended_case_resumes_where_it_stopped(org, p):
    case = _case(org, p, Stage.DIAGNOZA)
    case = services.case_suspend(case=case, by=p.worker_a, reason="Pobyt w szpitalu.")
    assert (case.stage, case.suspended_from) == (Stage.ZAWIESZENIE, Stage.DIAGNOZA)
    with pytest.raises(TransitionRefused, match="wraca do etapu"):
        case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a, reason="Powrót")
    case = services.case_resume(case=case, by=p.worker_a, reason="Powrót ze szpitala.")
    assert (case.stage, case.suspended_from) == (Stage.DIAGNOZA, "")


def test_stale_version_is_refused(org, p):
    case = _case(org, p, Stage.ZGLOSZENIE)
    with pytest.raises(StaleVersionError, match="zmieniona przez inną osobę"):
        case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a, expected_version=case.version + 5)


def test_transition_log_is_append_only(org, p):
    from cases.models import AppendOnlyError

    case = _case(org, p, Stage.ZGLOSZENIE)
    case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a)
    log = StageTransition.objects.get(case=case)
    log.reason = "zmiana"
    with pytest.raises(AppendOnlyError):
        log.save()
    with pytest.raises(AppendOnlyError):
        log.delete()


def test_history_names_the_user_also_outside_a_request(org, p):
    case = _case(org, p, Stage.ZGLOSZENIE)
    case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a)
    assert case.history.latest().history_user == p.worker_a


def test_logs_refuse_bulk_changes_too(org, p):
    from mopr.models import AccessLog, AppendOnlyError
    from mopr.services import access_log_write

    case = _case(org, p, Stage.ZGLOSZENIE)
    case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a)
    access_log_write(user=p.auditor_a, action=AccessLog.Action.PRINT, what="Karta", case=case)
    for queryset in (StageTransition.objects.all(), AccessLog.objects.all()):
        with pytest.raises(AppendOnlyError):
            queryset.update(at=None) if queryset.model is StageTransition else queryset.update(what="x")
        with pytest.raises(AppendOnlyError):
            queryset.delete()
    assert StageTransition.objects.count() == 1 and AccessLog.objects.count() == 1
