"""Jalali half-years: the directive's six-monthly reporting periods, as
``reports.periods`` reckons every Jalali period (00:00 Tehran time on its first day to
00:00 on the day after its last)."""

import datetime

from reports.constants import PeriodKind
from reports.periods import Period, current_period


def half_of(day: datetime.date) -> tuple[int, int]:
    """The Jalali (year, half) ``day`` falls in."""
    found = current_period(PeriodKind.HALF, day)
    return found.year, found.number


def bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    """First and last (Gregorian) day of a Jalali half-year; Esfand's 29 or 30 days counted."""
    found = Period(PeriodKind.HALF, year, half)
    return found.start.date(), found.last_day


def moments(period) -> tuple[datetime.datetime, datetime.datetime]:
    """The period (an ``EvaluationPeriod``) as [start, end) instants."""
    found = Period(PeriodKind.HALF, period.year, period.half)
    return found.start, found.end


def year_moments(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The Jalali year as [start, end) instants."""
    found = Period(PeriodKind.YEAR, year, 1)
    return found.start, found.end
