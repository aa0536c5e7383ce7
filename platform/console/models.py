"""What the national console keeps about agencies beyond the registry (public schema)."""

import datetime

import jdatetime
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Agency


def one_month_after(day: datetime.date) -> datetime.date:
    """The same day one Jalali month later (the last day of that month if it is shorter):
    directive 1538588 gives an agency one month from the notice to name its representative."""
    start = jdatetime.date.fromgregorian(date=day)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    for last in range(start.day, 0, -1):
        try:
            return jdatetime.date(year, month, last).togregorian()
        except ValueError:
            continue
    raise ValueError(day)


def notice_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Notices given before this day are more than one Jalali month old."""
    today = today or timezone.localdate()
    start = jdatetime.date.fromgregorian(date=today)
    year, month = (start.year - 1, 12) if start.month == 1 else (start.year, start.month - 1)
    for last in range(start.day, 0, -1):
        try:
            return jdatetime.date(year, month, last).togregorian()
        except ValueError:
            continue
    raise ValueError(today)


class DeskRepresentative(models.Model):
    """An agency's service-desk representative (نماینده میز خدمت) and when they were named."""

    agency = models.OneToOneField(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="desk_representative",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    post = models.CharField(_("post"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    notified_on = models.DateField(
        _("notice to name a representative"),
        null=True,
        blank=True,
        help_text=_("The day the agency was asked to name its representative."),
    )
    named_on = models.DateField(_("date named"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service-desk representative")
        verbose_name_plural = _("service-desk representatives")

    def __str__(self) -> str:
        return f"{self.agency}: {self.name or '—'}"

    @property
    def is_named(self) -> bool:
        return bool(self.name.strip()) and self.named_on is not None

    @property
    def due_on(self) -> datetime.date | None:
        return one_month_after(self.notified_on) if self.notified_on else None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Notified more than a month ago and still nobody named."""
        return (
            not self.is_named
            and self.notified_on is not None
            and self.notified_on < notice_cutoff(today)
        )
