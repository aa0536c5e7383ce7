"""Working days on the Iranian calendar: Fridays and official holidays are not counted."""

import datetime

FRIDAY = 4  # Python's Monday is 0


def is_working_day(day: datetime.date, holidays: set[datetime.date]) -> bool:
    return day.weekday() != FRIDAY and day not in holidays


def add_working_days(
    start: datetime.date, days: int, holidays: set[datetime.date]
) -> datetime.date:
    """The date ``days`` working days after ``start`` (the day of submission does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


# Holidays change a few times a year: each process keeps them for a few minutes
# (and forgets them at once when they are edited in this process).
_HOLIDAYS_SECONDS = 300
_holidays: tuple[float, frozenset[datetime.date]] | None = None


def forget_holidays(**kwargs) -> None:
    global _holidays
    _holidays = None


def _all_holidays() -> frozenset[datetime.date]:
    import time

    from .models import Holiday

    global _holidays
    now = time.monotonic()
    if _holidays is None or _holidays[0] < now:
        _holidays = (
            now + _HOLIDAYS_SECONDS,
            frozenset(Holiday.objects.values_list("date", flat=True)),
        )
    return _holidays[1]


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return {day for day in _all_holidays() if start <= day <= end}


def promised_date(submitted_on: datetime.date, duration_days: int) -> datetime.date:
    """When the answer is due: holidays are looked up for a generous window ahead."""
    window_end = submitted_on + datetime.timedelta(days=duration_days * 2 + 60)
    return add_working_days(submitted_on, duration_days, holidays_between(submitted_on, window_end))


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days fall after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    holidays = holidays_between(start, end)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + datetime.timedelta(days=offset), holidays)
    )
