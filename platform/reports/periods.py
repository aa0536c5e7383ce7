"""Jalali periods (month, quarter, half-year, year) as UTC instants.

A period starts at 00:00 Tehran time on the first day of its first Jalali month and
ends (exclusive) at 00:00 on the first day after its last month: Esfand's 29 or 30
days, the 31-day first half of the year and the 30-day second half all come from
the calendar (jdatetime), never from a count of days.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import jdatetime
from django.utils.translation import gettext as _

from persian.dates import to_persian_digits

from .constants import MONTHS_IN, PeriodKind

TEHRAN = ZoneInfo("Asia/Tehran")


def month_start(year: int, month: int) -> datetime.datetime:
    """00:00 Tehran time on the first of the Jalali ``month`` (13 = the next year's first)."""
    if month > 12:
        year, month = year + 1, month - 12
    day = jdatetime.date(year, month, 1).togregorian()
    return datetime.datetime.combine(day, datetime.time(), tzinfo=TEHRAN)


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # which month, quarter or half of the year (1-based); 1 for the year

    @property
    def first_month(self) -> int:
        return (self.number - 1) * MONTHS_IN[self.kind] + 1

    @property
    def months(self) -> list[int]:
        return list(range(self.first_month, self.first_month + MONTHS_IN[self.kind]))

    @property
    def start(self) -> datetime.datetime:
        return month_start(self.year, self.first_month)

    @property
    def end(self) -> datetime.datetime:
        return month_start(self.year, self.first_month + MONTHS_IN[self.kind])

    @property
    def last_day(self) -> datetime.date:
        return self.end.date() - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        year = to_persian_digits(self.year)
        if self.kind == PeriodKind.MONTH:
            return f"{jdatetime.date.j_months_fa[self.number - 1]} {year}"
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(number)s of %(year)s") % {
                "number": to_persian_digits(self.number),
                "year": year,
            }
        if self.kind == PeriodKind.HALF:
            return _("Half %(number)s of %(year)s") % {
                "number": to_persian_digits(self.number),
                "year": year,
            }
        return _("Year %(year)s") % {"year": year}


def periods_in_year(kind: str) -> int:
    return 12 // MONTHS_IN[kind]


def current_period(kind: str, today: datetime.date) -> Period:
    jalali = jdatetime.date.fromgregorian(date=today)
    return Period(kind, jalali.year, (jalali.month - 1) // MONTHS_IN[kind] + 1)


def month_label(month: int) -> str:
    return jdatetime.date.j_months_fa[month - 1]
