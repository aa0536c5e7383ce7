"""Give imported package items the position they had in their file.

Imports before this one left ``sort_order`` empty (only the admin's formsets filled it),
so the order of a page's steps, documents, form fields, ... depended on where PostgreSQL
kept the rows. An import inserts the items of a list in the file's order, so numbering the
rows of a page without any position by their id restores the file's order.
"""

from django.db import migrations

CHILDREN = (
    "agencyaddress",
    "servicestep",
    "servicedocument",
    "servicefee",
    "servicelaw",
    "servicefaq",
    "serviceinquiry",
    "serviceformfield",
)

NUMBER = """
UPDATE {table} AS child SET sort_order = numbered.position
FROM (
    SELECT id, row_number() OVER (PARTITION BY page_id ORDER BY id) - 1 AS position
    FROM {table}
    WHERE page_id IN (SELECT page_id FROM {table} WHERE sort_order IS NULL)
) AS numbered
WHERE child.id = numbered.id
"""


def number_children(apps, schema_editor):
    for name in CHILDREN:
        table = apps.get_model("catalog_pages", name)._meta.db_table
        schema_editor.execute(NUMBER.format(table=schema_editor.quote_name(table)))


class Migration(migrations.Migration):
    dependencies = [("catalog_pages", "0002_topics_life_events_permissions")]

    operations = [migrations.RunPython(number_children, migrations.RunPython.noop)]
