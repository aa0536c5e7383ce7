"""The citizen's SMS about appointments (through the notifications app's events)."""

from django.utils import timezone, translation

from notifications.constants import SmsEvent
from notifications.services import queue_event_sms
from persian.dates import jalali


def when_text(starts_at) -> str:
    return jalali(timezone.localtime(starts_at), "%A %d %B %Y، %H:%M")


def _tell(event, appointment, url: str = ""):
    request = appointment.request
    with translation.override("fa"):
        return queue_event_sms(
            event,
            request.mobile,
            {
                "code": request.tracking_code,
                "service": request.service_title,
                "agency": request.agency.name_fa,
                "date": jalali(request.promised_on),
                "url": url,
                "when": when_text(appointment.starts_at),
                "place": appointment.desk.title,
            },
            request=request,
            agency_schema=request.agency.schema_name,
        )


def tell_booked(appointment, url: str):
    return _tell(SmsEvent.APPOINTMENT_BOOKED, appointment, url)


def tell_reminder(appointment, url: str):
    return _tell(SmsEvent.APPOINTMENT_REMINDER, appointment, url)
