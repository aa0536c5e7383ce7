"""Reading the agency registry for the national console, always through what the person
may see (``tenants.selectors.agencies_visible_to``): a provincial supervisor never meets an
agency of another province, in a row, a count or a detail."""

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from search.models import IndexedService
from tenants.constants import NationalRole
from tenants.models import Agency
from tenants.selectors import agencies_visible_to

from .constants import AgencyStatus
from .models import notice_cutoff

# The services citizens find on the portal are the Persian ones.
LISTED_LANGUAGE = "fa"


def overdue_representative() -> Q:
    """Agencies notified more than a month ago that have not named their representative."""
    return Q(desk_representative__notified_on__lt=notice_cutoff()) & (
        Q(desk_representative__named_on__isnull=True) | Q(desk_representative__name="")
    )


def registry(user, *, kind: str = "", province: str = "", status: str = "", overdue=False):
    """The registry's rows ``user`` may see, filtered, each with ``published``: how many of
    its services are published (listed on the portal)."""
    published = (
        IndexedService.objects.filter(agency=OuterRef("pk"), language=LISTED_LANGUAGE)
        .order_by()
        .values("agency")
        .annotate(number=Count("pk"))
        .values("number")
    )
    rows = (
        agencies_visible_to(user)
        .select_related("parent", "desk_representative")
        .annotate(published=Coalesce(Subquery(published, output_field=IntegerField()), Value(0)))
        .order_by("-created_at", "name_fa")
    )
    if kind:
        rows = rows.filter(kind=kind)
    if province:
        rows = rows.filter(province=province)
    if status == AgencyStatus.ACTIVE:
        rows = rows.filter(is_active=True)
    elif status == AgencyStatus.INACTIVE:
        rows = rows.filter(is_active=False)
    elif status == AgencyStatus.WAITING:
        rows = rows.filter(parent__isnull=True).exclude(parent_slug="")
    if overdue:
        rows = rows.filter(overdue_representative())
    return rows


def visible_agency(user, pk: int) -> Agency | None:
    """One agency ``user`` may see, or None (another province's is as good as absent)."""
    return agencies_visible_to(user).select_related("parent").filter(pk=pk).first()


def supervisors() -> QuerySet:
    """National users holding the provincial supervisor role, with their provinces."""
    return (
        get_user_model()
        .objects.filter(groups__name=NationalRole.PROVINCIAL_SUPERVISOR)
        .prefetch_related("supervised_provinces")
        .order_by("username")
        .distinct()
    )
