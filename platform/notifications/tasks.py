"""The SMS jobs: one send per message, retried with a growing delay while the provider is
temporarily unable; and the periodic ones that settle what a crash left ``sending`` and
ask the provider what became of sent messages."""

import logging

import attr
from django.conf import settings
from procrastinate import RetryStrategy

from tenants import jobs

from . import services
from .gateways import SmsError, TemporarySmsError

logger = logging.getLogger("panjereh." + __name__)


@attr.dataclass(kw_only=True)
class SmsRetry(RetryStrategy):
    """Waits 2, 4, 8 … seconds between tries, never more than ``max_wait``; only temporary
    errors are retried (a permanent one fails the job at once)."""

    max_wait: int = 3600

    def get_retry_decision(self, *, exception, job):
        from procrastinate.retry import RetryDecision

        decision = super().get_retry_decision(exception=exception, job=job)
        if decision is None:
            return None
        wait = min(self.exponential_wait ** (job.attempts + 1), self.max_wait)
        return RetryDecision(retry_in={"seconds": wait})


# With the defaults: 2, 4 … 2048 s, then 3600 s eleven times: about 12 hours in all.
SMS_RETRY = SmsRetry(
    max_attempts=settings.SMS_RETRY_ATTEMPTS,
    exponential_wait=2,
    max_wait=settings.SMS_RETRY_MAX_WAIT_SECONDS,
    retry_exceptions=[TemporarySmsError],
)


@jobs.task(queue="sms", retry=SMS_RETRY, pass_context=True)
def send_sms(context, *, message_id: int) -> bool:
    # ``attempts`` counts the tries before this one (and a national administrator's retry).
    return services.send_sms(
        message_id, last_try=context.job.attempts >= settings.SMS_RETRY_ATTEMPTS
    )


@jobs.periodic(cron=settings.SMS_RECONCILE_CRON)
@jobs.task(queue="sms", queueing_lock="reconcile_sms", lock="reconcile_sms")
def reconcile_sending_sms(*, timestamp: int) -> dict:
    """Messages left "sending" by a crash: asked of the provider by local id."""
    try:
        return services.reconcile_sending()
    except SmsError as error:
        logger.warning("SMS reconcile postponed: %s", error)
        return {}


@jobs.periodic(cron=settings.SMS_STATUS_CRON)
@jobs.task(queue="sms", queueing_lock="poll_sms_delivery", lock="poll_sms_delivery")
def poll_sms_delivery(*, timestamp: int) -> int:
    """Delivery reports of the messages sent in the last day."""
    try:
        return services.poll_delivery()
    except SmsError as error:
        logger.warning("SMS delivery reports postponed: %s", error)
        return 0
