"""The survey's SMS (event ``survey_invitation``): always Persian, with the request's code."""

from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import queue_sms


def tell_survey_invitation(request, url: str):
    with translation.override("fa"):
        text = _(
            "Panjereh: request %(code)s is closed. How was the service? Answer four short "
            "questions: %(url)s"
        )
        return queue_sms(
            request.mobile, text % {"code": request.tracking_code, "url": url}, request=request
        )
