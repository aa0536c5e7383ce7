"""Exports too big to make while the viewer waits: made by a job, then downloaded."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from service_requests.storage import private_storage_for_fields

from .constants import ExportKind, ExportStatus


class Export(models.Model):
    """One file asked for: who (a user of ``schema``: user ids are per schema), what, its
    state and the file (private storage). Only its requester or a national administrator
    may download it."""

    schema = models.CharField(max_length=63, help_text="the requester's schema")
    requester_id = models.BigIntegerField()
    requester = models.CharField(_("requested by"), max_length=150)
    kind = models.CharField(_("report"), max_length=20, choices=ExportKind.choices)
    title = models.CharField(_("title"), max_length=255)
    params = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.WAITING
    )
    file = models.FileField(storage=private_storage_for_fields, max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ready"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["schema", "requester_id", "created_at"], name="export_mine")
        ]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")

    def __str__(self) -> str:
        return self.title


class MonthFigures(models.Model):
    """A closed Jalali month's figures per agency, province, level, unit, service and
    channel: the reports add months up instead of reading every request (``rollup``).

    Flows count what happened in the month; ``open_at_end`` and ``overdue_at_end`` what
    was open (and past its promised date) when it ended. A month is built once it has
    ended: nothing recorded later can fall in it (times are stamped when they happen).
    """

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    agency_id = models.BigIntegerField()
    province = models.CharField(max_length=32, blank=True)
    level = models.CharField(max_length=8)
    unit_id = models.BigIntegerField(help_text="0: no unit recorded")
    service_key = models.UUIDField()
    channel = models.CharField(max_length=8)
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    answered_late = models.PositiveIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0, help_text="answered with their days known")
    answer_days_sum = models.PositiveBigIntegerField(default=0)
    promised_days_sum = models.PositiveBigIntegerField(default=0)
    open_at_end = models.PositiveIntegerField(default=0)
    overdue_at_end = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["year", "month", "agency_id"], name="month_figures_period"),
            models.Index(fields=["agency_id", "year", "month"], name="month_figures_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.month} {self.agency_id} {self.service_key}"


class MonthAnswerDays(models.Model):
    """How many requests answered in a closed month took each number of working days:
    the exact median of any months added up."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    agency_id = models.BigIntegerField()
    province = models.CharField(max_length=32, blank=True)
    level = models.CharField(max_length=8)
    channel = models.CharField(max_length=8)
    days = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["year", "month"], name="month_days_period")]

    def __str__(self) -> str:
        return f"{self.year}/{self.month} {self.agency_id}: {self.days} days"


class BuiltMonth(models.Model):
    """A closed month whose figures are built."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="one_build_a_month")]

    def __str__(self) -> str:
        return f"{self.year}/{self.month}"
