from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    """What became of one SMS.

    queued → sending → sent → delivered | undeliverable; failed when given up (or never
    allowed: over the daily cap, refused for good by the provider). A message is marked
    ``sending`` (and that committed) before the gateway is called, so a crash between the
    provider's acceptance and our record leaves it ``sending``, never ``queued``: the
    reconcile job then asks the provider by its local id.
    """

    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not sent")
    UNDELIVERABLE = "undeliverable", _("Not delivered")


class DeliveryStatus(models.TextChoices):
    """What the provider says of a message it accepted (a subset of SmsStatus)."""

    SENT = SmsStatus.SENT.value, _("Sent")
    DELIVERED = SmsStatus.DELIVERED.value, _("Delivered")
    UNDELIVERABLE = SmsStatus.UNDELIVERABLE.value, _("Not delivered")


class InboundStatus(models.TextChoices):
    """A citizen's SMS to our line: waiting to be read, joined to a request, or not."""

    NEW = "new", _("Not read yet")
    MATCHED = "matched", _("Joined the request's messages")
    UNMATCHED = "unmatched", _("Matched no request")


# Messages a provider is asked about at once (Kavenegar takes 500 ids per status call).
STATUS_BATCH = 500
