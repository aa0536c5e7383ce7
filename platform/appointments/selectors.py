"""Reads of the appointments, always through the agency (one place that filters by it)."""

import datetime

from django.utils import timezone

from .constants import AppointmentStatus
from .models import Appointment, Closure, Desk, OpeningHours


def desks_of(agency):
    return Desk.objects.filter(agency=agency)


def active_desks_of(agency):
    return desks_of(agency).filter(active=True)


def hours_of(agency):
    return OpeningHours.objects.filter(desk__agency=agency).select_related("desk")


def closures_of(agency):
    return Closure.objects.filter(desk__agency=agency).select_related("desk")


def appointments_of(agency):
    return Appointment.objects.filter(agency=agency)


def current_appointment(request):
    """The request's booked appointment, or None."""
    return (
        Appointment.objects.filter(request=request, status=AppointmentStatus.BOOKED)
        .select_related("desk")
        .first()
    )


def day_bounds(day: datetime.date):
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    return start, start + datetime.timedelta(days=1)


def day_queue(desk, day: datetime.date):
    start, end = day_bounds(day)
    return (
        Appointment.objects.filter(desk=desk, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("request")
        .order_by("starts_at", "pk")
    )


def needs_in_person_visit(request) -> bool:
    """Does the request's package have a step in person (read from the agency's pages)?"""
    from django_tenants.utils import schema_context

    from catalog_pages.models import ServiceStep

    with schema_context(request.agency.schema_name):
        return ServiceStep.objects.filter(
            page__translation_key=request.service_key, in_person=True
        ).exists()
