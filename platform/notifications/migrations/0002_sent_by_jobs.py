# Each SMS is now sent by its own procrastinate job: no polling column or index.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="smsmessage", name="sms_due"),
        migrations.RemoveField(model_name="smsmessage", name="available_at"),
    ]
