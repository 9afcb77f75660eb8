"""Załącznik 1 (the Karta Pracy Socjalnej) against the form of seed 000, field by field, and its
layout with 75 entries, the family assistant and a monitoring (issue 15). The pages land as PNG
in test-output/pdf/ – look at them."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import OfficialNote
from cases.procedure import Stage
from cases.tests.test_printouts import save_pngs
from cases.tests.test_timeline_registry import assisted  # noqa: F401 - the fixture
from mopr.models import default_karta_footnote
from mopr.tests.factories import PASSWORD, CaseFactory

FORM = "Załącznik nr 1 do Procedury dotyczącej etapów metodycznego postępowania w pracy socjalnej"


def pages_of(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "k.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in raw.split("\f") if page.strip()]


def flat(text: str) -> str:
    return " ".join(text.split())


def karta(client, case, tmp_path, username="auditor_a") -> list[str]:
    client.login(username=username, password=PASSWORD)
    response = client.get(reverse("cases:karta_pdf", args=[case.pk]))
    assert response.status_code == 200
    return pages_of(response.content, tmp_path), response.content


def test_the_karta_has_every_field_of_the_form(client, assisted, tmp_path, p):  # noqa: F811
    pages, content = karta(client, assisted, tmp_path)
    text = flat(" ".join(pages))
    basis = assisted.institution.procedure_basis
    for expected in [
        f"{FORM} {basis}",  # the annex line with the institution's basis (a setting)
        "KARTA PRACY SOCJALNEJ Z OSOBĄ LUB RODZINĄ*",
        "Dane klienta (dane osobowe, adres zamieszkania)", "Adres zamieszkania:",
        "1. Opis zgłoszenia klienta / osoby anonimowej",
        "2. Przekazanie zgłoszenia do realizacji",
        "3. Ustalenie sytuacji klienta", "ze wskazaniem źródła informacji",
        "4. Diagnoza i ocena sytuacji / funkcjonowania klienta",
        "5. Uwagi / wnioski", "rezygnacja z pracy socjalnej i jej przyczyna",
        "6. Rejestracja dalszych działań",
        # The footnote in the form's own words, not reworded.
        "* " + flat(default_karta_footnote()),
    ]:  # fmt: skip
        assert expected in text, expected
    assert "Każdy wpis zawiera datę i autora" not in text  # the old rewording
    # Every entry: its date, its author, a place for that person's signature.
    entries = text.count("podpis ……………………………")
    assert entries >= 10
    for who in (p.worker_a, p.assistant_a, p.director_a, p.coordinator_a):
        assert f"· {who.get_full_name()}" in text, who
    save_pngs(content, "karta-assistant-monitoring")


def test_section_two_says_only_what_the_record_supports(client, org, p, tmp_path):
    """Issue 15.4: a case that no worker has yet was printed as taken by a worker of the region."""
    waiting = CaseFactory(region=org.region_a1)
    text = flat(" ".join(karta(client, waiting, tmp_path)[0]))
    assert "przyjęte bezpośrednio przez pracownika socjalnego" not in text
    assert "czeka na przekazanie przez koordynatora RPŚ-1" in text
    taken = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now())
    text = flat(" ".join(karta(client, taken, tmp_path)[0]))
    assert f"bezpośrednio przez pracownika socjalnego rejonu ({p.worker_a.get_full_name()})" in text


@pytest.fixture
def long_karta(assisted, p):  # noqa: F811
    """75 entries and more: notes of every length, some longer than a page."""
    today = timezone.localdate()
    for i in range(70):
        length = 3 if i % 10 else 60  # every tenth note runs over a page
        OfficialNote.objects.create(
            case=assisted, author=p.worker_a, written_on=today - datetime.timedelta(days=70 - i),
            content=" ".join([f"Notatka {i}: rozmowa z rodziną o postępach, ustalenia i zadania."] * length),
        )  # fmt: skip
    return assisted


def test_a_long_karta_stays_readable(client, long_karta, tmp_path):
    pages, content = karta(client, long_karta, tmp_path)
    save_pngs(content, "karta-75-entries")
    assert len(pages) > 10
    # An entry that runs on to the next page says so there.
    assert sum("(cd.) wpis z" in page for page in pages) >= 3
    # The footnote never stands alone: the last page has an entry too.
    assert "podpis ……………………………" in pages[-1] and "Każdy wpis zawarty w karcie" in flat(pages[-1])
    # No page is left empty below a long entry: every page but the last is well filled.
    lines = [sum(1 for line in page.splitlines() if line.strip()) for page in pages]
    fullest = max(lines)
    assert all(n >= 0.6 * fullest for n in lines[:-1]), lines
    # What a page draws stays small: a dotted rule under each entry's heading, drawn dot by dot,
    # once made this PDF megabytes and its render ten times slower (make bench, issue 18.6).
    assert len(content) < 25_000 * len(pages), f"{len(content) // 1024} KB for {len(pages)} pages"


def test_the_signature_block_of_section_two_keeps_to_its_text(client, org, p, tmp_path):
    case = CaseFactory(
        region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), transferred_at=timezone.now(),
        transferred_by=p.coordinator_a, stage=Stage.ROZEZNANIE,
    )  # fmt: skip
    services.note_write(case=case, by=p.worker_a, note=OfficialNote(written_on=timezone.localdate(), content="x"))
    pages = karta(client, case, tmp_path)[0]
    page = next(p_ for p_ in pages if "podpis koordynatora" in p_)
    assert "Data przekazania przez koordynatora" in page
