"""Issue 16.4: nothing typed is lost when the session expired before the form arrived, and one
rendering of a form saves once (Back and "Zapisz" again, a double click)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import OfficialNote
from cases.procedure import Stage
from mopr.drafts import DRAFT_COOKIE
from mopr.models import FormDraft, FormSubmission
from mopr.tests.factories import CaseFactory
from mopr.tests.test_auth import _login_post

NOTE = "Rozmowa z matką o szkole – długi tekst, który nie może zginąć."


@pytest.fixture
def case(org, p):
    org.inst_a.session_idle_minutes = 30
    org.inst_a.save()
    return CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)


def note_url(case) -> str:
    return reverse("cases:entry_add", args=[case.pk, "notatka"])


def note_post(**extra) -> dict:
    return {"written_on": timezone.localdate().isoformat(), "content": NOTE, **extra}


def form_key(page: str) -> str:
    assert 'name="form_key"' in page
    return "klucz-" + "0123456789abcdef" * 2  # what app.js puts in it


def test_a_note_sent_after_the_session_expired_is_offered_back_after_the_login(client, case, p):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _login_post(client, "worker_a")
        client.get(note_url(case))
    with time_machine.travel(start + datetime.timedelta(minutes=45), tick=False):
        response = client.post(note_url(case), note_post())
        assert response.status_code == 302
        assert response["Location"] == reverse("login") + "?next=" + note_url(case).replace("/", "%2F")
        assert "wrócisz do niego" in client.get(response["Location"]).content.decode()
        assert not OfficialNote.objects.exists()
        draft = FormDraft.objects.get()
        assert draft.user == p.worker_a and draft.data["content"] == [NOTE]
        assert response.cookies[DRAFT_COOKIE].value == "1"  # this browser will look for it
        assert NOTE not in response["Location"]  # never in a URL
        # Logged in again, the user comes back to the same form with the text.
        _login_post(client, "worker_a")
        page = client.get(note_url(case)).content.decode()
        assert "Twój formularz został zachowany" in page and NOTE in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        sent = client.post(note_url(case), {**note_post(), "mopr_draft": str(draft.pk), "csrfmiddlewaretoken": token})
        assert sent.status_code == 302
    assert OfficialNote.objects.get().content == NOTE
    assert not FormDraft.objects.exists()


def test_a_draft_is_only_its_authors_and_only_briefly(client, case, p, settings):
    FormDraft.objects.create(user=p.worker_a, path=note_url(case), data={"content": [NOTE]})
    client.cookies[DRAFT_COOKIE] = "1"  # as the browser that sent the form has it
    _login_post(client, "worker_a_2")
    assert NOTE not in client.get(note_url(case)).content.decode()
    client.logout()
    client.cookies[DRAFT_COOKIE] = "1"
    _login_post(client, "worker_a")
    assert NOTE in client.get(note_url(case)).content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=settings.FORM_DRAFT_MINUTES + 1)):
        assert NOTE not in client.get(note_url(case)).content.decode()


def test_only_a_browser_that_kept_a_form_looks_for_it(client, case, p):
    """Every other page pays nothing for the kept forms: no cookie, no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login_post(client, "worker_a")
    with CaptureQueriesContext(connection) as plain:
        client.get(note_url(case))
    assert not any("mopr_formdraft" in q["sql"] for q in plain.captured_queries)
    client.cookies[DRAFT_COOKIE] = "1"
    response = client.get(note_url(case))  # nothing kept: the browser is told to stop looking
    assert response.cookies[DRAFT_COOKIE].value == "" and response.cookies[DRAFT_COOKIE]["max-age"] == 0


def test_a_discarded_draft_opens_the_empty_form(client, case, p):
    draft = FormDraft.objects.create(user=p.worker_a, path=note_url(case), data={"content": [NOTE]})
    _login_post(client, "worker_a")
    response = client.post(note_url(case), {"mopr_draft": str(draft.pk), "discard": "1"})
    assert response.status_code == 302 and not FormDraft.objects.exists()
    assert NOTE not in client.get(note_url(case)).content.decode() and not OfficialNote.objects.exists()


def test_one_rendering_of_a_form_saves_once(client, case, p):
    _login_post(client, "worker_a")
    key = form_key(client.get(note_url(case)).content.decode())
    first = client.post(note_url(case), note_post(form_key=key))
    assert first.status_code == 302
    again = client.post(note_url(case), note_post(form_key=key))  # Back, and "Zapisz" again
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert OfficialNote.objects.count() == 1
    assert "już wysłany" in client.get(again["Location"]).content.decode()


def test_a_form_that_came_back_with_errors_may_be_sent_again_with_its_key(client, case, p):
    _login_post(client, "worker_a")
    key = form_key(client.get(note_url(case)).content.decode())
    bad = client.post(note_url(case), note_post(form_key=key, content="", written_on="2999-01-01"))
    assert bad.status_code == 200 and not FormSubmission.objects.exists()
    assert client.post(note_url(case), note_post(form_key=key)).status_code == 302
    assert OfficialNote.objects.count() == 1


def test_every_post_form_of_a_page_carries_the_key_field(client, case, p):
    _login_post(client, "worker_a")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    forms = page.count('name="csrfmiddlewaretoken"')
    assert forms > 1 and page.count('name="form_key"') == forms
