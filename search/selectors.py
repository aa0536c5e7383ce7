"""Read-only queries of the query log: one search's entry, and what citizens do not find."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from persian.text import normalize

from .models import QueryLog

# The Iranian week starts on Saturday (``date.weekday()``: Monday is 0, Saturday 5).
SATURDAY = 5


# How long a search paged or narrowed down is still the same search.
SAME_SEARCH = timedelta(hours=1)


def query_log(log_id: int | None, query: str) -> QueryLog | None:
    """The log entry ``log_id`` if it records this very query, made within the last
    hour (a search paged or narrowed down is still the same search; a link bookmarked
    or shared yesterday is a new one); otherwise None."""
    if log_id is None:
        return None
    return QueryLog.objects.filter(
        pk=log_id, query=query[:200], created_at__gte=timezone.now() - SAME_SEARCH
    ).first()


def week_start(day: date) -> date:
    """The Saturday that starts ``day``'s week."""
    return day - timedelta(days=(day.weekday() - SATURDAY) % 7)


def this_week() -> date:
    return week_start(timezone.localdate())


def recent_weeks(count: int = 26) -> list[date]:
    """The Saturdays of this week and the ``count - 1`` weeks before it, newest first."""
    first = this_week()
    return [first - timedelta(weeks=n) for n in range(count)]


def _week_bounds(start: date) -> tuple[datetime, datetime]:
    """Saturday 00:00 to the next Saturday 00:00, Tehran time (stored in UTC)."""
    zone = timezone.get_current_timezone()
    begin = timezone.make_aware(datetime.combine(start, time.min), zone)
    end = timezone.make_aware(datetime.combine(start + timedelta(days=7), time.min), zone)
    return begin, end


@dataclass(frozen=True)
class UnansweredQuery:
    """One query (all its spellings) in one week, with how often it went unanswered."""

    query: str  # the spelling typed most often
    normalised: str
    searches: int
    without_result: int
    without_click: int

    @property
    def share_without_click(self) -> int:
        """Percentage of the searches after which nothing was opened."""
        return round(100 * self.without_click / self.searches) if self.searches else 0


@dataclass(frozen=True)
class WeekSummary:
    searches: int
    without_result: int
    without_click: int


def week_summary(start: date) -> WeekSummary:
    begin, end = _week_bounds(start)
    counts = QueryLog.objects.filter(created_at__gte=begin, created_at__lt=end).aggregate(
        searches=Count("pk"),
        without_result=Count("pk", filter=Q(result_count=0)),
        without_click=Count("pk", filter=Q(clicked_position__isnull=True)),
    )
    return WeekSummary(**counts)


def unanswered_queries(start: date) -> list[UnansweredQuery]:
    """The queries of the week starting ``start`` that found nothing or after which
    nothing was opened, grouped by their normalised text (``persian.text.normalize``:
    «كارت ملي» and «کارت‌ملی» are one query), the most often unanswered first."""
    begin, end = _week_bounds(start)
    rows = (
        QueryLog.objects.filter(created_at__gte=begin, created_at__lt=end)
        .values("query")
        .annotate(
            searches=Count("pk"),
            without_result=Count("pk", filter=Q(result_count=0)),
            without_click=Count("pk", filter=Q(clicked_position__isnull=True)),
        )
        .order_by()
    )
    groups: dict[str, dict] = {}
    for row in rows:
        key = normalize(row["query"]) or row["query"].strip()
        group = groups.setdefault(
            key, {"spellings": {}, "searches": 0, "without_result": 0, "without_click": 0}
        )
        group["spellings"][row["query"]] = row["searches"]
        for name in ("searches", "without_result", "without_click"):
            group[name] += row[name]
    found = [
        UnansweredQuery(
            query=min(group["spellings"].items(), key=lambda item: (-item[1], item[0]))[0],
            normalised=key,
            searches=group["searches"],
            without_result=group["without_result"],
            without_click=group["without_click"],
        )
        for key, group in groups.items()
        if group["without_result"] or group["without_click"]
    ]
    found.sort(key=lambda row: (-row.without_click, -row.without_result, -row.searches, row.query))
    return found
