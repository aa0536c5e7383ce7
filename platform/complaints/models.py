"""Complaints and objections (public schema), one table for every agency.

Every row carries its agency; agency screens read them only through
``complaints.selectors``, which filters by agency in one place.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from service_requests.storage import private_storage_for_fields
from tenants.models import Agency

from .constants import OPEN_STATUSES, ComplaintKind, ComplaintStatus, Party


class Complaint(models.Model):
    """A citizen's complaint or objection about one request, or about a service in general."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        max_length=12, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT
    )
    # About a request (its owner filed it), or about a service (from its page), or neither
    # (about the agency in general).
    request = models.ForeignKey(
        "service_requests.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    service_key = models.UUIDField(null=True, blank=True)
    service_slug = models.SlugField(max_length=80, blank=True)
    service_title = models.CharField(max_length=255, blank=True)
    sequence = models.BigIntegerField(unique=True)
    code = models.CharField(max_length=12, unique=True)
    submission_token = models.UUIDField(unique=True)
    name = models.CharField(max_length=150)
    mobile = models.CharField(max_length=11)
    text = models.TextField()
    status = models.CharField(
        max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    filed_at = models.DateTimeField()
    due_on = models.DateField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.CharField(max_length=150, blank=True)
    answered_from = models.CharField(max_length=8, choices=Party.choices, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="complaint_inbox"),
            models.Index(fields=["status", "due_on"], name="complaint_deadline"),
        ]
        permissions = [("handle_complaint", _("Can read and handle complaints about the agency"))]

    def __str__(self) -> str:
        return self.code

    @property
    def overdue(self) -> bool:
        return self.status in OPEN_STATUSES and self.due_on < timezone.localdate()


class ComplaintFile(models.Model):
    """A file the citizen sent with the complaint, or one sent with the answer."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="files")
    party = models.CharField(max_length=8, choices=Party.choices)
    title = models.CharField(max_length=120, help_text="the sender's file name, cleaned")
    file = models.FileField(storage=private_storage_for_fields, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.complaint}: {self.title}"


class ComplaintChange(models.Model):
    """One step of a complaint's history: who (which side, which user), when, and why."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=ComplaintStatus.choices)
    # The deadline after this step, when the step set it (filing, a return to the agency).
    due_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    party = models.CharField(max_length=8, choices=Party.choices)
    actor = models.CharField(max_length=150, help_text="'citizen', 'system' or a user name")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint}: {self.from_status} → {self.to_status}"
