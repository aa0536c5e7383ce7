from django.db import connection
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from console.viewsets import NationalModelViewSet

from . import inbox
from .models import Holiday


@hooks.register("register_admin_urls")
def register_inbox_urls():
    return [
        path("requests/", inbox.inbox, name="request_inbox"),
        path("requests/<str:code>/", inbox.detail, name="request_inbox_detail"),
        path("requests/<str:code>/status/", inbox.transition, name="request_inbox_transition"),
        path(
            "requests/<str:code>/documents/<int:pk>/", inbox.document, name="request_inbox_document"
        ),
        path("requests/<str:code>/messages/", inbox.message, name="request_inbox_message"),
        path("requests/<str:code>/step/", inbox.step, name="request_inbox_step"),
        path("requests/<str:code>/extend/", inbox.extend, name="request_inbox_extend"),
        path("requests/<str:code>/answer/", inbox.answer, name="request_inbox_answer"),
        path(
            "requests/<str:code>/attachments/<int:pk>/",
            inbox.attachment,
            name="request_inbox_attachment",
        ),
        path(
            "requests/<str:code>/response/", inbox.response_document, name="request_inbox_response"
        ),
    ]


class AgencyMenuItem(MenuItem):
    def is_shown(self, request):
        return connection.schema_name != get_public_schema_name()


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return AgencyMenuItem(_("Requests"), reverse("request_inbox"), icon_name="mail", order=50)


class HolidayViewSet(NationalModelViewSet):
    """National administrators keep the official holidays the working-day calendar skips."""

    model = Holiday
    icon = "date"
    menu_label = _("Official holidays")
    menu_order = 170
    form_fields = ["date", "title"]
    list_display = ["date", "title"]


@hooks.register("register_admin_viewset")
def register_holidays():
    return HolidayViewSet("official_holidays")
