"""Issue 16.1: an entry is corrected openly by its author (or the coordinator) with a reason, or
withdrawn as made in error with a reason; the original stays readable, the case page, the
folder and the karta show "sprostowanie z dnia … – autor – powód", and what is derived follows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import procedure, services
from cases.models import Correction, Diagnosis, OfficialNote, Report, Visit
from cases.procedure import CloseReason, Stage
from cases.services.corrections import entry_correct, entry_withdraw
from cases.services.retention import case_anonymise
from mopr.errors import DomainError, NotAllowed
from mopr.models import AppendOnlyError
from mopr.tests.factories import PASSWORD, CaseFactory, DiagnosisFactory, ReportFactory, VisitFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def case(org, p):
    return CaseFactory(
        region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE,
        reported_at=timezone.now() - 20 * DAY,
    )  # fmt: skip


@pytest.fixture
def typo(case, p):
    """The visit of the issue: typed as 1926, with the first contact (and the contract's term) from it."""
    visited = timezone.now().replace(year=1926)
    visit = VisitFactory(case=case, author=p.worker_a, visited_at=visited, findings="Rozmowa z matką.")
    case.first_contact_at = timezone.localdate(visited)
    case.save()
    return visit


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_author_corrects_the_date_and_the_first_contact_follows(case, p, typo):
    right = typo.visited_at.replace(year=timezone.now().year) - 3 * DAY
    right = min(right, timezone.now() - DAY)
    correction = entry_correct(entry=typo, by=p.worker_a, reason="Błędnie wpisany rok.", values={"visited_at": right})
    typo.refresh_from_db()
    case.refresh_from_db()
    assert typo.visited_at == right
    assert case.first_contact_at == timezone.localdate(right)
    [change] = correction.changes
    assert change["label"] == "data i godzina wizyty" and change["before"].split()[0].endswith(".1926")
    assert correction.by == p.worker_a and correction.kind == Correction.Kind.CORRECT
    assert typo.history.count() == 2  # the original stays in the entry's history too


def test_the_corrected_date_must_be_plausible_too(case, p, typo):
    with pytest.raises(DomainError, match="wcześniejsza niż zgłoszenie"):
        entry_correct(entry=typo, by=p.worker_a, reason="x", values={"visited_at": timezone.now().replace(year=1927)})
    assert not Correction.objects.exists()


def test_a_correction_needs_a_reason_and_a_change(case, p, typo):
    with pytest.raises(DomainError, match="powód"):
        entry_correct(entry=typo, by=p.worker_a, reason=" ", values={"findings": "Inaczej."})
    with pytest.raises(DomainError, match="Nic nie zmieniono"):
        entry_correct(entry=typo, by=p.worker_a, reason="Literówka.", values={"findings": typo.findings})


def test_only_the_author_and_the_coordinator_correct(case, p, typo):
    for stranger in (p.worker_a_2, p.worker_a2, p.auditor_a, p.director_a):
        with pytest.raises(NotAllowed):
            entry_correct(entry=typo, by=stranger, reason="x", values={"findings": "y"})
    entry_correct(entry=typo, by=p.coordinator_a, reason="Uzgodnione z pracownikiem.", values={"findings": "y"})


def test_withdrawing_keeps_the_text_and_nothing_derived_counts_it(case, p, typo):
    correction = entry_withdraw(entry=typo, by=p.worker_a, reason="Wpis dotyczy innej rodziny.")
    case.refresh_from_db()
    assert not Visit.objects.filter(pk=typo.pk).exists() and Visit.all_records.filter(pk=typo.pk).exists()
    assert case.first_contact_at is None
    assert "Rozmowa z matką." in correction.changes[0]["before"]
    # The procedure does not count it either: no met visit, no diagnosis.
    move = procedure.Move(case=case, target=Stage.DIAGNOZA)
    assert "Zapisz wizytę" in procedure.refusal(move)
    with pytest.raises(DomainError, match="wycofano"):
        entry_correct(entry=typo, by=p.worker_a, reason="x", values={"findings": "y"})


def test_a_decision_is_not_corrected_nor_a_diagnosis_withdrawn(case, p):
    diagnosis = DiagnosisFactory(case=case, author=p.worker_a, diagnosed_on=timezone.localdate())
    with pytest.raises(DomainError):
        entry_correct(entry=diagnosis, by=p.worker_a, reason="x", values={"decision": Diagnosis.Decision.NO_PROBLEM})
    with pytest.raises(DomainError):
        entry_withdraw(entry=diagnosis, by=p.worker_a, reason="x")


def test_a_report_that_loses_its_reporter_becomes_anonymous(case, p):
    report = ReportFactory(case=case, received_by=p.worker_a, reporter_name="Jan Kowal", form="phone")
    entry_correct(entry=report, by=p.worker_a, reason="Zgłaszający prosił o anonimowość.", values={"reporter_name": ""})
    report.refresh_from_db()
    assert report.anonymous and report.needs_verification


def test_a_closed_case_takes_a_correction_an_anonymised_one_does_not(case, p, typo):
    services.case_close(case=case, by=p.worker_a, reason=CloseReason.REFUSAL, justification="Odmowa.")
    entry_correct(entry=typo, by=p.worker_a, reason="Literówka.", values={"findings": "Rozmowa z ojcem."})
    case.refresh_from_db()
    case.closed_at = timezone.now() - datetime.timedelta(days=11 * 366)  # past the retention period
    case.save()
    case_anonymise(case=case, by=p.director_a)
    typo.refresh_from_db()
    with pytest.raises(DomainError, match="zanonimizowana"):
        entry_correct(entry=typo, by=p.worker_a, reason="x", values={"findings": "z"})
    # The correction's own text went with the rest of the personal data.
    correction = Correction.objects.get()
    assert "ojcem" not in str(correction.changes) and "Literówka" not in correction.reason


def test_the_correction_record_is_append_only(case, p, typo):
    correction = entry_correct(entry=typo, by=p.worker_a, reason="Literówka.", values={"findings": "Inaczej."})
    with pytest.raises(AppendOnlyError):
        correction.save()
    with pytest.raises(AppendOnlyError):
        Correction.objects.all().delete()


def test_the_case_page_offers_the_correction_to_whom_may_make_it(client, case, p, typo):
    page = login(client, p.worker_a).get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("cases:entry_correct", args=[case.pk, "wizyta", typo.pk])
    assert url in page and reverse("cases:entry_withdraw", args=[case.pk, "wizyta", typo.pk]) in page
    client.logout()
    page = login(client, p.worker_a_2).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 403


def test_a_correction_through_the_page_reaches_the_timeline_and_the_karta(client, case, p, typo):
    login(client, p.worker_a)
    url = reverse("cases:entry_correct", args=[case.pk, "wizyta", typo.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Rozmowa z matką." in form.content.decode()
    when = (timezone.localtime() - 2 * DAY).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {"visited_at": when, "place": "home", "outcome": "met", "findings": "Rozmowa z matką.",
         "sprostowanie-reason": "Błędnie wpisany rok."},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    today = timezone.localdate().strftime("%d.%m.%Y")
    trace = f"sprostowanie z dnia {today} – {p.worker_a.get_full_name()} – Błędnie wpisany rok."
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert trace in page and "1926" in page  # the value before stays readable
    karta = client.get(reverse("cases:karta_preview", args=[case.pk])).content.decode()
    assert trace in karta and "Sprostowanie wpisu" in karta


def test_a_correction_without_a_reason_keeps_what_was_typed(client, case, p, typo):
    login(client, p.worker_a)
    url = reverse("cases:entry_correct", args=[case.pk, "wizyta", typo.pk])
    response = client.post(url, {"visited_at": "2026-01-01T10:00", "place": "home", "outcome": "met",
                                 "findings": "Nowy opis do zachowania."})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "Nowy opis do zachowania." in body
    assert not Correction.objects.exists()


def test_a_note_is_withdrawn_through_the_page(client, case, p):
    note = services.note_write(
        case=case, by=p.worker_a, note=OfficialNote(written_on=timezone.localdate(), content="Nie ta rodzina.")
    )
    login(client, p.worker_a)
    url = reverse("cases:entry_withdraw", args=[case.pk, "notatka", note.pk])
    assert client.post(url, {"reason": "Notatka innej rodziny."}).status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Wycofanie wpisu" in page and "Notatka innej rodziny." in page
    assert not OfficialNote.objects.exists()
    assert Report.objects.count() == 0  # nothing else touched


def test_the_contracts_data_is_corrected_by_its_author(case, p):
    from contracts.models import Contract
    from mopr.tests.factories import ContractFactory

    contract = ContractFactory(case=case, author=p.worker_a)
    contract.refresh_from_db()
    right = contract.drafted_on
    typo_signed = right.replace(year=right.year - 1) if right.month > 1 else right
    with pytest.raises(DomainError, match="podpisania"):
        entry_correct(entry=contract, by=p.worker_a, reason="x", values={"signed_on": typo_signed - DAY})
    correction = entry_correct(
        entry=contract, by=p.worker_a, reason="Literówka w ocenie sytuacji.", values={"problems": "Zadłużenie."}
    )
    assert Contract.objects.get().problems == "Zadłużenie." and correction.changes[0]["label"].startswith("problemy")
    with pytest.raises(DomainError):
        entry_withdraw(entry=contract, by=p.worker_a, reason="x")


def test_the_folder_asks_the_correction_policy_once_not_per_entry(client, org, p):
    """The family assistant sees the folder; who may correct is one question for the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assistants.tests.test_assistants import assign

    social = CaseFactory(
        region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA
    )
    assign(social, p)
    login(client, p.assistant_a)
    url = reverse("cases:folder", args=[social.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    note = OfficialNote(written_on=timezone.localdate(), content="Notatka.")
    services.note_write(case=social, by=p.worker_a, note=note)
    few = queries()
    for i in range(10):
        services.note_write(
            case=social, by=p.worker_a, note=OfficialNote(written_on=timezone.localdate(), content=f"Notatka {i}.")
        )
    assert queries() == few
