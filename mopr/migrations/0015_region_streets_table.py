"""Issue 19.3: a region's streets are rows of the streets app (TERYT ULIC, odd/even and number
ranges). streets 0002 has copied every line of the old text field into a street and a
whole-street range; only then is the field removed. Regions get a history of their own."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mopr", "0014_institution_settings_history"),
        ("streets", "0002_streets_from_regions"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="region",
            name="streets",
        ),
        migrations.CreateModel(
            name="HistoricalRegion",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "code",
                    models.CharField(help_text="Np. RPŚ-2; część numeru sprawy.", max_length=20, verbose_name="kod"),
                ),
                ("name", models.CharField(max_length=120, verbose_name="nazwa")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "institution",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="mopr.institution",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rejon (RPŚ)",
                "verbose_name_plural": "historical rejony (RPŚ)",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
