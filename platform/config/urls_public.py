"""URLs of the national portal (public schema, on BASE_DOMAIN)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    # National administrators: agency registry, onboarding, later reports.
    path("admin/", include(wagtailadmin_urls)),
]
# Persian at /, English under /en/: the portal is Persian whatever the browser prefers.
urlpatterns += i18n_patterns(path("", include("portal.urls")), prefix_default_language=False)

handler404 = "portal.views.not_found"
