"""Each role's start page shows its work (issue 17.6), every number links to the list it counts,
and the panels are registered by their apps (``mopr/start.py``)."""

import datetime
import re
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from assistants.models import Assignment, PeriodicAssessment, Request
from cases.models import Visit
from cases.procedure import Stage
from mopr import start
from mopr.models import AccessLog
from mopr.tests.factories import CaseFactory, VisitFactory, force_login_verified
from mopr.tests.project import own_apps


@pytest.fixture
def overdue_case(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    VisitFactory(case=case, author=p.worker_a, outcome=Visit.Outcome.CHILD_ABSENT,
                 visited_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    return case


def home(client, user) -> str:
    force_login_verified(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def panels_of(client, user) -> list[str]:
    force_login_verified(client, user)
    return [panel.key for panel, _ in client.get(reverse("home")).context["panels"]]


def test_the_worker_sees_what_needs_action_today_this_week_and_new_cases(client, org, p, overdue_case):
    waiting = CaseFactory(region=org.region_a1, worker=p.worker_a)
    page = home(client, p.worker_a)
    today = re.search(r'id="h-due-now".*?</ul>', page, re.S).group(0)
    assert overdue_case.number in today and "po terminie" in today
    assert f'href="{reverse("cases:deadlines")}"' in today
    new = re.search(r'id="h-new".*?</section>', page, re.S).group(0)
    assert waiting.number in new


def test_the_coordinator_sees_the_queue_overdue_and_staffing_with_links(client, org, p, overdue_case):
    CaseFactory(region=org.region_a1)  # waiting for a worker
    page = home(client, p.coordinator_a)
    assert f'<a href="{reverse("cases:queue")}">1</a>' in page
    overdue = re.search(r'id="h-overdue".*?</section>', page, re.S).group(0)
    assert '?status=otwarte&amp;overdue=tak">1</a>' in overdue
    assert f"worker={p.worker_a.pk}" in overdue
    assert "Zastępstwa i przekazania" in page
    assert panels_of(client, p.coordinator_a)[:3] == ["queue", "coordination", "overdue"]


def test_the_assistant_sees_their_families_and_what_is_due(client, org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    request = Request.objects.create(case=case, path="worker", status="approved", requested_by=p.worker_a,
                                     requested_on=timezone.localdate(), justification="x")  # fmt: skip
    assignment = Assignment.objects.create(case=case, request=request, assistant=p.assistant_a,
                                           assigned_by=p.director_a, qualified_on=timezone.localdate())  # fmt: skip
    page = home(client, p.assistant_a)
    families = re.search(r'id="h-families".*?</section>', page, re.S).group(0)
    assert reverse("assistants:assignment", args=[assignment.pk]) in families
    assert "Wizyta asystenta w rodzinie" in families or "Pierwsza wspólna wizyta" in families


def test_the_head_and_the_director_see_what_waits_for_them(client, org, p):
    org.inst_a.assistant_needs_head_opinion = True
    org.inst_a.save()
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    request = Request.objects.create(case=case, path="worker", status="opinion", requested_by=p.worker_a,
                                     requested_on=timezone.localdate(), justification="x")  # fmt: skip
    head = home(client, p.head_a)
    assert "Do zaopiniowania" in head and reverse("assistants:request", args=[request.pk]) in head
    request.status = "approved"
    request.save()
    assignment = Assignment.objects.create(case=case, request=request, assistant=p.assistant_a,
                                           assigned_by=p.director_a, qualified_on=timezone.localdate())  # fmt: skip
    PeriodicAssessment.objects.create(assignment=assignment, author=p.assistant_a, assessed_on=timezone.localdate(),
                                      assessment="Poprawa")  # fmt: skip
    director = home(client, p.director_a)
    assessments = re.search(r'id="h-assessments".*?</section>', director, re.S).group(0)
    assert reverse("assistants:assignment", args=[assignment.pk]) in assessments
    stages = re.search(r'id="h-stages".*?</section>', director, re.S).group(0)
    assert f'{reverse("registers:register")}?stage=praca_socjalna">1<' in stages


def test_the_director_opens_terminy(client, p, overdue_case):
    force_login_verified(client, p.director_a)
    page = client.get(reverse("cases:deadlines"))
    assert page.status_code == 200 and overdue_case.number in page.content.decode()
    assert "Najpilniejsze sprawy ośrodka" in page.content.decode()


def test_the_auditor_searches_and_sees_their_recent_prints(client, org, p, overdue_case):
    AccessLog.objects.create(user=p.auditor_a, institution=org.inst_a, action=AccessLog.Action.PRINT,
                             case=overdue_case, what="Karta Pracy Socjalnej")  # fmt: skip
    page = home(client, p.auditor_a)
    assert 'role="search"' in page and reverse("cases:list") in page
    assert "Karta Pracy Socjalnej" in page and reverse("cases:detail", args=[overdue_case.pk]) in page


def test_the_panels_come_from_their_apps_and_the_core_names_none():
    keys = {panel.key: panel for panel in start.panels()}
    by_app = {panel.context.__module__.split(".")[0] for panel in keys.values()}
    assert by_app == {"cases", "staffing", "assistants", "registers", "mopr"}
    for panel in keys.values():
        get_template(panel.template)  # every template exists
    root = Path(__file__).resolve().parents[2]
    for module in ("mopr/start.py", "mopr/views.py"):
        text = (root / module).read_text(encoding="utf-8")
        for other in (app.label for app in own_apps() if app.label != "mopr"):
            assert f"from {other}" not in text and f"import {other}" not in text, (module, other)
