"""Read-only figures of package compliance, from the public summary table."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from catalog_pages.constants import Delivery
from tenants.models import Agency

from .models import ServiceCompliance, WorksheetExport
from .services import due_for_review, review_due_before


def _slower() -> Q:
    return Q(
        mean_answer_days__isnull=False,
        duration_days__isnull=False,
        mean_answer_days__gt=F("duration_days"),
    )


@dataclass
class Figures:
    """One agency's (or a set of agencies') compliance in numbers."""

    services: int = 0
    mean_score: int | None = None
    complete: int = 0
    stale: int = 0
    full: int = 0
    partial: int = 0
    in_person: int = 0
    without_online_form: int = 0
    slower_than_promised: int = 0
    shares: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in ("full", "partial", "in_person"):
            count = getattr(self, name)
            self.shares[name] = round(100 * count / self.services) if self.services else 0


def _aggregates(now) -> dict:
    return {
        "services": Count("pk"),
        "score_avg": Avg("score"),
        "complete": Count("pk", filter=Q(score=100)),
        "stale": Count("pk", filter=due_for_review(now)),
        "full": Count("pk", filter=Q(delivery=Delivery.FULL)),
        "partial": Count("pk", filter=Q(delivery=Delivery.PARTIAL)),
        "in_person": Count("pk", filter=Q(delivery=Delivery.IN_PERSON)),
        "without_online_form": Count("pk", filter=Q(has_online_form=False)),
        "slower_than_promised": Count("pk", filter=_slower()),
    }


def _figures(values: dict) -> Figures:
    average = values.pop("score_avg", None)
    values.pop("agency_id", None)
    return Figures(mean_score=None if average is None else round(average), **values)


def figures_by_agency(agencies, *, now=None) -> dict[int, Figures]:
    """Figures of each of ``agencies`` (ids or agencies), one query."""
    now = now or timezone.now()
    rows = (
        ServiceCompliance.objects.filter(agency__in=agencies)
        .values("agency_id")
        .annotate(**_aggregates(now))
        .order_by()
    )
    return {row["agency_id"]: _figures(dict(row)) for row in rows}


def total_figures(agencies: QuerySet[Agency], *, now=None) -> Figures:
    now = now or timezone.now()
    values = ServiceCompliance.objects.filter(agency__in=agencies).aggregate(**_aggregates(now))
    return _figures(values)


SERVICE_FILTERS = ("incomplete", "stale", "no_online_form", "slower")


def services_of(agency: Agency, *, only: str = "", now=None) -> QuerySet[ServiceCompliance]:
    """``agency``'s rows; ``only`` one of SERVICE_FILTERS keeps those it names."""
    rows = ServiceCompliance.objects.filter(agency=agency)
    if only == "incomplete":
        rows = rows.filter(score__lt=100)
    elif only == "stale":
        rows = rows.filter(due_for_review(now or timezone.now()))
    elif only == "no_online_form":
        rows = rows.filter(has_online_form=False)
    elif only == "slower":
        rows = rows.filter(_slower())
    return rows.order_by("title", "pk")


def service_of(agency: Agency, translation_key) -> ServiceCompliance | None:
    return ServiceCompliance.objects.filter(agency=agency, translation_key=translation_key).first()


def is_stale(row: ServiceCompliance, *, now=None) -> bool:
    now = now or timezone.now()
    return row.last_reviewed_at is None or row.last_reviewed_at < review_due_before(now)


def recent_exports(limit: int = 10) -> list[WorksheetExport]:
    return list(WorksheetExport.objects.defer("content")[:limit])


def ready_export(pk: int) -> WorksheetExport | None:
    return WorksheetExport.objects.filter(pk=pk, status="ready").first()
