"""The SMS record (public schema): every text we owe a citizen, and what became of it.

Each message is sent by its own job (``notifications.tasks.send_sms``), deferred in the
same transaction as the message.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import SmsStatus


class SmsMessage(models.Model):
    """One SMS, written in the same transaction as the change it reports."""

    mobile = models.CharField(_("mobile"), max_length=11)
    text = models.TextField(_("text"))
    request = models.ForeignKey(
        "service_requests.ServiceRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sms_messages",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=SmsStatus.choices, default=SmsStatus.PENDING
    )
    queued_at = models.DateTimeField(_("queued"))
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("SMS")
        verbose_name_plural = _("SMS outbox")

    def __str__(self) -> str:
        return f"{self.mobile}: {self.text[:40]}"
