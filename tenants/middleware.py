"""Route each request to the national portal or to one agency's schema, by host."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from .links import portal_url
from .models import Agency


def public_tenant() -> Agency:
    """The national portal's stand-in tenant: the public schema, never saved."""
    return Agency(schema_name=get_public_schema_name(), slug="", name_fa="پنجره")


class AgencyTenantMiddleware(TenantMainMiddleware):
    """BASE_DOMAIN is the national portal; an active agency's domain is its site.

    Any other host (an unknown or deactivated agency) gets a friendly Persian 404
    that points to the national portal, instead of another agency's content.
    """

    def get_tenant(self, domain_model, hostname):
        if hostname in settings.PUBLIC_HOSTS:
            return public_tenant()
        domain = domain_model.objects.select_related("tenant").get(
            domain=hostname, tenant__is_active=True
        )
        return domain.tenant

    def no_tenant_found(self, request, hostname):
        # Runs before LocaleMiddleware: answer in the portal's language, not a
        # language left active on this thread by an earlier request.
        with translation.override(settings.LANGUAGE_CODE):
            response = render(
                request,
                "portal/unknown_agency.html",
                {"hostname": hostname, "portal_url": portal_url()},
                status=404,
            )
        return response
