"""The demo's SMS: what became of the texts the demo requests and complaints queued, a few
citizens' replies, and one agency's own SMS text.

The demo sends through the sandbox gateway, which delivers everything at once; so that the
outbox and the request timelines show what a working line shows, each agency's new texts
are given a fate: most delivered (with the sandbox phone's copy, as the sandbox records
them), some sent with no delivery report, some not delivered, some given up by the
provider, and the newest waiting for a retry after the provider did not answer. Only the
texts this run queued are touched, so a second run changes nothing.

Citizens' replies go through the real path: received texts (``InboundSms``) are read by
``service_requests.services.attach_sms_replies``, which joins the one from a request's own
mobile to its messages and keeps the others, unmatched, for national administrators.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context
from procrastinate.contrib.django.models import ProcrastinateJob

from notifications import selectors as sms_selectors
from notifications import services as sms_services
from notifications.constants import InboundStatus, SmsEvent, SmsStatus
from notifications.models import InboundSms, SandboxSms, SmsMessage
from notifications.tasks import send_sms as send_job
from service_requests import services as request_services
from service_requests.constants import RequestStatus, Sender
from service_requests.models import RequestMessage, ServiceRequest
from tenants import jobs

# One agency writes its own text of the "request received" SMS (before its requests come).
OVERRIDE_AGENCY = "tamin"
OVERRIDE_EVENT = SmsEvent.SUBMITTED
OVERRIDE_TEXT = (
    "تأمین اجتماعی: درخواست «{service}» شما با کد رهگیری {code} ثبت شد. "
    "پاسخ تا {date}. پیگیری: {url}"
)
OVERRIDE_BY = "manager"  # the agency administrator of console.demo

# Of every twenty older texts: what became of them.
FATES = (
    [SmsStatus.DELIVERED] * 14
    + [SmsStatus.SENT] * 2
    + [SmsStatus.UNDELIVERABLE] * 2
    + [SmsStatus.FAILED] * 2
)
WAITING = 1  # the newest text of each agency waits for a retry
FAILED_ERROR = "PermanentSmsError: Kavenegar send: 411 گیرنده نامعتبر است"
UNDELIVERED_NOTE = "گوشی گیرنده تا پایان مهلت اعتبار پیام خاموش یا خارج از دسترس بود."
RETRY_ERROR = "TemporarySmsError: Kavenegar send: no answer in time"


def latest_sms() -> int:
    return SmsMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def write_agency_override(agency) -> bool:
    """The agency's own text of one event (once); True if it was written now."""
    if agency.slug != OVERRIDE_AGENCY:
        return False
    before = sms_selectors.override_row(agency.schema_name, OVERRIDE_EVENT)
    with schema_context(agency.schema_name):
        user = get_user_model().objects.filter(username=OVERRIDE_BY).first()
    saved = sms_services.override_sms_template(
        agency.schema_name, OVERRIDE_EVENT, text=OVERRIDE_TEXT, user=user
    )
    return before is None or saved.version != before.version


def _waiting_jobs(message_pk: int):
    return ProcrastinateJob.objects.filter(lock=f"sms:{message_pk}", status="todo")


def _cancel_send(message_pk: int) -> str:
    """Cancel the message's waiting send job; returns the schema it carried."""
    schema = "public"
    for job in _waiting_jobs(message_pk):
        args = job.args if isinstance(job.args, dict) else {}
        schema = args.get("schema", schema)
        jobs.app.job_manager.cancel_job_by_id(job.id, delete_job=True)
    return schema


def _sandbox_copy(message: SmsMessage, sent_at: datetime.datetime) -> str:
    row, _created = SandboxSms.objects.get_or_create(
        local_id=message.local_id,
        defaults={"mobile": message.mobile, "text": message.text, "sent_at": sent_at},
    )
    return f"sandbox-{row.pk}"


def settle_sms(since_pk: int, *, seed: str) -> int:
    """Give every text queued after ``since_pk`` its fate; returns how many."""
    rng = random.Random(f"sms:{seed}")  # noqa: S311 (demo data)
    messages = list(
        SmsMessage.objects.filter(pk__gt=since_pk, status=SmsStatus.QUEUED).order_by(
            "queued_at", "pk"
        )
    )
    fates = list(FATES)
    rng.shuffle(fates)
    now = timezone.now()
    newest = {message.pk for message in messages[-WAITING:]}
    for number, message in enumerate(messages):
        queued_at = message.queued_at
        sent_at = min(queued_at + datetime.timedelta(seconds=rng.randrange(2, 40)), now)
        if message.pk in newest:
            schema = _cancel_send(message.pk)
            jobs.defer(
                send_job,
                schema=schema,
                message_id=message.pk,
                lock=f"sms:{message.pk}",
                schedule_in={"minutes": rng.randrange(20, 50)},
            )
            SmsMessage.objects.filter(pk=message.pk).update(attempts=1, last_error=RETRY_ERROR)
            continue
        fate = fates[number % len(fates)]
        if fate == SmsStatus.SENT and now - sent_at < datetime.timedelta(days=1):
            fate = SmsStatus.DELIVERED  # a report still comes within the day
        if fate == SmsStatus.FAILED:
            _cancel_send(message.pk)
            SmsMessage.objects.filter(pk=message.pk).update(
                status=SmsStatus.FAILED, attempts=1, last_error=FAILED_ERROR
            )
            continue
        fields = {
            "status": fate,
            "attempts": 1,
            "sent_at": sent_at,
            "provider_id": _sandbox_copy(message, sent_at),
        }
        if fate == SmsStatus.DELIVERED:
            fields["delivered_at"] = min(
                sent_at + datetime.timedelta(seconds=rng.randrange(3, 90)), now
            )
            fields["status_checked_at"] = fields["delivered_at"]
        elif fate == SmsStatus.UNDELIVERABLE:
            fields["status_checked_at"] = min(sent_at + datetime.timedelta(hours=6), now)
            fields["last_error"] = UNDELIVERED_NOTE
        else:
            fields["status_checked_at"] = min(sent_at + datetime.timedelta(hours=23), now)
        SmsMessage.objects.filter(pk=message.pk).update(**fields)
    return len(messages)


# Citizens' texts to our line: (provider id, who sent it, the text, how many days ago).
# From the request's own mobile with its code: joined to its messages. Anyone else, even
# naming the code, or a number we never texted: kept unmatched for administrators.
REPLIES = [
    ("demo-in-1", "own", "سلام. مدارکی که خواستید را فردا صبح حضوری تحویل می‌دهم. کد {code}", 3),
    ("demo-in-2", "09371234567", "وضعیت پرونده {code} چه شد؟ برادر متقاضی هستم.", 2),
    ("demo-in-3", "09195550123", "سلام، من درخواستی ثبت نکرده‌ام. لطفاً دیگر پیامک نفرستید.", 1),
]


def seed_inbound_sms(agencies) -> int:
    """A few citizens' replies, read as the periodic job reads them; returns how many new."""
    if InboundSms.objects.filter(provider_id__startswith="demo-in-").exists() or not agencies:
        return 0
    request = (
        ServiceRequest.objects.filter(agency=agencies[0], status=RequestStatus.IN_PROGRESS)
        .order_by("submitted_at")
        .first()
    )
    if request is None:
        return 0
    now = timezone.now()
    for number, (provider_id, whose, text, days_ago) in enumerate(REPLIES):
        sender = request.mobile if whose == "own" else whose
        received_at = now - datetime.timedelta(
            days=days_ago, hours=2 + 3 * number, minutes=17 * number
        )
        InboundSms.objects.create(
            provider_id=provider_id,
            sender=sender,
            text=text.format(code=request.tracking_code),
            received_at=received_at,
            fetched_at=received_at + datetime.timedelta(seconds=40),
        )
    latest = RequestMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    request_services.attach_sms_replies()
    # The reply joined the request's messages when it came, not now.
    for message in RequestMessage.objects.filter(pk__gt=latest, sender=Sender.CITIZEN):
        inbound = InboundSms.objects.filter(
            request=message.request, status=InboundStatus.MATCHED
        ).first()
        if inbound is not None:
            RequestMessage.objects.filter(pk=message.pk).update(
                sent_at=inbound.received_at + datetime.timedelta(minutes=1)
            )
    return len(REPLIES)
