"""Writes to the SMS record: queue a text with the change it reports; send one when its job runs."""

import logging

from django.db import transaction
from django.utils import timezone

from tenants import jobs

from .constants import SmsStatus
from .gateways import get_gateway
from .models import SmsMessage

logger = logging.getLogger("panjereh." + __name__)


def queue_sms(mobile: str, text: str, *, request=None) -> SmsMessage | None:
    """Record a text and defer the job that sends it, both in the caller's transaction.

    Nothing is recorded or sent if that transaction rolls back.
    """
    if not mobile:
        return None
    from .tasks import send_sms as send_job

    message = SmsMessage.objects.create(
        mobile=mobile, text=text, request=request, queued_at=timezone.now()
    )
    # One send of a message at a time, whichever workers pick its jobs.
    jobs.defer(send_job, message_id=message.pk, lock=f"sms:{message.pk}")
    return message


def send_sms(message_id: int, *, last_try: bool = False) -> bool:
    """Hand one message to the gateway; True if it was sent now.

    A message already sent is left alone (a job retried after a crash sends nothing
    twice; the gateway also gets the message's id as its local id). A failure is
    recorded on the message and raised, so that its job is retried; on the
    ``last_try`` the message is marked failed (given up).
    """
    failure = None
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == SmsStatus.SENT:
            return False
        message.attempts += 1
        try:
            provider_id = get_gateway().send(message.mobile, message.text, local_id=str(message.pk))
        except Exception as error:  # any provider failure: recorded, then retried by the job
            logger.warning("SMS %s failed (try %s): %s", message.pk, message.attempts, error)
            failure = error
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.status = SmsStatus.FAILED if last_try else SmsStatus.PENDING
        else:
            message.provider_id = (provider_id or "")[:64]
            message.status = SmsStatus.SENT
            message.sent_at = timezone.now()
        message.save()
    if failure is not None:
        raise failure
    return True
