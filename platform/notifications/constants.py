from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")


# A failed send is tried again after 2, 4, 8 … 2048 seconds (about an hour in all): after
# this many retries the message is given up, marked failed, and its job stays failed
# where national administrators see it and can retry it.
SMS_RETRIES = 11
