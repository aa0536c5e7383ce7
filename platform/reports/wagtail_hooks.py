"""The management reports in the admin: the national one (Reports menu of the national
portal) and each agency's own."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants.guards import agency_screen_allowed, national_screen_allowed

from . import views


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/", views.agency_dashboard, name="reports_agency"),
        path("national-reports/", views.national_dashboard, name="reports_national"),
        path(
            "reports/official/<slug:which>/",
            views.official_report,
            name="reports_official",
        ),
        path("reports/export/", views.export_year, name="reports_export"),
        path("reports/exports/<int:pk>/", views.download_export, name="reports_download"),
    ]


class AgencyReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return agency_screen_allowed(request, views.VIEW_REPORTS)


class NationalReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return national_screen_allowed(request, views.NATIONAL_ROLES)


@hooks.register("register_reports_menu_item")
def register_agency_reports_menu_item():
    return AgencyReportsMenuItem(
        _("Management reports"),
        reverse("reports_agency"),
        name="management-reports",
        icon_name="table",
        order=50,
    )


@hooks.register("register_reports_menu_item")
def register_national_reports_menu_item():
    return NationalReportsMenuItem(
        _("Management reports (national)"),
        reverse("reports_national"),
        name="national-management-reports",
        icon_name="table",
        order=51,
    )
