"""The survey link's token: signed, for one request, valid for SURVEY_LINK_DAYS days.

The SMS link works without the one-time code: the token names the request and proves
the link came from us; it opens the questionnaire of that request only, and nothing else.
"""

from django.conf import settings
from django.core import signing

SALT = "surveys.invitation"


class BadToken(Exception):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def token_for(request) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(request.pk))


def request_id_from(token: str) -> int:
    """The request's id in ``token``; BadToken if it is forged, damaged or too old."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(
            (token or "")[:200], max_age=settings.SURVEY_LINK_DAYS * 86400
        )
    except signing.SignatureExpired as error:
        raise BadToken(expired=True) from error
    except signing.BadSignature as error:
        raise BadToken(expired=False) from error
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise BadToken(expired=False)
    return int(value)
