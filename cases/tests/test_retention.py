"""Retention (issue 8, item 9): closed cases past the institution's retention period are listed
for the director, who anonymises them – personal data removed (also from the history), the
statistics kept, each anonymisation in the access log. The page's run goes to the background queue:
cases/tests/test_retention_job.py."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from assistants.models import (
    Assignment,
    AssistantVisit,
    ChangeReport,
    FinalReport,
    MonthlyReport,
    PeriodicAssessment,
    Request,
    WorkPlan,
)
from background.models import Job
from cases.models import (
    CaseDocument,
    CaseFlag,
    ChildObservation,
    ClientMember,
    Diagnosis,
    DocumentReview,
    FlagKind,
    InstitutionContact,
    Notification,
    OfficialNote,
    ParentApartInfo,
    Relation,
    Report,
    ReportForm,
    StageTransition,
    Summons,
    Visit,
)
from cases.procedure import CloseReason, Stage
from cases.selectors_retention import retention_anonymisable, retention_cutoff, retention_due
from cases.services import client_refresh_search
from cases.services.retention import ANONYMISED, case_anonymise, cases_anonymise
from contracts.models import Amendment, Declaration, Evaluation, GoalAssessment, Resource
from mopr.errors import DomainError
from mopr.models import AccessLog
from mopr.tests.factories import PASSWORD, CaseFactory, ClientFactory, ContractFactory, MemberFactory
from mopr.tests.project import own_apps
from refusals.models import MonitoringDate, RefusalMonitoring
from timesheets.models import TimeEntry

SURNAME = "Wierzbicka"
PESEL = "90031512345"
ID_CARD = "ABC123456"
PHONE = "600100200"


def ago(*, years: int, days: int = 0) -> datetime.datetime:
    """Noon, ``years`` calendar years and ``days`` days before today."""
    today = timezone.localdate()
    day = today.replace(year=today.year - years) - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def closed_case(org, p, *, closed_at, client=None, **kwargs):
    values = {
        "region": org.region_a1,
        "worker": p.worker_a,
        "accepted_at": closed_at - datetime.timedelta(days=200),
        "reported_at": closed_at - datetime.timedelta(days=210),
        "stage": Stage.ZAKONCZENIE,
        "closed_at": closed_at,
        "close_reason": CloseReason.CONTRACT_COMPLETED,
        **({"client": client} if client is not None else {}),
        **kwargs,
    }
    if values["region"].institution_id != org.inst_a.pk:
        values["worker"] = None
    return CaseFactory(**values)


def texts_containing(needle: str) -> list[str]:
    """Every model.field of the project's apps (historical tables included) holding ``needle``."""
    hits = []
    for app in own_apps():
        for model in app.get_models():
            manager = model._base_manager
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField | models.FileField):
                    if manager.filter(**{f"{field.name}__icontains": needle}).exists():
                        hits.append(f"{model.__name__}.{field.name}")
                elif isinstance(field, models.JSONField):
                    values = manager.values_list(field.name, flat=True)
                    if any(needle.lower() in json.dumps(v, ensure_ascii=False).lower() for v in values):
                        hits.append(f"{model.__name__}.{field.name}")
    return hits


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def full_case(org, p, media):
    """A family's case closed 10 years and a day ago, with an entry of every kind that holds
    text about the family, edited once so that the history holds the old data too."""
    client = ClientFactory(
        institution=org.inst_a, street="Szeroka", house_number="12", flat_number="3", phone=PHONE, email="a@b.pl"
    )
    head = MemberFactory(
        client=client, first_name="Anna", last_name="Wierzbicka-Nowak", pesel=PESEL, id_document=ID_CARD
    )
    head.last_name = SURNAME
    head.birth_date = datetime.date(1990, 3, 15)
    head.save()  # the history now holds both surnames
    child = MemberFactory(
        client=client,
        first_name="Ola",
        last_name=SURNAME,
        is_head=False,
        relation=Relation.CHILD,
        birth_date=datetime.date(2012, 6, 15),
        in_foster_care=True,
    )
    client_refresh_search(client=client)
    closed = ago(years=10, days=1)
    case = closed_case(
        org,
        p,
        closed_at=closed,
        client=client,
        close_justification=f"Pani {SURNAME} podjęła pracę.",
        moving_away_plan=f"Kontakt z p. {SURNAME} raz w miesiącu.",
    )
    w, today = p.worker_a, timezone.localdate()
    Report.objects.create(
        case=case, received_at=case.reported_at, form=ReportForm.PHONE, reporter_name=f"Jan {SURNAME}",
        reporter_contact=PHONE, reporter_relation="brat", content=f"Dzieci p. {SURNAME} same w domu.", received_by=w,
    )  # fmt: skip
    CaseFlag.objects.create(
        case=case, kind=FlagKind.NIEBIESKA_KARTA, started_on=today, started_by="Policja",
        note=f"Sprawca: {SURNAME}", created_by=w,
    )  # fmt: skip
    visit = Visit.objects.create(
        case=case, author=w, visited_at=closed, outcome=Visit.Outcome.MET, participants=f"Anna {SURNAME}",
        findings=f"U p. {SURNAME} porządek.",
    )  # fmt: skip
    Summons.objects.create(case=case, author=w, issued_on=today, appointment_at=closed, note=f"Wezwanie {SURNAME}")
    Notification.objects.create(
        case=case, author=w, service=Notification.Service.POLICE, service_name="KMP Toruń",
        reason=f"Zagrożenie dzieci {SURNAME}", sent_on=today, sent_how=Notification.SentHow.LETTER,
    )  # fmt: skip
    DocumentReview.objects.create(
        case=case, author=w, kind=DocumentReview.Kind.DIVORCE, reviewed_on=today, findings=f"Rozwód {SURNAME}"
    )
    InstitutionContact.objects.create(
        case=case, author=w, kind=InstitutionContact.Kind.SCHOOL, institution_name="SP 5", member=child,
        contacted_on=today, form=InstitutionContact.Form.PHONE, learnt=f"Ola {SURNAME} opuszcza lekcje.",
    )  # fmt: skip
    ParentApartInfo.objects.create(
        case=case, author=w, parent_name=f"Piotr {SURNAME}", obtained_on=today, relation_with_child="dobra"
    )
    ChildObservation.objects.create(
        case=case, author=w, child=child, visit=visit, observed_on=today, observation="Pogodna.",
        talked_with_child=True, consent_given_by=f"Anna {SURNAME}", talk_summary="Rozmowa o szkole.",
    )  # fmt: skip
    Diagnosis.objects.create(
        case=case, author=w, diagnosed_on=today, facts=f"{SURNAME} bez pracy.", resources="Babcia",
        problem_areas=["unemployment", "care_upbringing"], decision=Diagnosis.Decision.SOCIAL_WORK,
    )  # fmt: skip
    OfficialNote.objects.create(case=case, author=w, written_on=today, content=f"Telefon od p. {SURNAME}.")
    document = CaseDocument(
        case=case, author=w, kind=CaseDocument.Kind.COURT, description=f"Wyrok {SURNAME}", document_date=today,
        original_name=f"wyrok-{SURNAME}.pdf", content_type="application/pdf", size=13,
    )  # fmt: skip
    document.file.save("wyrok.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    contract = ContractFactory(case=case, client_member=head, client_id_document=ID_CARD, problems=f"Długi {SURNAME}")
    Resource.objects.create(contract=contract, kind=Resource.Kind.PROJECT, description=f"Projekt dla {SURNAME}")
    evaluation = Evaluation.objects.create(contract=contract, evaluated_on=today, summary=f"{SURNAME} ok", author=w)
    GoalAssessment.objects.create(
        evaluation=evaluation, goal=contract.goals.get(), status="reached", comment=f"Brawo {SURNAME}"
    )
    Amendment.objects.create(
        contract=contract, amended_on=today, reason="Zmiana", author=w,
        previous={"main_goal": f"Praca dla {SURNAME}", "goals": [{"text": SURNAME, "status": "x"}], "actions": [],
                  "resources_used": [f"projekt: {SURNAME}"], "period_from": "2015-01-01"},
    )  # fmt: skip
    Declaration.objects.create(
        case=case, parent=head, full_name=f"Anna {SURNAME}", address="Szeroka 12/3, 87-100 Toruń", phone=PHONE,
        id_card=ID_CARD, place="Toruń", signed_on=today, author=w,
    )  # fmt: skip
    request = Request.objects.create(
        case=case, path=Request.Path.WORKER, status=Request.Status.APPROVED, requested_by=w, requested_on=today,
        justification=f"Rodzina {SURNAME} potrzebuje wsparcia.",
    )  # fmt: skip
    assignment = Assignment.objects.create(
        case=case, request=request, assistant=p.assistant_a, assigned_by=p.director_a, qualified_on=today,
        ended_on=today, end=Assignment.End.GOALS_REACHED, end_reason=f"{SURNAME} samodzielna",
    )  # fmt: skip
    a = p.assistant_a
    AssistantVisit.objects.create(assignment=assignment, author=a, visited_on=today, description=f"U {SURNAME}")
    WorkPlan.objects.create(assignment=assignment, author=a, drafted_on=today, assessment=SURNAME, goals="Cele")
    MonthlyReport.objects.create(assignment=assignment, author=a, month=today.replace(day=1), summary=SURNAME)
    PeriodicAssessment.objects.create(assignment=assignment, author=a, assessed_on=today, assessment=SURNAME)
    ChangeReport.objects.create(assignment=assignment, author=a, learnt_on=today, change=f"{SURNAME} pracuje")
    FinalReport.objects.create(assignment=assignment, author=a, written_on=today, summary=f"{SURNAME} ok")
    monitoring = RefusalMonitoring.objects.create(
        case=case, refused_on=today, note_to_director=f"{SURNAME} odmawia", note_written_on=today, author=w
    )
    MonitoringDate.objects.create(monitoring=monitoring, due_on=today, done_on=today, outcome=f"{SURNAME} w domu")
    StageTransition.objects.create(
        case=case, from_stage=Stage.PRACA_SOCJALNA, to_stage=Stage.ZAKONCZENIE, by=w, at=closed,
        reason="Kontrakt zrealizowany.", close_reason=CloseReason.CONTRACT_COMPLETED,
    )  # fmt: skip
    TimeEntry.objects.create(worker=w, day=today, category="A", hours=2)
    case.refresh_from_db()
    return case


# --- the rule ----------------------------------------------------------------------------------------------


def test_the_rule_lists_closed_cases_past_retention_only(org, p):
    due = closed_case(org, p, closed_at=ago(years=10, days=1))
    recent = closed_case(org, p, closed_at=ago(years=9))
    today_ten_years_ago = closed_case(org, p, closed_at=ago(years=10))  # due tomorrow, not today
    open_old = CaseFactory(region=org.region_a1, reported_at=ago(years=20), stage=Stage.PRACA_SOCJALNA)
    done = closed_case(org, p, closed_at=ago(years=12), anonymised_at=timezone.now())
    other_institution = closed_case(org, p, closed_at=ago(years=12), region=org.region_b1)
    # The same client: an old closed case and a newer open one – listed, but held back.
    held = closed_case(org, p, closed_at=ago(years=11))
    newer = CaseFactory(region=org.region_a2, client=held.client, stage=Stage.ROZEZNANIE, number="RPŚ-2/X/1")

    listed = {c.pk: c for c in retention_due(user=p.director_a)}
    assert set(listed) == {due.pk, held.pk}
    assert listed[held.pk].blocked_by == newer.number and listed[due.pk].blocked_by is None
    assert [c.pk for c in retention_anonymisable(user=p.director_a)] == [due.pk]
    for case in (recent, today_ten_years_ago, open_old, done, other_institution):
        assert case.pk not in listed


def test_a_client_with_another_case_still_in_retention_is_held_back(org, p):
    old = closed_case(org, p, closed_at=ago(years=15))
    closed_case(org, p, closed_at=ago(years=3), client=old.client, number="TEST/RECENT")
    assert retention_due(user=p.director_a).get().blocked_by == "TEST/RECENT"


def test_the_institution_sets_the_period(org, p):
    org.inst_a.retention_years = 5
    org.inst_a.save()
    p.director_a.refresh_from_db()
    case = closed_case(org, p, closed_at=ago(years=5, days=1))
    assert list(retention_due(user=p.director_a)) == [case]
    assert retention_cutoff(institution=org.inst_a).date() == ago(years=5).date()


def test_only_the_director_sees_the_list(org, p):
    closed_case(org, p, closed_at=ago(years=11))
    for persona in ("head_a", "auditor_a", "worker_a", "coordinator_a", "outsider"):
        assert not retention_due(user=getattr(p, persona)).exists(), persona


# --- what goes and what stays ------------------------------------------------------------------------------


def test_anonymisation_removes_every_personal_field(full_case, p):
    assert texts_containing(SURNAME) and texts_containing(PESEL)  # the scenario really has them
    case_anonymise(case=full_case, by=p.director_a)

    client = full_case.client
    client.refresh_from_db()
    assert client.anonymised_at is not None
    assert (client.street, client.house_number, client.flat_number, client.postal_code, client.city) == ("",) * 5
    assert (client.phone, client.email, client.search_text) == ("", "", "")
    for member in client.members.all():
        assert (member.first_name, member.last_name, member.pesel, member.id_document) == (ANONYMISED, "", "", "")
    assert ANONYMISED in client.display_name
    assert Visit.objects.get().findings == ANONYMISED
    assert OfficialNote.objects.get().content == ANONYMISED
    assert Diagnosis.objects.get().facts == ANONYMISED and Diagnosis.objects.get().children_care == ""
    assert Declaration.objects.get().id_card == "" and Declaration.objects.get().full_name == ANONYMISED
    assert Amendment.objects.get().previous["goals"] == [{"text": ANONYMISED, "status": "x"}]
    document = CaseDocument.objects.get()
    assert not document.file and document.original_name == ANONYMISED
    # Nothing anywhere – live rows, historical rows, the access log – names the family any more.
    for needle in (SURNAME, "Wierzbicka-Nowak", PESEL, ID_CARD, PHONE, "Szeroka 12"):
        assert texts_containing(needle) == [], needle


def test_the_history_is_purged_and_the_change_attributed(full_case, p):
    head = full_case.client.head
    assert head.history.count() == 2
    case_anonymise(case=full_case, by=p.director_a)
    rows = list(head.history.order_by("history_date"))
    assert len(rows) == 3  # the two earlier versions stay as rows, without the data
    assert {(r.first_name, r.last_name, r.pesel) for r in rows} == {(ANONYMISED, "", "")}
    assert rows[-1].history_user == p.director_a
    assert all(r.birth_date in (None, datetime.date(1990, 1, 1)) for r in rows)
    assert full_case.history.latest().history_user == p.director_a


def test_anonymisation_keeps_the_statistics(full_case, p):
    counts = {
        m: m.objects.filter(case=full_case).count()
        for m in (Report, CaseFlag, Visit, Summons, Notification, DocumentReview, CaseDocument, Diagnosis)
    }
    before = (full_case.stage, full_case.reported_at, full_case.accepted_at, full_case.closed_at)
    case_anonymise(case=full_case, by=p.director_a)
    case = type(full_case).objects.get(pk=full_case.pk)
    assert (case.stage, case.reported_at, case.accepted_at, case.closed_at) == before
    assert (case.region_id, case.worker_id, case.number) == (full_case.region_id, p.worker_a.pk, full_case.number)
    assert case.close_reason == CloseReason.CONTRACT_COMPLETED and case.target_group == full_case.target_group
    assert case.anonymised_at is not None
    assert {m: m.objects.filter(case=case).count() for m in counts} == counts
    assert Diagnosis.objects.get().problem_areas == ["unemployment", "care_upbringing"]
    assert CaseFlag.objects.get().kind == FlagKind.NIEBIESKA_KARTA
    members = {m.relation: m for m in ClientMember.objects.filter(client=case.client)}
    assert members[Relation.HEAD].birth_date == datetime.date(1990, 1, 1)  # the year stays for age statistics
    assert members[Relation.CHILD].birth_date == datetime.date(2012, 1, 1) and members[Relation.CHILD].in_foster_care
    assert ChildObservation.objects.get().talked_with_child and ChildObservation.objects.get().consent_given_by
    assert StageTransition.objects.get().reason == "Kontrakt zrealizowany."  # append-only: untouched
    assert TimeEntry.objects.get().hours == 2


def test_the_file_is_deleted_only_after_the_commit(full_case, p, django_capture_on_commit_callbacks):
    path = Path(CaseDocument.objects.get().file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_anonymise(case=full_case, by=p.director_a)
    assert path.exists() and len(callbacks) == 1  # still there until the transaction commits
    callbacks[0]()
    assert not path.exists()


def test_one_log_row_per_case(org, p):
    first = closed_case(org, p, closed_at=ago(years=11))
    second = closed_case(org, p, closed_at=ago(years=12))
    cases_anonymise(cases=[first, second], by=p.director_a)
    rows = AccessLog.objects.filter(action=AccessLog.Action.ANONYMISE).order_by("case_id")
    assert [(r.case_id, r.client_id, r.user_id) for r in rows] == [
        (first.pk, first.client_id, p.director_a.pk),
        (second.pk, second.client_id, p.director_a.pk),
    ]
    assert rows[0].what == f"{first.number} – anonimizacja danych osobowych"


def test_two_cases_of_one_client_anonymise_the_client_once(org, p):
    first = closed_case(org, p, closed_at=ago(years=11))
    second = closed_case(org, p, closed_at=ago(years=14), client=first.client)
    case_anonymise(case=first, by=p.director_a)
    first.client.refresh_from_db()
    stamp = first.client.anonymised_at
    assert stamp is not None and list(retention_due(user=p.director_a)) == [second]
    case_anonymise(case=second, by=p.director_a)
    first.client.refresh_from_db()
    assert first.client.anonymised_at == stamp


# --- refusals ----------------------------------------------------------------------------------------------


def test_a_second_anonymisation_is_refused(org, p):
    case = closed_case(org, p, closed_at=ago(years=11))
    case_anonymise(case=case, by=p.director_a)
    with pytest.raises(DomainError, match="została już zanonimizowana"):
        case_anonymise(case=case, by=p.director_a)
    assert AccessLog.objects.filter(action=AccessLog.Action.ANONYMISE).count() == 1


def test_an_anonymised_case_is_read_only(client, org, p):
    """Reopening or editing would bring personal data back into a case kept for statistics."""
    from cases import services

    case = closed_case(org, p, closed_at=ago(years=11))
    case_anonymise(case=case, by=p.director_a)
    case.refresh_from_db()
    with pytest.raises(DomainError, match="zanonimizowana"):
        services.case_reopen(case=case, by=p.worker_a, reason="Nowe zgłoszenie")
    login(client, "worker_a")
    for name in ("cases:client_edit", "cases:member_add"):
        response = client.get(reverse(name, args=[case.pk]))
        assert response.status_code == 403 and "zanonimizowana" in response.content.decode()


def test_a_client_with_an_open_case_is_not_anonymised(org, p):
    old = closed_case(org, p, closed_at=ago(years=11))
    CaseFactory(region=org.region_a1, client=old.client, stage=Stage.ROZEZNANIE, number="TEST/OPEN")
    with pytest.raises(DomainError, match="TEST/OPEN"):
        case_anonymise(case=old, by=p.director_a)
    old.client.refresh_from_db()
    old.refresh_from_db()
    assert old.client.anonymised_at is None and old.anonymised_at is None
    assert old.client.members.get().last_name.startswith("Nowak")


def test_cases_within_retention_or_open_are_refused(org, p):
    recent = closed_case(org, p, closed_at=ago(years=9))
    with pytest.raises(DomainError, match="okres przechowywania jeszcze nie minął"):
        case_anonymise(case=recent, by=p.director_a)
    open_case = CaseFactory(region=org.region_a1, stage=Stage.ROZEZNANIE)
    with pytest.raises(DomainError, match="nie jest zakończona"):
        case_anonymise(case=open_case, by=p.director_a)


def test_a_batch_is_all_or_nothing(org, p):
    due = closed_case(org, p, closed_at=ago(years=11))
    recent = closed_case(org, p, closed_at=ago(years=2))
    with pytest.raises(DomainError, match=recent.number):
        cases_anonymise(cases=[due, recent], by=p.director_a)
    due.refresh_from_db()
    assert due.anonymised_at is None and not AccessLog.objects.filter(action=AccessLog.Action.ANONYMISE).exists()


def test_only_the_director_of_the_case_institution_may_anonymise(org, p):
    case = closed_case(org, p, closed_at=ago(years=11))
    for persona in ("head_a", "auditor_a", "worker_a", "coordinator_b"):
        with pytest.raises(DomainError, match="tylko dyrektor"):
            case_anonymise(case=case, by=getattr(p, persona))
    from mopr.models import Role
    from mopr.tests.factories import UserFactory

    director_b = UserFactory(username="director_b", institution=org.inst_b, roles=[(Role.DIRECTOR, None)])
    with pytest.raises(DomainError, match="innego ośrodka"):
        case_anonymise(case=case, by=director_b)


# --- the pages ---------------------------------------------------------------------------------------------


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_director_lists_confirms_and_anonymises(
    client, full_case, p, django_capture_on_commit_callbacks, monkeypatch
):
    login(client, "director_a")
    page = client.get(reverse("cases:retention"))
    body = page.content.decode()
    assert page.status_code == 200 and full_case.number in body and "Anonimizuj zaznaczone" in body
    assert f'for="case-{full_case.pk}"' in body  # every checkbox has its label

    confirm = client.post(reverse("cases:retention_anonymise"), {"cases": [full_case.pk]})
    body = confirm.content.decode()
    assert confirm.status_code == 200 and "Tej operacji nie można cofnąć" in body and full_case.number in body
    full_case.refresh_from_db()
    assert full_case.anonymised_at is None  # nothing done before the confirmation

    # Confirmed: the run goes to the background queue (cases/tests/test_retention_job.py), its page shows it.
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("cases:retention_anonymise"), {"cases": [full_case.pk], "confirm": "1"})
    job = Job.objects.get(kind="retention_anonymise")
    assert done["Location"] == reverse("background:job", args=[job.pk])
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    body = client.get(done["Location"]).content.decode()
    assert "Zanonimizowano spraw: 1 z 1." in body
    full_case.refresh_from_db()
    assert full_case.anonymised_at is not None
    body = client.get(reverse("cases:retention")).content.decode()
    assert "Żadna zakończona sprawa nie przekroczyła jeszcze okresu przechowywania" in body

    again = client.post(reverse("cases:retention_anonymise"), {"cases": [full_case.pk], "confirm": "1"}, follow=True)
    assert "Nie wszystkie zaznaczone sprawy" in again.content.decode() and Job.objects.count() == 1


def test_the_list_says_which_case_holds_one_back(client, org, p):
    old = closed_case(org, p, closed_at=ago(years=11))
    CaseFactory(region=org.region_a1, client=old.client, stage=Stage.ROZEZNANIE, number="TEST/OPEN")
    body = login(client, "director_a").get(reverse("cases:retention")).content.decode()
    assert "Wstrzymana: klient ma sprawę TEST/OPEN" in body
    assert f'value="{old.pk}"' not in body  # no checkbox for it
    refused = client.post(reverse("cases:retention_anonymise"), {"cases": [old.pk]}, follow=True)
    assert "Nie wszystkie zaznaczone sprawy" in refused.content.decode()


def test_others_get_403_with_the_reason(client, org, p):
    case = closed_case(org, p, closed_at=ago(years=11))
    for persona in ("head_a", "auditor_a", "worker_a"):
        login(client, persona)
        page = client.get(reverse("cases:retention"))
        assert page.status_code == 403 and "tylko dyrektor" in page.content.decode()
        post = client.post(reverse("cases:retention_anonymise"), {"cases": [case.pk], "confirm": "1"})
        assert post.status_code == 403
    case.refresh_from_db()
    assert case.anonymised_at is None


def test_the_director_cannot_reach_another_institutions_case(client, org, p):
    other = closed_case(org, p, closed_at=ago(years=11), region=org.region_b1)
    done = login(client, "director_a").post(
        reverse("cases:retention_anonymise"), {"cases": [other.pk], "confirm": "1"}, follow=True
    )
    assert "Nie znaleziono" in done.content.decode()
    other.refresh_from_db()
    assert other.anonymised_at is None


def test_the_anonymised_case_still_shows(client, full_case, p):
    case_anonymise(case=full_case, by=p.director_a)
    for persona in ("worker_a", "director_a", "auditor_a"):
        login(client, persona)
        for name in ("cases:detail", "cases:folder"):
            page = client.get(reverse(name, args=[full_case.pk]))
            body = page.content.decode()
            assert page.status_code == 200, (persona, name)
            assert ANONYMISED in body and SURNAME not in body and PESEL not in body, (persona, name)


def test_the_nav_link_is_the_directors(client, p):
    assert reverse("cases:retention") in login(client, "director_a").get(reverse("home")).content.decode()
    assert reverse("cases:retention") not in login(client, "head_a").get(reverse("home")).content.decode()


def test_templates_have_no_inline_style_or_script():
    root = Path(__file__).resolve().parents[2] / "templates" / "cases"
    for name in ("retention_list.html", "retention_confirm.html"):
        text = (root / name).read_text()
        assert "style=" not in text and "<script" not in text and " on" + "click" not in text, name


# --- the scheduled run -------------------------------------------------------------------------------------


def test_the_command_dry_run_then_real_run(org, p):
    due = closed_case(org, p, closed_at=ago(years=11))
    held = closed_case(org, p, closed_at=ago(years=12))
    CaseFactory(region=org.region_a1, client=held.client, stage=Stage.ROZEZNANIE, number="TEST/OPEN")
    out = StringIO()
    call_command("retention_anonymise", "--institution", "MOPR Toruń", "--by", "director_a", "--dry-run", stdout=out)
    assert f"{due.number}: do anonimizacji" in out.getvalue() and "wstrzymana" in out.getvalue()
    due.refresh_from_db()
    assert due.anonymised_at is None

    out = StringIO()
    call_command("retention_anonymise", "--institution", "MOPR Toruń", "--by", "director_a", stdout=out)
    assert f"{due.number}: zanonimizowano" in out.getvalue()
    due.refresh_from_db()
    held.refresh_from_db()
    assert due.anonymised_at is not None and held.anonymised_at is None
    log = AccessLog.objects.get(action=AccessLog.Action.ANONYMISE)
    assert log.user == p.director_a and log.case_id == due.pk


def test_the_command_needs_the_director(org, p):
    closed_case(org, p, closed_at=ago(years=11))
    with pytest.raises(CommandError, match="nie jest"):
        call_command("retention_anonymise", "--institution", "MOPR Toruń", "--by", "head_a")
    with pytest.raises(CommandError, match="nie ma użytkownika"):
        call_command("retention_anonymise", "--institution", "MOPR Toruń", "--by", "outsider")
    with pytest.raises(CommandError, match="Nie ma ośrodka"):
        call_command("retention_anonymise", "--institution", "Nieznany", "--by", "director_a")
