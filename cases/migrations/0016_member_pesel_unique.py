"""One PESEL per institution (issue 16.3): the database refuses a second record of one person."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def refuse_duplicates(apps, schema_editor):
    ClientMember = apps.get_model("cases", "ClientMember")
    duplicates = list(
        ClientMember.objects.exclude(pesel="")
        .values("institution_id", "pesel")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("pesel", flat=True)[:20]
    )
    if duplicates:
        # Which record is the person's is a decision for a coordinator, not for a migration.
        raise RuntimeError(
            "Te same numery PESEL w kilku rekordach klientów jednego ośrodka (%s): połącz je albo popraw "
            "przed aktualizacją." % ", ".join(f"…{p[-4:]}" for p in duplicates)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_member_institution"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clientmember",
            name="institution",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="mopr.institution"
            ),
        ),
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="clientmember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("pesel", ""), _negated=True),
                fields=("institution", "pesel"),
                name="member_pesel_unique",
            ),
        ),
    ]
