"""The family assistant's documents of seed 002 that print (issue 15.9): the plan of work, the
monthly report, the periodic assessment for the head of the centre, the final report, the work card
and the monthly time report – each from what was recorded, logged as a print."""

from django.urls import reverse
from django.utils import timezone

from assistants.models import FinalReport, MonthlyReport, PeriodicAssessment, TimeReport, TimeReportLine, WorkPlan
from cases.tests.test_karta import flat, pages_of
from cases.tests.test_printouts import save_pngs
from cases.tests.test_timeline_registry import assisted  # noqa: F401 - the fixture
from mopr.models import AccessLog
from mopr.tests.factories import PASSWORD


def text_of(client, url, tmp_path, name):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    save_pngs(response.content, name)
    return flat(" ".join(pages_of(response.content, tmp_path)))


def test_every_document_of_the_assistant_prints(client, assisted, p, tmp_path):  # noqa: F811
    assignment = assisted.assistant_assignments.get()
    today = timezone.localdate()
    plan = WorkPlan.objects.create(assignment=assignment, author=p.assistant_a, drafted_on=today,
                                   assessment="Rodzina w kryzysie.", goals="Plan dnia dzieci.")  # fmt: skip
    assessment = PeriodicAssessment.objects.create(assignment=assignment, author=p.assistant_a, assessed_on=today,
                                                   assessment="Poprawa opieki.")  # fmt: skip
    final = FinalReport.objects.create(assignment=assignment, author=p.assistant_a, written_on=today,
                                       summary="Cele osiągnięte.")  # fmt: skip
    report = MonthlyReport.objects.get(assignment=assignment)
    client.login(username="assistant_a", password=PASSWORD)
    doc = "assistants:document_pdf"
    for kind, pk, heading, body in [
        ("plan", plan.pk, "PLAN PRACY Z RODZINĄ", "Plan dnia dzieci."),
        ("sprawozdanie", report.pk, "MIESIĘCZNE SPRAWOZDANIE Z PRACY Z RODZINĄ", "Rodzina współpracuje."),
        ("ocena", assessment.pk, "OKRESOWA OCENA SYTUACJI RODZINY", "Poprawa opieki."),
        ("koncowe", final.pk, "SPRAWOZDANIE KOŃCOWE Z PRACY Z RODZINĄ", "Cele osiągnięte."),
    ]:
        text = text_of(client, reverse(doc, args=[assignment.pk, kind, pk]), tmp_path, f"assistant-{kind}")
        assert heading in text and body in text and p.assistant_a.get_full_name() in text, kind
        assert assisted.number in text
    # The periodic assessment goes to the head of the centre: its title is the institution's setting.
    assessment_text = text_of(client, reverse(doc, args=[assignment.pk, "ocena", assessment.pk]), tmp_path, "x")
    assert assisted.institution.assistant_approver_title in assessment_text
    card = text_of(client, reverse("assistants:work_card_pdf", args=[assignment.pk]), tmp_path, "assistant-card")
    assert "KARTA PRACY Z RODZINĄ" in card and "Pierwsza wizyta." in card and "wspólnie z pracownikiem" in card
    prints = AccessLog.objects.filter(action=AccessLog.Action.PRINT, case=assisted, user=p.assistant_a).count()
    assert prints == 6


def test_the_time_report_prints_for_its_assistant_only(client, assisted, p, tmp_path):  # noqa: F811
    assignment = assisted.assistant_assignments.get()
    report = TimeReport.objects.create(assistant=p.assistant_a, month=timezone.localdate().replace(day=1))
    TimeReportLine.objects.create(report=report, assignment=assignment, hours=14)
    client.login(username="assistant_a", password=PASSWORD)
    text = text_of(client, reverse("assistants:time_report_pdf", args=[report.pk]), tmp_path, "assistant-time")
    assert "MIESIĘCZNE SPRAWOZDANIE Z CZASU PRACY ASYSTENTA RODZINY" in text and assisted.number in text
    assert "Razem 14" in text
    client.login(username="worker_a", password=PASSWORD)
    assert client.get(reverse("assistants:time_report_pdf", args=[report.pk])).status_code == 403
