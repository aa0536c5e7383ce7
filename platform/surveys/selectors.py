"""Reading survey results: per service and per agency (counts, means, share of time kept).

Used by the agency's and the national results screens and by the reports.
"""

from django.db.models import Avg, Case, Count, FloatField, IntegerField, Max, Value, When

from service_requests.constants import RequestStatus
from service_requests.models import ServiceRequest
from service_requests.selectors import filed_requests

from .models import SurveyResponse

_TIME_KEPT = Case(
    When(time_kept=True, then=Value(1)), default=Value(0), output_field=IntegerField()
)


def _aggregates():
    return {
        "responses": Count("pk"),
        "overall": Avg("overall", output_field=FloatField()),
        "staff_conduct": Avg("staff_conduct", output_field=FloatField()),
        "clarity": Avg("clarity", output_field=FloatField()),
        "time_kept_share": Avg(_TIME_KEPT, output_field=FloatField()),
        "last_at": Max("submitted_at"),
    }


def responses_of(agency=None):
    """Every response, or one agency's: the only way agency screens read responses."""
    responses = SurveyResponse.objects.all()
    return responses if agency is None else responses.filter(agency_id=agency.pk)


def results_by_service(agency=None):
    """One row per service (of ``agency``, or of every agency): ``agency_id``,
    ``agency_name``, ``service_key``, ``service_title``, ``responses``, the means of ``overall``,
    ``staff_conduct`` and ``clarity`` (1–5) and ``time_kept_share`` (0–1)."""
    return (
        responses_of(agency)
        .values("agency_id", "service_key")
        .annotate(
            service_title=Max("service_title"), agency_name=Max("agency__name_fa"), **_aggregates()
        )
        .order_by("-responses", "service_title", "service_key")
    )


def results_by_agency():
    """One row per agency: ``agency_id``, ``agency_name``, ``responses`` and the means."""
    return (
        SurveyResponse.objects.values("agency_id")
        .annotate(agency_name=Max("agency__name_fa"), **_aggregates())
        .order_by("-responses", "agency_name", "agency_id")
    )


def summary(agency=None) -> dict:
    """The same figures over every response (of ``agency``)."""
    return responses_of(agency).aggregate(**_aggregates())


def closed_requests_count(agency=None) -> int:
    """Requests that could have been rated (closed), to read the response rate against."""
    closed = ServiceRequest.objects.filter(status=RequestStatus.CLOSED)
    return closed.count() if agency is None else closed.filter(agency_id=agency.pk).count()


def request_for_survey(request_id: int):
    return filed_requests().select_related("agency").filter(pk=request_id).first()


def response_for(request):
    return SurveyResponse.objects.filter(request=request).first()
