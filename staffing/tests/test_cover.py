"""Absence cover (zastępstwo, issue 17.1): during a cover the substitute does in the absent
worker's cases everything the worker may, every entry says so, and the cover ends by itself."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services, timeline
from cases.models import OfficialNote, StageTransition, Visit
from cases.procedure import Stage
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.policy import Action
from mopr.tests.factories import CaseFactory, force_login_verified
from staffing import services as staffing
from staffing.models import Cover

TODAY = datetime.date.today


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)


def _cover(p, substitute, *, starts=0, ends=5, by=None):
    today = timezone.localdate()
    return staffing.cover_set(
        by=by or p.coordinator_a,
        absent=p.worker_a,
        substitute=substitute,
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=today + datetime.timedelta(days=ends),
        reason="sick",
    )


def _visit(case, by):
    return services.visit_record(
        case=case,
        by=by,
        visit=Visit(visited_at=timezone.now() - datetime.timedelta(hours=1), outcome=Visit.Outcome.MET, findings="x"),
    )


def test_without_a_cover_a_colleague_may_not_write(case, p):
    assert not policy.case_allows(p.worker_a_2, case, Action.WRITE)
    with pytest.raises(NotAllowed, match="lub jego zastępca"):
        _visit(case, p.worker_a_2)


@pytest.mark.parametrize("substitute", ["worker_a_2", "worker_a2"])
def test_the_substitute_does_what_the_worker_may_and_each_entry_says_so(case, p, substitute):
    who = getattr(p, substitute)  # a colleague of the region, or of another region of the centre
    _cover(p, who)
    for action in (Action.VIEW, Action.WRITE, Action.TRANSITION, Action.NOTE, Action.ALERT):
        assert policy.case_allows(who, case, action), action
    visit = _visit(case, who)
    assert visit.author == who and visit.covering_for == p.worker_a
    services.case_suspend(case=case, by=who, reason="Pobyt w szpitalu")
    assert StageTransition.objects.filter(case=case).latest("at").covering_for == p.worker_a
    items = timeline.case_timeline(case=case)
    marked = [i.author for i in items if i.obj == visit]
    assert marked == [f"{who} (w zastępstwie za {p.worker_a})"]
    # The absent worker's own entries are not marked.
    note = services.note_write(case=case, by=p.worker_a, note=OfficialNote(written_on=TODAY(), content="Wróciłam"))
    assert note.covering_for is None


def test_the_cases_and_deadlines_appear_in_the_substitutes_lists(case, p):
    assert not selectors.worker_covered_cases(user=p.worker_a2).exists()
    _cover(p, p.worker_a2)
    assert list(selectors.worker_covered_cases(user=p.worker_a2)) == [case]
    assert case in selectors.open_cases_with_deadlines(user=p.worker_a2)
    assert case in policy.cases_visible_to(p.worker_a2)


def test_the_substitute_accepts_a_report_assigned_to_the_absent_worker(org, p):
    waiting = CaseFactory(region=org.region_a1, worker=p.worker_a)
    _cover(p, p.worker_a_2)
    assert waiting in selectors.worker_new_reports(user=p.worker_a_2)
    services.case_accept(case=waiting, by=p.worker_a_2)
    waiting.refresh_from_db()
    assert waiting.accepted_at is not None and waiting.worker == p.worker_a


def test_a_cover_begins_and_ends_by_itself(case, p, org):
    today = timezone.localdate()
    ended = Cover.objects.create(
        institution=org.inst_a, absent=p.worker_a, substitute=p.worker_a_2, set_by=p.coordinator_a,
        starts_on=today - datetime.timedelta(days=10), ends_on=today - datetime.timedelta(days=1), reason="leave",
    )  # fmt: skip
    assert not policy.case_allows(p.worker_a_2, case, Action.WRITE)
    assert case not in policy.cases_visible_to(p.worker_a2)
    ended.delete()
    _cover(p, p.worker_a2, starts=3, ends=6)  # planned: no effect yet
    assert not policy.case_is_visible(p.worker_a2, case)
    assert case not in policy.cases_visible_to(p.worker_a2)
    # On the days of the cover it runs, the day after it no longer does.
    covers = policy.covers_in_force
    assert covers(today + datetime.timedelta(days=3)).filter(substitute=p.worker_a2).exists()
    assert covers(today + datetime.timedelta(days=6)).filter(substitute=p.worker_a2).exists()
    assert not covers(today + datetime.timedelta(days=7)).filter(substitute=p.worker_a2).exists()


@pytest.mark.parametrize("who", ["coordinator_a", "worker_a", "director_a", "head_a"])
def test_who_may_set_a_cover(p, who):
    cover = _cover(p, p.worker_a2, by=getattr(p, who))
    assert cover.set_by == getattr(p, who)
    assert cover.history.count() == 1


@pytest.mark.parametrize("who", ["worker_a_2", "worker_a2", "coordinator_b", "auditor_a", "assistant_a", "benefits_a"])
def test_who_may_not_set_a_cover(p, who):
    with pytest.raises(NotAllowed):
        _cover(p, p.worker_a2, by=getattr(p, who))
    assert not Cover.objects.exists()


def test_the_form_choices_are_the_policys(p):
    assert list(policy.workers_coverable_by(p.worker_a)) == [p.worker_a]
    assert set(policy.workers_coverable_by(p.coordinator_a)) == {p.worker_a, p.worker_a_2, p.benefits_a}
    assert not policy.workers_coverable_by(p.auditor_a).exists()
    for worker in policy.workers_coverable_by(p.coordinator_a):
        assert policy.user_may_set_cover(p.coordinator_a, worker)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"substitute": "auditor_a"}, "substitute", "aktywny pracownik socjalny"),
        ({"substitute": "benefits_a"}, "substitute", "aktywny pracownik socjalny"),
        ({"substitute": "outsider"}, "substitute", "aktywny pracownik socjalny"),
        ({"substitute": "worker_a"}, "substitute", "aktywny pracownik socjalny"),
        ({"starts": 5, "ends": 2}, "ends_on", "wcześniejszy"),
        ({"starts": -10, "ends": -1}, "ends_on", "już się skończyło"),
        ({"ends": 400}, "ends_on", "najwyżej rok"),
    ],
)
def test_a_wrong_cover_is_refused_at_its_field(p, change, field, message):
    substitute = getattr(p, change.pop("substitute", "worker_a_2"))
    with pytest.raises(DomainError, match=message) as refused:
        _cover(p, substitute, **change)
    assert refused.value.field == field
    assert not Cover.objects.exists()


def test_two_covers_of_one_absence_are_refused(p):
    _cover(p, p.worker_a_2, starts=0, ends=5)
    with pytest.raises(DomainError, match="ma już zastępstwo") as refused:
        _cover(p, p.worker_a2, starts=5, ends=8)
    assert refused.value.field == "starts_on"
    _cover(p, p.worker_a2, starts=6, ends=8)  # the day after: fine


def test_an_absent_worker_does_not_stand_in(p, org):
    today = timezone.localdate()
    staffing.cover_set(
        by=p.coordinator_a, absent=p.worker_a_2, substitute=p.worker_a2, starts_on=today, ends_on=today, reason="leave"
    )
    with pytest.raises(DomainError, match="sam\\(a\\) ma zastępstwo"):
        _cover(p, p.worker_a_2)


def test_ending_a_cover_early_keeps_its_history(case, p):
    cover = _cover(p, p.worker_a_2, starts=-2, ends=5)  # a sick leave recorded two days late
    assert policy.case_allows(p.worker_a_2, case, Action.WRITE)
    p.worker_a_2.__dict__.pop("_mopr_covering")
    staffing.cover_end(cover=cover, by=p.worker_a, version=cover.version)
    cover.refresh_from_db()
    assert cover.ends_on == timezone.localdate() - datetime.timedelta(days=1) and cover.cancelled_at is None
    assert not policy.case_allows(p.worker_a_2, case, Action.WRITE)
    assert cover.history.count() == 2
    with pytest.raises(DomainError, match="już się zakończyło"):
        staffing.cover_end(cover=cover, by=p.worker_a)


def test_a_planned_cover_is_cancelled_and_a_stale_form_refused(p):
    cover = _cover(p, p.worker_a_2, starts=3, ends=5)
    with pytest.raises(DomainError, match="w międzyczasie"):
        staffing.cover_end(cover=cover, by=p.coordinator_a, version=cover.version + 1)
    with pytest.raises(NotAllowed):
        staffing.cover_end(cover=cover, by=p.worker_a2)
    staffing.cover_end(cover=cover, by=p.coordinator_a, version=cover.version)
    cover.refresh_from_db()
    assert cover.cancelled_at is not None and cover.cancelled_by == p.coordinator_a


def test_the_covers_page_sets_a_cover_and_shows_a_refusal_at_the_field(client, p):
    force_login_verified(client, p.coordinator_a)
    url = reverse("staffing:covers")
    today = timezone.localdate()
    data = {
        "absent": p.worker_a.pk,
        "substitute": p.worker_a2.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=4)).isoformat(),
        "reason": "leave",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "substitute": p.worker_a_2.pk})
    assert again.status_code == 200
    assert "ma już zastępstwo" in again.context["form"].errors["starts_on"][0]
    page = client.get(url)
    assert page.status_code == 200 and "Zakończ teraz" in page.content.decode()
    assert Cover.objects.count() == 1


def test_the_substitutes_start_page_and_case_page_say_so(client, case, p):
    _cover(p, p.worker_a2)
    client.force_login(p.worker_a2)
    home = client.get(reverse("home")).content.decode()
    assert "Sprawy w zastępstwie" in home and case.number in home
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Działasz w zastępstwie za" in detail
    assert reverse("cases:entry_add", args=[case.pk, "wizyta"]) in detail


def test_the_substitutes_declaration_request_and_monitoring_say_so_too(case, p):
    """Every record of a case a substitute writes carries the mark, in whichever app."""
    from assistants import services as assistants
    from contracts import services as contracts
    from mopr.tests.factories import MemberFactory
    from refusals.services import monitoring_open

    _cover(p, p.worker_a2)
    MemberFactory(client=case.client, is_head=False, relation="child", in_foster_care=True)
    declaration = contracts.declaration_record(
        case=case, by=p.worker_a2, parent=case.client.head, id_card="ABA300000", signed_on=TODAY()
    )
    assert declaration.covering_for == p.worker_a
    case.stage = Stage.PRACA_SOCJALNA
    case.save()
    request = assistants.request_by_worker(case=case, by=p.worker_a2, justification="Zaniedbania", consent_on=TODAY())
    assert request.covering_for == p.worker_a
    other = CaseFactory(region=case.region, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    monitoring = monitoring_open(
        case=other, by=p.worker_a2, refused_on=TODAY(), statement_taken=True, leaflet_left=True,
        note_to_director="Rodzina odmawia pomocy.", note_written_on=TODAY(),
    )  # fmt: skip
    assert monitoring.covering_for == p.worker_a
