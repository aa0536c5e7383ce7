"""The shared request backend (public schema): every agency's requests, one table.

Every row carries its agency; agency views read them only through
``service_requests.selectors``, which filters by agency in one place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Agency

from .constants import RequestStatus
from .storage import private_storage


class Holiday(models.Model):
    """An official holiday: not a working day (Fridays never are)."""

    date = models.DateField(_("date"), unique=True)
    title = models.CharField(_("occasion"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("official holiday")
        verbose_name_plural = _("official holidays")

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"


class ServiceRequest(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    service_key = models.UUIDField(help_text="translation_key of the service page")
    service_slug = models.SlugField(max_length=80)
    service_title = models.CharField(max_length=255)
    level = models.CharField(max_length=8)
    sequence = models.BigIntegerField(unique=True)
    tracking_code = models.CharField(max_length=13, unique=True)
    submission_token = models.UUIDField(unique=True)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    data = models.JSONField(default=dict)
    national_id = models.CharField(max_length=10, blank=True)
    mobile = models.CharField(max_length=11, blank=True)
    submitted_at = models.DateTimeField()
    promised_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "status", "submitted_at"], name="request_inbox")]

    def __str__(self) -> str:
        return self.tracking_code


class RequestDocument(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="documents")
    slot = models.SlugField(max_length=80)
    title = models.CharField(max_length=255)
    file = models.FileField(storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.request}: {self.slot}"


class StatusChange(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=RequestStatus.choices)
    note = models.TextField(blank=True)
    actor = models.CharField(max_length=150, help_text="who, e.g. 'citizen' or a staff user name")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.from_status} → {self.to_status}"


class PendingUpload(models.Model):
    """A valid document of a form that had other errors, so the citizen need not upload it again."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField(db_index=True)
    slot = models.SlugField(max_length=80)
    file = models.FileField(storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "slot"], name="one_pending_upload_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.token}: {self.slot}"
