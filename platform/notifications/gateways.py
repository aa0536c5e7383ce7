"""SMS gateways behind one small interface; the jobs never know which one they talk to.

``settings.SMS_GATEWAY`` names the class: Kavenegar in production, the sandbox for
development and the demo (its texts land in a table national administrators read as
"Sandbox phone"), the memory one for tests, the log one for a quick look.

The interface, all of it::

    send(mobile, text, *, local_id) -> provider_id
    statuses(provider_ids) -> {provider_id: DeliveryStatus}
    find_by_local_id(local_ids) -> {local_id: (provider_id, DeliveryStatus)}
    receive() -> [InboundSms(sender, text, received_at, provider_id)]

``local_id`` is our message's id. A gateway sends one local id only once: a second
``send`` with it returns the first one's provider id and delivers nothing (Kavenegar
does so), which is what makes a send retried after a crash safe. Failures raise
``TemporarySmsError`` (try again later: network, time-outs, the provider busy or out
of credit) or ``PermanentSmsError`` (trying again cannot help: a bad number, a blocked
line, a bad key or account). Their texts never carry the API key.
"""

import datetime
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from .constants import STATUS_BATCH, DeliveryStatus

logger = logging.getLogger("panjereh." + __name__)


class SmsError(Exception):
    """The gateway did not take the message (or did not answer)."""


class TemporarySmsError(SmsError):
    """Worth trying again later: the send job retries it with a growing delay."""


class PermanentSmsError(SmsError):
    """Trying again cannot help: the message is marked failed at once."""


@dataclass(frozen=True)
class InboundSms:
    """A text sent to our line."""

    sender: str
    text: str
    received_at: datetime.datetime
    provider_id: str


class SmsGateway:
    def send(self, mobile: str, text: str, *, local_id: str) -> str:
        """Hand one message to the provider; returns its id. Sends a local id only once."""
        raise NotImplementedError

    def statuses(self, provider_ids: list[str]) -> dict[str, DeliveryStatus]:
        """What became of these accepted messages; ids the provider does not know are left out."""
        raise NotImplementedError

    def find_by_local_id(self, local_ids: list[str]) -> dict[str, tuple[str, DeliveryStatus]]:
        """The provider's id and status of each local id it accepted; unknown ones are left out."""
        raise NotImplementedError

    def receive(self) -> list[InboundSms]:
        """Texts sent to our line since the last call (each is given once)."""
        raise NotImplementedError


# --- Kavenegar -----------------------------------------------------------------------------

# Kavenegar's message statuses (sms/status, sms/statuslocalmessageid):
# 1 queued, 2 scheduled, 4 and 5 sent to the operator, 6 failed, 10 delivered,
# 11 not delivered, 13 cancelled, 14 blocked by the recipient, 100 unknown id.
KAVENEGAR_DELIVERY = {
    1: DeliveryStatus.SENT,
    2: DeliveryStatus.SENT,
    4: DeliveryStatus.SENT,
    5: DeliveryStatus.SENT,
    6: DeliveryStatus.UNDELIVERABLE,
    10: DeliveryStatus.DELIVERED,
    11: DeliveryStatus.UNDELIVERABLE,
    13: DeliveryStatus.UNDELIVERABLE,
    14: DeliveryStatus.UNDELIVERABLE,
}
KAVENEGAR_UNKNOWN_ID = 100

# Kavenegar's ``return.status`` codes worth trying again later: 402 the operation failed,
# 409 the server cannot answer now, 418 the account's credit ran out (until it is topped
# up), 429 and 451 too many calls. Every other code but 200 is permanent (400 missing
# parameters, 401 account disabled, 403 invalid API key, 407 access denied, 411 invalid
# receptor, 412 invalid sender line, 413 text empty or too long, 416 caller's IP not
# allowed, 420 links not allowed on the line, 422 bad characters, 427 line needs access,
# 501 a test account may only text its owner …), except unknown ones: tried again.
KAVENEGAR_TEMPORARY = {402, 409, 418, 429, 451}
KAVENEGAR_PERMANENT = {
    400, 401, 403, 404, 405, 406, 407, 411, 412, 413, 414, 415, 416, 417, 419, 420,
    422, 424, 426, 427, 428, 431, 432, 501, 604, 607,
}  # fmt: skip


def _batches(ids) -> list[list[str]]:
    ids = [str(i) for i in ids]
    return [ids[start : start + STATUS_BATCH] for start in range(0, len(ids), STATUS_BATCH)]


class KavenegarGateway(SmsGateway):
    """Kavenegar's REST API (https://kavenegar.com/rest.html) over ``requests``.

    ``{KAVENEGAR_API_URL}/{key}/sms/<method>.json``, answered with
    ``{"return": {"status", "message"}, "entries": …}`` (the HTTP status mirrors
    ``return.status``). Explicit connect and read time-outs; the key, which sits in
    the URL's path, is scrubbed from every error text (and from urllib3's log lines by
    ``notifications.redaction``, which the settings put on its loggers).
    """

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None):
        import requests

        self._key = api_key or settings.KAVENEGAR_API_KEY
        if not self._key:
            raise ImproperlyConfigured(
                "KAVENEGAR_API_KEY must be set to send SMS through Kavenegar."
            )
        self._base = (base_url or settings.KAVENEGAR_API_URL).rstrip("/")
        self.sender = settings.KAVENEGAR_SENDER
        self.timeout = (settings.KAVENEGAR_CONNECT_TIMEOUT, settings.KAVENEGAR_READ_TIMEOUT)
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/json"

    def _scrub(self, text: str) -> str:
        return str(text).replace(self._key, "***")

    def _call(self, method: str, params: dict):
        """POST one API method; its ``entries``, or the mapped error."""
        import requests

        url = f"{self._base}/{self._key}/sms/{method}.json"
        try:
            response = self._session.post(url, data=params, timeout=self.timeout)
        except requests.Timeout:
            error = TemporarySmsError(f"Kavenegar {method}: no answer in time")
        except requests.RequestException as failure:
            error = TemporarySmsError(
                self._scrub(f"Kavenegar {method}: {type(failure).__name__}: {failure}")
            )
        else:
            return self._entries(method, response)
        raise error  # outside the ``except``: no chained exception carries the URL

    def _entries(self, method: str, response):
        try:
            body = response.json()
            code = int(body["return"]["status"])
            message = str(body["return"].get("message", ""))[:200]
        except (ValueError, KeyError, TypeError):
            # Not Kavenegar's answer: a proxy's page, an outage.
            raise TemporarySmsError(
                f"Kavenegar {method}: HTTP {response.status_code}, not an API answer"
            ) from None
        if code == 200:
            return body.get("entries") or []
        text = self._scrub(f"Kavenegar {method}: {code} {message}".strip())
        if code in KAVENEGAR_PERMANENT:
            raise PermanentSmsError(text)
        raise TemporarySmsError(text)  # the temporary ones, and any code we do not know

    def send(self, mobile: str, text: str, *, local_id: str) -> str:
        params = {"receptor": mobile, "message": text, "localid": local_id}
        if self.sender:
            params["sender"] = self.sender
        entries = self._call("send", params)
        try:
            return str(entries[0]["messageid"])
        except (IndexError, KeyError, TypeError):
            raise TemporarySmsError("Kavenegar send: accepted without a message id") from None

    def _delivery(self, entry) -> DeliveryStatus | None:
        try:
            code = int(entry.get("status"))
        except (TypeError, ValueError, AttributeError):
            return None
        if code == KAVENEGAR_UNKNOWN_ID or not str(entry.get("messageid") or "").strip("0"):
            return None
        return KAVENEGAR_DELIVERY.get(code, DeliveryStatus.SENT)

    def statuses(self, provider_ids: list[str]) -> dict[str, DeliveryStatus]:
        found = {}
        for batch in _batches(provider_ids):
            for entry in self._call("status", {"messageid": ",".join(batch)}):
                status = self._delivery(entry)
                if status is not None:
                    found[str(entry["messageid"])] = status
        return found

    def find_by_local_id(self, local_ids: list[str]) -> dict[str, tuple[str, DeliveryStatus]]:
        found = {}
        for batch in _batches(local_ids):
            for entry in self._call("statuslocalmessageid", {"localid": ",".join(batch)}):
                status = self._delivery(entry)
                if status is not None and entry.get("localid") is not None:
                    found[str(entry["localid"])] = (str(entry["messageid"]), status)
        return found

    def receive(self) -> list[InboundSms]:
        if not self.sender:
            return []  # no line of our own (Kavenegar's shared one): nobody can text back
        # isread=0: the unread texts of our line; Kavenegar marks them read as it gives them.
        entries = self._call("receive", {"linenumber": self.sender, "isread": 0})
        received = []
        for entry in entries:
            try:
                when = datetime.datetime.fromtimestamp(int(entry["date"]), tz=datetime.UTC)
                received.append(
                    InboundSms(
                        sender=str(entry["sender"]),
                        text=str(entry.get("message") or ""),
                        received_at=when,
                        provider_id=str(entry["messageid"]),
                    )
                )
            except (KeyError, TypeError, ValueError, OverflowError):
                logger.warning("Kavenegar receive: an entry without sender, id or date skipped")
        return received


# --- Development and tests ----------------------------------------------------------------


class SandboxGateway(SmsGateway):
    """Development and the demo: texts go to a table (``SandboxSms``), read in the national
    admin as "Sandbox phone". Local ids are honoured as Kavenegar honours them; every
    text is reported delivered; nobody can text back."""

    def send(self, mobile: str, text: str, *, local_id: str) -> str:
        from .models import SandboxSms

        row, _created = SandboxSms.objects.get_or_create(
            local_id=local_id or None,
            defaults={"mobile": mobile, "text": text, "sent_at": timezone.now()},
        )
        return f"sandbox-{row.pk}"

    def statuses(self, provider_ids):
        from .models import SandboxSms

        known = {
            f"sandbox-{pk}"
            for pk in SandboxSms.objects.filter(
                pk__in=[int(i.removeprefix("sandbox-")) for i in provider_ids if _sandbox_id(i)]
            ).values_list("pk", flat=True)
        }
        return {pid: DeliveryStatus.DELIVERED for pid in provider_ids if pid in known}

    def find_by_local_id(self, local_ids):
        from .models import SandboxSms

        rows = SandboxSms.objects.filter(local_id__in=list(local_ids))
        return {row.local_id: (f"sandbox-{row.pk}", DeliveryStatus.DELIVERED) for row in rows}

    def receive(self):
        return []


def _sandbox_id(provider_id: str) -> bool:
    return (
        provider_id.startswith("sandbox-")
        and provider_id[8:].isascii()
        and provider_id[8:].isdigit()
    )


class LogGateway(SmsGateway):
    """A quick look: the message goes to the log instead of a phone (no local ids kept)."""

    def send(self, mobile: str, text: str, *, local_id: str = "") -> str:
        logger.info("SMS to %s: %s", mobile, text)
        return ""

    def statuses(self, provider_ids):
        return {}

    def find_by_local_id(self, local_ids):
        return {}

    def receive(self):
        return []


class GatewayCrash(Exception):  # noqa: N818 (it stands for the worker dying)
    """Raised by the memory gateway *after* accepting a message: as if the worker died
    between the provider's acceptance and our record of it."""


class MemoryGateway(SmsGateway):
    """Tests: a provider in memory that honours local ids exactly as Kavenegar does.

    ``sent`` lists the (mobile, text) pairs delivered; ``accepted`` maps each local id
    to its provider id. ``fail_next`` makes that many calls fail temporarily,
    ``refuse_next`` permanently; ``crash_next`` makes that many sends accept the message
    and then raise ``GatewayCrash``. Tests set ``delivery`` (provider id → status) and
    ``inbox`` (InboundSms given once by ``receive``). ``calls`` counts sends.
    """

    sent: list[tuple[str, str]] = []
    accepted: dict[str, str] = {}
    delivery: dict[str, DeliveryStatus] = {}
    inbox: list[InboundSms] = []
    fail_next = 0
    refuse_next = 0
    crash_next = 0
    calls = 0
    _lock = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        cls.sent, cls.accepted, cls.delivery, cls.inbox = [], {}, {}, []
        cls.fail_next = cls.refuse_next = cls.crash_next = cls.calls = 0

    @classmethod
    def _failure(cls):
        if cls.fail_next:
            cls.fail_next -= 1
            return TemporarySmsError("gateway unavailable")
        if cls.refuse_next:
            cls.refuse_next -= 1
            return PermanentSmsError("receptor refused")
        return None

    def send(self, mobile: str, text: str, *, local_id: str) -> str:
        cls = MemoryGateway
        with cls._lock:
            cls.calls += 1
            failure = cls._failure()
            if failure is not None:
                raise failure
            if local_id in cls.accepted:
                return cls.accepted[local_id]  # known local id: nothing delivered again
            provider_id = str(len(cls.sent) + 1)
            cls.sent.append((mobile, text))
            cls.accepted[local_id] = provider_id
            if cls.crash_next:
                cls.crash_next -= 1
                raise GatewayCrash(f"crashed after the provider accepted {local_id}")
            return provider_id

    def statuses(self, provider_ids):
        failure = MemoryGateway._failure()
        if failure is not None:
            raise failure
        known = set(MemoryGateway.accepted.values())
        return {
            pid: MemoryGateway.delivery.get(pid, DeliveryStatus.SENT)
            for pid in provider_ids
            if pid in known
        }

    def find_by_local_id(self, local_ids):
        failure = MemoryGateway._failure()
        if failure is not None:
            raise failure
        return {
            lid: (pid, MemoryGateway.delivery.get(pid, DeliveryStatus.SENT))
            for lid in local_ids
            if (pid := MemoryGateway.accepted.get(lid)) is not None
        }

    def receive(self):
        failure = MemoryGateway._failure()
        if failure is not None:
            raise failure
        given, MemoryGateway.inbox = MemoryGateway.inbox, []
        return given


def get_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()
