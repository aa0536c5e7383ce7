"""Periodic jobs of the request backend (public schema): clean-up of what citizens left
behind, and their SMS replies."""

import logging

from django.conf import settings

from tenants import jobs

from . import services

logger = logging.getLogger("panjereh." + __name__)


@jobs.periodic(cron="*/15 * * * *")
@jobs.task(queue="maintenance", queueing_lock="purge_stale_pending_uploads")
def purge_stale_pending_uploads(*, timestamp: int) -> int:
    """Remove documents kept for request forms that were never sent, 500 at a time."""
    purged = 0
    for _ in range(100):
        count = services.purge_stale_pending_uploads()
        purged += count
        if not count:
            break
    return purged


@jobs.periodic(cron="* * * * *")
@jobs.task(queue="maintenance", queueing_lock="mask_spent_ownership_codes")
def mask_spent_ownership_codes(*, timestamp: int) -> int:
    """Mask the one-time codes in the SMS outbox once they are no use (expired or used)."""
    from . import ownership

    masked = 0
    for _ in range(100):
        count = ownership.mask_spent_codes()
        masked += count
        if not count:
            break
    return masked


@jobs.periodic(cron=settings.SMS_RECEIVE_CRON)
@jobs.task(queue="sms", queueing_lock="receive_sms_replies", lock="receive_sms_replies")
def receive_sms_replies(*, timestamp: int) -> dict:
    """Citizens' SMS replies, from the provider's receive API into their requests' threads."""
    from notifications.gateways import SmsError
    from notifications.services import receive_sms

    try:
        receive_sms()
    except SmsError as error:
        logger.warning("SMS replies not fetched now: %s", error)
    return services.attach_sms_replies()
