"""The national console inside the public schema's Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tenants.guards import national_screen_allowed, on_public_schema
from tenants.menus import NationalMenuItem

from . import views
from .constants import GRANT_ACTION, PROVINCES_ACTION, REPRESENTATIVE_ACTION, REVOKE_ACTION
from .jobs import RETRY_ACTION, JobViewSet


@hooks.register("register_admin_urls")
def register_console_urls():
    return [
        path("agencies/", views.agency_index, name="console_agency_index"),
        path("agencies/onboard/", views.agency_onboard, name="console_agency_onboard"),
        path("agencies/<int:pk>/", views.agency_detail, name="console_agency_detail"),
        path("supervisors/", views.supervisor_index, name="console_supervisor_index"),
        path(
            "supervisors/<int:pk>/",
            views.supervisor_provinces,
            name="console_supervisor_provinces",
        ),
        path(
            "supervisors/<int:pk>/revoke/",
            views.supervisor_revoke,
            name="console_supervisor_revoke",
        ),
        path(
            "agencies/<int:pk>/toggle-active/",
            views.agency_toggle_active,
            name="console_agency_toggle_active",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_agencies_menu_item():
    return NationalMenuItem(
        _("Agencies"),
        reverse("console_agency_index"),
        icon_name="site",
        order=150,
        roles=views.READERS,
    )


@hooks.register("register_admin_menu_item")
def register_supervisors_menu_item():
    return NationalMenuItem(
        _("Provincial supervisors"),
        reverse("console_supervisor_index"),
        icon_name="group",
        order=151,
    )


@hooks.register("construct_main_menu")
def hide_page_explorer_on_national_admin(request, menu_items):
    """The public schema has no pages of its own: agencies' pages live in their schemas."""
    if on_public_schema():
        menu_items[:] = [item for item in menu_items if item.name != "explorer"]


@hooks.register("construct_reports_menu")
def hide_site_history_from_supervisors(request, menu_items):
    """The national site history is for national administrators only (config.urls_public)."""
    if on_public_schema() and not national_screen_allowed(request):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


@hooks.register("register_admin_viewset")
def register_jobs():
    return JobViewSet("background_jobs")


@hooks.register("register_log_actions")
def register_job_log_actions(actions):
    actions.register_action(RETRY_ACTION, _("Retry a background job"), _("Background job retried"))
    actions.register_action(
        REPRESENTATIVE_ACTION,
        _("Service-desk representative"),
        _("Service-desk representative recorded"),
    )
    actions.register_action(
        PROVINCES_ACTION, _("Supervised provinces"), _("Supervised provinces changed")
    )
    actions.register_action(
        GRANT_ACTION, _("Make a provincial supervisor"), _("Provincial supervisor role given")
    )
    actions.register_action(
        REVOKE_ACTION,
        _("Remove a provincial supervisor"),
        _("Provincial supervisor role taken away"),
    )
