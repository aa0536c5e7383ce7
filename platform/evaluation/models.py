"""Evaluation periods, agencies' self-assessments and field inspections (public schema).

Every row carries its agency; agency screens read them only through
``evaluation.selectors`` (``assessment_of``, ``issued_inspections_of``), which filter by
agency in one place. Written only by ``evaluation.services``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from service_requests.storage import private_storage_for_fields
from tenants.models import Agency

from .constants import AssessmentStatus, Half, ItemStatus


class EvaluationPeriod(models.Model):
    """A Jalali half-year: the directive's six-monthly report."""

    year = models.PositiveSmallIntegerField(_("Jalali year"))
    half = models.PositiveSmallIntegerField(_("half"), choices=Half.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="the last day of the period (inclusive)")
    created_by = models.CharField(max_length=150, help_text="a user name, or 'system'")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["year", "half"], name="one_evaluation_period")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.half}"


class SelfAssessment(models.Model):
    """An agency's self-report for one period: filled in, then submitted once."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=150, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="one_assessment_per_period")
        ]
        permissions = [
            (
                "fill_self_assessment",
                _("Can fill in the agency's self-assessment and answer its inspections"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.period}"


class AssessmentAnswer(models.Model):
    """The agency's answer for one checklist item (``constants.ITEMS``)."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    item_key = models.CharField(max_length=40)
    status = models.CharField(max_length=8, choices=ItemStatus.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item_key"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.item_key}"


class Evidence(models.Model):
    """A file the agency attached to an answer (checked like every upload, stored privately)."""

    answer = models.ForeignKey(AssessmentAnswer, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=120, help_text="the sender's file name, cleaned")
    file = models.FileField(storage=private_storage_for_fields, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Inspection(models.Model):
    """A field visit to an agency's in-person desk, against the checklist.

    Recorded by a national administrator, a provincial supervisor or an inspector; the
    agency sees it once its written result is issued (``issued_at``)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.PROTECT, related_name="inspections"
    )
    visited_on = models.DateField()
    place = models.CharField(max_length=255, blank=True, help_text="the desk or unit visited")
    summary = models.TextField(blank=True)
    inspector = models.CharField(max_length=150, help_text="the inspector's user name")
    inspector_name = models.CharField(max_length=255, blank=True)
    recorded_at = models.DateTimeField()
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["agency", "period"], name="inspection_agency_period")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.visited_on}"


class Finding(models.Model):
    """What the inspector found for one item, and the agency's answer (its correction)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item_key = models.CharField(max_length=40)
    status = models.CharField(max_length=8, choices=ItemStatus.choices)
    text = models.TextField(blank=True)
    response = models.TextField(blank=True)
    corrected_on = models.DateField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item_key"], name="one_finding_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.inspection}: {self.item_key}"


class InspectionPhoto(models.Model):
    """A photo taken at the visit (JPEG or PNG, checked by opening it)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    title = models.CharField(max_length=120)
    file = models.FileField(storage=private_storage_for_fields, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class RankingWeights(models.Model):
    """The weights of the ranking's four components: one row (pk 1), set by national
    administrators through ``services.set_weights`` (every change in the audit log)."""

    measured = models.PositiveSmallIntegerField(_("Measured indices"), default=40)
    inspected = models.PositiveSmallIntegerField(_("Inspections"), default=30)
    satisfaction = models.PositiveSmallIntegerField(_("Citizens' satisfaction"), default=15)
    timeliness = models.PositiveSmallIntegerField(_("Answers on time"), default=15)
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ranking weights")
        verbose_name_plural = _("ranking weights")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measured__gt=0)
                | models.Q(inspected__gt=0)
                | models.Q(satisfaction__gt=0)
                | models.Q(timeliness__gt=0),
                name="ranking_weights_not_all_zero",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measured}/{self.inspected}/{self.satisfaction}/{self.timeliness}"
