"""The streets app (issue 19.3): streets from TERYT ULIC or by hand, the ranges regions serve."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('mopr', '0014_institution_settings_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalStreet',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('woj', models.CharField(blank=True, max_length=2, verbose_name='województwo (WOJ)')),
                ('pow', models.CharField(blank=True, max_length=2, verbose_name='powiat (POW)')),
                ('gmi', models.CharField(blank=True, max_length=2, verbose_name='gmina (GMI)')),
                ('rodz_gmi', models.CharField(blank=True, max_length=1, verbose_name='rodzaj gminy (RODZ_GMI)')),
                ('sym', models.CharField(blank=True, max_length=7, verbose_name='miejscowość (SYM)')),
                ('sym_ul', models.CharField(blank=True, max_length=5, verbose_name='ulica (SYM_UL)')),
                ('cecha', models.CharField(blank=True, help_text='ul., al., pl., …', max_length=10, verbose_name='cecha')),
                ('nazwa_1', models.CharField(max_length=100, verbose_name='nazwa')),
                ('nazwa_2', models.CharField(blank=True, help_text='Np. „Mikołaja”.', max_length=100, verbose_name='pierwsza część nazwy')),
                ('stan_na', models.DateField(blank=True, null=True, verbose_name='stan na')),
                ('in_teryt', models.BooleanField(default=True, verbose_name='w aktualnym TERYT')),
                ('key', models.CharField(db_index=True, editable=False, max_length=100)),
                ('full_key', models.CharField(db_index=True, editable=False, max_length=201)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('institution', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mopr.institution')),
            ],
            options={
                'verbose_name': 'historical ulica',
                'verbose_name_plural': 'historical ulice',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalStreetSource',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('gmina_code', models.CharField(blank=True, max_length=7, verbose_name='kod gminy TERYT')),
                ('stan_na', models.DateField(blank=True, null=True, verbose_name='stan rejestru na')),
                ('imported_at', models.DateTimeField(blank=True, null=True, verbose_name='ostatni import')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('imported_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('institution', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mopr.institution')),
            ],
            options={
                'verbose_name': 'historical źródło ulic ośrodka',
                'verbose_name_plural': 'historical źródła ulic ośrodków',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Street',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('woj', models.CharField(blank=True, max_length=2, verbose_name='województwo (WOJ)')),
                ('pow', models.CharField(blank=True, max_length=2, verbose_name='powiat (POW)')),
                ('gmi', models.CharField(blank=True, max_length=2, verbose_name='gmina (GMI)')),
                ('rodz_gmi', models.CharField(blank=True, max_length=1, verbose_name='rodzaj gminy (RODZ_GMI)')),
                ('sym', models.CharField(blank=True, max_length=7, verbose_name='miejscowość (SYM)')),
                ('sym_ul', models.CharField(blank=True, max_length=5, verbose_name='ulica (SYM_UL)')),
                ('cecha', models.CharField(blank=True, help_text='ul., al., pl., …', max_length=10, verbose_name='cecha')),
                ('nazwa_1', models.CharField(max_length=100, verbose_name='nazwa')),
                ('nazwa_2', models.CharField(blank=True, help_text='Np. „Mikołaja”.', max_length=100, verbose_name='pierwsza część nazwy')),
                ('stan_na', models.DateField(blank=True, null=True, verbose_name='stan na')),
                ('in_teryt', models.BooleanField(default=True, verbose_name='w aktualnym TERYT')),
                ('key', models.CharField(db_index=True, editable=False, max_length=100)),
                ('full_key', models.CharField(db_index=True, editable=False, max_length=201)),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='streets', to='mopr.institution')),
            ],
            options={
                'verbose_name': 'ulica',
                'verbose_name_plural': 'ulice',
                'ordering': ['key', 'full_key', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalStreetRange',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('parity', models.CharField(choices=[('all', 'wszystkie numery'), ('odd', 'numery nieparzyste'), ('even', 'numery parzyste')], default='all', max_length=4, verbose_name='numery')),
                ('number_from', models.PositiveIntegerField(blank=True, null=True, verbose_name='od numeru')),
                ('number_to', models.PositiveIntegerField(blank=True, null=True, verbose_name='do numeru')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mopr.region')),
                ('street', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='streets.street')),
            ],
            options={
                'verbose_name': 'historical zakres ulicy rejonu',
                'verbose_name_plural': 'historical zakresy ulic rejonów',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='StreetRange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('parity', models.CharField(choices=[('all', 'wszystkie numery'), ('odd', 'numery nieparzyste'), ('even', 'numery parzyste')], default='all', max_length=4, verbose_name='numery')),
                ('number_from', models.PositiveIntegerField(blank=True, null=True, verbose_name='od numeru')),
                ('number_to', models.PositiveIntegerField(blank=True, null=True, verbose_name='do numeru')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='street_ranges', to='mopr.region')),
                ('street', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ranges', to='streets.street')),
            ],
            options={
                'verbose_name': 'zakres ulicy rejonu',
                'verbose_name_plural': 'zakresy ulic rejonów',
                'ordering': ['street__key', 'number_from', 'parity', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='StreetSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gmina_code', models.CharField(blank=True, max_length=7, verbose_name='kod gminy TERYT')),
                ('stan_na', models.DateField(blank=True, null=True, verbose_name='stan rejestru na')),
                ('imported_at', models.DateTimeField(blank=True, null=True, verbose_name='ostatni import')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('institution', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='street_source', to='mopr.institution')),
            ],
            options={
                'verbose_name': 'źródło ulic ośrodka',
                'verbose_name_plural': 'źródła ulic ośrodków',
            },
        ),
        migrations.AddConstraint(
            model_name='street',
            constraint=models.UniqueConstraint(condition=models.Q(('sym_ul', ''), _negated=True), fields=('institution', 'sym', 'sym_ul'), name='street_teryt_unique'),
        ),
        migrations.AddConstraint(
            model_name='street',
            constraint=models.UniqueConstraint(condition=models.Q(('sym_ul', '')), fields=('institution', 'full_key'), name='street_by_hand_unique'),
        ),
        migrations.AddConstraint(
            model_name='streetrange',
            constraint=models.CheckConstraint(condition=models.Q(('number_from__isnull', True), ('number_to__isnull', True), ('number_from__lte', models.F('number_to')), _connector='OR'), name='street_range_from_to'),
        ),
        migrations.AddConstraint(
            model_name='streetrange',
            constraint=models.CheckConstraint(condition=models.Q(('number_from__isnull', True), ('number_from__gte', 1), _connector='OR'), name='street_range_from_positive'),
        ),
        migrations.AddConstraint(
            model_name='streetrange',
            constraint=models.UniqueConstraint(condition=models.Q(('number_from__isnull', True), ('number_to__isnull', True), ('parity', 'all')), fields=('street',), name='street_range_whole_once'),
        ),
        migrations.AddConstraint(
            model_name='streetrange',
            constraint=models.UniqueConstraint(condition=models.Q(('number_from__isnull', True), ('number_to__isnull', True)), fields=('street', 'parity'), name='street_range_parity_once'),
        ),
    ]
