"""The management reports' figures, read from the shared request backend.

One pass over the requests that matter to a period (received before its end and not
finished before its start) counts everything with ``FILTER`` aggregates: received,
accepted, answered and rejected in the period; pending and overdue at its end (or now,
for the current period); answered late; the mean and median working days from
acceptance to answer (paused time excluded, ``ServiceRequest.answer_days``) against the
promised time (``promised_days``). Grouped by level, by agency or month by month with
the same expressions, so every table agrees with the headline figures.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    F,
    FloatField,
    Max,
    Q,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from complaints.models import Complaint
from service_requests.models import ServiceRequest
from service_requests.working_days import working_days_between
from surveys.models import SurveyResponse

from .periods import TEHRAN, Period, month_label, month_start


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    name = "median"
    output_field = FloatField()
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


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


def requests_in_scope(filters: Filters):
    """The requests a report may count: the viewer's provinces, the filters' dimensions."""
    requests = ServiceRequest.objects.all()
    if filters.provinces is not None:
        requests = requests.filter(province__in=filters.provinces)
    if filters.agency_ids is not None:
        requests = requests.filter(agency_id__in=filters.agency_ids)
    if filters.agency_id is not None:
        requests = requests.filter(agency_id=filters.agency_id)
    if filters.province:
        requests = requests.filter(province=filters.province)
    if filters.level:
        requests = requests.filter(level=filters.level)
    if filters.unit_id is not None:
        requests = requests.filter(unit_id=filters.unit_id)
    if filters.service_key:
        requests = requests.filter(service_key=filters.service_key)
    return requests


def _as_of(period: Period, now: datetime.datetime) -> datetime.datetime:
    """Pending and overdue are counted at the period's end, or now if it has not ended."""
    return min(period.end, now)


def _aggregates(period: Period, now: datetime.datetime) -> dict:
    start, end = period.start, period.end
    as_of = _as_of(period, now)
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
        "pending": Count("pk", filter=open_then),
        "overdue_open": Count("pk", filter=open_then & Q(promised_on__lt=as_of_day)),
        "answered_late": Count("pk", filter=answered & Q(answered_on__gt=F("promised_on"))),
        "mean_days": Avg("answer_days", filter=answered, output_field=FloatField()),
        "median_days": Median("answer_days", filter=answered),
        "mean_promised_days": Avg("promised_days", filter=answered, output_field=FloatField()),
    }


def _relevant(filters: Filters):
    """Requests received before the period's end and not finished before its start."""
    period = filters.period
    return (
        requests_in_scope(filters)
        .filter(submitted_at__lt=period.end)
        .exclude(answered_at__lt=period.start)
        .exclude(rejected_at__lt=period.start)
        .annotate(answered_on=TruncDate("answered_at", tzinfo=TEHRAN))
    )


def _finish(row: dict) -> dict:
    answered = row["answered"]
    row["on_time"] = answered - row["answered_late"]
    row["on_time_share"] = row["on_time"] / answered if answered else None
    row["overdue"] = row["overdue_open"] + row["answered_late"]
    return row


def summary(filters: Filters, *, now: datetime.datetime | None = None) -> dict:
    """The headline figures of the report."""
    now = now or timezone.now()
    return _finish(_relevant(filters).aggregate(**_aggregates(filters.period, now)))


def by_level(filters: Filters, *, now: datetime.datetime | None = None) -> list[dict]:
    """HQ against field units: the same figures per level."""
    now = now or timezone.now()
    rows = (
        _relevant(filters)
        .values("level")
        .annotate(**_aggregates(filters.period, now))
        .order_by("level")
    )
    return [_finish(row) for row in rows]


def by_channel(filters: Filters, *, now: datetime.datetime | None = None) -> list[dict]:
    """The electronic desk (online) against the in-person desk (registered there)."""
    now = now or timezone.now()
    rows = (
        _relevant(filters)
        .values("channel")
        .annotate(**_aggregates(filters.period, now))
        .order_by("channel")
    )
    return [_finish(row) for row in rows]


def by_agency(filters: Filters, *, now: datetime.datetime | None = None) -> list[dict]:
    """Agencies ranked by timeliness: the share answered on time, then how many answered."""
    now = now or timezone.now()
    rows = (
        _relevant(filters)
        .values("agency_id")
        .annotate(agency_name=Max("agency__name_fa"), **_aggregates(filters.period, now))
        .order_by("agency_id")
    )
    ranked = [_finish(row) for row in rows]
    ranked.sort(
        key=lambda row: (
            row["on_time_share"] is None,
            -(row["on_time_share"] or 0),
            -row["answered"],
            row["agency_name"],
        )
    )
    return ranked


def by_service(filters: Filters, *, now: datetime.datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    rows = (
        _relevant(filters)
        .values("service_key")
        .annotate(service_title=Max("service_title"), **_aggregates(filters.period, now))
        .order_by("-received", "service_title")
    )
    return [_finish(row) for row in rows]


def trend(filters: Filters) -> list[dict]:
    """Month by month over the period's months (a month's report: the year up to it):
    received and answered."""
    period = filters.period
    months = period.months if len(period.months) > 1 else list(range(1, period.number + 1))
    start = month_start(period.year, months[0])
    end = month_start(period.year, months[-1] + 1)
    aggregates = {}
    for month in months:
        low, high = month_start(period.year, month), month_start(period.year, month + 1)
        aggregates[f"received_{month}"] = Count(
            "pk", filter=Q(submitted_at__gte=low, submitted_at__lt=high)
        )
        aggregates[f"answered_{month}"] = Count(
            "pk", filter=Q(answered_at__gte=low, answered_at__lt=high)
        )
    totals = (
        requests_in_scope(filters)
        .filter(
            Q(submitted_at__gte=start, submitted_at__lt=end)
            | Q(answered_at__gte=start, answered_at__lt=end)
        )
        .aggregate(**aggregates)
    )
    return [
        {
            "month": month,
            "label": month_label(month),
            "received": totals[f"received_{month}"],
            "answered": totals[f"answered_{month}"],
        }
        for month in months
    ]


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


def complaints(filters: Filters) -> dict:
    """Complaints filed in the period (about the agency, its service, in the viewer's
    provinces), how many are answered and their mean handling time in working days."""
    period = filters.period
    filed = Complaint.objects.filter(filed_at__gte=period.start, filed_at__lt=period.end)
    if filters.provinces is not None:
        filed = filed.filter(agency__province__in=filters.provinces)
    if filters.agency_ids is not None:
        filed = filed.filter(agency_id__in=filters.agency_ids)
    if filters.agency_id is not None:
        filed = filed.filter(agency_id=filters.agency_id)
    if filters.province:
        filed = filed.filter(agency__province=filters.province)
    if filters.service_key:
        filed = filed.filter(service_key=filters.service_key)
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
        "trend": trend(filters),
        "agencies": by_agency(filters, now=now) if ranking else [],
        "services": [] if ranking else by_service(filters, now=now),
        "surveys": surveys(filters),
        "complaints": complaints(filters),
    }
