"""streets 0002: the old text field's lines (one street per line) become streets entered by hand
with a whole-street range of their region – called here with the real models, as the migration
calls it with the historical ones."""

import importlib

from streets.models import Street, StreetRange

copy = importlib.import_module("streets.migrations.0002_streets_from_regions")


def test_each_line_becomes_a_street_served_whole_by_its_region(org):
    from mopr.tests.factories import RegionFactory

    region = RegionFactory(institution=org.inst_a, code="RPŚ-7")
    made = copy.lines_to_ranges(
        Street=Street, StreetRange=StreetRange, region=region, text="Kościuszki\n\n  Czerwona   Droga \r\nSzeroka\n"
    )
    # Szeroka is RPŚ-1's already (conftest): a street routes to one region, the first keeps it.
    assert made == 2
    ranges = StreetRange.objects.filter(region=region).select_related("street")
    assert {(r.street.nazwa_1, r.whole, r.street.sym_ul) for r in ranges} == {
        ("Kościuszki", True, ""),
        ("Czerwona Droga", True, ""),
    }
    street = Street.objects.get(institution=org.inst_a, nazwa_1="Czerwona Droga")
    assert (street.key, street.full_key) == ("czerwona droga", "czerwona droga")
    assert StreetRange.objects.get(street__institution=org.inst_a, street__nazwa_1="Szeroka").region == org.region_a1
    # Run again (a migration replayed on a copy): nothing doubles.
    assert copy.lines_to_ranges(Street=Street, StreetRange=StreetRange, region=region, text="Kościuszki") == 0
    assert Street.objects.filter(institution=org.inst_a, nazwa_1="Kościuszki").count() == 1
