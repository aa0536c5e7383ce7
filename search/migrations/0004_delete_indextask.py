# Index updates are procrastinate jobs now (search.tasks.index_service): no outbox table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("service_search", "0003_indextask"),
    ]

    operations = [
        migrations.DeleteModel(name="IndexTask"),
    ]
