"""No lost updates in the assistant's one edit form: when the worker was told of a change.

The other items of the assistant's work (visits, plan versions, monthly reports, assessments,
changes themselves) are only ever added. A change report is edited afterwards by the assistant
or by the case's worker, so its form carries the version: whoever saves second sees the
conflict (HTTP 409), nothing of theirs saved, and the form back with the current version.
"""

import datetime
import re

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from assistants import services
from assistants.tests.test_assistants import assign, write
from cases.procedure import Stage
from mopr.errors import StaleVersionError
from mopr.tests.factories import PASSWORD, CaseFactory

DAY = datetime.timedelta(days=1)
CONFLICT = "Ktoś zmienił te dane po tym, jak otworzyłeś formularz. Nic nie zostało zapisane."


@pytest.fixture
def change(org, p):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    return write("change", assign(case, p), p.assistant_a, on=timezone.localdate() - 9 * DAY)


def session(user) -> Browser:
    browser = Browser()
    assert browser.login(username=user.username, password=PASSWORD)
    return browser


def loaded_version(response) -> int:
    assert response.status_code in (200, 409), response.status_code
    found = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert found, "the form carries no version"
    return int(found.group(1))


def told(version, family=None, assistant=None) -> dict:
    return {
        "version": version,
        "family_told_worker_on": family.isoformat() if family else "",
        "assistant_told_worker_on": assistant.isoformat() if assistant else "",
    }


def test_a_stale_change_close_form_shows_the_conflict_and_saves_nothing(p, change):
    url = reverse("assistants:change_close", args=[change.pk])
    assistant, worker = session(p.assistant_a), session(p.worker_a)
    version_a, version_w = loaded_version(assistant.get(url)), loaded_version(worker.get(url))
    family_day, assistant_day = timezone.localdate() - 2 * DAY, timezone.localdate() - DAY

    assert worker.post(url, told(version_w, family=family_day)).status_code == 302

    refused = assistant.post(url, told(version_a, assistant=assistant_day))
    assert refused.status_code == 409
    page = refused.content.decode()
    assert CONFLICT in page
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert family_day.strftime("%d.%m.%Y") in table and assistant_day.strftime("%d.%m.%Y") in table
    assert str(p.worker_a) in page  # who saved it meanwhile
    change.refresh_from_db()
    assert (change.family_told_worker_on, change.assistant_told_worker_on, change.version) == (family_day, None, 2)

    # Having seen the worker's date, the assistant keeps it and adds their own.
    again = told(loaded_version(refused), family=family_day, assistant=assistant_day)
    assert assistant.post(url, again).status_code == 302
    change.refresh_from_db()
    assert (change.family_told_worker_on, change.assistant_told_worker_on, change.version) == (
        family_day,
        assistant_day,
        3,
    )
    assert change.history.latest().history_user == p.assistant_a


def test_the_service_refuses_a_stale_version(p, change):
    services.change_report_close(
        change=change, by=p.worker_a, family_told_on=timezone.localdate(), assistant_told_on=None, expected_version=1
    )
    with pytest.raises(StaleVersionError):
        services.change_report_close(
            change=change, by=p.assistant_a, family_told_on=None, assistant_told_on=timezone.localdate(),
            expected_version=1,
        )  # fmt: skip
    change.refresh_from_db()
    assert (change.assistant_told_worker_on, change.version) == (None, 2)
