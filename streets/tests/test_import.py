"""TERYT ULIC into the centre's streets (issue 19.3): the sample file, its encodings, only the
municipality's rows, a second run, a newer file, malformed rows, a wrong code."""

from pathlib import Path

import pytest

from mopr.errors import DomainError, NotAllowed
from mopr.models import AccessLog
from streets.models import Street, StreetRange, StreetSource
from streets.services import street_import, street_range_add

SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "ULIC_sample.csv"
TORUN = "0463011"
HEADER = "WOJ;POW;GMI;RODZ_GMI;SYM;SYM_UL;CECHA;NAZWA_1;NAZWA_2;STAN_NA"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def row(sym_ul: str, nazwa_1: str, nazwa_2: str = "", cecha: str = "ul.", stan_na: str = "2025-01-02",
        gmina: str = "04;63;01;1") -> str:  # fmt: skip
    return f"{gmina};0968139;{sym_ul};{cecha};{nazwa_1};{nazwa_2};{stan_na}"


def names(institution) -> set[str]:
    return {s.display_name for s in Street.objects.filter(institution=institution).exclude(sym_ul="")}


def test_the_sample_file_gives_the_municipalitys_streets_only(org, p):
    result = street_import(by=p.director_a, gmina_code=TORUN, data=SAMPLE.read_bytes())
    assert result.encoding == "UTF-8 (BOM)"
    # conftest's five streets of inst_a, entered by hand, are linked to their entries, the rest new.
    assert len(result.created) == 49 and len(result.linked) == 5
    assert result.other_gmina == 4 and not result.rejected
    kopernik = Street.objects.get(institution=org.inst_a, nazwa_1="Kopernika")
    assert kopernik.display_name == "ul. Mikołaja Kopernika"
    assert (kopernik.woj, kopernik.pow, kopernik.gmi, kopernik.rodz_gmi, kopernik.sym) == (
        "04",
        "63",
        "01",
        "1",
        "0968139",
    )
    assert str(kopernik.stan_na) == "2025-01-02"
    # Bydgoszcz's and Lubicz's streets of the national file are not Toruń's.
    assert not Street.objects.filter(nazwa_1__in=["Gdańska", "Dworcowa", "Toruńska"]).exists()
    source = StreetSource.objects.get(institution=org.inst_a)
    assert source.gmina_code == TORUN and source.imported_by == p.director_a
    assert AccessLog.objects.filter(
        user=p.director_a, action=AccessLog.Action.SETTINGS, what__contains="TERYT"
    ).exists()
    assert kopernik.history.first().history_user == p.director_a


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8-sig"), id="utf8-bom"),
        pytest.param(lambda text: text.encode("utf-8"), id="utf8"),
        pytest.param(lambda text: text.encode("cp1250"), id="windows-1250"),
    ],
)
def test_every_encoding_gus_used_reads_the_same_polish_letters(org, p, encode):
    text = "\r\n".join([HEADER, row("21584", "Żółkiewskiego"), row("10712", "Łąkowa"), row("04231", "Świętopełka")])
    result = street_import(by=p.director_a, gmina_code=TORUN, data=encode(text))
    assert names(org.inst_a) == {"ul. Żółkiewskiego", "ul. Łąkowa", "ul. Świętopełka"}
    assert len(result.created) == 3 and not result.rejected


def test_a_zipped_file_as_gus_hands_it_out(org, p):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ULIC_Urzedowy_2025-01-02.csv", SAMPLE.read_bytes())
    result = street_import(by=p.director_a, gmina_code=TORUN, data=buffer.getvalue())
    assert len(result.created) + len(result.linked) == 54


def test_the_same_file_again_changes_nothing(org, p):
    street_import(by=p.director_a, gmina_code=TORUN, data=SAMPLE.read_bytes())
    before = {s.pk: (s.display_name, s.history.count()) for s in Street.objects.all()}
    again = street_import(by=p.director_a, gmina_code=TORUN, data=SAMPLE.read_bytes())
    assert (again.created, again.updated, again.removed, again.kept, again.linked) == ([], [], [], [], [])
    assert again.unchanged == 54 and not again.changed
    assert {s.pk: (s.display_name, s.history.count()) for s in Street.objects.all()} == before


def test_a_newer_file_renames_says_what_and_keeps_a_gone_street_a_region_serves(org, p):
    first = csv(row("00001", "Szeroka"), row("00002", "Marchlewskiego", "Juliana"), row("00003", "Wąska"),
                row("00004", "Krótka"))  # fmt: skip
    street_import(by=p.director_a, gmina_code=TORUN, data=first)
    served = Street.objects.get(nazwa_1="Wąska")
    street_range_add(by=p.director_a, region_id=org.region_a2.pk, street_id=served.pk)
    newer = csv(row("00001", "Szeroka", stan_na="2026-01-02"),
                row("00002", "Wyszyńskiego", "Stefana", stan_na="2026-01-02"))  # fmt: skip
    result = street_import(by=p.director_a, gmina_code=TORUN, data=newer)
    assert result.updated == [("ul. Juliana Marchlewskiego", "ul. Stefana Wyszyńskiego")]
    assert result.unchanged == 1
    assert result.removed == ["ul. Krótka"]  # no region served it
    assert result.kept == [("ul. Wąska", ["RPŚ-2"])]
    served.refresh_from_db()
    assert not served.in_teryt and StreetRange.objects.filter(street=served).exists()
    renamed = Street.objects.get(sym_ul="00002")
    assert renamed.history.earliest().nazwa_1 == "Marchlewskiego" and str(renamed.stan_na) == "2026-01-02"


def test_malformed_rows_are_named_with_their_line_and_a_polish_reason(org, p):
    data = csv(
        row("00001", "Kręta"),
        row("1", "Krótka"),  # line 3: SYM_UL of 1 digit
        "04;63;01;1;0968139;00003;ul.;Wąska",  # line 4: too few fields
        row("00004", ""),  # line 5: no name
        row("00005", "Długa", stan_na="02.01.2025"),  # line 6: not a date
        row("00001", "Kręta"),  # line 7: the same street twice
        row("00008", "Mała", gmina="04;6X;01;1"),  # line 8: a code that is no code
    )
    result = street_import(by=p.director_a, gmina_code=TORUN, data=data)
    assert result.created == ["ul. Kręta"]
    reasons = dict(result.rejected)
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "SYM_UL" in reasons[3] and "cyfr" in reasons[3]
    assert "pól zamiast 10" in reasons[4]
    assert "brak nazwy" in reasons[5]
    assert "RRRR-MM-DD" in reasons[6]
    assert "wierszu 2" in reasons[7]
    assert "POW" in reasons[8]
    # With rows refused nothing counts as gone.
    assert result.gone_not_checked


def test_a_wrong_municipality_code_changes_nothing(org, p):
    street_import(by=p.director_a, gmina_code=TORUN, data=SAMPLE.read_bytes())
    with pytest.raises(DomainError) as refused:
        street_import(by=p.director_a, gmina_code="0461011", data=csv(row("00001", "Szeroka")))
    assert refused.value.field == "gmina_code" and "Sprawdź kod gminy" in refused.value.message
    assert Street.objects.filter(institution=org.inst_a, sym_ul__gt="").count() == 54
    with pytest.raises(DomainError, match="7 cyfr"):
        street_import(by=p.director_a, gmina_code="04630", data=SAMPLE.read_bytes())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "pusty"),
        (b"a;b;c\r\n1;2;3\r\n", "brak kolumn"),
        (b"\xef\xbb\xbfWOJ\xff\xfe", "nie jest w UTF-8"),
        (b"PK\x03\x04broken", "ZIP"),
    ],
)
def test_a_file_that_is_not_teryt_ulic_is_refused_in_polish(org, p, data, message):
    with pytest.raises(DomainError, match=message):
        street_import(by=p.director_a, gmina_code=TORUN, data=data)
    assert not Street.objects.exclude(sym_ul="").exists()


def test_a_street_entered_by_hand_gets_its_teryt_codes_and_keeps_its_region(org, p):
    # conftest's regions name their streets by hand (as the migrated text field did)
    hand = Street.objects.get(institution=org.inst_a, nazwa_1="Szeroka")
    street_import(by=p.director_a, gmina_code=TORUN, data=SAMPLE.read_bytes())
    hand.refresh_from_db()
    assert (hand.sym_ul, hand.cecha) != ("", "") and hand.display_name == "ul. Szeroka"
    assert hand.ranges.get().region == org.region_a1
    assert Street.objects.filter(institution=org.inst_a, key="szeroka").count() == 1


def test_only_who_configures_the_centre_imports(org, p, sysadmin):
    for user in (p.worker_a, p.coordinator_a, p.head_a, p.auditor_a):
        with pytest.raises(NotAllowed):
            street_import(by=user, gmina_code=TORUN, data=SAMPLE.read_bytes())
    assert len(street_import(by=sysadmin, gmina_code=TORUN, data=SAMPLE.read_bytes()).created) > 0
