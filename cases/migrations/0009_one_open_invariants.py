from django.conf import settings
from django.db import migrations, models


def refuse_existing_duplicates(apps, schema_editor):
    """Name the clients with two open cases instead of failing on an index error: they must be
    merged or one closed by hand before the constraint can hold."""
    Case = apps.get_model("cases", "Case")
    twice = (
        Case.objects.exclude(stage="zakonczenie")
        .values("client_id")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values_list("client_id", flat=True)
    )
    numbers = list(Case.objects.filter(client_id__in=list(twice)).exclude(stage="zakonczenie").values_list("number", flat=True))
    if numbers:
        raise RuntimeError(
            "Klienci z więcej niż jedną otwartą sprawą – zamknij lub połącz przed migracją: " + ", ".join(numbers)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_deadline_summary"),
        ("mopr", "0005_issue8_security"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("stage", "zakonczenie"), _negated=True),
                fields=("client",),
                name="case_one_open_per_client",
            ),
        ),
    ]
