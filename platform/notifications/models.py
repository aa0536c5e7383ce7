"""The SMS record (public schema): every text we owe a citizen, and what became of it.

Each message is sent by its own job (``notifications.tasks.send_sms``), deferred in the
same transaction as the message.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import SmsEvent, SmsStatus


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
    # Which event the text tells of, and the exact template version it was written from
    # (blank for a text queued without a template).
    event = models.CharField(_("event"), max_length=32, choices=SmsEvent.choices, blank=True)
    template_version = models.ForeignKey(
        "notifications.SmsTemplateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("template version"),
    )

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("SMS")
        verbose_name_plural = _("SMS outbox")

    def __str__(self) -> str:
        return f"{self.mobile}: {self.text[:40]}"


class SmsTemplate(models.Model):
    """The text of one event's SMS: national (``agency_schema`` blank) or an agency's own.

    One row per event and agency, its ``text`` the current version; every change adds
    an :class:`SmsTemplateVersion` (``notifications.services``), which the messages
    written from it point at. An agency's row with a blank text has no override (the
    national text applies). Rows are read through ``notifications.selectors`` only.
    """

    event = models.CharField(_("event"), max_length=32, choices=SmsEvent.choices)
    agency_schema = models.CharField(_("agency"), max_length=63, blank=True)
    text = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Users live in their own schema (an agency's staff in the agency's): by name.
    updated_by = models.CharField(_("changed by"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["event"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "agency_schema"], name="one_sms_template_per_event_and_agency"
            )
        ]
        permissions = [
            ("override_smstemplate", _("Can override the national SMS texts for their agency"))
        ]
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")

    def __str__(self) -> str:
        return str(self.get_event_display())


class SmsTemplateVersion(models.Model):
    """One text a template has had: never changed, never deleted once a message used it."""

    template = models.ForeignKey(SmsTemplate, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    created_by = models.CharField(_("changed by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["template", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "version"], name="one_sms_template_version_number"
            )
        ]
        verbose_name = _("SMS template version")
        verbose_name_plural = _("SMS template versions")

    def __str__(self) -> str:
        return f"{self.template} #{self.version}"
