"""URLs of the national portal (public schema, on BASE_DOMAIN)."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    # National administrators: agency registry, onboarding, later reports.
    path("admin/", include(wagtailadmin_urls)),
    path("", include("portal.urls")),
]

handler404 = "portal.views.not_found"
