from django.db import models
from django.utils.translation import gettext_lazy as _

# Days offered ahead on the citizen's calendar, a week per page.
BOOKING_DAYS_AHEAD = 28
DAYS_PER_PAGE = 7
QUEUE_PER_PAGE = 25


class Weekday(models.IntegerChoices):
    """The Iranian week: Saturday first (Python's Saturday is 5)."""

    SATURDAY = 0, _("Saturday")
    SUNDAY = 1, _("Sunday")
    MONDAY = 2, _("Monday")
    TUESDAY = 3, _("Tuesday")
    WEDNESDAY = 4, _("Wednesday")
    THURSDAY = 5, _("Thursday")
    FRIDAY = 6, _("Friday")


def iranian_weekday(day) -> int:
    return (day.weekday() + 2) % 7


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


class BookedBy(models.TextChoices):
    CITIZEN = "citizen", _("The citizen")
    STAFF = "staff", _("The agency's staff")
