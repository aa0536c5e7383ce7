"""URLs of the national portal (public schema, on BASE_DOMAIN)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from portal import views as portal_views
from search import views as search_views
from service_requests import views as request_views
from surveys import views as survey_views
from tenants.guards import national_only


def _administrators_only(view):
    """Wagtail's view, for national administrators only (signed out: the admin's login)."""
    return require_admin_access(national_only(view))


urlpatterns = [
    # Wagtail's deliberate error page ("failwhale") would let any staff member raise 500s.
    path("admin/failwhale/", portal_views.not_found),
    # The site history lists the audit entries of every agency and province: a provincial
    # supervisor would read other provinces'.
    path("admin/reports/site-history/", _administrators_only(LogEntriesView.as_view())),
    path(
        "admin/reports/site-history/results/",
        _administrators_only(LogEntriesView.as_view(results_only=True)),
    ),
    # National administrators: agency registry and onboarding, holidays, synonyms, SMS outbox.
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/search", search_views.search_api, name="search_api"),
    path("api/v1/search/suggest", search_views.suggest_api, name="search_suggest_api"),
]
# Persian at /, English under /en/: the portal is Persian whatever the browser prefers.
urlpatterns += i18n_patterns(
    path("search/", search_views.search_page, name="search"),
    path("search/open/", search_views.open_result, name="search_open"),
    path("track/", request_views.track, name="track"),
    path("track/prove/", request_views.prove, name="track_prove"),
    path("track/code/", request_views.send_code, name="track_send_code"),
    path("track/<str:code>/messages/", request_views.reply, name="track_reply"),
    path("track/<str:code>/documents/<int:pk>/", request_views.document, name="track_document"),
    path(
        "track/<str:code>/attachments/<int:pk>/",
        request_views.attachment,
        name="track_attachment",
    ),
    path("track/<str:code>/response/", request_views.response_document, name="track_response"),
    path("survey/<str:token>/", survey_views.questionnaire, name="survey"),
    path("verify/", request_views.verify, name="verify"),
    path("verify/<str:code>/", request_views.verify, name="verify_code"),
    path("", include("complaints.urls")),
    path("", include("appointments.urls")),
    path("", include("payments.urls")),
    path("", include("portal.urls")),
    prefix_default_language=False,
)

handler404 = "portal.views.not_found"
