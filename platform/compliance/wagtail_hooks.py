"""Menu items and URLs of the compliance screens (national admin and agency admin)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants.menus import NationalMenuItem

from . import views


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [
        path("compliance/", views.national_overview, name="compliance_national"),
        path("compliance/worksheets/", views.national_worksheets, name="compliance_worksheets"),
        path(
            "compliance/worksheets/<int:pk>/",
            views.national_worksheet_download,
            name="compliance_worksheet_download",
        ),
        path(
            "compliance/agency/<slug:slug>/",
            views.national_agency,
            name="compliance_national_agency",
        ),
        path(
            "compliance/agency/<slug:slug>/worksheet.xlsx",
            views.national_agency_worksheet,
            name="compliance_national_worksheet",
        ),
        path("package-compliance/", views.agency_overview, name="compliance_agency"),
        path(
            "package-compliance/<int:page_id>/reviewed/",
            views.agency_mark_reviewed,
            name="compliance_agency_reviewed",
        ),
        path(
            "package-compliance/worksheet.xlsx",
            views.agency_worksheet,
            name="compliance_agency_worksheet",
        ),
    ]


class AgencyComplianceMenuItem(MenuItem):
    def is_shown(self, request):
        return views.agency_screen_shown(request)


@hooks.register("register_reports_menu_item")
def register_national_compliance_menu_item():
    return NationalMenuItem(
        _("Information-package compliance"),
        reverse("compliance_national"),
        name="package-compliance-national",
        icon_name="tasks",
        order=60,
        roles=views.VIEW_ROLES,
    )


@hooks.register("register_admin_menu_item")
def register_agency_compliance_menu_item():
    return AgencyComplianceMenuItem(
        _("Package compliance"),
        reverse("compliance_agency"),
        name="package-compliance",
        icon_name="tasks",
        order=850,
    )
