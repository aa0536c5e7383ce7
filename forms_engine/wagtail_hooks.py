from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tenants.menus import AgencyMenuItem
from tenants.roles import HANDLE_REQUESTS

from . import desk


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [
        path("desk/", desk.choose, name="desk_choose"),
        path("desk/<int:page_id>/", desk.intake, name="desk_intake"),
    ]


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return AgencyMenuItem(
        _("Walk-in request"),
        reverse("desk_choose"),
        icon_name="form",
        order=51,
        permission=HANDLE_REQUESTS,
    )
