from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from tenants.menus import AgencyMenuItem, NationalMenuItem
from tenants.roles import HANDLE_REQUESTS
from tenants.viewsets import NationalModelViewSet

from . import callcentre, inbox
from .models import CallCentreLookup, Holiday


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
        path("requests/<str:code>/unit/", inbox.reassign, name="request_inbox_reassign"),
        path("requests/<str:code>/answer/", inbox.answer, name="request_inbox_answer"),
        path(
            "requests/<str:code>/attachments/<int:pk>/",
            inbox.attachment,
            name="request_inbox_attachment",
        ),
        path(
            "requests/<str:code>/response/", inbox.response_document, name="request_inbox_response"
        ),
        path("call-centre/", callcentre.call_centre, name="call_centre"),
    ]


# What staff do with citizens' requests and data, in the agency's audit log.
REQUEST_LOG_ACTIONS = {
    "panjereh.request.status": (_("Change a request's status"), _("Request status changed")),
    "panjereh.request.step": (_("Record a step"), _("Request step recorded")),
    "panjereh.request.message": (_("Message a citizen"), _("Message sent to the citizen")),
    "panjereh.request.extension": (_("Extend a deadline"), _("Request deadline extended")),
    "panjereh.request.reassign": (
        _("Send a request to another unit"),
        _("Request sent to another unit"),
    ),
    "panjereh.request.answer": (_("Answer a request"), _("Request answered")),
    "panjereh.request.file": (_("Open a citizen's file"), _("Citizen's file opened")),
    "panjereh.request.desk_intake": (
        _("Register a walk-in request"),
        _("Walk-in request registered at the desk"),
    ),
}


@hooks.register("register_log_actions")
def register_request_log_actions(actions):
    for action, (label, message) in REQUEST_LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return AgencyMenuItem(
        _("Requests"),
        reverse("request_inbox"),
        icon_name="mail",
        order=50,
        permission=HANDLE_REQUESTS,
    )


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


@hooks.register("register_admin_menu_item")
def register_call_centre_menu_item():
    return NationalMenuItem(
        _("Call centre"),
        reverse("call_centre"),
        icon_name="help",
        order=60,
        roles=callcentre.OPERATORS,
    )


class LookupLogPolicy(ModelPermissionPolicy):
    """The call centre's audit log is written by the screen only: administrators read it."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(
            user, action
        )


register_permission_policy(CallCentreLookup, LookupLogPolicy(CallCentreLookup))


class CallCentreLookupViewSet(NationalModelViewSet):
    """Who looked up which code at the call centre, and how it went."""

    model = CallCentreLookup
    icon = "list-ul"
    menu_label = _("Call-centre log")
    menu_order = 190
    form_fields = ["outcome"]
    list_display = ["at", "operator", "code", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["operator", "code"]


@hooks.register("register_admin_viewset")
def register_call_centre_log():
    return CallCentreLookupViewSet("call_centre_log")
