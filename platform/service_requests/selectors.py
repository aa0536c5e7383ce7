"""Reading requests: by tracking code for citizens, by agency for staff."""

from django.db.models import Count

from . import tracking
from .constants import Channel
from .models import MessageAttachment, ServiceRequest


def filed_requests():
    """Every request filed on the platform, as citizens and the national channels reach
    them: a deactivated agency's too. Its site no longer takes requests, but its staff
    finish those filed in their admin (``tenants.middleware.DEACTIVATED_AGENCY_PATHS``),
    so its citizens still track them, reply by SMS, are helped by the call centre, verify
    the answers issued and rate the service."""
    return ServiceRequest.objects.all()


def find_by_code(typed: str) -> ServiceRequest | None:
    """The request with this code, or None; malformed codes never reach the database."""
    code = tracking.normalise(typed)
    if not tracking.is_well_formed(code):
        return None
    return (
        filed_requests()
        .select_related("agency")
        .prefetch_related("history")
        .filter(tracking_code=code)
        .first()
    )


def requests_of(agency):
    """Every request of one agency: the only way agency views read requests."""
    return ServiceRequest.objects.filter(agency_id=agency.pk)


def request_of(agency, code: str) -> ServiceRequest | None:
    """One of this agency's requests by its exact code; malformed codes never reach the
    database (a NUL in a URL would make PostgreSQL fail)."""
    if not tracking.is_well_formed(code):
        return None
    return requests_of(agency).filter(tracking_code=code).first()


def attachment_of(found: ServiceRequest, pk: int) -> MessageAttachment | None:
    """A file sent with one of this request's messages (by either side)."""
    return MessageAttachment.objects.filter(message__request=found, pk=pk).first()


def count_by_channel(agency=None, *, since=None, until=None) -> dict[str, int]:
    """How many requests came in by each channel (online, desk), every channel named even
    at nought: one agency's, or every agency's when ``agency`` is None; submitted in
    [since, until) when given (aware datetimes). One query, for reports."""
    rows = ServiceRequest.objects.all()
    if agency is not None:
        rows = rows.filter(agency_id=agency.pk)
    if since is not None:
        rows = rows.filter(submitted_at__gte=since)
    if until is not None:
        rows = rows.filter(submitted_at__lt=until)
    counted = dict(rows.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    return {channel: counted.get(channel, 0) for channel in Channel.values}
