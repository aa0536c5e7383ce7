"""The survey's SMS: the template of the event ``survey_invitation`` (a national text an
agency may override), always Persian, with the request's code and the survey's link."""

from django.utils import translation

from notifications.constants import SmsEvent
from notifications.services import queue_event_sms
from persian.dates import jalali


def tell_survey_invitation(request, url: str):
    with translation.override("fa"):
        return queue_event_sms(
            SmsEvent.SURVEY_INVITATION,
            request.mobile,
            {
                "code": request.tracking_code,
                "service": request.service_title,
                "agency": request.agency.name_fa,
                "date": jalali(request.promised_on),
                "url": url,
            },
            request=request,
            agency_schema=request.agency.schema_name,
        )
