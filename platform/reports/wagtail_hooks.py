"""The management reports in the admin: the national one (Reports menu of the national
portal) and each agency's own."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tenants.menus import AgencyMenuItem, NationalMenuItem

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


@hooks.register("register_reports_menu_item")
def register_agency_reports_menu_item():
    return AgencyMenuItem(
        _("Management reports"),
        reverse("reports_agency"),
        name="management-reports",
        icon_name="table",
        order=50,
        permission=views.VIEW_REPORTS,
    )


@hooks.register("register_reports_menu_item")
def register_national_reports_menu_item():
    return NationalMenuItem(
        _("Management reports (national)"),
        reverse("reports_national"),
        name="national-management-reports",
        icon_name="table",
        order=51,
        roles=views.NATIONAL_ROLES,
    )
