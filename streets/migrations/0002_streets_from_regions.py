"""Issue 19.3: each line of the old ``Region.streets`` text (one street per line) becomes a street
entered by hand (no TERYT codes) and a range of the whole street in that region; a later TERYT
import links such a street to its register entry. mopr 0015 removes the text field after this."""

from django.db import migrations

from mopr.text import fold


def _folded(text: str) -> str:
    """As streets.models._folded at the time of writing (a migration keeps its own copy)."""
    return " ".join(fold(text).replace(".", ". ").split())


def lines_to_ranges(*, Street, StreetRange, region, text: str) -> int:
    """The streets of one region's text as rows; the number of ranges made. A street named twice
    (in one region or in two) keeps its first region: a street cannot route to two regions, and
    the text field's routing took the first region in code order too."""
    made = 0
    for line in text.splitlines():
        name = " ".join(line.split())
        if not name:
            continue
        # The migration's historical model has no save() of the real one: the keys are set here.
        full_key = _folded(name)[:201]
        street = Street.objects.filter(institution_id=region.institution_id, sym_ul="", full_key=full_key).first()
        if street is None:
            street = Street.objects.create(
                institution_id=region.institution_id, nazwa_1=name[:100], key=_folded(name)[:100], full_key=full_key
            )
        if StreetRange.objects.filter(street=street).exists():
            continue
        StreetRange.objects.create(region_id=region.pk, street=street, parity="all")
        made += 1
    return made


def copy_streets(apps, schema_editor):
    Region = apps.get_model("mopr", "Region")
    Street = apps.get_model("streets", "Street")
    StreetRange = apps.get_model("streets", "StreetRange")
    for region in Region.objects.order_by("institution_id", "code"):
        lines_to_ranges(Street=Street, StreetRange=StreetRange, region=region, text=region.streets)


def copy_back(apps, schema_editor):
    """Undone: the whole-street ranges as lines again (ranges of numbers cannot be said in a line)."""
    Region = apps.get_model("mopr", "Region")
    StreetRange = apps.get_model("streets", "StreetRange")
    for region in Region.objects.all():
        names = StreetRange.objects.filter(region=region).values_list("street__nazwa_1", flat=True).distinct()
        region.streets = "\n".join(names)
        region.save(update_fields=["streets"])


class Migration(migrations.Migration):
    dependencies = [
        ("mopr", "0014_institution_settings_history"),
        ("streets", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_streets, copy_back)]
