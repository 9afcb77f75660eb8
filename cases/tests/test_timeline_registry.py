"""The registry of the kinds of entry (issue 15.12): every app's entries reach the timeline, the
folder and the karta, and no model with personal text escapes the anonymisation unclassified."""

import datetime

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases import timeline
from cases.models import Case, Client
from cases.services import retention
from mopr.tests.factories import PASSWORD
from mopr.tests.project import own_apps


def _case_data_models() -> set[type[models.Model]]:
    """Every model whose rows belong to a case or a client: a foreign key, directly or through
    another such model (the historical copies of django-simple-history follow their models)."""
    found: set[type[models.Model]] = {Case, Client}
    candidates = [m for app in own_apps() for m in app.get_models() if not m.__name__.startswith("Historical")]
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in found:
                continue
            if any(
                isinstance(f, models.ForeignKey) and f.related_model in found and f.db_constraint
                for f in model._meta.get_fields()
            ):
                found.add(model)
                grew = True
    return found


def _classified() -> dict[type[models.Model], set[str]]:
    seen: dict[type[models.Model], set[str]] = {}
    scrubs = [*timeline.scrubs(), retention.CASE_SCRUB, retention.CLIENT_SCRUB, retention.MEMBER_SCRUB]
    for scrub in scrubs:
        seen.setdefault(scrub.model, set()).update(scrub.text, scrub.clear)
    for kind in timeline.entry_kinds():
        for declared in (kind.not_personal, kind.kept):
            for model, names in declared.items():
                seen.setdefault(model, set()).update(names)
    for model, names in retention.CORE_CLASSIFIED.items():
        seen.setdefault(model, set()).update(names)
    return seen


# Records of the organisation, not of a person's case: the access log (ids and what was looked at)
# and its subjects; time accounting's and meetings' own texts are the staff's.
# A notice carries a fixed sentence with the case number and staff names, never a client's
# (inbox/models.py), and goes with its case (CASCADE).
NOT_CASE_DATA = {"AccessLog", "AccessLogSubject", "Notice"}


def test_every_text_of_a_case_is_classified_for_the_anonymisation():
    classified = _classified()
    missing = []
    for model in sorted(_case_data_models(), key=lambda m: m._meta.label):
        if model.__name__ in NOT_CASE_DATA:
            continue
        for f in model._meta.get_fields():
            text = isinstance(f, (models.CharField, models.TextField, models.FileField)) and not f.choices
            if text and f.name not in classified.get(model, set()):
                missing.append(f"{model._meta.label}.{f.name}")
    assert not missing, (
        "Text of a case that no kind of entry classifies (scrub it, or declare it not_personal / kept): "
        + ", ".join(missing)
    )


def test_every_scrubbed_field_exists():
    for scrub in timeline.scrubs():
        names = {f.name for f in scrub.model._meta.get_fields()}
        assert set(scrub.text) | set(scrub.clear) <= names, scrub.model


def test_every_app_registers_its_own_kinds():
    by_app = {}
    for kind in timeline.entry_kinds():
        by_app.setdefault(kind.items.__module__.split(".")[0], []).append(kind.key)
    assert set(by_app) == {"cases", "contracts", "assistants", "refusals", "meetings", "imports"}
    assert {"assistant", "assistant_work"} <= set(by_app["assistants"])
    assert {"monitoring"} <= set(by_app["refusals"])
    assert {"meeting", "inspection"} <= set(by_app["meetings"])


def test_the_core_of_cases_names_no_other_app():
    """The timeline, the karta and the anonymisation read the registry: no import of another app."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for module in ("cases/timeline.py", "cases/karta.py", "cases/services/retention.py", "cases/entry_kinds.py"):
        text = (root / module).read_text(encoding="utf-8")
        for other in (app.label for app in own_apps() if app.label not in ("cases", "mopr")):
            assert f"from {other}" not in text and f"import {other}" not in text, (module, other)


# --- the assistant's and the monitoring's entries reach the case ----------------------------------------


@pytest.fixture
def assisted(org, p):
    """A case in stage IV with an approved request, an assistant at work, a monitoring and a meeting."""
    from assistants.models import Assignment, AssistantVisit, ChangeReport, MonthlyReport, Request
    from cases.procedure import Stage
    from meetings.models import TeamMeeting
    from mopr.tests.factories import CaseFactory
    from refusals.models import MonitoringDate, RefusalMonitoring

    today = timezone.localdate()
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.MONITORING)
    request = Request.objects.create(
        case=case, path=Request.Path.WORKER, status=Request.Status.APPROVED, requested_by=p.worker_a,
        requested_on=today - datetime.timedelta(days=40), justification="Zaniedbania opiekuńcze.",
        consent_on=today - datetime.timedelta(days=41),
    )  # fmt: skip
    assignment = Assignment.objects.create(
        case=case, request=request, assistant=p.assistant_a, assigned_by=p.director_a,
        qualified_on=today - datetime.timedelta(days=30),
    )  # fmt: skip
    AssistantVisit.objects.create(
        assignment=assignment, author=p.assistant_a, joint_with_worker=True,
        visited_on=today - datetime.timedelta(days=25), description="Pierwsza wizyta.",
    )  # fmt: skip
    MonthlyReport.objects.create(assignment=assignment, author=p.assistant_a, month=today.replace(day=1),
                                 summary="Rodzina współpracuje.")  # fmt: skip
    ChangeReport.objects.create(assignment=assignment, author=p.assistant_a, learnt_on=today,
                                change="Ojciec stracił pracę.")  # fmt: skip
    monitoring = RefusalMonitoring.objects.create(
        case=case, refused_on=today - datetime.timedelta(days=10), statement_taken=True, leaflet_left=True,
        note_to_director="Rodzina odmawia.", note_written_on=today - datetime.timedelta(days=10), author=p.worker_a,
    )  # fmt: skip
    MonitoringDate.objects.create(monitoring=monitoring, due_on=today, done_on=today, outcome="Nikogo nie zastano.")
    meeting = TeamMeeting.objects.create(region=case.region, held_on=today, note="Notatka", written_by=p.coordinator_a)
    meeting.cases_discussed.add(case)
    return case


def test_the_assistant_monitoring_and_meetings_are_on_the_case_page_folder_and_karta(client, assisted, tmp_path):
    from cases.tests.test_printouts import text_of

    expected = [
        "Wniosek o asystenta rodziny", "Przydzielenie asystenta rodziny", "Wspólna wizyta asystenta",
        "Sprawozdanie miesięczne asystenta", "Zmiana sytuacji rodziny",
        "Odmowa przyjęcia pomocy – rezygnacja z pracy socjalnej", "Monitoring środowiska",
        "Sprawa omówiona na spotkaniu zespołu",
    ]  # fmt: skip
    titles = {item.title.split(":")[0] for item in timeline.case_timeline(case=assisted)}
    for text in expected:
        assert any(title.startswith(text) for title in titles), text
    client.login(username="auditor_a", password=PASSWORD)
    folder = client.get(reverse("cases:folder", args=[assisted.pk])).content.decode()
    assert "Praca asystenta rodziny" in folder and "Monitoring (odmowa pomocy)" in folder  # the filter's labels
    for text in expected:
        assert text in folder, text
    only = client.get(reverse("cases:folder", args=[assisted.pk]), {"rodzaj": "assistant_work"}).content.decode()
    assert "Wspólna wizyta asystenta" in only and "Odmowa przyjęcia pomocy" not in only
    karta = text_of(client.get(reverse("cases:karta_pdf", args=[assisted.pk])).content, tmp_path)
    for text in expected:
        assert text in karta, text
    # What the assistant reported stands in section 3 with the assistant as its source; the
    # resignation in section 5.
    section3 = karta.split("3. Ustalenie sytuacji klienta")[1].split("4. Diagnoza")[0]
    assert "źródło: asystent rodziny" in section3 and "Rodzina współpracuje." in section3
    section5 = karta.split("5. Uwagi / wnioski")[1].split("6. Rejestracja")[0]
    assert "rezygnacja z pracy socjalnej" in section5 and "odebrano oświadczenie o rezygnacji z pomocy" in section5
