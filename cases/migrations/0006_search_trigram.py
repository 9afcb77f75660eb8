"""Issue 9: the search at 100,000 cases.

The case list's search (cases.selectors.search_condition) looks for a fragment anywhere in the
client's folded search column (``search_text LIKE '%fragment%'``) and in the case number
(``UPPER(number) LIKE UPPER('%fragment%')``). A b-tree cannot answer "contains"; on PostgreSQL a
GIN index of trigrams (pg_trgm) can, so both get one. pg_trgm is a trusted extension: the owner
of the database may create it (README, "Produkcja").

Only on PostgreSQL: a model Meta index would be created on SQLite too, where GIN does not exist.
On SQLite the search reads the column whole (a LIKE over 100,000 rows; docs/performance.md).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("client_search_trgm_idx", "cases_client", "search_text gin_trgm_ops"),
    ("case_number_trgm_idx", "cases_case", "UPPER(number) gin_trgm_ops"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_issue8_security"),
    ]

    operations = [
        # CreateExtension does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
