"""Issue 16.11: one helper locks a record and refuses a stale form, one saves it with its author
in the history; the services use them instead of copies."""

import pathlib
import re

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from mopr.errors import StaleVersionError
from mopr.records import record_lock, record_save
from mopr.tests.factories import CaseFactory
from mopr.tests.project import own_apps


def test_record_lock_refuses_a_form_of_another_version(org):
    case = CaseFactory(region=org.region_a1)
    with transaction.atomic():
        assert record_lock(Case, case.pk, expected_version=case.version, stale="x").pk == case.pk
        with pytest.raises(StaleVersionError, match="zmieniona"):
            record_lock(Case.objects.all(), case.pk, expected_version=case.version + 1, stale="Sprawa zmieniona.")


def test_record_save_names_the_author_in_the_history_and_bumps_the_version(org, p):
    case = CaseFactory(region=org.region_a1)
    version = case.version
    case.urgent = True
    record_save(case, by=p.coordinator_a, bump_version=True)
    case.refresh_from_db()
    assert case.version == version + 1
    assert case.history.latest("history_date").history_user == p.coordinator_a
    assert case.history.latest("history_date").history_date <= timezone.now()


SERVICES = [
    path
    for app in own_apps()
    for path in pathlib.Path(app.path).rglob("*.py")
    if "tests" not in path.parts and "migrations" not in path.parts and path.name != "records.py"
]


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_service_copies_the_helpers(path):
    text = path.read_text()
    # The history's user set by hand before a save, or a version bumped by hand: record_save.
    assert not re.search(r"_history_user = \w+\n\s*(\w+\.)?save\(", text), "use mopr.records.record_save"
    assert ".version += 1" not in text, "use record_save(..., bump_version=True)"
    # A lock compared with the form's version by hand: record_lock.
    assert not re.search(r"select_for_update\(\)[^\n]*\n[^\n]*\.version != ", text), "use mopr.records.record_lock"
