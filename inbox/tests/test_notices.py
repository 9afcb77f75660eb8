"""Notifications (issue 17.7, and 17.5's "the worker is notified at once"): who is told what,
once, only after the action committed; the inbox, the menu's count and the e-mail digest that
carries case numbers and links only."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assistants import services as assistants
from assistants.models import Assignment, Request
from cases import services
from cases.models import FlagKind, OfficialNote, Visit
from cases.procedure import Stage
from cases.services.transfer import case_move_propose, cases_hand_over
from inbox.models import Notice
from inbox.services import deadline_notices, digest_send
from mopr.errors import DomainError
from mopr.models import Role
from mopr.tests.factories import CaseFactory, UserFactory, VisitFactory
from staffing import services as staffing


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)


@pytest.fixture
def assisted(case, p):
    request = Request.objects.create(
        case=case, path=Request.Path.WORKER, status=Request.Status.APPROVED, requested_by=p.worker_a,
        requested_on=timezone.localdate(), justification="x",
    )  # fmt: skip
    Assignment.objects.create(
        case=case, request=request, assistant=p.assistant_a, assigned_by=p.director_a, qualified_on=timezone.localdate()
    )
    return case


def kinds(user):
    return list(Notice.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_new_assignment_and_a_hand_over_tell_the_worker(org, p, django_capture_on_commit_callbacks):
    waiting = CaseFactory(region=org.region_a1)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(case=waiting, worker=p.worker_a, by=p.coordinator_a)
    notice = Notice.objects.get(recipient=p.worker_a)
    assert notice.kind == "assigned" and waiting.number in notice.text and notice.url == f"/sprawy/{waiting.pk}/"
    services.case_accept(case=waiting, by=p.worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        cases_hand_over(cases=[waiting], to=p.worker_a_2, by=p.coordinator_a, reason="left")
    assert kinds(p.worker_a_2) == ["assigned"]


def test_a_refused_action_tells_nobody(org, p, django_capture_on_commit_callbacks):
    waiting = CaseFactory(region=org.region_a1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.case_assign(case=waiting, worker=p.worker_a2, by=p.coordinator_a)  # not a worker of A1
    assert not Notice.objects.exists()


def test_the_assistants_urgent_note_flag_and_notification_reach_the_worker_and_substitute(
    assisted, p, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    staffing.cover_set(
        by=p.coordinator_a, absent=p.worker_a, substitute=p.worker_a2, starts_on=today, ends_on=today, reason="sick"
    )
    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_write(
            case=assisted, by=p.assistant_a, note=OfficialNote(written_on=today, content="Ojciec pijany, dzieci same.")
        )
        services.flag_add(
            case=assisted, by=p.assistant_a, kind=FlagKind.CHILD_ABUSE, started_on=today, started_by="asystent"
        )
    assert note.author == p.assistant_a
    for user in (p.worker_a, p.worker_a2):
        assert kinds(user) == ["urgent", "urgent"]
    texts = list(Notice.objects.filter(recipient=p.worker_a).values_list("text", flat=True))
    assert all(assisted.number in t for t in texts) and not any("pijany" in t for t in texts)
    # The worker's own note tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        services.note_write(case=assisted, by=p.worker_a, note=OfficialNote(written_on=today, content="Wizyta."))
    assert Notice.objects.filter(recipient=p.worker_a).count() == 2


def test_the_assistant_may_not_do_the_workers_entries(assisted, p):
    from mopr.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.visit_record(
            case=assisted, by=p.assistant_a, visit=Visit(visited_at=timezone.now(), outcome=Visit.Outcome.MET)
        )
    with pytest.raises(NotAllowed):
        services.case_suspend(case=assisted, by=p.assistant_a, reason="x")


def test_a_cover_and_a_move_are_told(org, p, case, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    coordinator_a2 = UserFactory(institution=org.inst_a, roles=[(Role.COORDINATOR, org.region_a2)])
    with django_capture_on_commit_callbacks(execute=True):
        staffing.cover_set(
            by=p.coordinator_a, absent=p.worker_a, substitute=p.worker_a_2, starts_on=today, ends_on=today,
            reason="leave",
        )  # fmt: skip
        case_move_propose(case=case, to_region=org.region_a2, by=p.coordinator_a, note="ul. Łódzka 5")
    assert kinds(p.worker_a_2) == ["cover"]
    assert kinds(coordinator_a2) == ["move"]
    assert kinds(p.coordinator_a) == []


def test_the_request_chain_tells_who_it_waits_for(case, p, org, django_capture_on_commit_callbacks):
    org.inst_a.assistant_needs_head_opinion = True
    org.inst_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        request = assistants.request_by_worker(
            case=case, by=p.worker_a, justification="Zaniedbania", consent_on=timezone.localdate()
        )
    assert kinds(p.head_a) == ["opinion"] and kinds(p.director_a) == []
    with django_capture_on_commit_callbacks(execute=True):
        assistants.request_give_opinion(request=request, by=p.head_a, positive=True, comment="")
    assert kinds(p.director_a) == ["decision"]
    with django_capture_on_commit_callbacks(execute=True):
        assistants.request_decide(request=request, by=p.director_a, approve=True, comment="")
    assert kinds(p.worker_a) == ["decided"]
    assert "zatwierdzony" in Notice.objects.get(recipient=p.worker_a).text


def test_deadline_notices_once_each_and_to_the_coordinator_when_the_worker_left(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    # A visit without the child a month ago: the repeat visit is overdue.
    VisitFactory(case=case, author=p.worker_a, outcome=Visit.Outcome.CHILD_ABSENT,
                 visited_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    assert deadline_notices() >= 1
    assert "deadline_passed" in kinds(p.worker_a)
    before = Notice.objects.count()
    assert deadline_notices() == 0 and Notice.objects.count() == before  # the next night: nothing new
    p.worker_a.is_active = False
    p.worker_a.save()
    Notice.objects.all().delete()
    deadline_notices()
    assert "deadline_passed" in kinds(p.coordinator_a) and kinds(p.worker_a) == []


def test_the_digest_carries_numbers_and_links_never_names(case, p, settings):
    settings.SITE_URL = "https://mopr.intranet"
    p.worker_a.email, p.worker_a.email_digest = "anna@example.org", True
    p.worker_a.save()
    Notice.objects.create(recipient=p.worker_a, kind="urgent", case=case, text=f"Sprawa {case.number}: Kowalski",
                          url=f"/sprawy/{case.pk}/")  # fmt: skip
    Notice.objects.create(recipient=p.worker_a_2, kind="assigned", case=case, text="x")  # did not ask for e-mail
    assert digest_send() == 1
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert case.number in message.body and f"https://mopr.intranet/sprawy/{case.pk}/" in message.body
    assert "Kowalski" not in message.body and case.client.head.last_name not in message.body
    assert digest_send() == 0  # each notice e-mailed once


def test_the_inbox_page_the_menu_count_and_opening_a_notice(client, case, p):
    notice = Notice.objects.create(
        recipient=p.worker_a, kind="assigned", case=case, text="Nowa", url=f"/sprawy/{case.pk}/"
    )
    other = Notice.objects.create(recipient=p.worker_a_2, kind="assigned", case=case, text="Cudze")
    client.force_login(p.worker_a)
    page = client.get(reverse("inbox:list")).content.decode()
    assert "Nowa" in page and "Cudze" not in page and '1<span class="visually-hidden"> nieprzeczytanych' in page
    assert client.get(reverse("inbox:open", args=[notice.pk])).url == f"/sprawy/{case.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.get(reverse("inbox:open", args=[other.pk])).status_code == 404
    client.post(reverse("inbox:digest"), {"email_digest": "on"})
    p.worker_a.refresh_from_db()
    assert p.worker_a.email_digest


def test_the_daily_command(case, p, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("notices_daily", "--no-email")
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("notices_daily")


def test_the_assistants_change_of_situation_reaches_the_worker(assisted, p, django_capture_on_commit_callbacks):
    from assistants.models import ChangeReport

    assignment = Assignment.objects.get(case=assisted)
    with django_capture_on_commit_callbacks(execute=True):
        assistants.change_report_write(
            assignment=assignment, by=p.assistant_a,
            change=ChangeReport(learnt_on=timezone.localdate(), change="Ojciec stracił pracę."),
        )  # fmt: skip
    [notice] = Notice.objects.filter(recipient=p.worker_a)
    assert notice.kind == "urgent" and "zmianę sytuacji rodziny" in notice.text
