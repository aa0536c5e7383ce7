"""Every write of the appointments: booking, rescheduling, cancelling, marking visits,
reminders and the desks made from an agency's addresses. Atomic; SMS are queued in the
same transaction (a rolled-back booking texts nobody)."""

import datetime
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from service_requests.constants import RequestStatus
from service_requests.models import ServiceRequest
from tenants.links import portal_url

from . import notices, selectors
from .constants import AppointmentStatus, BookedBy, Weekday
from .models import Appointment, Desk, OpeningHours
from .providers import BookingError, provider_for

# A request still waiting for the agency or being handled may book a visit.
OPEN_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.ACCEPTED,
    RequestStatus.IN_PROGRESS,
)
# The hours a desk made from an address starts with: Saturday to Wednesday 8–14,
# Thursday 8–12, Friday closed.
DEFAULT_HOURS = {
    **{day: (datetime.time(8), datetime.time(14)) for day in range(Weekday.WEDNESDAY + 1)},
    Weekday.THURSDAY: (datetime.time(8), datetime.time(12)),
}
REMIND_BATCH = 500


def track_url(request) -> str:
    return portal_url("/track/?" + urlencode({"code": request.tracking_code}))


def _lock_request(request) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().select_related("agency").get(pk=request.pk)


@transaction.atomic
def book_appointment(request, desk: Desk, starts_at, *, by: str = BookedBy.CITIZEN) -> Appointment:
    """Book ``starts_at`` at ``desk`` for ``request``; a booked one is moved (rescheduled)
    and its slot freed. Raises BookingError with the reason."""
    if desk.agency_id != request.agency_id:
        raise BookingError(_("This desk is not one of the agency's."))
    locked = _lock_request(request)
    if locked.status not in OPEN_STATUSES:
        raise BookingError(_("Appointments are booked only for open requests."))
    current = selectors.current_appointment(locked)
    if current is not None:
        if current.desk_id == desk.pk and current.starts_at == starts_at:
            return current
        provider_for(current.desk).cancel(current)
    appointment = provider_for(desk).book(locked, desk, starts_at, by=by)
    appointment.request = locked
    notices.tell_booked(appointment, track_url(locked))
    return appointment


@transaction.atomic
def cancel_appointment(request) -> Appointment | None:
    """Cancel the request's booked appointment (its slot is free again)."""
    locked = _lock_request(request)
    current = selectors.current_appointment(locked)
    if current is None:
        return None
    provider_for(current.desk).cancel(current)
    return current


@transaction.atomic
def mark_visit(appointment: Appointment, *, attended: bool) -> Appointment:
    """The desk saw the citizen (or they did not come)."""
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status == AppointmentStatus.CANCELLED:
        raise BookingError(_("This appointment was cancelled."))
    locked.status = AppointmentStatus.ATTENDED if attended else AppointmentStatus.NO_SHOW
    locked.save(update_fields=["status", "changed_at"])
    return locked


def send_reminders(now=None) -> int:
    """Text each citizen whose appointment is tomorrow (Tehran time), once per appointment."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    start, end = selectors.day_bounds(tomorrow)
    sent = 0
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminded_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=end,
    ).values_list("pk", flat=True)[:REMIND_BATCH]
    for pk in list(due):
        with transaction.atomic():
            claimed = Appointment.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                appointment = Appointment.objects.select_related("request__agency", "desk").get(
                    pk=pk
                )
                notices.tell_reminder(appointment, track_url(appointment.request))
                sent += 1
    return sent


@transaction.atomic
def create_desks_from_addresses(agency) -> list[Desk]:
    """A desk for each address on the agency's home page that has none yet, open the
    default hours; the agency's administrator then adjusts them."""
    from django_tenants.utils import schema_context

    from catalog_pages.models import AgencyAddress

    with schema_context(agency.schema_name):
        addresses = list(
            AgencyAddress.objects.filter(locale__language_code="fa").values_list("title", "address")
        )
    known = set(selectors.desks_of(agency).values_list("title", flat=True))
    made = []
    for title, address in addresses:
        if title in known:
            continue
        desk = Desk.objects.create(agency=agency, title=title[:255], address=address)
        OpeningHours.objects.bulk_create(
            OpeningHours(desk=desk, weekday=day, opens=opens, closes=closes)
            for day, (opens, closes) in DEFAULT_HOURS.items()
        )
        known.add(title)
        made.append(desk)
    return made
