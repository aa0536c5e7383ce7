"""The agency's own word on its service-desk representative reaches the national registry.

An agency names its representative on its home page (the "Service-desk representative"
panel of its admin, or its catalogue); when that page is published, the registry's record
takes the name, post, phone and email, and the day it was first named. The notice date
stays the national administrators' to record. The page's own history is the audit trail.
"""

from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from catalog_pages.models import AgencyHomePage
from tenants.selectors import current_agency

from .models import DeskRepresentative


@receiver(page_published, sender=AgencyHomePage)
def _home_page_published(sender, instance, **kwargs):
    if instance.locale.language_code != "fa":
        return
    agency = current_agency()
    if agency is None:
        return
    named = {
        "name": instance.representative_name.strip(),
        "post": instance.representative_position.strip(),
        "phone": instance.representative_phone.strip(),
        "email": instance.representative_email.strip(),
    }
    record = DeskRepresentative.objects.filter(agency=agency).first()
    if record is None:
        if not named["name"]:
            return
        record = DeskRepresentative(agency=agency)
    if all(getattr(record, field) == value for field, value in named.items()):
        return
    for field, value in named.items():
        setattr(record, field, value)
    if named["name"] and record.named_on is None:
        record.named_on = timezone.localdate()
    record.save()
