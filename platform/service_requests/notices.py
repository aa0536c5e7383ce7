"""What the citizen is told by SMS at each step; always in Persian, always with the code.

The texts are templates national administrators edit and agencies may override
(``notifications.events`` lists each event's placeholders and default text).
"""

from urllib.parse import urlencode

from django.utils import timezone, translation

from notifications.constants import SmsEvent
from notifications.services import queue_event_sms
from persian.dates import jalali
from tenants.links import portal_url

from .constants import RequestStatus

# The event a request's new status is told as.
STATUS_EVENTS = {
    RequestStatus.SUBMITTED: SmsEvent.SUBMITTED,
    RequestStatus.INCOMPLETE: SmsEvent.INCOMPLETE,
    RequestStatus.ACCEPTED: SmsEvent.ACCEPTED,
    RequestStatus.IN_PROGRESS: SmsEvent.IN_PROGRESS,
    RequestStatus.ANSWERED: SmsEvent.ANSWERED,
    RequestStatus.CLOSED: SmsEvent.CLOSED,
    RequestStatus.REJECTED: SmsEvent.REJECTED,
}


def tracking_url(request) -> str:
    return portal_url("/track/?" + urlencode({"code": request.tracking_code}))


def _values(request) -> dict:
    return {
        "service": request.service_title,
        # Latin digits, undivided: what phones offer to copy.
        "code": request.tracking_code,
        "agency": request.agency.name_fa,
        "date": jalali(request.promised_on),
        "url": tracking_url(request),
    }


def _tell(request, event: str, **values):
    with translation.override("fa"):
        return queue_event_sms(
            event,
            request.mobile,
            {**_values(request), **values},
            request=request,
            agency_schema=request.agency.schema_name,
        )


def tell_status(request, status: str) -> None:
    """Queue the SMS for a request that has just reached ``status``."""
    _tell(request, STATUS_EVENTS[status])


def tell_extension(request) -> None:
    _tell(request, SmsEvent.EXTENSION)


def tell_new_message(request) -> None:
    _tell(request, SmsEvent.NEW_MESSAGE)


def tell_step(request, change) -> None:
    _tell(request, SmsEvent.STEP, step=change.step)


def tell_visit(request, change) -> None:
    with translation.override("fa"):
        when = jalali(timezone.localtime(change.visit_at), "%A %d %B %Y، %H:%M")
    _tell(request, SmsEvent.VISIT, when=when, place=change.visit_place)


def tell_ownership_code(request, code: str, *, minutes: int):
    """The one-time code that proves ownership of ``request`` (event ``one_time_code``).

    Returns the queued message: its text is masked once the code is no use.
    """
    return _tell(request, SmsEvent.ONE_TIME_CODE, otp=code, minutes=minutes)
