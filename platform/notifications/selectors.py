"""Reading SMS templates: national ones, and an agency's own, never another agency's.

Every query of ``SmsTemplate`` by agency goes through here.
"""

from .models import SmsTemplate


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


def template_for(event: str, agency_schema: str = "") -> SmsTemplate | None:
    """The template an SMS of ``event`` from ``agency_schema`` is written from.

    The agency's own text if it has one, else the national one (None if that was never
    made: ``services.queue_event_sms`` makes it from the default).
    """
    own = overrides_of(agency_schema).filter(event=event).first()
    return own or national_template(event)
