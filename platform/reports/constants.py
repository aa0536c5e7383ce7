from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """The Jalali periods reports are asked for."""

    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter (three months)")
    HALF = "half", _("Half-year (six months)")
    YEAR = "year", _("Year")


# How many months each kind spans, and how many of it a year holds.
MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}


class ExportKind(models.TextChoices):
    DASHBOARD_XLSX = "dashboard_xlsx", _("Report (XLSX)")
    DIRECTIVE_PDF = "directive_pdf", _("Six-monthly report of directive 1538588 (PDF)")
    DIRECTIVE_XLSX = "directive_xlsx", _("Six-monthly report of directive 1538588 (XLSX)")
    CIRCULAR_PDF = "circular_pdf", _("Quarterly report of circular 7193 (PDF)")
    CIRCULAR_XLSX = "circular_xlsx", _("Quarterly report of circular 7193 (XLSX)")


class ExportStatus(models.TextChoices):
    WAITING = "waiting", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
