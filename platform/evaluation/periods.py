"""Jalali half-years: the directive's six-monthly reporting periods."""

import datetime

import jdatetime
from django.utils import timezone

from .constants import Half


def half_of(day: datetime.date) -> tuple[int, int]:
    """The Jalali (year, half) ``day`` falls in."""
    jalali = jdatetime.date.fromgregorian(date=day)
    return jalali.year, Half.FIRST if jalali.month <= 6 else Half.SECOND


def bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    """First and last (Gregorian) day of a Jalali half-year; Esfand's 29 or 30 days counted."""
    if half == Half.FIRST:
        return (
            jdatetime.date(year, 1, 1).togregorian(),
            jdatetime.date(year, 7, 1).togregorian() - datetime.timedelta(days=1),
        )
    return (
        jdatetime.date(year, 7, 1).togregorian(),
        jdatetime.date(year + 1, 1, 1).togregorian() - datetime.timedelta(days=1),
    )


def moments(period) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as [start, end) instants, Tehran time (rows are stored in UTC)."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(
        datetime.datetime.combine(period.starts_on, datetime.time.min), zone
    )
    end = timezone.make_aware(
        datetime.datetime.combine(period.ends_on + datetime.timedelta(days=1), datetime.time.min),
        zone,
    )
    return start, end
