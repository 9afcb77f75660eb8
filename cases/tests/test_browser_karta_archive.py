"""*Archiwum kart* in a real browser (issue 16.10, 18.5): the director picks a region and a day,
sees how many kartas the archive will hold, starts it, and the job's page – polled by htmx – shows
it finished with the ZIP to download. Every page is checked with axe-core and saved as
test-output/screenshots/k*.png."""

from __future__ import annotations

import datetime
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from background.models import Job
from cases.procedure import Stage
from mopr.tests.browser import coordination as _coordination
from mopr.tests.browser import label as _label
from mopr.tests.browser import login
from mopr.tests.browser import visit as _visit
from mopr.tests.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_director_makes_an_archive_of_kartas(page, p, org, settings, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    for n in range(2):
        CaseFactory(region=org.region_a1, worker=p.worker_a, stage=Stage.ZAKONCZENIE, close_reason="other",
                    closed_at=now - datetime.timedelta(days=40 + n))  # fmt: skip
    CaseFactory(region=org.region_a1, worker=p.worker_a, stage=Stage.ZAKONCZENIE, close_reason="other",
                closed_at=now)  # closed after the day: not in the archive  # fmt: skip

    login(page, "director_a")
    _coordination(page, "Archiwum kart")
    expect(page.get_by_role("heading", level=1)).to_have_text("Archiwum kart pracy socjalnej")
    _visit(page, "k01-karta-archive-empty")

    form = page.get_by_role("form", name="Które sprawy")
    form.get_by_label(_label("Rejon")).select_option(value=str(org.region_a1.pk))
    form.get_by_label(_label("Zakończone przed dniem")).fill(f"{timezone.localdate() - datetime.timedelta(days=10)}")
    with page.expect_navigation():
        form.get_by_role("button", name="Policz sprawy").click()
    expect(page.get_by_text("Do archiwum trafi 2 kart.")).to_be_visible()
    _visit(page, "k02-karta-archive-counted")

    with page.expect_navigation():
        page.get_by_role("button", name="Przygotuj archiwum").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Archiwum kart: RPŚ-1")
    expect(page.locator("#job-progress")).to_contain_text("czeka w kolejce")
    _visit(page, "k03-karta-archive-queued")

    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (2, 2)
    # The page's poll finds it finished, without a reload.
    expect(page.locator("#job-progress")).to_contain_text("gotowy do pobrania", timeout=10_000)
    download = page.get_by_role("link", name="Pobierz", exact=False)
    expect(download).to_contain_text(".zip")
    _visit(page, "k04-karta-archive-done")
    with page.expect_download() as file:
        download.click()
    with zipfile.ZipFile(file.value.path()) as archive:
        assert len(archive.namelist()) == 2 and all(n.endswith(".pdf") for n in archive.namelist())
