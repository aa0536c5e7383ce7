from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Created")
    REDIRECTED = "redirected", _("Sent to the gateway")
    PAID = "paid", _("Paid (verified)")
    FAILED = "failed", _("Failed")
    DECLINED = "declined", _("Declined")


# Not yet settled either way: the reconciliation job asks the gateway about these.
PENDING_STATUSES = (PaymentStatus.CREATED, PaymentStatus.REDIRECTED)


class PaymentChannel(models.TextChoices):
    ONLINE = "online", _("Online, through the payment gateway")
    DESK = "desk", _("Paid at the agency's desk")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    REDIRECTED = "redirected", _("Sent to the gateway")
    CALLBACK = "callback", _("Gateway callback")
    VERIFIED = "verified", _("Verified and settled")
    DECLINED = "declined", _("Declined")
    FAILED = "failed", _("Failed")
    REFUSED = "refused", _("Refused")
    RECONCILED = "reconciled", _("Reconciled with the gateway")
    DESK = "desk", _("Marked paid at the desk")


class GatewayState(models.TextChoices):
    """What a gateway says of one of its transactions."""

    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
