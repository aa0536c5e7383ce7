"""The national admin's search screens: synonyms, and the report of unanswered searches."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants.guards import national_screen_allowed
from tenants.viewsets import NationalModelViewSet

from . import views
from .models import SynonymGroup


class SynonymGroupViewSet(NationalModelViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Search synonyms")
    menu_order = 160
    form_fields = ["phrases"]
    list_display = ["__str__", "updated_at"]


synonym_viewset = SynonymGroupViewSet("search_synonyms")


@hooks.register("register_admin_viewset")
def register_synonyms():
    return synonym_viewset


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("unanswered-searches/", views.unanswered_searches, name="search_unanswered_searches"),
    ]


class ReportMenuItem(MenuItem):
    """Shown where the report answers: on the national portal, to its roles."""

    def is_shown(self, request):
        return national_screen_allowed(request, views.REPORT_ROLES)


@hooks.register("register_reports_menu_item")
def register_unanswered_searches_menu_item():
    return ReportMenuItem(
        _("Unanswered searches"),
        reverse("search_unanswered_searches"),
        name="unanswered-searches",
        icon_name="search",
        order=50,
    )
