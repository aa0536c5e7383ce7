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
    """The agency's representative record as the demo tells it (publishing the agency's
    home page has already recorded its name, named today); returns whether it changed.
    Dates are relative to the first seed, so a second run changes nothing."""
    record = DeskRepresentative.objects.filter(agency=agency).first()
    if record is not None and record.notified_on is not None:
        return False
    record = record or DeskRepresentative(agency=agency)
    today = timezone.localdate()
    if index in (OVERDUE_INDEX, WAITING_INDEX):
        weeks = 6 if index == OVERDUE_INDEX else 1
        record.name = record.post = record.phone = record.email = ""
        record.named_on = None
        record.notified_on = today - datetime.timedelta(weeks=weeks)
    else:
        with schema_context(agency.schema_name):
            home = AgencyHomePage.objects.filter(locale__language_code="fa").first()
        record.name = getattr(home, "representative_name", "") or ""
        record.post = getattr(home, "representative_position", "") or ""
        record.phone = getattr(home, "representative_phone", "") or ""
        record.email = getattr(home, "representative_email", "") or ""
        record.notified_on = today - datetime.timedelta(days=90 + index)
        record.named_on = record.notified_on + datetime.timedelta(days=12 + index)
    record.save()
    return True
