from django_tenants.utils import get_public_schema_name

from tenants.middleware import portal_url


def portal(request):
    """Where the national portal is, and which agency (if any) this page belongs to."""
    tenant = getattr(request, "tenant", None)
    agency = tenant if tenant and tenant.schema_name != get_public_schema_name() else None
    return {"portal_url": portal_url(), "current_agency": agency}
