"""Payments of a request's fees (public schema), their audit trail, and the sandbox
gateway's own transactions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from service_requests.models import ServiceRequest
from tenants.models import Agency

from .constants import EventKind, GatewayState, PaymentChannel, PaymentStatus


class Payment(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="payments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # Our order id, sent to the gateway (Shaparak's "ResNum"/"orderId"): unique.
    order_id = models.CharField(_("order number"), max_length=32, unique=True)
    amount_rials = models.BigIntegerField(_("amount (rials)"))
    # The fee lines owed, copied from the service's fee list when the payment is created.
    lines = models.JSONField(default=list)
    channel = models.CharField(
        max_length=8, choices=PaymentChannel.choices, default=PaymentChannel.ONLINE
    )
    gateway = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    # The gateway's token for the payment (Shaparak's "RefId"/"Token").
    token = models.CharField(max_length=64, blank=True, db_index=True)
    # The gateway's reference once paid (the retrieval reference number shown to the citizen).
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    actor = models.CharField(max_length=150, blank=True, help_text="who marked it paid at a desk")
    created_at = models.DateTimeField(auto_now_add=True)
    redirected_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="payment_positive")
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="payment_pending")]

    def __str__(self) -> str:
        return self.order_id


class PaymentEvent(models.Model):
    """Every step of a payment and every callback, with what was refused and why."""

    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    refused = models.BooleanField(default=False)
    reason = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reason}"


class SandboxTransaction(models.Model):
    """The built-in sandbox gateway's side: what it was asked to charge, and what happened."""

    token = models.CharField(max_length=64, unique=True)
    order_id = models.CharField(max_length=32)
    amount_rials = models.BigIntegerField()
    callback_url = models.URLField(max_length=500)
    state = models.CharField(
        max_length=10, choices=GatewayState.choices, default=GatewayState.PENDING
    )
    reference = models.CharField(max_length=64, blank=True)
    verified = models.BooleanField(default=False)
    settled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token
