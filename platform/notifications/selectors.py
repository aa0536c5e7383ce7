"""Reading SMS templates: national ones, and an agency's own, never another agency's.

Every query of ``SmsTemplate`` by agency goes through here.
"""

from django.db.models import F, Q

from .models import SmsTemplate, SmsTemplateVersion


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
