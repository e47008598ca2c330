"""On PostgreSQL, index the text the ``q`` filter searches (name and description, "russian").

The expression is the one ``SearchVector("name", "description", config="russian")``
compiles to, so the planner uses the index for the catalog search. Other databases search
with ``icontains`` and get nothing here.
"""

from django.db import migrations

INDEX = "istok_catalog_product_search_idx"

CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON istok_catalog_product USING gin (
    to_tsvector('russian'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, ''))
)
"""


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("istok_catalog", "0002_seed_taxonomy")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
