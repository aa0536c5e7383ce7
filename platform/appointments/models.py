"""Desks, their opening hours and closures, slot counters and appointments (public schema).

Every row belongs to one agency (the desk's); agency screens reach them only through
``selectors.desks_of`` and friends, which filter by it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from service_requests.models import ServiceRequest
from tenants.models import Agency

from .constants import AppointmentStatus, BookedBy, Weekday


class Desk(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=255)
    address = models.TextField(_("address"), blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=15)
    capacity = models.PositiveSmallIntegerField(_("people per slot"), default=1)
    provider = models.CharField(
        _("booking system"),
        max_length=40,
        default="builtin",
        help_text=_("The built-in booking, or the agency's own queue system if one is set up."),
    )
    active = models.BooleanField(_("taking appointments"), default=True)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="desk_slot_minutes_5_to_240",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="desk_capacity_1"),
        ]

    def __str__(self) -> str:
        return self.title


class OpeningHours(models.Model):
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["desk", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "weekday"], name="hours_once_per_weekday"),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="hours_open_before_close"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desk}: {self.get_weekday_display()}"


class Closure(models.Model):
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["desk", "date"]
        constraints = [models.UniqueConstraint(fields=["desk", "date"], name="closure_once")]

    def __str__(self) -> str:
        return f"{self.desk}: {self.date}"


class Slot(models.Model):
    """The counter of one slot of one desk, made when first booked: a booking adds one
    only while fewer than ``capacity`` hold it (one conditional UPDATE, row-locked), and
    the database refuses more in any case."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "starts_at"], name="slot_once"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_never_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desk_id}@{self.starts_at:%Y-%m-%d %H:%M}: {self.booked}/{self.capacity}"


class Appointment(models.Model):
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="appointments"
    )
    # Copied from the desk: every query of an agency filters by it.
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, null=True, related_name="+")
    starts_at = models.DateTimeField(_("time"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    booked_by = models.CharField(max_length=8, choices=BookedBy.choices)
    # The provider's own reference (an external queue system's ticket).
    reference = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="booked"),
                name="one_booked_appointment_per_request",
            )
        ]
        indexes = [
            models.Index(fields=["desk", "starts_at"], name="appointment_day_queue"),
            models.Index(fields=["status", "starts_at"], name="appointment_reminders"),
        ]
        permissions = [("handle_appointment", _("Can see the desks' queues and mark visits"))]

    def __str__(self) -> str:
        return f"{self.request_id}@{self.starts_at:%Y-%m-%d %H:%M}"
