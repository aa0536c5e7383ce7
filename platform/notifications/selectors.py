"""Reading the SMS records: a request's texts for its timeline, the last one a number got;
the templates: national ones, and an agency's own, never another agency's (every query of
``SmsTemplate`` by agency goes through here).
"""

from django.db.models import F, Q

from .constants import InboundStatus, SmsStatus
from .models import InboundSms, SmsMessage, SmsTemplate, SmsTemplateVersion

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


def national_templates():
    """The national templates (every agency's text unless it has its own)."""
    return SmsTemplate.objects.filter(agency_schema="")


def overrides_of(agency_schema: str):
    """The agency's own texts (with a text: a blank one has been given up)."""
    if not agency_schema:
        return SmsTemplate.objects.none()
    return SmsTemplate.objects.filter(agency_schema=agency_schema).exclude(text="")


def override_row(agency_schema: str, event: str) -> SmsTemplate | None:
    """The agency's row for ``event``, with a text or not (its history stays)."""
    if not agency_schema:
        return None
    return SmsTemplate.objects.filter(agency_schema=agency_schema, event=event).first()


def national_template(event: str) -> SmsTemplate | None:
    return national_templates().filter(event=event).first()


def current_version(event: str, agency_schema: str = "") -> SmsTemplateVersion | None:
    """The template version an SMS of ``event`` from ``agency_schema`` is written from,
    in one query: the agency's own text if it has one, else the national one."""
    whose = Q(template__agency_schema="")
    if agency_schema:
        whose |= Q(template__agency_schema=agency_schema) & ~Q(template__text="")
    return (
        SmsTemplateVersion.objects.select_related("template")
        .filter(whose, template__event=event, version=F("template__version"))
        # An agency's row ("agency_…") sorts after the national one (""): take it first.
        .order_by("-template__agency_schema")
        .first()
    )
