"""Issue 16.6: closing means closed. A case does not close while the family assistant still works
with the family, unless the closing ends that work in the same act with the reason of seed 002
and the final report; a closed case takes a note, a correction or its reopening, nothing else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assistants.models import Assignment, AssistantVisit, FinalReport
from assistants.services import visit_record as assistant_visit_record
from assistants.tests.test_assistants import assign
from cases import procedure, services
from cases.models import CaseDocument, OfficialNote
from cases.procedure import CloseReason, EndOf, Stage
from mopr.errors import DomainError, TransitionRefused
from mopr.tests.factories import PASSWORD, CaseFactory


@pytest.fixture
def case(org, p):
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)


def close(case, by, **extra):
    return services.case_close(
        case=case, by=by, reason=CloseReason.MOVED_OUT, justification="Rodzina wyprowadziła się z Torunia.", **extra
    )


def test_the_procedure_knows_the_assistant_as_work_under_way(case, p):
    assert procedure.ongoing_work(case) == []
    assignment = assign(case, p)
    [(kind, work)] = procedure.ongoing_work(case)
    assert kind.key == "assistant" and work == assignment


def test_a_case_with_an_assistant_at_work_does_not_close_by_itself(case, p):
    assign(case, p)
    with pytest.raises(TransitionRefused, match="praca asystenta rodziny"):
        close(case, p.worker_a)
    case.refresh_from_db()
    assert case.stage == Stage.PRACA_SOCJALNA
    assert Assignment.objects.get().ended_on is None


def test_the_ending_needs_the_final_report(case, p):
    assign(case, p)
    with pytest.raises(TransitionRefused, match="sprawozdanie z pracy asystenta"):
        close(case, p.worker_a, ends={"assistant": EndOf(choice=Assignment.End.MOVED_OUT)})


def test_closing_ends_the_assistant_in_the_same_act(case, p):
    assignment = assign(case, p)
    close(
        case,
        p.worker_a,
        ends={"assistant": EndOf(choice=Assignment.End.MOVED_OUT, report="Rodzina wyjechała; cele częściowo.")},
    )
    case.refresh_from_db()
    assignment.refresh_from_db()
    assert case.stage == Stage.ZAKONCZENIE
    assert assignment.ended_on == timezone.localdate() and assignment.end == Assignment.End.MOVED_OUT
    assert FinalReport.objects.get(assignment=assignment).summary == "Rodzina wyjechała; cele częściowo."
    # The assistant has the family no more: a visit is refused.
    with pytest.raises(DomainError):
        assistant_visit_record(
            assignment=assignment,
            by=p.assistant_a,
            visit=AssistantVisit(visited_on=timezone.localdate(), description="Wizyta."),
        )


def test_a_refused_ending_leaves_the_case_open(case, p, monkeypatch):
    """The assistant's own service refuses: nothing of the closing is half done."""
    import assistants.services

    assign(case, p)

    def refuse(**kwargs):
        raise DomainError("Odmowa usługi asystenta.")

    monkeypatch.setattr(assistants.services, "assignment_end", refuse)
    with pytest.raises(DomainError, match="Odmowa usługi asystenta"):
        close(
            case,
            p.worker_a,
            ends={"assistant": EndOf(choice=Assignment.End.RESIGNED, report="Rezygnacja.")},
        )
    case.refresh_from_db()
    assert case.stage == Stage.PRACA_SOCJALNA and Assignment.objects.get().ended_on is None


def test_the_closing_form_asks_how_the_assistant_ends(client, case, p):
    assign(case, p)
    assert client.login(username="worker_a", password=PASSWORD)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'name="end_assistant"' in page and 'name="report_assistant"' in page
    response = client.post(
        reverse("cases:transition", args=[case.pk]),
        {
            "target": Stage.ZAKONCZENIE,
            "version": case.version,
            "close_reason": CloseReason.MOVED_OUT,
            "reason": "Wyprowadzka.",
            "end_assistant": Assignment.End.MOVED_OUT,
            "report_assistant": "Sprawozdanie końcowe.",
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ZAKONCZENIE and Assignment.objects.get().end == Assignment.End.MOVED_OUT


def test_a_closed_case_takes_a_note_but_no_document(case, p, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    close(case, p.worker_a)
    case.refresh_from_db()
    services.note_write(case=case, by=p.worker_a, note=OfficialNote(written_on=timezone.localdate(), content="x"))
    document = CaseDocument(kind="other", description="Skan", document_date=timezone.localdate())
    with pytest.raises(DomainError):
        services.document_upload(
            case=case, by=p.worker_a, document=document, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7 a")
        )
    assert not CaseDocument.objects.exists() and not list(tmp_path.rglob("*.pdf"))


def test_a_case_without_work_under_way_closes_as_before(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
    close(case, p.worker_a)
    case.refresh_from_db()
    assert case.stage == Stage.ZAKONCZENIE


def test_a_final_move_is_asked_again_saying_what_it_does_and_the_page_has_one_primary_action(client, case, p):
    """Issue 20.1: closing and the refusal of help stand apart, marked, and a first submit shows what will
    happen with the chosen values; only the confirmation closes. A move the table refuses is said at once."""
    assert client.login(username="worker_a", password=PASSWORD)
    url = reverse("cases:detail", args=[case.pk])
    page = client.get(url).content.decode()
    assert page.count("btn-primary") == 1, page.count("btn-primary")  # the one primary action
    steps = page[page.index('id="h-steps"') :]
    assert "Zakończenie sprawy lub odmowa pomocy" in steps and "btn-outline-danger" in steps
    data = {"target": Stage.ZAKONCZENIE, "version": case.version, "close_reason": CloseReason.MOVED_OUT,
            "reason": "Rodzina wyprowadziła się do Gdańska."}  # fmt: skip
    response = client.post(reverse("cases:transition", args=[case.pk]), data)
    confirm = response.content.decode()
    assert response.status_code == 200 and "Co się stanie" in confirm and "zniknie z list spraw otwartych" in confirm
    assert "Rodzina wyprowadziła się do Gdańska." in confirm and 'name="confirmed" value="1"' in confirm
    case.refresh_from_db()
    assert case.stage != Stage.ZAKONCZENIE
    # Without a justification the table refuses: said on the case page, not asked to confirm.
    response = client.post(reverse("cases:transition", args=[case.pk]), {**data, "reason": ""})
    assert response.status_code == 422 and "Co się stanie" not in response.content.decode()
    response = client.post(reverse("cases:transition", args=[case.pk]), {**data, "confirmed": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ZAKONCZENIE
