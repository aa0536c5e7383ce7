"""Booking behind an interface: the built-in provider keeps the slots here; an agency with
its own queue system plugs in a class with the same three methods and names it in
``settings.APPOINTMENT_PROVIDERS`` (a desk chooses one by name, ``builtin`` by default)."""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from service_requests.models import Holiday

from .constants import AppointmentStatus, iranian_weekday
from .models import Appointment, Closure, Desk, OpeningHours, Slot


class BookingError(Exception):
    """Why a slot cannot be booked (a sentence the citizen reads)."""


@dataclasses.dataclass(frozen=True)
class Offer:
    starts_at: datetime.datetime
    left: int


class Provider:
    """What a booking system answers: the free slots of a desk's day, a booking, a
    cancellation. ``book`` and ``cancel`` run inside the caller's transaction."""

    def available_slots(self, desk: Desk, day: datetime.date) -> list[Offer]:
        raise NotImplementedError

    def book(self, request, desk: Desk, starts_at: datetime.datetime, *, by: str) -> Appointment:
        raise NotImplementedError

    def cancel(self, appointment: Appointment) -> None:
        raise NotImplementedError


def _closed_on(desk: Desk, day: datetime.date) -> bool:
    return (
        Holiday.objects.filter(date=day).exists()
        or Closure.objects.filter(desk=desk, date=day).exists()
    )


def slot_times(desk: Desk, day: datetime.date) -> list[datetime.datetime]:
    """Every slot's start on ``day`` (Tehran time): none on a holiday, a closure or a day
    without opening hours (Friday unless the agency opens it)."""
    if not desk.active or _closed_on(desk, day):
        return []
    hours = OpeningHours.objects.filter(desk=desk, weekday=iranian_weekday(day)).first()
    if hours is None:
        return []
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, hours.opens, tzinfo=zone)
    end = datetime.datetime.combine(day, hours.closes, tzinfo=zone)
    step = datetime.timedelta(minutes=desk.slot_minutes)
    times = []
    while start + step <= end:
        times.append(start)
        start += step
    return times


class BuiltInProvider(Provider):
    def available_slots(self, desk, day):
        now = timezone.now()
        times = [moment for moment in slot_times(desk, day) if moment > now]
        if not times:
            return []
        booked = dict(
            Slot.objects.filter(desk=desk, starts_at__in=times).values_list("starts_at", "booked")
        )
        offers = []
        for moment in times:
            left = desk.capacity - booked.get(moment, 0)
            if left > 0:
                offers.append(Offer(moment, left))
        return offers

    def book(self, request, desk, starts_at, *, by):
        local = timezone.localtime(starts_at)
        if starts_at <= timezone.now() or starts_at not in slot_times(desk, local.date()):
            raise BookingError(_("This time is not offered: choose one of the times shown."))
        slot, _created = Slot.objects.get_or_create(
            desk=desk, starts_at=starts_at, defaults={"capacity": desk.capacity}
        )
        # One conditional UPDATE: PostgreSQL locks the row and re-checks the condition.
        taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
            booked=F("booked") + 1
        )
        if not taken:
            raise BookingError(_("This time was just taken: choose another one."))
        return Appointment.objects.create(
            request=request,
            agency_id=desk.agency_id,
            desk=desk,
            slot=slot,
            starts_at=starts_at,
            booked_by=by,
        )

    def cancel(self, appointment):
        if appointment.slot_id is not None:
            Slot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save(update_fields=["status", "changed_at"])


def provider_for(desk: Desk) -> Provider:
    """The desk's booking system (``builtin`` unless the agency plugged in its own)."""
    path = settings.APPOINTMENT_PROVIDERS.get(desk.provider)
    if path is None:
        raise BookingError(_("This desk's booking system is not available; call the agency."))
    return import_string(path)()
