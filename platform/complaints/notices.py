"""What the citizen is told by SMS at each step of a complaint: the SMS templates of the
events complaint_received, complaint_step, complaint_answered and complaint_escalated
(national texts an agency may override), always in Persian, with the complaint's code.
"""

from urllib.parse import urlencode

from django.utils import translation
from django.utils.translation import gettext

from notifications.constants import SmsEvent
from notifications.services import queue_event_sms
from persian.dates import jalali
from tenants.links import portal_url

from .constants import ComplaintStatus


def tracking_url(complaint) -> str:
    return portal_url("/complaints/track/?" + urlencode({"code": complaint.code}))


def _tell(complaint, event: str, **values):
    with translation.override("fa"):
        return queue_event_sms(
            event,
            complaint.mobile,
            {
                # Latin digits, undivided: what phones offer to copy.
                "complaint_code": complaint.code,
                "service": complaint.service_title or complaint.agency.name_fa,
                "agency": complaint.agency.name_fa,
                "date": jalali(complaint.due_on),
                "url": tracking_url(complaint),
                **values,
            },
            agency_schema=complaint.agency.schema_name,
        )


def tell_received(complaint) -> None:
    _tell(complaint, SmsEvent.COMPLAINT_RECEIVED)


def tell_step(complaint, change) -> None:
    """A step that is neither the answer nor the escalation: in review, closed, sent back."""
    with translation.override("fa"):
        if change.from_status == ComplaintStatus.ESCALATED:
            step = gettext("Sent back to the agency")
        else:
            step = ComplaintStatus(change.to_status).label
    _tell(complaint, SmsEvent.COMPLAINT_STEP, step=str(step))


def tell_answered(complaint) -> None:
    _tell(complaint, SmsEvent.COMPLAINT_ANSWERED)


def tell_escalated(complaint) -> None:
    _tell(complaint, SmsEvent.COMPLAINT_ESCALATED)


def tell_ownership_code(complaint, code: str, *, minutes: int):
    """The one-time code that proves ownership of ``complaint`` (event ``one_time_code``:
    ``{otp}``, ``{minutes}``, and the complaint's code as ``{code}``).

    Returns the queued message: its text is masked once the code is no use.
    """
    with translation.override("fa"):
        return queue_event_sms(
            SmsEvent.ONE_TIME_CODE,
            complaint.mobile,
            {"otp": code, "minutes": minutes, "code": complaint.code},
            agency_schema=complaint.agency.schema_name,
        )
