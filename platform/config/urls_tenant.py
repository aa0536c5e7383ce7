"""URLs of an agency's site (its own schema, on <slug>.BASE_DOMAIN)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from forms_engine import views as request_form_views
from portal import views as portal_views
from tenants import views as tenant_views

urlpatterns = [
    # Wagtail's deliberate error page ("failwhale") would let any staff member raise 500s.
    path("admin/failwhale/", portal_views.not_found),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "invitation/<str:token>/",
        tenant_views.accept_invitation,
        name="accept_editor_invitation",
    ),
]
# Persian pages at /, English translations under /en/.
urlpatterns += i18n_patterns(
    path("apply/<int:page_id>/", request_form_views.request_form, name="request_form"),
    path(
        "apply/<int:page_id>/done/<str:code>/",
        request_form_views.receipt,
        name="request_receipt",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "portal.views.not_found"
