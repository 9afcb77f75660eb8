"""Stages II and III in a real browser: the worker finds out the situation (visits, a summons after
a refusal, a notification to the police, a document, the clinic, the child, an official note, the
Niebieska Karta flag), moves the case to the diagnosis and decides – social work in one case, an
unfounded report closed in the other; the case folder with its filter and a scan; the deadlines.

The starting case (accepted by worker_a, at stage II) is set up through the services; everything
after that happens in the browser. Every page visited is checked with axe-core (WCAG 2.0/2.1 A and
AA) and saved as a screenshot in test-output/screenshots/r*.png.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import (
    Case,
    CaseDocument,
    CaseFlag,
    ChildObservation,
    Client,
    Diagnosis,
    DocumentReview,
    FlagKind,
    InstitutionContact,
    Notification,
    OfficialNote,
    ParentApartInfo,
    Relation,
    ReportForm,
    StageTransition,
    Summons,
    TargetGroup,
    Visit,
)
from cases.procedure import CloseReason, Stage
from mopr.tests.browser import MAIN_MENU, login
from mopr.tests.browser import field_error as _field_error
from mopr.tests.browser import label as _label
from mopr.tests.browser import open_case as _open_case
from mopr.tests.browser import status as _status
from mopr.tests.browser import visit as _visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- helpers --------------------------------------------------------------------------------------


def _day(days_ago: int) -> str:
    """A date input's value, ``days_ago`` days before today."""
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def _moment(days_ago: int, at: str = "10:30") -> str:
    """A datetime-local input's value, ``days_ago`` days before today at ``at``."""
    return f"{_day(days_ago)}T{at}"


def _stage_badge(page):
    return page.locator("h1 + .badge")


def _open_entry(page, title: str) -> None:
    """From the case page: the sidebar's "Dodaj wpis" link to an entry form."""
    page.get_by_role("region", name="Dodaj wpis").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _save(page, button: str = "Zapisz") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _save_entry(page, title: str) -> None:
    """Submit an entry form that is expected to be accepted: back on the case page, confirmed."""
    _save(page)
    expect(_status(page)).to_contain_text(f"Zapisano: {title}.")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Sprawa "))


def _add_visit(page, *, days_ago: int, outcome: str, findings: str, participants: str = "") -> None:
    _open_entry(page, "Wizyta")
    page.get_by_label(_label("Data i godzina wizyty")).fill(_moment(days_ago, "09:15"))
    page.get_by_label(_label("Miejsce")).select_option(label="miejsce zamieszkania klienta")
    page.get_by_label(_label("Kto uczestniczył")).fill(participants)
    page.get_by_label(_label("Wynik")).select_option(label=outcome)
    page.get_by_label(_label("Ustalenia")).fill(findings)
    _save_entry(page, "Wizyta")


def _try_stage(page, button: str, reason: str = ""):
    """Press a "Następne kroki procedury" button, with ``reason`` in its Uzasadnienie field."""
    steps = page.get_by_role("region", name="Następne kroki procedury")
    form = steps.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))
    form.get_by_label(re.compile(r"^Uzasadnienie")).fill(reason)
    with page.expect_navigation():
        form.get_by_role("button", name=button, exact=True).click()
    return form


def _case_in_rozeznanie(org, p, *, child_age_years: int = 4) -> tuple[Case, Client]:
    """A family (mother and a small child) at ul. Szeroka. Two weeks ago a neighbour phoned worker_a,
    who thereby runs the case at once, and the next day the worker started the situation assessment –
    so that the entries made in the browser come after it in the case's history."""
    today = timezone.localdate()
    two_weeks_ago = timezone.now() - datetime.timedelta(days=14)
    with time_machine.travel(two_weeks_ago, tick=False):
        client = services.client_create(
            institution=org.inst_a,
            by=p.worker_a,
            kind=Client.Kind.FAMILY,
            address=services.AddressData(
                city="Toruń", street="Szeroka", house_number="21", flat_number="4", postal_code="87-100"
            ),
            members=[
                services.MemberData(first_name="Anna", last_name="Kowalczyk", birth_date=datetime.date(1994, 3, 8)),
                services.MemberData(
                    first_name="Zosia",
                    last_name="Kowalczyk",
                    birth_date=today.replace(year=today.year - child_age_years, day=1),
                    relation=Relation.CHILD,
                ),
            ],
        )
        report = services.report_register(
            by=p.worker_a,
            client=client,
            region=org.region_a1,
            target_group=TargetGroup.FAMILY_WITH_CHILDREN,
            report=services.ReportData(
                received_at=timezone.now() - datetime.timedelta(minutes=20),
                form=ReportForm.PHONE,
                content="Sąsiadka słyszy wieczorami krzyki i płacz małego dziecka; matka unika kontaktu.",
                reporter_name="Teresa Lewandowska",
                reporter_contact="tel. 600 200 300",
                reporter_relation="sąsiadka",
            ),
        )
    case = report.case
    assert case.worker == p.worker_a and case.accepted_at is not None
    with time_machine.travel(two_weeks_ago + datetime.timedelta(days=1), tick=False):
        case = services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a)
    return case, client


# --- the tests --------------------------------------------------------------------------------------


def test_rozeznanie_to_social_work(page, p, org):
    case, client = _case_in_rozeznanie(org, p)
    child = client.members.get(relation=Relation.CHILD)
    login(page, "worker_a")
    _open_case(page, case)
    expect(_stage_badge(page)).to_have_text("II. Rozeznanie sytuacji")
    mandatory = page.get_by_role("region", name="Brakujące obowiązkowe kontakty")
    expect(mandatory).to_contain_text("przychodnia rejonowa – Zosia Kowalczyk")
    _visit(page, "r01-case-rozeznanie")

    # A visit: first submitted empty (its date starts from now: cleared), then nobody at home.
    _open_entry(page, "Wizyta")
    _visit(page, "r02-visit-form")
    page.locator("#id_visited_at").fill("")
    _save(page)
    expect(_field_error(page, "id_visited_at")).to_have_text("To pole jest wymagane.")
    expect(_field_error(page, "id_outcome")).to_have_text("To pole jest wymagane.")
    _visit(page, "r03-visit-form-errors")
    page.get_by_role("link", name=case.number, exact=True).click()
    _add_visit(page, days_ago=12, outcome="nikogo nie zastano", findings="Drzwi zamknięte, zostawiono kartkę.")

    # A summons before any refusal of contact is refused, with the reason on the form.
    _open_entry(page, "Wezwanie do ośrodka")
    expect(page.locator("main")).to_contain_text("Po odmowie kontaktu")
    _visit(page, "r04-summons-form")
    page.get_by_label(_label("Data wezwania")).fill(_day(11))
    page.get_by_label(_label("Termin stawiennictwa w ośrodku")).fill(_moment(4))
    _save(page)
    expect(page.locator("#error-summary")).to_contain_text(
        "Wezwanie wystawia się po odmowie kontaktu zapisanej w wizycie."
    )
    _visit(page, "r05-summons-before-refusal")
    page.get_by_role("link", name=case.number, exact=True).click()

    _add_visit(
        page,
        days_ago=10,
        outcome="klient odmówił kontaktu (nie wpuścił pracownika)",
        participants="Anna Kowalczyk",
        findings="Matka rozmawiała przez drzwi, odmówiła wpuszczenia do mieszkania.",
    )

    # The summons to the office, with the appointment.
    _open_entry(page, "Wezwanie do ośrodka")
    page.get_by_label(_label("Data wezwania")).fill(_day(9))
    page.get_by_label(_label("Termin stawiennictwa w ośrodku")).fill(_moment(3, "10:30"))
    page.get_by_label(_label("Pokój / miejsce")).fill("pok. 12, parter")
    page.get_by_label(_label("Treść / uwagi")).fill("Wezwanie doręczone osobiście matce.")
    _save_entry(page, "Wezwanie do ośrodka")

    # A notification to the police.
    _open_entry(page, "Zawiadomienie służb")
    _visit(page, "r06-notification-form")
    page.get_by_label(_label("Służba")).select_option(label="Policja")
    page.get_by_label(_label("Nazwa i adres instytucji")).fill(
        "Komisariat Policji Toruń-Śródmieście, ul. Szeroka 30, 87-100 Toruń"
    )
    page.get_by_label(_label("Powód zawiadomienia")).fill(
        "Matka odmawia kontaktu, sąsiedzi zgłaszają krzyki dziecka; prośba o interwencję dzielnicowego."
    )
    page.get_by_label(_label("Data wysłania")).fill(_day(8))
    page.get_by_label(_label("Sposób wysłania")).select_option(label="pismo (poczta)")
    _save_entry(page, "Zawiadomienie służb")

    # A document of the client's: the child's health book.
    _open_entry(page, "Wgląd w dokument klienta")
    _visit(page, "r07-document-review-form")
    page.get_by_label(_label("Rodzaj dokumentu")).select_option(label="książeczka zdrowia dziecka")
    page.get_by_label(_label("Opis dokumentu")).fill("Książeczka zdrowia Zosi, szczepienia i bilanse")
    page.get_by_label(_label("Data wglądu")).fill(_day(7))
    page.get_by_label(_label("Co wynika z dokumentu")).fill("Szczepienia zgodnie z kalendarzem, brak bilansu 4-latka.")
    _save_entry(page, "Wgląd w dokument klienta")

    # The diagnosis is refused: no visit has met the family yet. The refusal says so; the panel of
    # mandatory contacts names the clinic for the child.
    _open_case(page, case)
    _visit(page, "r08-case-rozeznanie-entries")
    _try_stage(page, "Przejdź do diagnozy")
    # The refusal is said once (issue 17.9): the message at the top points to the form, whose
    # own alert gives the reason.
    expect(page.get_by_role("alert").filter(has_text="Nie zmieniono etapu sprawy")).to_contain_text(
        "powód jest przy formularzu"
    )
    refusal = page.get_by_role("region", name="Następne kroki procedury").get_by_role("alert")
    expect(refusal).to_contain_text("Zapisz wizytę, podczas której spotkano klienta")
    expect(page.get_by_text("Zapisz wizytę, podczas której spotkano klienta")).to_have_count(1)
    expect(mandatory).to_contain_text("przychodnia rejonowa – Zosia Kowalczyk")
    expect(_stage_badge(page)).to_have_text("II. Rozeznanie sytuacji")
    _visit(page, "r09-case-diagnosis-refused-no-visit")

    _add_visit(
        page,
        days_ago=6,
        outcome="spotkano klienta (i dzieci, jeśli są w rodzinie)",
        participants="Anna Kowalczyk, Zosia Kowalczyk",
        findings="Mieszkanie zadbane, matka zmęczona, przyznaje, że partner bywa agresywny.",
    )
    # Still refused: now the missing clinic contact for the child is the reason.
    _try_stage(page, "Przejdź do diagnozy")
    expect(refusal).to_contain_text("Brakuje obowiązkowych kontaktów: przychodnia rejonowa – Zosia Kowalczyk.")
    expect(_stage_badge(page)).to_have_text("II. Rozeznanie sytuacji")
    _visit(page, "r10-case-diagnosis-refused-no-clinic")

    # The district clinic about the child.
    _open_case(page, case)
    _open_entry(page, "Kontakt z instytucją")
    expect(page.locator("main")).to_contain_text("Obowiązkowo: przychodnia rejonowa dla dzieci do 7 lat")
    _visit(page, "r11-contact-form")
    page.get_by_label(_label("Instytucja")).select_option(label="przychodnia rejonowa")
    page.get_by_label(_label("Nazwa instytucji")).fill("Przychodnia Rejonowa nr 3, ul. Mostowa 5")
    page.get_by_label(_label("Dotyczy osoby")).select_option(label="Zosia Kowalczyk")
    page.get_by_label(_label("Data kontaktu")).fill(_day(5))
    page.get_by_label(_label("Forma kontaktu")).select_option(label="telefon")
    page.get_by_label(_label("Uzyskane informacje")).fill("Dziecko pod opieką przychodni, bilans 4-latka zaległy.")
    _save_entry(page, "Kontakt z instytucją")
    expect(page.get_by_role("region", name="Brakujące obowiązkowe kontakty")).to_have_count(0)

    # The child: a talk without the parent's consent is refused at the consent field, then recorded.
    _open_entry(page, "Obserwacja dziecka")
    _visit(page, "r12-child-observation-form")
    page.get_by_label(_label("Dziecko")).select_option(label="Zosia Kowalczyk")
    page.get_by_label(_label("Data obserwacji")).fill(_day(6))
    page.get_by_label(_label("Obserwacja funkcjonowania dziecka")).fill(
        "Dziewczynka czysta, zadbana, nieśmiała; chętnie pokazała zabawki."
    )
    page.get_by_label(_label("Przeprowadzono rozmowę z dzieckiem")).check()
    page.get_by_label(_label("Przebieg rozmowy")).fill("Zosia opowiadała o przedszkolu i o mamie.")
    _save(page)
    expect(_field_error(page, "id_consent_given_by")).to_have_text(
        "Rozmowa z dzieckiem wymaga zgody rodzica – wpisz, kto jej udzielił."
    )
    expect(page.get_by_label(_label("Przeprowadzono rozmowę z dzieckiem"))).to_be_checked()
    _visit(page, "r13-child-observation-no-consent")
    page.get_by_label(_label("Zgodę na rozmowę wyraził(a) (rodzic)")).fill("Anna Kowalczyk (matka)")
    _save_entry(page, "Obserwacja dziecka")

    # An official note: nothing has changed, no text needed.
    _open_entry(page, "Notatka służbowa")
    _visit(page, "r14-note-form")
    page.get_by_label(_label("Data notatki")).fill(_day(4))
    page.get_by_label(_label("Bez zmian w sytuacji klienta")).check()
    _save_entry(page, "Notatka służbowa")
    timeline = page.get_by_role("region", name="Przebieg sprawy")
    expect(timeline).to_contain_text("W sytuacji klienta nie zaszły istotne zmiany.")

    # The Niebieska Karta flag: on the case page and in the case list.
    page.get_by_role("region", name="Oznaczenia").get_by_role("link", name=re.compile(r"^Dodaj oznaczenie")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oznaczenie sprawy")
    _visit(page, "r15-flag-form")
    page.get_by_label(_label("Oznaczenie")).select_option(label="Niebieska Karta")
    page.get_by_label(_label("Data wszczęcia procedury")).fill(_day(3))
    page.get_by_label(_label("Kto wszczął (instytucja, osoba)")).fill("Policja – dzielnicowy st. sierż. Nowicki")
    _save(page, "Dodaj oznaczenie")
    expect(_status(page)).to_contain_text("Dodano oznaczenie sprawy.")
    expect(page.locator("h1 ~ .badge-flag")).to_have_text("Niebieska Karta")
    expect(page.get_by_role("region", name="Oznaczenia")).to_contain_text("Niebieska Karta")
    _visit(page, "r16-case-flagged")
    page.get_by_role("navigation", name=MAIN_MENU).get_by_role("link", name="Sprawy", exact=True).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=case.number, exact=True))
    expect(row.locator(".badge-flag")).to_have_text("Niebieska Karta")
    expect(row).to_contain_text("II. Rozeznanie sytuacji")
    _visit(page, "r17-case-list-flagged")
    row.get_by_role("link", name=case.number, exact=True).click()

    # Now the diagnosis may start.
    _try_stage(page, "Przejdź do diagnozy")
    expect(_status(page)).to_contain_text("Sprawa przeszła do etapu: III. Diagnoza.")
    expect(_stage_badge(page)).to_have_text("III. Diagnoza")
    _visit(page, "r18-case-diagnoza")

    # The diagnosis and its decision: social work.
    page.get_by_role("link", name="Diagnoza i decyzja").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnoza i ocena sytuacji (Karta pkt 4 i 5)")
    expect(page.locator("h1 ~ .badge-flag")).to_have_text("Niebieska Karta")  # on every screen of the case
    _visit(page, "r19-diagnosis-form")
    _save(page, "Zapisz diagnozę i decyzję")
    expect(_field_error(page, "id_facts")).to_have_text("To pole jest wymagane.")
    expect(_field_error(page, "id_decision")).to_have_text("To pole jest wymagane.")
    _visit(page, "r20-diagnosis-form-errors")
    page.get_by_label(_label("Data diagnozy")).fill(_day(0))
    page.get_by_label(_label("Stan faktyczny")).fill(
        "Matka samotnie wychowuje 4-letnią córkę; partner nadużywa alkoholu i bywa agresywny."
    )
    page.get_by_label("bezradność w sprawach opiekuńczo-wychowawczych").check()
    page.get_by_label("przemoc domowa").check()
    page.get_by_label(_label("Zapewnienie dzieciom opieki i wychowania")).fill("Opieka zapewniona przez matkę.")
    page.get_by_label(_label("Zasoby klienta i środowiska")).fill("Wsparcie babci, stała praca matki.")
    page.get_by_label(_label("Klient funkcjonuje w sposób dysfunkcyjny i wymaga pomocy")).check()
    page.get_by_label(_label("Decyzja")).select_option(label="potrzebna praca socjalna – zawarcie kontraktu socjalnego")
    page.get_by_label(_label("Uzasadnienie / uwagi i wnioski")).fill("Potrzebne wsparcie w ochronie przed przemocą.")
    _save(page, "Zapisz diagnozę i decyzję")
    expect(_status(page)).to_contain_text("Zapisano diagnozę. Sprawa przeszła do etapu pracy socjalnej.")
    expect(_stage_badge(page)).to_have_text("IV. Praca socjalna")
    expect(page.locator("h1 ~ .badge-flag")).to_have_text("Niebieska Karta")
    _visit(page, "r21-case-praca-socjalna")

    # The case folder: only the visits, then a scan.
    page.get_by_role("link", name="Teczka sprawy: wszystkie wpisy i skany, z filtrem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Teczka sprawy {case.number}")
    expect(page.locator("h1 ~ .badge-flag")).to_have_text("Niebieska Karta")
    folder = page.locator("ol.timeline")
    expect(folder).to_contain_text("Notatka służbowa")
    _visit(page, "r22-folder")
    page.get_by_role("checkbox", name="Wizyty", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Filtruj").click()
    expect(page).to_have_url(re.compile(r"\?rodzaj=visit$"))
    expect(page.get_by_role("checkbox", name="Wizyty", exact=True)).to_be_checked()
    expect(folder.locator("> li")).to_have_count(3)
    expect(folder).to_contain_text("Wizyta: nikogo nie zastano")
    expect(folder).to_contain_text("Wizyta: klient odmówił kontaktu")
    expect(folder).to_contain_text("Wizyta: spotkano klienta (i dzieci, jeśli są w rodzinie)")
    expect(folder).not_to_contain_text("Notatka służbowa")
    expect(folder).not_to_contain_text("Wezwanie do ośrodka")
    _visit(page, "r23-folder-visits-only")

    upload = page.get_by_role("region", name="Dodaj skan do teczki")
    upload.get_by_label(_label("Rodzaj")).select_option(label="zgoda / oświadczenie klienta")
    upload.get_by_label(_label("Opis")).fill("Zgoda matki na rozmowę z dzieckiem")
    upload.get_by_label(_label("Data dokumentu")).fill(_day(6))
    # A text file is not a scan: refused at the file field.
    upload.get_by_label(_label("Plik (PDF, JPEG, PNG, ODT, DOCX)")).set_input_files(
        {"name": "notatka.txt", "mimeType": "text/plain", "buffer": b"zwykly tekst"}
    )
    _save(page, "Dodaj skan")
    expect(_field_error(page, "id_file")).to_have_text("Dozwolone pliki: PDF, JPEG, PNG, ODT, DOCX.")
    _visit(page, "r24-folder-upload-refused")
    upload.get_by_label(_label("Plik (PDF, JPEG, PNG, ODT, DOCX)")).set_input_files(
        {"name": "zgoda-matki.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    _save(page, "Dodaj skan")
    expect(_status(page)).to_contain_text("Dodano skan do teczki.")
    download = page.get_by_role("link", name="Pobierz zgoda-matki.pdf")
    expect(download).to_be_visible()
    response = page.request.get(download.get_attribute("href"))
    assert response.ok and response.body() == PDF
    assert "attachment" in response.headers["content-disposition"]
    _visit(page, "r25-folder-scan-uploaded")

    # The deadlines: the contract is due two months after the first met visit.
    page.get_by_role("navigation", name=MAIN_MENU).get_by_role("link", name="Terminy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terminy")
    coming = page.get_by_role("table", name="Terminy w toku, od najbliższego")
    expect(coming.get_by_role("row").filter(has_text=case.number)).to_contain_text("Kontrakt socjalny (nowy klient)")
    _visit(page, "r26-deadlines")

    case.refresh_from_db()
    met_on = timezone.localdate() - datetime.timedelta(days=6)
    assert case.stage == Stage.PRACA_SOCJALNA
    assert case.first_contact_at == met_on
    assert case.social_work_started_at == timezone.localdate()
    assert list(case.visits.order_by("visited_at").values_list("outcome", flat=True)) == [
        Visit.Outcome.NOBODY_HOME,
        Visit.Outcome.REFUSED,
        Visit.Outcome.MET,
    ]
    summons = Summons.objects.get(case=case)
    assert summons.visit.outcome == Visit.Outcome.REFUSED and summons.room == "pok. 12, parter"
    assert timezone.localtime(summons.appointment_at).strftime("%H:%M") == "10:30"
    notification = Notification.objects.get(case=case)
    assert notification.service == Notification.Service.POLICE and notification.answered_on is None
    assert DocumentReview.objects.get(case=case).kind == DocumentReview.Kind.CHILD_HEALTH_BOOK
    contact = InstitutionContact.objects.get(case=case)
    assert contact.kind == InstitutionContact.Kind.DISTRICT_CLINIC and contact.member == child
    observation = ChildObservation.objects.get(case=case)
    assert observation.child == child and observation.talked_with_child
    assert observation.consent_given_by == "Anna Kowalczyk (matka)"
    note = OfficialNote.objects.get(case=case)
    assert note.nothing_changed and note.content == str(OfficialNote.NOTHING_CHANGED)
    flag = CaseFlag.objects.get(case=case)
    assert flag.kind == FlagKind.NIEBIESKA_KARTA and flag.removed_at is None and flag.created_by == p.worker_a
    diagnosis = Diagnosis.objects.get(case=case)
    assert diagnosis.decision == Diagnosis.Decision.SOCIAL_WORK and diagnosis.dysfunctional
    assert sorted(diagnosis.problem_areas) == ["care_upbringing", "violence"]
    document = CaseDocument.objects.get(case=case)
    assert document.original_name == "zgoda-matki.pdf" and document.content_type == "application/pdf"
    assert ParentApartInfo.objects.filter(case=case).count() == 0
    assert list(case.transitions.values_list("to_stage", flat=True)) == [
        Stage.ZGLOSZENIE,
        Stage.ROZEZNANIE,
        Stage.DIAGNOZA,
        Stage.PRACA_SOCJALNA,
    ]
    # Every entry is signed by the worker who wrote it.
    for model in (Visit, Summons, Notification, DocumentReview, InstitutionContact, ChildObservation, OfficialNote):
        assert set(model.objects.filter(case=case).values_list("author", flat=True)) == {p.worker_a.pk}


def test_unfounded_report_closes_after_diagnosis(page, p, org):
    case, _client = _case_in_rozeznanie(org, p)
    login(page, "worker_a")
    _open_case(page, case)
    _visit(page, "r50-unfounded-case-rozeznanie")

    _add_visit(
        page,
        days_ago=3,
        outcome="spotkano klienta (i dzieci, jeśli są w rodzinie)",
        participants="Anna Kowalczyk, Zosia Kowalczyk",
        findings="Dziecko zdrowe i zadbane; płacz wieczorem to ząbkowanie młodszego dziecka sąsiadów.",
    )
    # The clinic has not answered yet: the worker goes on and says why.
    _try_stage(
        page, "Przejdź do diagnozy", reason="Przychodnia nie odpowiedziała; sytuacja dziecka ustalona na wizycie."
    )
    expect(_status(page)).to_contain_text("Sprawa przeszła do etapu: III. Diagnoza.")
    expect(_stage_badge(page)).to_have_text("III. Diagnoza")
    _visit(page, "r51-unfounded-case-diagnoza")

    page.get_by_role("link", name="Diagnoza i decyzja").click()
    page.get_by_label(_label("Data diagnozy")).fill(_day(0))
    page.get_by_label(_label("Stan faktyczny")).fill("Matka z córką; potrzeby dziecka zaspokojone, brak przemocy.")
    page.get_by_label(_label("Zasoby klienta i środowiska")).fill("Stała praca matki, pomoc dziadków.")
    page.get_by_label(_label("Decyzja")).select_option(label="nie stwierdzono problemu – rezygnacja z pracy socjalnej")
    _save(page, "Zapisz diagnozę i decyzję")
    expect(_field_error(page, "id_justification")).to_have_text("Uzasadnij, dlaczego nie podejmujesz pracy socjalnej.")
    expect(page.get_by_label(_label("Stan faktyczny"))).to_have_value(re.compile("brak przemocy"))
    _visit(page, "r52-unfounded-diagnosis-no-justification")
    assert Diagnosis.objects.filter(case=case).count() == 0

    page.get_by_label(_label("Uzasadnienie / uwagi i wnioski")).fill(
        "Zgłoszenie się nie potwierdziło: dziecko pod dobrą opieką, rodzina nie potrzebuje pracy socjalnej."
    )
    _save(page, "Zapisz diagnozę i decyzję")
    expect(_status(page)).to_contain_text("Zapisano diagnozę. Sprawa zakończona: zgłoszenie nieuzasadnione.")
    expect(_stage_badge(page)).to_have_text("V. Zakończona")
    closed = page.locator("main .alert-secondary")
    expect(closed).to_contain_text("Sprawa zakończona")
    expect(closed).to_contain_text("Zgłoszenie nieuzasadnione")
    expect(closed).to_contain_text("dziecko pod dobrą opieką")
    expect(page.get_by_role("region", name="Następne kroki procedury")).to_contain_text("Wznów zakończoną sprawę")
    _visit(page, "r53-unfounded-case-closed")

    case.refresh_from_db()
    assert case.stage == Stage.ZAKONCZENIE and case.closed_at is not None
    assert case.close_reason == CloseReason.UNFOUNDED
    assert "dobrą opieką" in case.close_justification
    assert Visit.objects.filter(case=case, outcome=Visit.Outcome.MET).count() == 1
    assert Diagnosis.objects.get(case=case).decision == Diagnosis.Decision.NO_PROBLEM
    assert InstitutionContact.objects.filter(case=case).count() == 0
    to_diagnosis = StageTransition.objects.get(case=case, to_stage=Stage.DIAGNOZA)
    assert to_diagnosis.reason.startswith("Przychodnia nie odpowiedziała")
    closing = StageTransition.objects.get(case=case, to_stage=Stage.ZAKONCZENIE)
    assert closing.close_reason == CloseReason.UNFOUNDED and closing.by == p.worker_a
    assert case.social_work_started_at is None
