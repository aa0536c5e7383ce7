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
