"""SMS gateways behind one small interface; the sending job never knows which one it talks to.

``settings.SMS_GATEWAY`` names the class. Kavenegar is the production gateway;
the logging one is for development, the memory one for tests (the boundary we fake).
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger("panjereh." + __name__)


class SmsError(Exception):
    """The gateway did not take the message; its job will try again."""


class SmsGateway:
    def send(self, mobile: str, text: str, *, local_id: str = "") -> str:
        """Hand one message to the provider; returns its message id or raises SmsError.

        ``local_id`` is our message's id: a provider that knows it sends it only once.
        """
        raise NotImplementedError


class KavenegarGateway(SmsGateway):
    """Kavenegar's REST API (https://kavenegar.com/rest.html) through its Python client."""

    def __init__(self):
        if not settings.KAVENEGAR_API_KEY:
            raise ImproperlyConfigured(
                "KAVENEGAR_API_KEY must be set to send SMS through Kavenegar."
            )
        from kavenegar import KavenegarAPI

        self.api = KavenegarAPI(settings.KAVENEGAR_API_KEY, timeout=10)
        self.sender = settings.KAVENEGAR_SENDER

    def send(self, mobile: str, text: str, *, local_id: str = "") -> str:
        from kavenegar import APIException, HTTPException

        params = {"receptor": mobile, "message": text}
        if local_id:
            params["localid"] = local_id  # Kavenegar sends one local id only once
        if self.sender:
            params["sender"] = self.sender
        try:
            response = self.api.sms_send(params)
        except (APIException, HTTPException) as error:
            raise SmsError(str(error)) from error
        return str(response[0].get("messageid", "")) if response else ""


class LogGateway(SmsGateway):
    """Development: the message goes to the log instead of a phone."""

    def send(self, mobile: str, text: str, *, local_id: str = "") -> str:
        logger.info("SMS to %s: %s", mobile, text)
        return ""


class MemoryGateway(SmsGateway):
    """Tests: messages are kept in ``MemoryGateway.sent``; ``fail_next`` makes sends fail."""

    sent: list[tuple[str, str]] = []
    fail_next = 0

    def send(self, mobile: str, text: str, *, local_id: str = "") -> str:
        if MemoryGateway.fail_next:
            MemoryGateway.fail_next -= 1
            raise SmsError("gateway unavailable")
        MemoryGateway.sent.append((mobile, text))
        return str(len(MemoryGateway.sent))


def get_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()
