from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")


# After this many failed tries a message is given up (and stays visible to administrators).
MAX_ATTEMPTS = 8
