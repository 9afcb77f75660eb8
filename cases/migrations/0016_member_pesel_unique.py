"""One PESEL per institution (issue 16.3): the database refuses a second record of one person."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def set_duplicates_aside(apps, schema_editor):
    """Records made before the rule may share a PESEL. Which of them is the person's is a
    coordinator's decision (a merge), not a migration's: the earliest record keeps the number,
    the later ones keep it as "PESEL do wyjaśnienia" – still found by a search – so the
    update never stops on old data and nothing is lost."""
    ClientMember = apps.get_model("cases", "ClientMember")
    groups = (
        ClientMember.objects.exclude(pesel="")
        .values("institution_id", "pesel")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for group in groups:
        later = ClientMember.objects.filter(institution_id=group["institution_id"], pesel=group["pesel"]).order_by("pk")[1:]
        for member in later:
            member.pesel_to_verify, member.pesel = member.pesel, ""
            member.save(update_fields=["pesel", "pesel_to_verify"])


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
        migrations.RunPython(set_duplicates_aside, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="clientmember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("pesel", ""), _negated=True),
                fields=("institution", "pesel"),
                name="member_pesel_unique",
            ),
        ),
    ]
