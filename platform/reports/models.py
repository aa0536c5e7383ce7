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
