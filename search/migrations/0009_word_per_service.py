"""Whether one service has a word: the ranking looks common words up among a few
candidates (``postgres_ranking``). The index leads with the service, so it also serves
the cascade the foreign key's own index served."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("service_search", "0008_indexed_words"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="indexedword",
            index=models.Index(
                fields=["service", "language", "word"],
                include=("places",),
                name="indexed_word_service",
                opclasses=["int8_ops", "varchar_pattern_ops", "text_pattern_ops"],
            ),
        ),
        migrations.AlterField(
            model_name="indexedword",
            name="service",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="service_search.indexedservice",
            ),
        ),
    ]
