"""Agency admin: catalogue import/export and package completeness on the dashboard."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from tenants.menus import AgencyMenuItem
from tenants.roles import IMPORT_CATALOGUE
from tenants.schemas import on_public_schema
from tenants.viewsets import AgencyModelViewSet

from . import views
from .models import ServicePage
from .units import Unit


@hooks.register("register_admin_urls")
def register_catalogue_urls():
    return [
        path("catalogue/import/", views.catalogue_import, name="catalogue_import"),
        path("catalogue/export/", views.catalogue_export, name="catalogue_export"),
    ]


@hooks.register("register_admin_menu_item")
def register_catalogue_menu_item():
    return AgencyMenuItem(
        _("Import catalogue"),
        reverse("catalogue_import"),
        icon_name="upload",
        order=900,
        permission=IMPORT_CATALOGUE,
    )


class PackageCompletenessPanel(Component):
    """How complete each service's legally required information package is."""

    name = "package_completeness"
    order = 50

    def render_html(self, parent_context=None):
        services = list(
            ServicePage.objects.filter(locale__language_code="fa")
            .order_by("path")
            .prefetch_related("steps", "documents", "fees")
        )
        rows = [
            {"page": page, "score": page.completeness, "gaps": page.package_gaps()}
            for page in services
        ]
        overall = round(sum(row["score"] for row in rows) / len(rows)) if rows else None
        return render_to_string(
            "catalog_pages/admin/completeness_panel.html", {"rows": rows, "overall": overall}
        )


@hooks.register("construct_homepage_panels")
def add_completeness_panel(request, panels):
    if not on_public_schema():
        panels.append(PackageCompletenessPanel())


@hooks.register("register_log_actions")
def register_review_log_action(actions):
    from .services import SERVICE_REVIEWED_ACTION

    actions.register_action(
        SERVICE_REVIEWED_ACTION,
        _("Confirm a package needs no change"),
        _("Package reviewed: nothing to change"),
    )


class UnitViewSet(AgencyModelViewSet):
    """The agency's HQ and field units, in its own admin: its administrator manages them,
    request clerks and editors read them. Rows of the agency's schema; no such screen on
    the national portal."""

    model = Unit
    icon = "home"
    menu_label = _("Units")
    menu_order = 305
    form_fields = ["name", "level", "province", "city", "address", "phone", "desk_hours"]
    list_display = ["name", "level", "province", "city", "phone"]
    list_filter = ["level", "province"]
    search_fields = ["name", "city"]


@hooks.register("register_admin_viewset")
def register_units():
    return UnitViewSet("units")
