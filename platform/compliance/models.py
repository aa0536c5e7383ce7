"""A summary of every agency's published packages (public schema), kept in step by jobs.

National screens read one table instead of visiting every agency's schema on each page
view: a row per published service, refreshed when the service is published or
unpublished, when a reviewer confirms it, and nightly (answer times change every day).
Written only by ``compliance.services``.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from tenants.models import Agency

from .constants import ExportStatus


class ServiceCompliance(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    translation_key = models.UUIDField()
    page_id = models.BigIntegerField()
    service_slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=255)
    registry_code = models.CharField(max_length=14, blank=True)
    level = models.CharField(max_length=8)
    delivery = models.CharField(max_length=12)
    duration_days = models.PositiveIntegerField(null=True, blank=True)
    is_free = models.BooleanField(default=False)
    fees_rials = models.PositiveBigIntegerField(default=0)
    documents_count = models.PositiveIntegerField(default=0)
    has_online_form = models.BooleanField(default=False)
    inquiries = models.TextField(blank=True)
    inquiries_count = models.PositiveIntegerField(default=0)
    # CompliancePart values this package lacks; the score is the share of parts present.
    missing_parts = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    score = models.PositiveSmallIntegerField()
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    # Answered requests of the measured period and their mean time in working days.
    answered_count = models.PositiveIntegerField(default=0)
    mean_answer_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "translation_key"], name="one_compliance_row_per_service"
            )
        ]
        indexes = [models.Index(fields=["agency", "title"], name="compliance_agency_title")]

    def __str__(self) -> str:
        return f"{self.title} ({self.agency_id}): {self.score}%"

    @property
    def slower_than_promised(self) -> bool:
        return (
            self.mean_answer_days is not None
            and self.duration_days is not None
            and self.mean_answer_days > self.duration_days
        )


class ReviewReminder(models.Model):
    """When the editors were last reminded that a package is due for its yearly review."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    translation_key = models.UUIDField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "translation_key"], name="one_reminder_row_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.translation_key} ({self.agency_id}): {self.sent_at:%Y-%m-%d}"


class WorksheetExport(models.Model):
    """The national catalogue's worksheet, prepared by a job and offered for download."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    rows = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pk}: {self.status}"
