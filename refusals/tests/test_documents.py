"""The papers of seed 003 (issue 15.9) printed from the monitoring, and the register as a table."""

from django.urls import reverse
from django.utils import timezone

from cases.tests.test_karta import flat, pages_of
from cases.tests.test_printouts import save_pngs
from cases.tests.test_timeline_registry import assisted  # noqa: F401 - the fixture
from mopr.models import DirectoryEntry
from mopr.tests.factories import PASSWORD
from refusals.models import RefusalMonitoring


def text_of(client, url, tmp_path, name, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    if status != 200:
        return ""
    save_pngs(response.content, name)
    return flat(" ".join(pages_of(response.content, tmp_path)))


def test_the_papers_of_a_monitoring_print_each_after_its_step(client, assisted, p, org, tmp_path):  # noqa: F811
    m = RefusalMonitoring.objects.get(case=assisted)
    DirectoryEntry.objects.create(institution=org.inst_a, kind="family_court", name="Sąd Rejonowy w Toruniu",
                                  department="III Wydział Rodzinny i Nieletnich", address="ul. Piekary 51")  # fmt: skip
    client.login(username="worker_a", password=PASSWORD)

    def url(doc):
        return reverse("refusals:monitoring_pdf", args=[assisted.pk, m.pk, doc])

    assert "OŚWIADCZENIE O REZYGNACJI Z POMOCY" in text_of(
        client, url("oswiadczenie"), tmp_path, "monitoring-statement"
    )
    leaflet = text_of(client, url("ulotka"), tmp_path, "monitoring-leaflet")
    assert assisted.institution.address in leaflet
    assert "Rodzina odmawia." in text_of(client, url("notatka"), tmp_path, "monitoring-note")
    text_of(client, url("plan"), tmp_path, "x", status=403)  # no plan yet: nothing to print
    text_of(client, url("sad"), tmp_path, "x", status=403)
    today = timezone.localdate()
    RefusalMonitoring.objects.filter(pk=m.pk).update(
        plan_on=today, plan_by=p.director_a, contact_close_family="Babcia.", report_on=today, report="Bez zmian.",
        decision=RefusalMonitoring.Decision.FAMILY_COURT, decision_on=today, decision_by=p.director_a,
        decision_note="Wniosek o wgląd.",
    )  # fmt: skip
    assert "Babcia." in text_of(client, url("plan"), tmp_path, "monitoring-plan")
    assert "Bez zmian." in text_of(client, url("sprawozdanie"), tmp_path, "monitoring-report")
    court = text_of(client, url("sad"), tmp_path, "monitoring-court")
    for expected in ["WNIOSEK O WGLĄD W SYTUACJĘ RODZINY", "III Wydział Rodzinny i Nieletnich", "Nikogo nie zastano.",
                     "Wniosek o wgląd.", p.worker_a.get_full_name(), p.director_a.get_full_name()]:  # fmt: skip
        assert expected in court, expected


def test_the_register_prints_as_a_table(client, assisted, tmp_path):  # noqa: F811
    client.login(username="coordinator_a", password=PASSWORD)
    response = client.get(reverse("registers:register_export", args=["pdf"]))
    save_pngs(response.content, "register")
    pages = pages_of(response.content, tmp_path)
    assert len(pages) == 1  # one landscape page, no empty portrait page before it
    assert all(word in pages[0] for word in ("Lp.", "Numer", "Klient", "Rejon", "Etap", assisted.region.code))
