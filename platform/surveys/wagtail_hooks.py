"""The survey's results in the admin: the agency's own services, and every agency's for
national administrators (Reports menu)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants.constants import NationalRole
from tenants.guards import agency_screen_allowed, national_screen_allowed

from . import views


@hooks.register("register_admin_urls")
def register_survey_urls():
    return [
        path("survey-results/", views.agency_results, name="surveys_agency_results"),
        path(
            "national-survey-results/",
            views.national_results,
            name="surveys_national_results",
        ),
    ]


class AgencyResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return agency_screen_allowed(request, views.VIEW_RESULTS)


class NationalResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return national_screen_allowed(request, (NationalRole.ADMINISTRATOR,))


@hooks.register("register_reports_menu_item")
def register_agency_results_menu_item():
    return AgencyResultsMenuItem(
        _("Satisfaction survey"),
        reverse("surveys_agency_results"),
        name="survey-results",
        icon_name="list-ul",
        order=60,
    )


@hooks.register("register_reports_menu_item")
def register_national_results_menu_item():
    return NationalResultsMenuItem(
        _("Satisfaction survey (all agencies)"),
        reverse("surveys_national_results"),
        name="national-survey-results",
        icon_name="list-ul",
        order=61,
    )
