from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants.guards import agency_screen_allowed
from tenants.roles import HANDLE_REQUESTS

from . import desk


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [
        path("desk/", desk.choose, name="desk_choose"),
        path("desk/<int:page_id>/", desk.intake, name="desk_intake"),
    ]


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return agency_screen_allowed(request, HANDLE_REQUESTS)


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return DeskMenuItem(_("Walk-in request"), reverse("desk_choose"), icon_name="form", order=51)
