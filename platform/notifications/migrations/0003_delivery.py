# Delivery: queued → sending → sent → delivered | undeliverable (or failed); the
# citizens' texts to our line; the development sandbox's phone. Messages waiting under
# the old name "pending" are "queued" now.

import django.db.models.deletion
from django.db import migrations, models


def pending_to_queued(apps, schema_editor):
    apps.get_model("notifications", "SmsMessage").objects.filter(status="pending").update(
        status="queued"
    )


def queued_to_pending(apps, schema_editor):
    SmsMessage = apps.get_model("notifications", "SmsMessage")
    SmsMessage.objects.filter(status__in=["queued", "sending"]).update(status="pending")
    SmsMessage.objects.filter(status__in=["delivered", "undeliverable"]).update(status="sent")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_sent_by_jobs"),
        ("service_requests", "0005_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="InboundSms",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "provider_id",
                    models.CharField(max_length=64, unique=True, verbose_name="provider's id"),
                ),
                ("sender", models.CharField(max_length=16, verbose_name="from")),
                ("text", models.TextField(verbose_name="text")),
                ("received_at", models.DateTimeField(verbose_name="received")),
                ("fetched_at", models.DateTimeField(verbose_name="fetched")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "Not read yet"),
                            ("matched", "Joined the request's messages"),
                            ("unmatched", "Matched no request"),
                        ],
                        default="new",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
            ],
            options={
                "verbose_name": "SMS received",
                "verbose_name_plural": "SMS received",
                "ordering": ["-received_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SandboxSms",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("mobile", models.CharField(max_length=16, verbose_name="mobile")),
                ("text", models.TextField(verbose_name="text")),
                (
                    "local_id",
                    models.CharField(
                        blank=True, max_length=64, null=True, unique=True, verbose_name="local id"
                    ),
                ),
                ("sent_at", models.DateTimeField(verbose_name="sent")),
            ],
            options={
                "verbose_name": "sandbox SMS",
                "verbose_name_plural": "Sandbox phone",
                "ordering": ["-sent_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="smsmessage",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="delivery reported"),
        ),
        migrations.AddField(
            model_name="smsmessage",
            name="sending_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sending since"),
        ),
        migrations.AddField(
            model_name="smsmessage",
            name="status_checked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="status last asked"),
        ),
        migrations.AlterField(
            model_name="smsmessage",
            name="provider_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="provider's id"),
        ),
        migrations.AlterField(
            model_name="smsmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting to be sent"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                    ("delivered", "Delivered"),
                    ("failed", "Not sent"),
                    ("undeliverable", "Not delivered"),
                ],
                default="queued",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AddIndex(
            model_name="smsmessage",
            index=models.Index(fields=["status", "sent_at"], name="sms_by_status"),
        ),
        migrations.AddIndex(
            model_name="smsmessage",
            index=models.Index(fields=["mobile", "queued_at"], name="sms_by_mobile"),
        ),
        migrations.AddField(
            model_name="inboundsms",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="service_requests.servicerequest",
                verbose_name="request",
            ),
        ),
        migrations.AddIndex(
            model_name="inboundsms",
            index=models.Index(fields=["status", "received_at"], name="inbound_by_status"),
        ),
        migrations.RunPython(pending_to_queued, queued_to_pending),
    ]
