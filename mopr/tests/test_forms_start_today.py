"""Issue 16.8: a form of something done today starts from today, in every app (a worker types a
date only when it is not today)."""

import datetime

import pytest
import time_machine
from django import forms

from assistants import forms as assistant_forms
from cases import forms as case_forms
from cases.entry_views import ENTRY_KINDS
from cases.models import Case
from contracts import forms as contract_forms
from meetings import forms as forms_meetings
from mopr.models import User
from mopr.tests.factories import CaseFactory
from refusals import forms as forms_monitoring

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2026, 3, 9, 10, 17, 42, tzinfo=datetime.UTC)


def _value(form: forms.BaseForm, name: str):
    return form[name].value()


@time_machine.travel(DAY, tick=False)
@pytest.mark.parametrize("slug", sorted(ENTRY_KINDS))
def test_every_entry_of_the_case_starts_from_today(slug):
    kind = ENTRY_KINDS[slug]
    form = kind.form(case=CaseFactory())
    first = form.date_fields[0]
    value = _value(form, first)
    if isinstance(form.fields[first], forms.DateTimeField):
        assert value.replace(tzinfo=None) == datetime.datetime(2026, 3, 9, 11, 17)  # Warsaw, to the minute
    else:
        assert value == datetime.date(2026, 3, 9)


@time_machine.travel(DAY, tick=False)
def test_an_entry_being_edited_keeps_its_own_date():
    from cases.models import OfficialNote

    note = OfficialNote(pk=1, written_on=datetime.date(2026, 1, 2), content="x")
    form = case_forms.NoteForm(instance=note, case=CaseFactory())
    assert _value(form, "written_on") == datetime.date(2026, 1, 2)


@time_machine.travel(DAY, tick=False)
@pytest.mark.parametrize(
    ("form", "name"),
    [
        (lambda: case_forms.FlagForm(), "started_on"),
        (lambda: case_forms.NotificationAnswerForm(), "answered_on"),
        (lambda: assistant_forms.VisitForm(), "visited_on"),
        (lambda: assistant_forms.PlanForm(), "drafted_on"),
        (lambda: assistant_forms.AssessmentForm(), "assessed_on"),
        (lambda: assistant_forms.ChangeForm(), "learnt_on"),
        (lambda: assistant_forms.InterviewForm(), "interview_on"),
        (lambda: assistant_forms.EndForm(), "ended_on"),
        (lambda: contract_forms.SignForm(), "signed_on"),
        (lambda: contract_forms.AmendmentForm(), "amended_on"),
        (lambda: contract_forms.EndForm(), "ended_on"),
        (lambda: forms_meetings.MeetingForm(attendees=User.objects.none(), cases=Case.objects.none()), "held_on"),
        (lambda: forms_meetings.FollowUpForm(), "done_on"),
        (lambda: forms_monitoring.OpenForm(), "refused_on"),
        (lambda: forms_monitoring.DateDoneForm(), "done_on"),
        (lambda: forms_monitoring.ReportForm(), "report_on"),
    ],
)
def test_forms_of_a_workers_day_start_from_today(form, name):
    assert _value(form(), name) == datetime.date(2026, 3, 9)


@time_machine.travel(DAY, tick=False)
def test_a_planned_date_and_a_date_of_the_past_do_not():
    assert _value(forms_monitoring.PlanForm(), "date_2") is None
    assert _value(assistant_forms.CourtRequestForm(), "ruled_on") is None


@time_machine.travel(DAY, tick=False)
def test_today_is_still_refused_tomorrow():
    form = case_forms.FlagForm(data={"kind": "", "started_on": "2026-03-10", "started_by": "x"})
    assert not form.is_valid()
    assert "z przyszłości" in str(form.errors["started_on"])
