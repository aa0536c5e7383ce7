from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("service_search", "0005_service_links"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
    ]
