"""One-time codes prove ownership of a subject (a request or a complaint), not only of a
request: the codes already sent are a request's, by its id."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("service_requests", "0006_one_time_codes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="ownershipcode",
            name="ownership_code_request",
        ),
        migrations.AddField(
            model_name="ownershipcode",
            name="subject_kind",
            field=models.CharField(
                choices=[("request", "Request"), ("complaint", "Complaint")],
                default="request",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="ownershipcode",
            name="subject_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunSQL(
            "UPDATE service_requests_ownershipcode SET subject_id = request_id",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="ownershipcode",
            name="subject_id",
            field=models.BigIntegerField(),
        ),
        migrations.AlterField(
            model_name="ownershipcode",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="service_requests.servicerequest",
            ),
        ),
        migrations.AddIndex(
            model_name="ownershipcode",
            index=models.Index(
                fields=["subject_kind", "subject_id", "created_at"], name="ownership_code_subject"
            ),
        ),
    ]
