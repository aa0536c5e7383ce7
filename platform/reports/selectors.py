"""The management reports' figures, read from the shared request backend.

Counted: received, accepted, answered and rejected in the period; pending and overdue at
its end (or now, for the current period: overdue is open past the promised date, plus
answered late); the mean and median working days from acceptance to answer (paused time
excluded, ``ServiceRequest.answer_days``) against the promised time (``promised_days``).

Two ways to the same figures:
- the requests themselves: one pass with ``FILTER`` aggregates over the requests that
  matter to a span (received before its end, not finished before its start), and the
  histogram of answer days for the median. Used for one agency's reports (its indexes
  make them small) and for the month not yet ended;
- the monthly summary tables (``reports.rollup``) for the closed months of national and
  provincial reports: months added up, and their histograms for the exact median.
Tests hold both to the same answers.
"""

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, FloatField, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from complaints.models import Complaint
from service_requests.models import ServiceRequest
from service_requests.working_days import working_days_between
from surveys.models import SurveyResponse
from tenants.models import Agency

from . import rollup
from .models import MonthAnswerDays, MonthFigures
from .periods import TEHRAN, Period, month_label, month_start


@dataclass(frozen=True)
class Filters:
    """What a report is about. ``provinces``: the provinces the viewer may see (None: all)."""

    period: Period
    agency_id: int | None = None
    province: str = ""
    level: str = ""
    unit_id: int | None = None
    service_key: str = ""
    provinces: frozenset[str] | None = None
    agency_ids: frozenset[int] | None = field(default=None)


def _in_scope(filters: Filters, prefix: str = "") -> Q:
    """The requests (``prefix``: the rows whose request, as ``request__``) a report may
    count: the viewer's provinces, the filters' dimensions. A request's province is its
    unit's (else its agency's)."""
    wanted = {
        "province__in": filters.provinces,
        "agency_id__in": filters.agency_ids,
        "agency_id": filters.agency_id,
        "province": filters.province or None,
        "level": filters.level or None,
        "unit_id": filters.unit_id,
        "service_key": filters.service_key or None,
    }
    return Q(**{prefix + name: value for name, value in wanted.items() if value is not None})


def requests_in_scope(filters: Filters):
    """The requests a report may count: the viewer's provinces, the filters' dimensions."""
    return ServiceRequest.objects.filter(_in_scope(filters))


@dataclass(frozen=True)
class Span:
    start: datetime.datetime
    end: datetime.datetime


_COUNTS = ("received", "accepted", "answered", "rejected", "answered_late", "timed")
_SUMS = ("days_sum", "promised_sum")
_STOCKS = ("pending", "overdue_open")


def _new_row() -> dict:
    return {**dict.fromkeys(_COUNTS + _SUMS + _STOCKS, 0), "hist": Counter()}


def _flows(span, as_of: datetime.datetime) -> dict:
    start, end = span.start, span.end
    as_of_day = as_of.astimezone(TEHRAN).date()
    answered = Q(answered_at__gte=start, answered_at__lt=end)
    open_then = (
        Q(submitted_at__lt=as_of)
        & (Q(answered_at__isnull=True) | Q(answered_at__gte=as_of))
        & (Q(rejected_at__isnull=True) | Q(rejected_at__gte=as_of))
    )
    return {
        "received": Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
        "accepted": Count("pk", filter=Q(accepted_at__gte=start, accepted_at__lt=end)),
        "answered": Count("pk", filter=answered),
        "rejected": Count("pk", filter=Q(rejected_at__gte=start, rejected_at__lt=end)),
        "answered_late": Count("pk", filter=answered & Q(answered_on__gt=F("promised_on"))),
        "timed": Count("answer_days", filter=answered),
        "days_sum": Sum("answer_days", filter=answered),
        "promised_sum": Sum("promised_days", filter=answered),
        "pending": Count("pk", filter=open_then),
        "overdue_open": Count("pk", filter=open_then & Q(promised_on__lt=as_of_day)),
    }


def _relevant(filters: Filters, span):
    """Requests received before the span's end and not finished before its start."""
    return (
        requests_in_scope(filters)
        .filter(submitted_at__lt=span.end)
        .exclude(answered_at__lt=span.start)
        .exclude(rejected_at__lt=span.start)
        .annotate(answered_on=TruncDate("answered_at", tzinfo=TEHRAN))
    )


def _key(row: dict, group: tuple[str, ...]) -> tuple:
    return tuple(str(row[name]) if name == "service_key" else row[name] for name in group)


def _add(rows: dict, key: tuple, values: dict, names) -> None:
    row = rows.setdefault(key, _new_row())
    for name in names:
        row[name] += values.get(name) or 0


def _grouped_values(queryset, group: tuple[str, ...], aggregates: dict) -> list[dict]:
    """One row per group (``values(*group)`` with no group would group by every column)."""
    if not group:
        return [queryset.aggregate(**aggregates)]
    return list(queryset.values(*group).annotate(**aggregates).order_by())


def _from_requests(rows, filters, span, as_of, group, *, stocks: bool) -> None:
    names = _COUNTS + _SUMS + (_STOCKS if stocks else ())
    flows = _flows(span, as_of)
    base = _relevant(filters, span)
    for values in _grouped_values(base, group, flows):
        _add(rows, _key(values, group), values, names)
    answered = requests_in_scope(filters).filter(
        answered_at__gte=span.start, answered_at__lt=span.end, answer_days__isnull=False
    )
    for values in answered.values(*group, "answer_days").annotate(n=Count("pk")).order_by():
        rows.setdefault(_key(values, group), _new_row())["hist"][values["answer_days"]] += values[
            "n"
        ]


def _rollup_scope(model, filters: Filters, year: int, months: list[int]):
    scoped = model.objects.filter(year=year, month__in=months)
    if filters.provinces is not None:
        scoped = scoped.filter(province__in=filters.provinces)
    if filters.agency_ids is not None:
        scoped = scoped.filter(agency_id__in=filters.agency_ids)
    if filters.province:
        scoped = scoped.filter(province=filters.province)
    if filters.level:
        scoped = scoped.filter(level=filters.level)
    return scoped


def _from_rollup(rows, filters, months: list[int], group, *, stocks_month: int | None) -> None:
    year = filters.period.year
    rollup.ensure_built(year, months)
    sums = {
        "received": Sum("received"),
        "accepted": Sum("accepted"),
        "answered": Sum("answered"),
        "rejected": Sum("rejected"),
        "answered_late": Sum("answered_late"),
        "timed": Sum("timed"),
        "days_sum": Sum("answer_days_sum"),
        "promised_sum": Sum("promised_days_sum"),
    }
    names = _COUNTS + _SUMS
    if stocks_month is not None:
        last = Q(month=stocks_month)
        sums["pending"] = Sum("open_at_end", filter=last)
        sums["overdue_open"] = Sum("overdue_at_end", filter=last)
        names += _STOCKS
    scoped = _rollup_scope(MonthFigures, filters, year, months)
    for values in _grouped_values(scoped, group, sums):
        _add(rows, _key(values, group), values, names)
    days = _rollup_scope(MonthAnswerDays, filters, year, months)
    for values in days.values(*group, "days").annotate(n=Sum("answered")).order_by():
        rows.setdefault(_key(values, group), _new_row())["hist"][values["days"]] += values["n"]


def uses_rollup(filters: Filters, group: tuple[str, ...] = ()) -> bool:
    """National and provincial reports add up closed months; one agency's (or one
    service's, one unit's) read its requests."""
    return (
        filters.agency_id is None
        and not filters.service_key
        and filters.unit_id is None
        and not set(group) - {"level", "agency_id", "channel", "month"}
    )


def _collect(
    filters: Filters, group: tuple[str, ...], now: datetime.datetime, *, rollup_allowed=True
) -> dict:
    period = filters.period
    as_of = min(period.end, now)
    rows: dict = {}
    if rollup_allowed and uses_rollup(filters, group):
        closed = [m for m in period.months if month_start(period.year, m + 1) <= now]
        live = [m for m in period.months if m not in closed]
        if closed:
            _from_rollup(rows, filters, closed, group, stocks_month=None if live else closed[-1])
        if live:
            span = Span(month_start(period.year, live[0]), period.end)
            _from_requests(rows, filters, span, as_of, group, stocks=True)
    else:
        _from_requests(rows, filters, period, as_of, group, stocks=True)
    return rows


def _median(hist: Counter) -> float | None:
    """The median as PostgreSQL's percentile_cont(0.5): the middle value, or the mean of
    the two middle ones."""
    count = sum(hist.values())
    if not count:
        return None
    wanted = {(count - 1) // 2, count // 2}
    found, seen = [], 0
    for days, n in sorted(hist.items()):
        for position in sorted(wanted):
            if seen <= position < seen + n:
                found.append(days)
        seen += n
    return sum(found) / len(found) if len(found) == 2 else float(found[0])


def _finish(row: dict) -> dict:
    hist = row.pop("hist")
    answered = row["answered"]
    row["on_time"] = answered - row["answered_late"]
    row["on_time_share"] = row["on_time"] / answered if answered else None
    row["overdue"] = row["overdue_open"] + row["answered_late"]
    timed = row["timed"]
    row["mean_days"] = row["days_sum"] / timed if timed else None
    row["mean_promised_days"] = row["promised_sum"] / timed if timed else None
    row["median_days"] = _median(hist)
    return row


def summary(filters: Filters, *, now: datetime.datetime | None = None, rollup_allowed=True):
    """The headline figures of the report."""
    rows = _collect(filters, (), now or timezone.now(), rollup_allowed=rollup_allowed)
    return _finish(rows.get((), _new_row()))


def _grouped(filters, field_name, now, rollup_allowed) -> list[dict]:
    rows = _collect(filters, (field_name,), now or timezone.now(), rollup_allowed=rollup_allowed)
    return [_finish({field_name: key[0], **row}) for key, row in sorted(rows.items(), key=str)]


def by_level(filters: Filters, *, now=None, rollup_allowed=True) -> list[dict]:
    """HQ against field units: the same figures per level."""
    return _grouped(filters, "level", now, rollup_allowed)


def by_channel(filters: Filters, *, now=None, rollup_allowed=True) -> list[dict]:
    """The electronic desk (online) against the in-person desk (registered there)."""
    return _grouped(filters, "channel", now, rollup_allowed)


def by_agency(filters: Filters, *, now=None, rollup_allowed=True) -> list[dict]:
    """Agencies ranked by timeliness: the share answered on time, then how many answered."""
    rows = _grouped(filters, "agency_id", now, rollup_allowed)
    names = dict(
        Agency.objects.filter(pk__in=[row["agency_id"] for row in rows]).values_list(
            "pk", "name_fa"
        )
    )
    for row in rows:
        row["agency_name"] = names.get(row["agency_id"], "")
    rows.sort(
        key=lambda row: (
            row["on_time_share"] is None,
            -(row["on_time_share"] or 0),
            -row["answered"],
            row["agency_name"],
        )
    )
    return rows


def by_service(filters: Filters, *, now=None, rollup_allowed=True) -> list[dict]:
    rows = _grouped(filters, "service_key", now, False)
    titles = dict(
        requests_in_scope(filters)
        .filter(service_key__in=[row["service_key"] for row in rows])
        .values("service_key")
        .annotate(title=Max("service_title"))
        .values_list("service_key", "title")
    )
    for row in rows:
        row["service_title"] = titles.get(uuid.UUID(row["service_key"]), "")
    rows.sort(key=lambda row: (-row["received"], row["service_title"]))
    return rows


def trend(filters: Filters, *, now=None, rollup_allowed=True) -> list[dict]:
    """Month by month over the period's months (a month's report: the year up to it):
    received and answered."""
    now = now or timezone.now()
    period = filters.period
    months = period.months if len(period.months) > 1 else list(range(1, period.number + 1))
    year_so_far = Period("year", period.year, 1)
    shown = {month: {"received": 0, "answered": 0} for month in months}
    closed = [m for m in months if month_start(period.year, m + 1) <= now]
    if rollup_allowed and uses_rollup(filters) and closed:
        rows: dict = {}
        _from_rollup(
            rows, _with_period(filters, year_so_far), closed, ("month",), stocks_month=None
        )
        for (month,), row in rows.items():
            shown[month] = {"received": row["received"], "answered": row["answered"]}
        live = [m for m in months if m not in closed]
    else:
        live = months
    if live:
        # The months not summed up: one pass, a pair of counts per month.
        start = month_start(period.year, live[0])
        end = month_start(period.year, live[-1] + 1)
        counts = {}
        for month in live:
            low, high = month_start(period.year, month), month_start(period.year, month + 1)
            counts[f"received_{month}"] = Count(
                "pk", filter=Q(submitted_at__gte=low, submitted_at__lt=high)
            )
            counts[f"answered_{month}"] = Count(
                "pk", filter=Q(answered_at__gte=low, answered_at__lt=high)
            )
        totals = (
            requests_in_scope(filters)
            .filter(
                Q(submitted_at__gte=start, submitted_at__lt=end)
                | Q(answered_at__gte=start, answered_at__lt=end)
            )
            .aggregate(**counts)
        )
        for month in live:
            shown[month] = {
                "received": totals[f"received_{month}"],
                "answered": totals[f"answered_{month}"],
            }
    return [{"month": month, "label": month_label(month), **shown[month]} for month in months]


def _with_period(filters: Filters, period: Period) -> Filters:
    from dataclasses import replace

    return replace(filters, period=period)


def surveys(filters: Filters) -> dict:
    """Survey answers received in the period about the report's requests."""
    period = filters.period
    responses = SurveyResponse.objects.filter(
        submitted_at__gte=period.start,
        submitted_at__lt=period.end,
        request__in=requests_in_scope(filters).values("pk"),
    )
    return responses.aggregate(
        responses=Count("pk"),
        overall=Avg("overall", output_field=FloatField()),
        staff_conduct=Avg("staff_conduct", output_field=FloatField()),
        clarity=Avg("clarity", output_field=FloatField()),
        time_kept=Count("pk", filter=Q(time_kept=True)),
    )


def _complaints_in_scope(filters: Filters) -> Q:
    """The complaints a report counts, where it counts requests: one about a request where
    that request is counted (its unit's province and level); one about no request by its
    agency, the agency's province and its service, under no level or unit filter."""
    about_requests = Q(request__isnull=False) & _in_scope(filters, "request__")
    if filters.level or filters.unit_id is not None:
        return about_requests
    wanted = {
        "agency__province__in": filters.provinces,
        "agency_id__in": filters.agency_ids,
        "agency_id": filters.agency_id,
        "agency__province": filters.province or None,
        "service_key": filters.service_key or None,
    }
    alone = Q(request__isnull=True, **{k: v for k, v in wanted.items() if v is not None})
    return about_requests | alone


def complaints(filters: Filters) -> dict:
    """Complaints filed in the period (``_complaints_in_scope``), how many are answered and
    their mean handling time in working days."""
    period = filters.period
    filed = Complaint.objects.filter(
        _complaints_in_scope(filters), filed_at__gte=period.start, filed_at__lt=period.end
    )
    counts = filed.aggregate(
        filed=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    days = [
        working_days_between(timezone.localdate(filed_at), timezone.localdate(answered_at))
        for filed_at, answered_at in filed.filter(answered_at__isnull=False).values_list(
            "filed_at", "answered_at"
        )
    ]
    counts["mean_days"] = sum(days) / len(days) if days else None
    return counts


def services_of(agency_id: int) -> list[tuple[str, str]]:
    """The services an agency has received requests for: (key, title), for the filter."""
    rows = (
        ServiceRequest.objects.filter(agency_id=agency_id)
        .values("service_key")
        .annotate(title=Max("service_title"))
        .order_by("title")
    )
    return [(str(row["service_key"]), row["title"]) for row in rows]


def report(filters: Filters, *, ranking: bool, now: datetime.datetime | None = None) -> dict:
    """Everything a report shows: the headline figures, HQ against field, the trend, the
    agencies ranked (national reports) or the services (an agency's), surveys, complaints."""
    now = now or timezone.now()
    return {
        "filters": filters,
        "period": filters.period,
        "summary": summary(filters, now=now),
        "levels": by_level(filters, now=now),
        "trend": trend(filters, now=now),
        "agencies": by_agency(filters, now=now) if ranking else [],
        "services": [] if ranking else by_service(filters, now=now),
        "surveys": surveys(filters),
        "complaints": complaints(filters),
    }
