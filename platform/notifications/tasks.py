"""The job that sends one SMS: retried with a growing delay, then given up."""

from procrastinate import RetryStrategy

from tenants import jobs

from . import services
from .constants import SMS_RETRIES

# Waits 2, 4, 8 … 2048 seconds between tries: about an hour and eight minutes in all.
SMS_RETRY = RetryStrategy(max_attempts=SMS_RETRIES, exponential_wait=2)


@jobs.task(queue="sms", retry=SMS_RETRY, pass_context=True)
def send_sms(context, *, message_id: int) -> bool:
    # ``attempts`` counts the tries before this one (and a national administrator's retry).
    return services.send_sms(message_id, last_try=context.job.attempts >= SMS_RETRIES)
