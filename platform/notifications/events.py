"""The SMS events: for each, the placeholders its text may use, those it must use, and its
default text (what the national template starts as).

Editors see each placeholder's description beside the text they edit, and a preview
filled in with the sample values below. Texts are short: one SMS part holds 70 Persian
characters.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .constants import SmsEvent

# Every placeholder any event may use, as editors read it.
PLACEHOLDERS = {
    "code": _("the request's tracking code"),
    "service": _("the service's title"),
    "agency": _("the agency's name"),
    "date": _("the date the answer is due (Jalali)"),
    "url": _("the link to the tracking page"),
    "step": _("the step the request has reached"),
    "when": _("the day and time of the visit or appointment (Jalali)"),
    "place": _("the address of the visit or appointment"),
    "otp": _("the one-time code"),
    "minutes": _("how many minutes the one-time code is valid"),
    "complaint_code": _("the complaint's tracking code"),
}

# What the preview fills in.
SAMPLE_VALUES = {
    "code": "1405-00001234",
    "service": _("Birth registration"),
    "agency": _("National Organisation for Civil Registration"),
    "date": "۱۴۰۵/۰۹/۲۰",
    "url": "https://panjereh.ir/track/?code=1405-00001234",
    "step": _("Checking the documents"),
    "when": "شنبه ۲۲ آذر ۱۴۰۵، ۱۰:۳۰",
    "place": _("Office of District 3, Azadi street"),
    "otp": "482913",
    "minutes": "۵",
    "complaint_code": "C-1405-0042",
}

_REQUEST = ("code", "service", "agency", "date", "url")
_COMPLAINT = ("complaint_code", "service", "agency", "date", "url")


@dataclass(frozen=True)
class EventSpec:
    placeholders: tuple[str, ...]
    required: tuple[str, ...]
    default: str  # a lazy translation: the national template's first text, in Persian


EVENTS: dict[str, EventSpec] = {
    SmsEvent.SUBMITTED: EventSpec(
        _REQUEST,
        ("code",),
        _(
            "Panjereh: your request for “{service}” was received. Tracking code: {code}. "
            "Answer due by {date}."
        ),
    ),
    SmsEvent.ACCEPTED: EventSpec(
        _REQUEST, ("code",), _("Panjereh: request {code} was accepted. Answer due by {date}.")
    ),
    SmsEvent.IN_PROGRESS: EventSpec(
        _REQUEST, ("code",), _("Panjereh: request {code} is being worked on.")
    ),
    SmsEvent.STEP: EventSpec(
        (*_REQUEST, "step"),
        ("code", "step"),
        _("Panjereh: request {code} has reached the step “{step}”."),
    ),
    SmsEvent.INCOMPLETE: EventSpec(
        _REQUEST,
        ("code",),
        _("Panjereh: request {code} needs more from you. See what is missing and answer: {url}"),
    ),
    SmsEvent.VISIT: EventSpec(
        (*_REQUEST, "when", "place"),
        ("code", "when", "place"),
        _(
            "Panjereh: for request {code} please come in person on {when} to {place}. "
            "Why, and what to bring: {url}"
        ),
    ),
    SmsEvent.ANSWERED: EventSpec(
        _REQUEST,
        ("code",),
        _("Panjereh: request {code} has been answered. See and download the answer: {url}"),
    ),
    SmsEvent.REJECTED: EventSpec(
        _REQUEST, ("code",), _("Panjereh: request {code} was rejected. The reason: {url}")
    ),
    SmsEvent.CLOSED: EventSpec(_REQUEST, ("code",), _("Panjereh: request {code} is closed.")),
    SmsEvent.EXTENSION: EventSpec(
        _REQUEST,
        ("code", "date"),
        _("Panjereh: the answer to request {code} is now due by {date}. The reason: {url}"),
    ),
    SmsEvent.NEW_MESSAGE: EventSpec(
        _REQUEST,
        ("code",),
        _("Panjereh: the agency sent you a message about request {code}: {url}"),
    ),
    SmsEvent.APPOINTMENT_BOOKED: EventSpec(
        (*_REQUEST, "when", "place"),
        ("code", "when"),
        _("Panjereh: your appointment for request {code}: {when}, {place}."),
    ),
    SmsEvent.APPOINTMENT_REMINDER: EventSpec(
        (*_REQUEST, "when", "place"),
        ("when",),
        _("Panjereh: reminder, your appointment is {when} at {place}."),
    ),
    SmsEvent.SURVEY_INVITATION: EventSpec(
        _REQUEST,
        ("url",),
        _("Panjereh: how was the service for request {code}? Tell us: {url}"),
    ),
    SmsEvent.ONE_TIME_CODE: EventSpec(
        ("otp", "minutes", "code"),
        ("otp",),
        # What the code opens (a request's or a complaint's code), and a warning: someone
        # who asks for it is not us.
        _(
            "Panjereh: your code to follow {code} is {otp}. It is valid for "
            "{minutes} minutes. Do not give it to anyone, not even to us."
        ),
    ),
    SmsEvent.COMPLAINT_RECEIVED: EventSpec(
        _COMPLAINT,
        ("complaint_code",),
        _(
            "Panjereh: your complaint was received. Tracking code: {complaint_code}. "
            "Answer due by {date}."
        ),
    ),
    SmsEvent.COMPLAINT_STEP: EventSpec(
        (*_COMPLAINT, "step"),
        ("complaint_code",),
        _("Panjereh: complaint {complaint_code} is now “{step}”: {url}"),
    ),
    SmsEvent.COMPLAINT_ANSWERED: EventSpec(
        _COMPLAINT,
        ("complaint_code",),
        _("Panjereh: complaint {complaint_code} has been answered: {url}"),
    ),
    SmsEvent.COMPLAINT_ESCALATED: EventSpec(
        _COMPLAINT,
        ("complaint_code",),
        _(
            "Panjereh: complaint {complaint_code} was not answered in time and has gone to "
            "the national supervisors."
        ),
    ),
}


def spec(event: str) -> EventSpec:
    """The event's specification; KeyError for an event that does not exist."""
    return EVENTS[event]
