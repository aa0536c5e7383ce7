"""What the citizen is told by SMS at each step; always in Persian, always with the code."""

from urllib.parse import urlencode

from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import queue_sms
from persian.dates import jalali
from tenants.links import portal_url

from .constants import RequestStatus


def tracking_url(request) -> str:
    return portal_url("/track/?" + urlencode({"code": request.tracking_code}))


def _texts() -> dict:
    return {
        RequestStatus.SUBMITTED: _(
            "Panjereh: your request for “%(service)s” was received. Tracking code: %(code)s. "
            "Answer due by %(date)s."
        ),
        RequestStatus.INCOMPLETE: _(
            "Panjereh: request %(code)s needs more from you. See what is missing and answer: %(url)s"
        ),
        RequestStatus.ACCEPTED: _(
            "Panjereh: request %(code)s was accepted. Answer due by %(date)s."
        ),
        RequestStatus.IN_PROGRESS: _("Panjereh: request %(code)s is being worked on."),
        RequestStatus.ANSWERED: _(
            "Panjereh: request %(code)s has been answered. See and download the answer: %(url)s"
        ),
        RequestStatus.CLOSED: _("Panjereh: request %(code)s is closed."),
        RequestStatus.REJECTED: _("Panjereh: request %(code)s was rejected. The reason: %(url)s"),
    }


def _values(request) -> dict:
    return {
        "service": request.service_title,
        # Latin digits, undivided: what phones offer to copy.
        "code": request.tracking_code,
        "date": jalali(request.promised_on),
        "url": tracking_url(request),
    }


def tell_status(request, status: str) -> None:
    """Queue the SMS for a request that has just reached ``status``."""
    with translation.override("fa"):
        queue_sms(request.mobile, _texts()[status] % _values(request), request=request)


def tell_extension(request) -> None:
    with translation.override("fa"):
        text = _(
            "Panjereh: the answer to request %(code)s is now due by %(date)s. The reason: %(url)s"
        )
        queue_sms(request.mobile, text % _values(request), request=request)


def tell_new_message(request) -> None:
    with translation.override("fa"):
        text = _("Panjereh: the agency sent you a message about request %(code)s: %(url)s")
        queue_sms(request.mobile, text % _values(request), request=request)


def tell_step(request, change) -> None:
    with translation.override("fa"):
        text = _("Panjereh: request %(code)s has reached the step “%(step)s”.")
        queue_sms(request.mobile, text % {**_values(request), "step": change.step}, request=request)


def tell_visit(request, change) -> None:
    from django.utils import timezone

    with translation.override("fa"):
        text = _(
            "Panjereh: for request %(code)s please come in person on %(when)s to %(place)s. "
            "Why, and what to bring: %(url)s"
        )
        when = jalali(timezone.localtime(change.visit_at), "%A %d %B %Y، %H:%M")
        values = {**_values(request), "when": when, "place": change.visit_place}
        queue_sms(request.mobile, text % values, request=request)


def tell_ownership_code(request, code: str, *, minutes: int):
    """The one-time code that proves ownership of ``request`` (event ``one_time_code``).

    Returns the queued message: its text is masked once the code is no use.
    """
    with translation.override("fa"):
        text = _(
            "Panjereh: your code to see request %(code)s is %(otp)s. It is valid for "
            "%(minutes)s minutes. Do not give it to anyone, not even to us."
        )
        values = {**_values(request), "otp": code, "minutes": minutes}
        return queue_sms(request.mobile, text % values, request=request)
