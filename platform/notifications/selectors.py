"""Reading the SMS records: a request's texts for its timeline, the last one a number got."""

from .constants import InboundStatus, SmsStatus
from .models import InboundSms, SmsMessage

# Texts the citizen may have read (and so answer).
_REACHED = (SmsStatus.SENT, SmsStatus.DELIVERED, SmsStatus.UNDELIVERABLE)


def texts_of_request(request) -> list[SmsMessage]:
    """Every SMS about one request, oldest first."""
    return list(SmsMessage.objects.filter(request=request).order_by("queued_at", "pk"))


def last_request_texted(mobile: str, *, before=None) -> int | None:
    """The request of the latest text sent to this number (before ``before``), if any."""
    texts = SmsMessage.objects.filter(mobile=mobile, status__in=_REACHED)
    if before is not None:
        texts = texts.filter(sent_at__lte=before)
    latest = texts.order_by("-sent_at", "-pk").values_list("request_id", flat=True).first()
    return latest


def new_inbound_sms():
    """Received texts not read yet, oldest first (to be locked by their reader)."""
    return InboundSms.objects.filter(status=InboundStatus.NEW).order_by("received_at", "pk")
