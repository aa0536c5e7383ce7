"""Writes to the SMS records: queue a text with the change it reports, send it once, learn
what became of it, and keep what citizens text back.

Sending is a small state machine (``constants.SmsStatus``) whose every step commits
on its own, with the gateway always called *outside* a transaction:

1. ``send_sms`` claims a queued message (row lock): ``sending``, committed;
2. calls the gateway with the message's id as its local id;
3. records ``sent`` and the provider's id; or, on a temporary error, ``queued`` again
   (its job retries it); on a permanent one, ``failed``.

A crash between 2 and 3 leaves the message ``sending``: ``reconcile_sending`` asks the
provider by local id after a grace period (found: ``sent``; not found: ``queued`` and
a new job; the local id makes that resend safe). ``poll_delivery`` asks the provider
what became of sent messages (``delivered`` / ``undeliverable``) for a day.
"""

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from persian.dates import to_persian_digits
from tenants import jobs

from .constants import STATUS_BATCH, DeliveryStatus, InboundStatus, SmsStatus
from .gateways import PermanentSmsError, TemporarySmsError, get_gateway
from .models import InboundSms, SmsMessage

logger = logging.getLogger("panjereh." + __name__)

# A job may claim a message waiting to be sent, or one given up (a national
# administrator's retry of its failed job); never one sending, sent or settled.
CLAIMABLE = (SmsStatus.QUEUED, SmsStatus.FAILED)
_SETTLED = {
    DeliveryStatus.DELIVERED: SmsStatus.DELIVERED,
    DeliveryStatus.UNDELIVERABLE: SmsStatus.UNDELIVERABLE,
}


def _translated(text: str) -> str:
    """A reason stored for administrators, in the site's language (Persian)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)


def _defer_send(message: SmsMessage, *, schema: str | None = None) -> None:
    from .tasks import send_sms as send_job

    # One send of a message at a time, whichever workers pick its jobs.
    jobs.defer(send_job, schema=schema, message_id=message.pk, lock=f"sms:{message.pk}")


def _over_daily_cap(mobile: str, now: datetime.datetime) -> bool:
    """Has this number had its ``SMS_DAILY_CAP_PER_MOBILE`` texts in the last 24 hours?

    Counted under a lock per number held to the end of the caller's transaction, so two
    requests at once cannot both take the last place. Texts refused by the cap itself
    (failed, never tried) do not count.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sms-cap:{mobile}"])
    recent = SmsMessage.objects.filter(
        mobile=mobile, queued_at__gte=now - datetime.timedelta(hours=24)
    ).exclude(status=SmsStatus.FAILED, attempts=0)
    return recent.count() >= settings.SMS_DAILY_CAP_PER_MOBILE


def queue_sms(mobile: str, text: str, *, request=None) -> SmsMessage | None:
    """Record a text and defer the job that sends it, both in the caller's transaction.

    Nothing is recorded or sent if that transaction rolls back. A text over the
    number's daily cap is recorded as failed, with the reason, and never sent.
    """
    if not mobile:
        return None
    now = timezone.now()
    with transaction.atomic():
        if _over_daily_cap(mobile, now):
            with translation.override(settings.LANGUAGE_CODE):
                reason = gettext(
                    "Not sent: this mobile number has already been sent %(cap)s text "
                    "messages in the last 24 hours, the most it may receive in a day."
                ) % {"cap": to_persian_digits(settings.SMS_DAILY_CAP_PER_MOBILE)}
            logger.info("SMS to %s not sent: over the daily cap", mobile)
            return SmsMessage.objects.create(
                mobile=mobile,
                text=text,
                request=request,
                queued_at=now,
                status=SmsStatus.FAILED,
                last_error=reason,
            )
        message = SmsMessage.objects.create(
            mobile=mobile, text=text, request=request, queued_at=now
        )
        _defer_send(message)
    return message


def _claim(message_id: int) -> SmsMessage | None:
    """Mark the message ``sending`` and commit; None if it is not this job's to send."""
    with transaction.atomic(durable=True):
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status not in CLAIMABLE:
            return None
        message.status = SmsStatus.SENDING
        message.sending_since = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "sending_since", "attempts"])
    return message


def _record_failure(message: SmsMessage, error: Exception, *, give_up: bool) -> None:
    status = SmsStatus.FAILED if give_up else SmsStatus.QUEUED
    with transaction.atomic(durable=True):
        SmsMessage.objects.filter(pk=message.pk, status=SmsStatus.SENDING).update(
            status=status,
            sending_since=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )


def _record_sent(message_id: int, provider_id: str, status=DeliveryStatus.SENT) -> None:
    now = timezone.now()
    fields = {
        "status": _SETTLED.get(status, SmsStatus.SENT),
        "provider_id": (provider_id or "")[:64],
        "sent_at": now,
        "sending_since": None,
    }
    if status == DeliveryStatus.DELIVERED:
        fields["delivered_at"] = now
    # Whatever happened meanwhile (a reconcile that put it back in the queue), the provider
    # has it: it is sent, and a job still waiting for it will find nothing to do.
    SmsMessage.objects.filter(pk=message_id, status__in=[SmsStatus.SENDING, *CLAIMABLE]).update(
        **fields
    )


def send_sms(message_id: int, *, last_try: bool = False) -> bool:
    """Hand one message to the gateway; True if it was sent now.

    Only a queued (or given-up) message is sent; one another job is sending, or that
    was sent, is left alone. A temporary failure puts it back in the queue and is
    raised (its job retries it); on the ``last_try`` the message is given up (failed).
    A permanent failure marks it failed at once and is raised (its job fails, where
    national administrators see it). Anything else leaves it ``sending``: whether the
    provider took it is unknown, and ``reconcile_sending`` will ask.
    """
    message = _claim(message_id)
    if message is None:
        return False
    try:
        provider_id = get_gateway().send(message.mobile, message.text, local_id=message.local_id)
    except (TemporarySmsError, PermanentSmsError) as error:
        permanent = isinstance(error, PermanentSmsError)
        logger.warning(
            "SMS %s failed (try %s%s): %s",
            message.pk,
            message.attempts,
            ", for good" if permanent else "",
            error,
        )
        _record_failure(message, error, give_up=permanent or last_try)
        raise
    _record_sent(message.pk, provider_id)
    return True


def reconcile_sending(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Settle the messages left ``sending`` longer than ``SMS_SENDING_GRACE_SECONDS``.

    The provider is asked by local id: a message it has is ``sent`` (or already
    delivered); one it never got goes back to the queue with a new job.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.SMS_SENDING_GRACE_SECONDS)
    stuck = list(
        SmsMessage.objects.filter(status=SmsStatus.SENDING, sending_since__lt=cutoff).order_by(
            "sending_since"
        )[:STATUS_BATCH]
    )
    counts = {"sent": 0, "queued": 0}
    if not stuck:
        return counts
    found = get_gateway().find_by_local_id([message.local_id for message in stuck])
    for message in stuck:
        with transaction.atomic(durable=True):
            still = SmsMessage.objects.select_for_update().filter(
                pk=message.pk, status=SmsStatus.SENDING, sending_since=message.sending_since
            )
            if not still.exists():
                continue  # its job recorded it meanwhile
            if message.local_id in found:
                provider_id, status = found[message.local_id]
                _record_sent(message.pk, provider_id, status)
                counts["sent"] += 1
                logger.info("SMS %s found at the provider after a crash: sent", message.pk)
            else:
                still.update(
                    status=SmsStatus.QUEUED,
                    sending_since=None,
                    last_error=_translated(
                        gettext_noop("The provider has no record of it: queued again.")
                    ),
                )
                _defer_send(message)
                counts["queued"] += 1
                logger.warning("SMS %s unknown to the provider after a crash: queued", message.pk)
    return counts


def poll_delivery(*, now: datetime.datetime | None = None) -> int:
    """Ask the provider what became of sent messages; returns how many were settled.

    Messages sent in the last ``SMS_STATUS_POLL_HOURS`` are asked about, in batches,
    at most every ``SMS_STATUS_RECHECK_SECONDS``; after that they stay "sent".
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(hours=settings.SMS_STATUS_POLL_HOURS)
    recheck = now - datetime.timedelta(seconds=settings.SMS_STATUS_RECHECK_SECONDS)
    gateway = get_gateway()
    settled = 0
    for _ in range(100):
        due = list(
            SmsMessage.objects.filter(status=SmsStatus.SENT, sent_at__gte=since)
            .exclude(provider_id="")
            .filter(Q(status_checked_at__isnull=True) | Q(status_checked_at__lt=recheck))
            .order_by(F("status_checked_at").asc(nulls_first=True), "sent_at")
            .values_list("pk", "provider_id")[:STATUS_BATCH]
        )
        if not due:
            break
        statuses = gateway.statuses([provider_id for _pk, provider_id in due])
        with transaction.atomic(durable=True):
            for delivery, status in _SETTLED.items():
                pks = [pk for pk, provider_id in due if statuses.get(provider_id) == delivery]
                fields = {"status": status, "status_checked_at": now}
                if delivery == DeliveryStatus.DELIVERED:
                    fields["delivered_at"] = now
                settled += SmsMessage.objects.filter(pk__in=pks, status=SmsStatus.SENT).update(
                    **fields
                )
            SmsMessage.objects.filter(
                pk__in=[pk for pk, _provider_id in due], status=SmsStatus.SENT
            ).update(status_checked_at=now)
    return settled


def _sender_mobile(sender: str) -> str:
    from django.core.exceptions import ValidationError

    from persian.validators import clean_mobile

    try:
        return clean_mobile(sender)
    except ValidationError:
        return sender[:16]  # a short code or a foreign number: kept as given


def receive_sms() -> list[InboundSms]:
    """Keep the texts citizens sent to our line; returns the new ones (a provider id is
    kept once, however often the provider gives it)."""
    gateway = get_gateway()
    received = []
    for _ in range(10):  # Kavenegar gives at most 100 texts a call
        batch = gateway.receive()
        received += batch
        if len(batch) < 100:
            break
    stored = []
    now = timezone.now()
    for sms in received:
        row, created = InboundSms.objects.get_or_create(
            provider_id=sms.provider_id[:64],
            defaults={
                "sender": _sender_mobile(sms.sender),
                "text": sms.text,
                "received_at": sms.received_at,
                "fetched_at": now,
            },
        )
        if created:
            stored.append(row)
    return stored


def settle_inbound_sms(inbound: InboundSms, *, request=None) -> None:
    """Record that a received text joined ``request``'s messages, or matched none."""
    inbound.request = request
    inbound.status = InboundStatus.MATCHED if request is not None else InboundStatus.UNMATCHED
    inbound.save(update_fields=["request", "status"])


# --- SMS templates ------------------------------------------------------------------------


def _username(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else ""


def _add_version(template):
    from .models import SmsTemplateVersion

    return SmsTemplateVersion.objects.create(
        template=template,
        version=template.version,
        text=template.text,
        created_by=template.updated_by,
        created_at=template.updated_at,
    )


def ensure_national_template(event: str):
    """The national template of ``event``, made from its default text if it has none."""
    from django.db import IntegrityError
    from django.utils import translation

    from . import selectors
    from .events import spec
    from .models import SmsTemplate

    found = selectors.national_template(event)
    if found is not None:
        return found
    with translation.override("fa"):
        text = str(spec(event).default)
    try:
        with transaction.atomic():
            template = SmsTemplate.objects.create(
                event=event, agency_schema="", text=text, version=1, updated_at=timezone.now()
            )
            _add_version(template)
    except IntegrityError:  # made at the same moment by another transaction
        return selectors.national_template(event)
    return template


@transaction.atomic
def edit_sms_template(template, *, text: str, user=None):
    """Give ``template`` a new text: a new version, which later messages record.

    The text is checked against its event's placeholders (ValidationError). Saving the
    same text again adds no version.
    """
    from .models import SmsTemplate
    from .templating import validate

    text = text.strip()
    validate(template.event, text)
    locked = SmsTemplate.objects.select_for_update().get(pk=template.pk)
    if locked.text == text:
        return locked
    locked.text = text
    locked.version += 1
    locked.updated_by = _username(user)
    locked.updated_at = timezone.now()
    locked.save()
    _add_version(locked)
    return locked


@transaction.atomic
def override_sms_template(agency_schema: str, event: str, *, text: str, user=None):
    """An agency's own text for ``event`` (a blank ``text`` gives it up: the national
    text applies again). Each change is a new version of the agency's row."""
    from .events import spec
    from .models import SmsTemplate
    from .templating import validate

    spec(event)  # KeyError for an event that does not exist
    if not agency_schema:
        raise ValueError("An override belongs to an agency.")
    text = text.strip()
    if text:
        validate(event, text)
    now = timezone.now()
    template = (
        SmsTemplate.objects.select_for_update()
        .filter(event=event, agency_schema=agency_schema)
        .first()
    )
    if template is None:
        if not text:
            return None  # nothing to give up
        template = SmsTemplate.objects.create(
            event=event,
            agency_schema=agency_schema,
            text=text,
            version=1,
            updated_by=_username(user),
            updated_at=now,
        )
        _add_version(template)
        return template
    if template.text == text:
        return template
    template.text = text
    template.version += 1
    template.updated_by = _username(user)
    template.updated_at = now
    template.save()
    _add_version(template)
    return template


def queue_event_sms(event: str, mobile: str, values: dict, *, request=None, agency_schema=""):
    """Queue the SMS of ``event``: the agency's own text if it has one, else the national
    one, filled in with ``values``; the message records the event and template version.

    Values are copied into the text as they are: one that looks like a placeholder is
    not filled in again.
    """
    from . import selectors
    from .templating import render

    version = selectors.current_version(event, agency_schema)
    if version is None:  # an event newer than the national templates: made from its default
        ensure_national_template(event)
        version = selectors.current_version(event, agency_schema)
    message = queue_sms(mobile, render(version.text, values), request=request)
    if message is not None:
        SmsMessage.objects.filter(pk=message.pk).update(event=event, template_version=version)
        message.event, message.template_version = event, version
    return message
