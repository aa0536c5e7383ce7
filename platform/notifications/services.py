"""Writes to the SMS outbox: queue a text with the change it reports; send what is due."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from .constants import MAX_ATTEMPTS, SmsStatus
from .gateways import get_gateway
from .models import SmsMessage

logger = logging.getLogger("panjereh." + __name__)


def queue_sms(mobile: str, text: str, *, request=None) -> SmsMessage | None:
    """Queue a text in the caller's transaction (nothing is sent if it rolls back)."""
    if not mobile:
        return None
    now = timezone.now()
    return SmsMessage.objects.create(
        mobile=mobile, text=text, request=request, queued_at=now, available_at=now
    )


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def send_due_sms(*, limit: int = 100) -> int:
    """Send what is due, one transaction each; returns how many were sent.

    Several workers may run at once (locked rows are skipped). A failed send is
    retried after 30 s, 1, 2, 4 … 60 minutes, and given up after MAX_ATTEMPTS.
    """
    gateway = None
    sent = 0
    with schema_context(get_public_schema_name()):
        for _ in range(limit):
            with transaction.atomic():
                message = (
                    SmsMessage.objects.select_for_update(skip_locked=True)
                    .filter(status=SmsStatus.PENDING, available_at__lte=timezone.now())
                    .order_by("available_at", "pk")
                    .first()
                )
                if message is None:
                    break
                gateway = gateway or get_gateway()
                message.attempts += 1
                try:
                    message.provider_id = gateway.send(message.mobile, message.text)[:64]
                except Exception as error:  # any provider failure: keep it, try again later
                    logger.warning(
                        "SMS %s failed (try %s): %s", message.pk, message.attempts, error
                    )
                    message.last_error = f"{type(error).__name__}: {error}"[:2000]
                    if message.attempts >= MAX_ATTEMPTS:
                        message.status = SmsStatus.FAILED
                    else:
                        message.available_at = timezone.now() + _retry_delay(message.attempts)
                else:
                    message.status = SmsStatus.SENT
                    message.sent_at = timezone.now()
                    sent += 1
                message.save()
    return sent
