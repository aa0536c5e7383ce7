"""The survey's results in the admin: the agency's own services, and every agency's for
national administrators (Reports menu)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tenants.constants import NationalRole
from tenants.menus import AgencyMenuItem, NationalMenuItem

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


@hooks.register("register_reports_menu_item")
def register_agency_results_menu_item():
    return AgencyMenuItem(
        _("Satisfaction survey"),
        reverse("surveys_agency_results"),
        name="survey-results",
        icon_name="list-ul",
        order=60,
        permission=views.VIEW_RESULTS,
    )


@hooks.register("register_reports_menu_item")
def register_national_results_menu_item():
    return NationalMenuItem(
        _("Satisfaction survey (all agencies)"),
        reverse("surveys_national_results"),
        name="national-survey-results",
        icon_name="list-ul",
        order=61,
        roles=(NationalRole.ADMINISTRATOR,),
    )
