"""Each member carries its client's institution (issue 16.3), for the database's one PESEL per
institution (0016). Two migrations: PostgreSQL does not alter a table with the copy's updates
pending in one transaction."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_institution(apps, schema_editor):
    Client = apps.get_model("cases", "Client")
    for name in ("ClientMember", "HistoricalClientMember"):
        model = apps.get_model("cases", name)
        model.objects.update(
            institution_id=Subquery(Client.objects.filter(pk=OuterRef("client_id")).values("institution_id")[:1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_report_anonymous"),
        ("mopr", "0010_backdate_confirm_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="clientmember",
            name="institution",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="mopr.institution"
            ),
        ),
        migrations.AddField(
            model_name="historicalclientmember",
            name="institution",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="mopr.institution",
            ),
        ),
        migrations.AddField(
            model_name="clientmember",
            name="pesel_to_verify",
            field=models.CharField(blank=True, max_length=11, verbose_name="PESEL do wyjaśnienia"),
        ),
        migrations.AddField(
            model_name="historicalclientmember",
            name="pesel_to_verify",
            field=models.CharField(blank=True, max_length=11, verbose_name="PESEL do wyjaśnienia"),
        ),
        migrations.RunPython(copy_institution, migrations.RunPython.noop),
    ]
