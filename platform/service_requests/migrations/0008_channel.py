"""How a request came in (online, or registered at the desk) and who registered it; the
call centre's audit log of look-ups."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("service_requests", "0007_ownership_code_subjects"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="channel",
            field=models.CharField(
                choices=[("online", "Online"), ("desk", "At the desk")],
                default="online",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="registered_by",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.CreateModel(
            name="CallCentreLookup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "operator_id",
                    models.BigIntegerField(help_text="the operator's user id (public schema)"),
                ),
                (
                    "operator",
                    models.CharField(help_text="the operator's user name", max_length=150),
                ),
                (
                    "code",
                    models.CharField(help_text="the digits as typed (normalised)", max_length=40),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("found", "Found"),
                            ("misheard", "Check digit failed"),
                            ("not_found", "No such request"),
                            ("answered", "Owner question answered"),
                            ("wrong_answer", "Wrong answer to the owner question"),
                            ("limited", "Refused: too many tries"),
                        ],
                        max_length=16,
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="service_requests.servicerequest",
                    ),
                ),
            ],
            options={
                "verbose_name": "call-centre look-up",
                "verbose_name_plural": "call-centre look-ups",
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["operator_id", "at"], name="call_centre_operator")
                ],
            },
        ),
    ]
