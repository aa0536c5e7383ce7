"""Read-only queries of the agency registry, shared by the portal and the console."""

from django.db.models import QuerySet

from .models import Agency


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name_fa")


def all_agencies() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent").order_by("-created_at", "name_fa")
