"""The SMS records (public schema): every text we owe a citizen and what became of it,
the citizens' texts to our line, and the development sandbox's phone.

Each message is sent by its own job (``notifications.tasks.send_sms``), deferred in the
same transaction as the message.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import InboundStatus, SmsEvent, SmsStatus


class SmsMessage(models.Model):
    """One SMS, written in the same transaction as the change it reports.

    Its primary key is the provider's *local id*: the provider sends one local id
    only once and can be asked about it, so a send retried after a crash is not
    delivered twice.
    """

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
        _("status"), max_length=16, choices=SmsStatus.choices, default=SmsStatus.QUEUED
    )
    queued_at = models.DateTimeField(_("queued"))
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    # Set when a job claims the message, before it calls the gateway.
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivery reported"), null=True, blank=True)
    status_checked_at = models.DateTimeField(_("status last asked"), null=True, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=64, blank=True)
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
        indexes = [
            models.Index(fields=["status", "sent_at"], name="sms_by_status"),
            models.Index(fields=["mobile", "queued_at"], name="sms_by_mobile"),
        ]

    def __str__(self) -> str:
        return f"{self.mobile}: {self.text[:40]}"

    @property
    def local_id(self) -> str:
        return str(self.pk)


class InboundSms(models.Model):
    """A text a citizen sent to our line, as the provider's receive API gave it."""

    provider_id = models.CharField(_("provider's id"), max_length=64, unique=True)
    sender = models.CharField(_("from"), max_length=16)
    text = models.TextField(_("text"))
    received_at = models.DateTimeField(_("received"))
    fetched_at = models.DateTimeField(_("fetched"))
    status = models.CharField(
        _("status"), max_length=16, choices=InboundStatus.choices, default=InboundStatus.NEW
    )
    request = models.ForeignKey(
        "service_requests.ServiceRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("request"),
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("SMS received")
        verbose_name_plural = _("SMS received")
        indexes = [models.Index(fields=["status", "received_at"], name="inbound_by_status")]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"


class SandboxSms(models.Model):
    """What the development sandbox gateway "sent": the phone national administrators read.

    One row per local id, as Kavenegar keeps it: a second send with a known local id
    returns the first one's id and adds nothing.
    """

    mobile = models.CharField(_("mobile"), max_length=16)
    text = models.TextField(_("text"))
    local_id = models.CharField(_("local id"), max_length=64, unique=True, null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("sandbox SMS")
        verbose_name_plural = _("Sandbox phone")

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
