import secrets

from django.db import migrations, models


def first_generation(apps, schema_editor):
    apps.get_model("service_search", "IndexGeneration").objects.create(value=secrets.randbits(62))


class Migration(migrations.Migration):
    dependencies = [
        ("service_search", "0005_service_links"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(first_generation, migrations.RunPython.noop),
    ]
