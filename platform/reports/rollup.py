"""The monthly summary tables: each closed Jalali month's figures, built once.

A month is built (``build_month``) the first time a report needs it after it ended, or
by the nightly job; one INSERT ... SELECT per table over that month's requests. Nothing
recorded later can fall in a closed month: request times are stamped when they happen.
``rebuild`` builds them again (after importing old requests, for instance).
"""

from django.db import connection, transaction
from django.utils import timezone

from service_requests.models import ServiceRequest

from .models import BuiltMonth, MonthAnswerDays, MonthFigures
from .periods import TEHRAN, Period, current_period

_REQUESTS = ServiceRequest._meta.db_table
_FIGURES = MonthFigures._meta.db_table
_DAYS = MonthAnswerDays._meta.db_table

# In the month [s, e): the same rules as reports.selectors' figures.
_BUILD_FIGURES = f"""
INSERT INTO {_FIGURES} (year, month, agency_id, province, level, unit_id, service_key, channel,
    received, accepted, answered, rejected, answered_late, timed, answer_days_sum,
    promised_days_sum, open_at_end, overdue_at_end)
SELECT %(year)s, %(month)s, agency_id, province, level, coalesce(unit_id, 0), service_key,
    channel,
    count(*) FILTER (WHERE submitted_at >= %(s)s AND submitted_at < %(e)s),
    count(*) FILTER (WHERE accepted_at >= %(s)s AND accepted_at < %(e)s),
    count(*) FILTER (WHERE answered_at >= %(s)s AND answered_at < %(e)s),
    count(*) FILTER (WHERE rejected_at >= %(s)s AND rejected_at < %(e)s),
    count(*) FILTER (WHERE answered_at >= %(s)s AND answered_at < %(e)s
        AND (answered_at AT TIME ZONE 'Asia/Tehran')::date > promised_on),
    count(answer_days) FILTER (WHERE answered_at >= %(s)s AND answered_at < %(e)s),
    coalesce(sum(answer_days) FILTER (WHERE answered_at >= %(s)s AND answered_at < %(e)s), 0),
    coalesce(sum(promised_days) FILTER (WHERE answered_at >= %(s)s AND answered_at < %(e)s), 0),
    count(*) FILTER (WHERE (answered_at IS NULL OR answered_at >= %(e)s)
        AND (rejected_at IS NULL OR rejected_at >= %(e)s)),
    count(*) FILTER (WHERE (answered_at IS NULL OR answered_at >= %(e)s)
        AND (rejected_at IS NULL OR rejected_at >= %(e)s) AND promised_on < %(e_day)s)
FROM {_REQUESTS}
WHERE submitted_at < %(e)s AND (answered_at IS NULL OR answered_at >= %(s)s)
    AND (rejected_at IS NULL OR rejected_at >= %(s)s)
GROUP BY agency_id, province, level, coalesce(unit_id, 0), service_key, channel
"""  # noqa: S608

_BUILD_DAYS = f"""
INSERT INTO {_DAYS} (year, month, agency_id, province, level, channel, days, answered)
SELECT %(year)s, %(month)s, agency_id, province, level, channel, answer_days, count(*)
FROM {_REQUESTS}
WHERE answered_at >= %(s)s AND answered_at < %(e)s AND answer_days IS NOT NULL
GROUP BY agency_id, province, level, channel, answer_days
"""  # noqa: S608


def is_closed(year: int, month: int, now=None) -> bool:
    return Period("month", year, month).end <= (now or timezone.now())


@transaction.atomic
def build_month(year: int, month: int) -> None:
    """(Re)build one closed month's figures; concurrent builders wait for each other."""
    period = Period("month", year, month)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7_000_016, year * 100 + month])
        MonthFigures.objects.filter(year=year, month=month).delete()
        MonthAnswerDays.objects.filter(year=year, month=month).delete()
        values = {
            "year": year,
            "month": month,
            "s": period.start,
            "e": period.end,
            "e_day": period.end.astimezone(TEHRAN).date(),
        }
        cursor.execute(_BUILD_FIGURES, values)
        cursor.execute(_BUILD_DAYS, values)
    BuiltMonth.objects.update_or_create(year=year, month=month)


def ensure_built(year: int, months: list[int]) -> None:
    """Build those of ``months`` (closed ones) not built yet."""
    built = set(
        BuiltMonth.objects.filter(year=year, month__in=months).values_list("month", flat=True)
    )
    for month in months:
        if month not in built:
            with transaction.atomic():
                # Another request may have built it while this one waited for the lock.
                if not BuiltMonth.objects.filter(year=year, month=month).exists():
                    build_month(year, month)


def build_last_month(now=None) -> tuple[int, int]:
    """The month that has just ended (nightly job): built before anyone asks for it."""
    now = now or timezone.now()
    current = current_period("month", now.astimezone(TEHRAN).date())
    year, month = (
        (current.year, current.number - 1)
        if current.number > 1
        else (
            current.year - 1,
            12,
        )
    )
    ensure_built(year, [month])
    return year, month


def rebuild() -> int:
    """Build every month already built again; returns how many."""
    months = list(BuiltMonth.objects.values_list("year", "month"))
    for year, month in months:
        build_month(year, month)
    return len(months)
