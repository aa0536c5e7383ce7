"""Read-only queries of the agency registry, shared by the portal and the console."""

from django.db import connection
from django.db.models import QuerySet

from .constants import NationalRole
from .guards import has_national_role
from .models import Agency
from .schemas import on_public_schema


def current_agency() -> Agency | None:
    """The agency whose schema the connection is on (a request's, a job's, a signal's);
    None on the public schema."""
    if on_public_schema():
        return None
    return Agency.objects.filter(schema_name=connection.schema_name).first()


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name_fa")


def all_agencies() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent").order_by("-created_at", "name_fa")


def visible_provinces(user) -> frozenset[str] | None:
    """The provinces ``user`` may see on national screens: ``None`` means every province
    (national administrators and operators); a provincial supervisor sees only the
    provinces assigned to them (none assigned: nothing)."""
    if user.is_superuser or has_national_role(user, (NationalRole.ADMINISTRATOR,)):
        return None
    return frozenset(user.supervised_provinces.values_list("province", flat=True))


def agencies_visible_to(user) -> QuerySet[Agency]:
    """Agencies ``user`` may see on national screens: all of them, or for a provincial
    supervisor those whose province is one of theirs."""
    provinces = visible_provinces(user)
    agencies = Agency.objects.order_by("name_fa")
    if provinces is None:
        return agencies
    return agencies.filter(province__in=provinces)
