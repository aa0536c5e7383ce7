"""Demo service-desk representatives: most demo agencies named theirs (the one their home
page gives) in time; one was notified six weeks ago and has named nobody (overdue, flagged
in red in the registry); one was notified a week ago and still has time."""

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from catalog_pages.models import AgencyHomePage

from .models import DeskRepresentative

OVERDUE_INDEX = 1
WAITING_INDEX = 4


def seed_representative(agency, *, index: int) -> bool:
    """The agency's representative record, once; returns whether one was made."""
    if DeskRepresentative.objects.filter(agency=agency).exists():
        return False
    today = timezone.localdate()
    if index in (OVERDUE_INDEX, WAITING_INDEX):
        weeks = 6 if index == OVERDUE_INDEX else 1
        DeskRepresentative.objects.create(
            agency=agency, notified_on=today - datetime.timedelta(weeks=weeks)
        )
        return True
    with schema_context(agency.schema_name):
        home = AgencyHomePage.objects.filter(locale__language_code="fa").first()
    notified = today - datetime.timedelta(days=90 + index)
    DeskRepresentative.objects.create(
        agency=agency,
        name=getattr(home, "representative_name", "") or "",
        post=getattr(home, "representative_position", "") or "",
        phone=getattr(home, "representative_phone", "") or "",
        email=getattr(home, "representative_email", "") or "",
        notified_on=notified,
        named_on=notified + datetime.timedelta(days=12 + index),
    )
    return True
