"""The newest entries of a case (the case detail): case_timeline(newest=N) is exactly the end of
the whole timeline, in the same number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    CaseDocument,
    CaseFlag,
    ChildObservation,
    FlagKind,
    InstitutionContact,
    Notification,
    OfficialNote,
    ReportForm,
    StageTransition,
    Summons,
)
from cases.procedure import Stage
from cases.timeline import case_timeline
from cases.views import TIMELINE_ON_DETAIL
from mopr.tests.factories import CaseFactory, ContractFactory, DiagnosisFactory, ReportFactory, VisitFactory


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def written(entry, when: datetime.datetime) -> None:
    """Set when the entry was written down (auto_now_add ignores a value given on create)."""
    type(entry).objects.filter(pk=entry.pk).update(created_at=when)


@pytest.fixture
def case(org, p):
    now = timezone.now()
    return CaseFactory(
        region=org.region_a1,
        worker=p.worker_a,
        transferred_by=p.coordinator_a,
        transferred_at=now - datetime.timedelta(days=60),
        accepted_at=now - datetime.timedelta(days=59),
        reported_at=now - datetime.timedelta(days=61),
        stage=Stage.PRACA_SOCJALNA,
    )


@pytest.fixture
def busy_case(case, p):
    """Entries of every sort that orders differently from its primary key, mixed across the kinds."""
    today = timezone.localdate()
    day = today - datetime.timedelta(days=2)  # the day most of the date-only entries share
    earlier = today - datetime.timedelta(days=10)
    author = case.worker
    common = {"case": case, "author": author}
    child = case.client.members.first()

    # An anonymous report received two months ago, verified yesterday: two items of one row.
    ReportFactory(
        case=case,
        form=ReportForm.PHONE,
        anonymous=True,
        received_at=case.reported_at,
        needs_verification=True,
        verified_at=timezone.now() - datetime.timedelta(days=1),
        verified_by=author,
        verification_note="Potwierdzono na miejscu.",
    )
    # A flag set long ago and removed an hour ago.
    flag = CaseFlag.objects.create(case=case, kind=FlagKind.NIEBIESKA_KARTA, started_on=earlier,
                                   started_by="Policja", created_by=author)  # fmt: skip
    CaseFlag.objects.filter(pk=flag.pk).update(created_at=at(earlier, 8))
    CaseFlag.objects.filter(pk=flag.pk).update(
        removed_at=timezone.now() - datetime.timedelta(hours=1), removed_by=author, removal_reason="Zakończono."
    )
    for days in (40, 30, 20):
        when = timezone.now() - datetime.timedelta(days=days)
        StageTransition.objects.create(case=case, to_stage=Stage.ROZEZNANIE, by=author, at=when, reason=f"{days}")
    # Visits at times out of the order they were written in.
    for days, hour in ((3, 18), (2, 7), (2, 21), (12, 9)):
        VisitFactory(case=case, author=author, visited_at=at(today - datetime.timedelta(days=days), hour))

    # Notes whose order within their day is not the order of their primary keys: written that
    # day (ordered by the time written), written down on another day (the last of their day),
    # backdated or written ahead. The one written ahead, for today, is the newest of all.
    n0 = OfficialNote.objects.create(**common, written_on=today, content="N0 wpisana dzień wcześniej")
    n1 = OfficialNote.objects.create(**common, written_on=today, content="N1 o 15:00")
    n2 = OfficialNote.objects.create(**common, written_on=today, content="N2 o 9:00")
    OfficialNote.objects.create(**common, written_on=day, content="N3 wpisana później")
    n4 = OfficialNote.objects.create(**common, written_on=day, content="N4 o 12:00")
    OfficialNote.objects.create(**common, written_on=day, content="N5 wpisana później")
    n6 = OfficialNote.objects.create(**common, written_on=day, content="N6 o 8:00")
    # Just after local midnight: the day before in UTC, the same day for the sort.
    n7 = OfficialNote.objects.create(**common, written_on=day, content="N7 o 0:30")
    written(n0, at(today - datetime.timedelta(days=1), 16))
    written(n1, at(today, 15))
    written(n2, at(today, 9))
    written(n4, at(day, 12))
    written(n6, at(day, 8))
    written(n7, at(day, 0, 30))
    OfficialNote.objects.create(**common, written_on=earlier, content="Stara notatka")

    # Other date-only kinds on the same days, so the kinds interleave within a day.
    c1 = InstitutionContact.objects.create(**common, kind="school", contacted_on=day, form="phone",
                                           learnt="Frekwencja dobra.", member=child)  # fmt: skip
    written(c1, at(day, 13))
    InstitutionContact.objects.create(**common, kind="school", contacted_on=earlier, form="phone",
                                      learnt="Oceny słabe.", member=child)  # fmt: skip
    for sent_on in (earlier, day, day):
        Notification.objects.create(**common, service="police", service_name="KMP Toruń", reason="Awantura",
                                    sent_on=sent_on, sent_how="letter")  # fmt: skip
    observation = ChildObservation.objects.create(**common, child=child, observed_on=day, observation="Pogodne.")
    written(observation, at(day, 11))
    Summons.objects.create(**common, issued_on=today, appointment_at=at(today + datetime.timedelta(days=7), 10))
    DiagnosisFactory(case=case, author=author, diagnosed_on=day)
    CaseDocument.objects.create(**common, kind="other", document_date=earlier, description="Skan",
                                original_name="skan.pdf", content_type="application/pdf", size=0)  # fmt: skip
    ContractFactory(case=case)
    # A period of moving away, from the case's history.
    case.moving_away_since = today - datetime.timedelta(days=4)
    case.moving_away_plan = "Kontakt raz w miesiącu."
    case.save()
    return case


def count_queries(**kwargs):
    with CaptureQueriesContext(connection) as ctx:
        items = case_timeline(**kwargs)
    return items, len(ctx.captured_queries)


def test_the_newest_are_the_end_of_the_whole_timeline(busy_case):
    full, all_queries = count_queries(case=busy_case)
    assert len(full) > 30
    kinds = {item.kind for item in full}
    assert {"report", "flag", "transfer", "transition", "visit", "note", "contract"} <= kinds
    for n in range(len(full) + 3):
        newest, queries = count_queries(case=busy_case, newest=n)
        assert newest == full[max(len(full) - n, 0) :], n
        assert queries == all_queries or n == 0, n  # newest=0 asks nothing of a limited kind


def test_rows_the_detail_has_read_already_make_the_same_timeline_with_fewer_queries(busy_case):
    """The case detail hands its reports, contracts and declarations to the timeline."""
    from contracts.models import Declaration
    from contracts.selectors import contracts_of, declarations_of

    Declaration.objects.create(
        case=busy_case, author=busy_case.worker, parent=busy_case.client.members.first(), full_name="Jan Nowak",
        address="Szeroka 1, Toruń", id_card="ABC123456", place="Toruń", signed_on=timezone.localdate(),
    )  # fmt: skip
    full, all_queries = count_queries(case=busy_case)
    assert "declaration" in {item.kind for item in full}
    contracts = list(contracts_of(case=busy_case))
    loaded = {
        "report": list(busy_case.reports.select_related("received_by", "verified_by")),
        "contract": contracts,
        "declaration": list(declarations_of(case=busy_case)),
    }
    assert count_queries(case=busy_case, loaded=loaded) == (full, all_queries - 5)
    for n in (1, 5, 10, len(full)):
        assert case_timeline(case=busy_case, newest=n, loaded=loaded) == full[-n:], n


@pytest.mark.parametrize("kinds", [{"note"}, {"note", "contact", "child", "diagnosis"}, {"flag", "report", "visit"}])
def test_the_newest_of_some_kinds(busy_case, kinds):
    full = case_timeline(case=busy_case, kinds=kinds)
    for n in range(1, len(full) + 2):
        assert case_timeline(case=busy_case, kinds=kinds, newest=n) == full[max(len(full) - n, 0) :], n


def test_a_flag_removed_lately_and_a_verification_are_among_the_newest(busy_case):
    titles = [item.title for item in case_timeline(case=busy_case, newest=6)]
    assert "Zdjęto oznaczenie: Niebieska Karta" in titles
    assert "Weryfikacja zgłoszenia anonimowego" in titles


def test_more_than_there_are_is_everything(case):
    full = case_timeline(case=case)
    assert case_timeline(case=case, newest=100) == full and len(full) == 2


def test_the_detail_shows_the_newest_entries_and_links_to_the_folder(client, case):
    today = timezone.localdate()
    for i in range(TIMELINE_ON_DETAIL + 5):
        OfficialNote.objects.create(
            case=case, author=case.worker, written_on=today - datetime.timedelta(days=30 - i), content=f"Wpis nr {i}."
        )
    client.force_login(case.worker)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"Wpis nr {TIMELINE_ON_DETAIL + 4}." in page
    assert "Wpis nr 0." not in page
    assert f"Ostatnie wpisy ({TIMELINE_ON_DETAIL} najnowszych" in page
    folder = reverse("cases:folder", args=[case.pk])
    assert f'href="{folder}"' in page and "Teczka sprawy: wszystkie wpisy i skany, z filtrem" in page
    # The folder still has them all.
    assert "Wpis nr 0." in client.get(folder).content.decode()


def test_a_short_timeline_is_not_called_the_newest(client, case):
    client.force_login(case.worker)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Przyjęcie do realizacji" in page and "Ostatnie wpisy" not in page
