"""Route each request to the national portal or to one agency's schema, by host."""

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from .links import portal_url
from .models import Agency


def public_tenant() -> Agency:
    """The national portal's stand-in tenant: the public schema, never saved."""
    return Agency(schema_name=get_public_schema_name(), slug="", name_fa="پنجره")


# What a deactivated agency's host still serves: its admin, so that its staff can finish
# the requests and complaints already filed (citizens track them on the national portal).
DEACTIVATED_AGENCY_PATHS = ("/admin/",)


class AgencyTenantMiddleware(TenantMainMiddleware):
    """BASE_DOMAIN is the national portal; an active agency's domain is its site.

    Any other host (an unknown agency) gets a friendly Persian 404 that points to the
    national portal, instead of another agency's content. A deactivated agency's host
    answers 410 with "this agency's site is not available" (its pages, services and
    request forms are gone for citizens), except its admin (``DEACTIVATED_AGENCY_PATHS``).
    """

    def get_tenant(self, domain_model, hostname):
        if hostname in settings.PUBLIC_HOSTS:
            return public_tenant()
        domain = domain_model.objects.select_related("tenant").get(domain=hostname)
        return domain.tenant

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        if tenant.is_active or request.path_info.startswith(DEACTIVATED_AGENCY_PATHS):
            return None
        connection.set_schema_to_public()
        with translation.override(settings.LANGUAGE_CODE):
            return render(
                request,
                "portal/agency_unavailable.html",
                {"agency": tenant, "portal_url": portal_url()},
                status=410,
            )

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
