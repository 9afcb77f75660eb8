"""The access policy at the level of records: which cases each role sees and what it may do."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cases.procedure import Stage
from mopr import policy
from mopr.models import Role
from mopr.policy import Action
from mopr.tests.factories import CaseFactory, UserFactory


@pytest.fixture
def cases(org, p):
    return {
        "a1": CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE),
        "a1_queue": CaseFactory(region=org.region_a1),
        "a2": CaseFactory(region=org.region_a2, worker=p.worker_a2, accepted_at=timezone.now()),
        "b1": CaseFactory(region=org.region_b1, worker=p.outsider, accepted_at=timezone.now()),
    }


VISIBLE = {
    "worker_a": {"a1", "a1_queue"},
    "worker_a_2": {"a1", "a1_queue"},
    "worker_a2": {"a2"},
    "coordinator_a": {"a1", "a1_queue"},
    "head_a": {"a1", "a1_queue", "a2"},
    "director_a": {"a1", "a1_queue", "a2"},
    "auditor_a": {"a1", "a1_queue", "a2"},
    "assistant_a": set(),  # until a family is assigned to them
    "first_contact_a": set(),
    "benefits_a": set(),  # never case files, even with a social-worker role (seed 001)
    "outsider": {"b1"},
    "coordinator_b": {"b1"},
}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_cases_visible_to(p, cases, persona):
    user = getattr(p, persona)
    visible = set(policy.cases_visible_to(user).values_list("pk", flat=True))
    assert visible == {cases[k].pk for k in VISIBLE[persona]}
    for key, case in cases.items():
        assert policy.case_is_visible(user, case) == (key in VISIBLE[persona]), key


ALLOWED_ON_A1 = {
    "worker_a": {
        Action.VIEW,
        Action.PRINT,
        Action.WRITE,
        Action.TRANSITION,
        Action.VERIFY,
        Action.NOTE,
        Action.ALERT,
    },
    "worker_a_2": {Action.VIEW, Action.PRINT},
    # Supervision (issue 17.1): the coordinator assigns and writes an official note, nothing else.
    "coordinator_a": {Action.VIEW, Action.PRINT, Action.ASSIGN, Action.NOTE},
    "head_a": {Action.VIEW, Action.PRINT},
    "director_a": {Action.VIEW, Action.PRINT},
    "auditor_a": {Action.VIEW, Action.PRINT},
}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_actions_on_a_case(p, cases, persona):
    user = getattr(p, persona)
    allowed = {a for a in Action if policy.case_allows(user, cases["a1"], a)}
    assert allowed == ALLOWED_ON_A1.get(persona, set())


def test_case_get_for_hides_existence_and_explains_refusal(p, cases):
    with pytest.raises(Http404):
        policy.case_get_for(p.outsider, cases["a1"].pk)
    with pytest.raises(Http404):
        policy.case_get_for(p.worker_a, "not-a-number")
    with pytest.raises(PermissionDenied, match="tylko pracownik socjalny prowadzący"):
        policy.case_get_for(p.worker_a_2, cases["a1"].pk, Action.WRITE)


def test_assigned_worker_accepts_before_writing(p, org):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a)
    assert policy.case_allows(p.worker_a, case, Action.ACCEPT)
    assert not policy.case_allows(p.worker_a, case, Action.WRITE)


def test_benefits_worker_is_never_assignable(org, p):
    assignable = set(policy.workers_assignable_in(org.region_a1))
    assert assignable == {p.worker_a, p.worker_a_2}
    assert not policy.user_runs_social_work(p.benefits_a)


def test_inactive_worker_is_not_assignable(org, p):
    p.worker_a_2.is_active = False
    p.worker_a_2.save()
    assert p.worker_a_2 not in policy.workers_assignable_in(org.region_a1)


def test_a_user_with_several_roles_gets_the_union(org):
    user = UserFactory(
        institution=org.inst_a, roles=[(Role.SOCIAL_WORKER, org.region_a1), (Role.COORDINATOR, org.region_a2)]
    )
    queue_a2 = CaseFactory(region=org.region_a2)
    assert policy.case_allows(user, queue_a2, Action.ASSIGN)
    assert policy.regions_coordinated_by(user) == {org.region_a2.pk}


def test_anonymous_sees_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.cases_visible_to(AnonymousUser()).exists()
    assert not policy.user_may_register_reports(AnonymousUser())


def test_role_checks_live_in_the_policy():
    """Issue 14.7: "may this user …" is answered in mopr/policy.py only. Code elsewhere asks the
    policy's named predicates; reading a user's roles or testing them there is refused here, so
    a new page cannot grow a check of its own. (Role values used as data – choices, the demo's
    users, a column's label – are not checks and stay where they are.)"""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    checks = re.compile(
        r"roles_of\(|\.has\(Role\.|\.has\(policy\.Role\.|region_ids\(|INSTITUTION_READERS|DIRECTING_ROLES"
        r"|institution_roles"
    )
    allowed = {
        "mopr/policy.py",
        "mopr/context_processors.py",  # the roles' names beside the user's name in the menu
    }
    offenders = []
    for path in sorted(root.glob("*/**/*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "static/")) or "/tests/" in rel or "/migrations/" in rel or rel in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if checks.search(line):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, "Role checks outside mopr/policy.py:\n" + "\n".join(offenders)
