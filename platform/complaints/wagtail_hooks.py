from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tenants.menus import AgencyMenuItem, NationalMenuItem
from tenants.roles import HANDLE_COMPLAINTS

from . import inbox


@hooks.register("register_admin_urls")
def register_complaint_urls():
    return [
        path("complaints/", inbox.inbox, name="complaint_inbox"),
        path("complaints/<str:code>/", inbox.detail, name="complaint_inbox_detail"),
        path("complaints/<str:code>/status/", inbox.transition, name="complaint_inbox_transition"),
        path("complaints/<str:code>/answer/", inbox.answer, name="complaint_inbox_answer"),
        path(
            "complaints/<str:code>/files/<int:pk>/",
            inbox.complaint_file,
            name="complaint_inbox_file",
        ),
        path("escalated-complaints/", inbox.national_inbox, name="complaint_national"),
        path(
            "escalated-complaints/<str:code>/",
            inbox.national_detail,
            name="complaint_national_detail",
        ),
        path(
            "escalated-complaints/<str:code>/answer/",
            inbox.national_answer,
            name="complaint_national_answer",
        ),
        path(
            "escalated-complaints/<str:code>/return/",
            inbox.national_return,
            name="complaint_national_return",
        ),
        path(
            "escalated-complaints/<str:code>/files/<int:pk>/",
            inbox.national_file,
            name="complaint_national_file",
        ),
    ]


COMPLAINT_LOG_ACTIONS = {
    "panjereh.complaint.status": (_("Change a complaint's status"), _("Complaint status changed")),
    "panjereh.complaint.answer": (_("Answer a complaint"), _("Complaint answered")),
    "panjereh.complaint.file": (_("Open a complaint's file"), _("Complaint file opened")),
    "panjereh.complaint.national_answer": (
        _("Answer an escalated complaint"),
        _("Escalated complaint answered"),
    ),
    "panjereh.complaint.national_return": (
        _("Send a complaint back to its agency"),
        _("Complaint sent back to its agency"),
    ),
}


@hooks.register("register_log_actions")
def register_complaint_log_actions(actions):
    for action, (label, message) in COMPLAINT_LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_menu_item")
def register_complaints_menu_item():
    return AgencyMenuItem(
        _("Complaints"),
        reverse("complaint_inbox"),
        icon_name="warning",
        order=55,
        permission=HANDLE_COMPLAINTS,
    )


@hooks.register("register_admin_menu_item")
def register_escalated_complaints_menu_item():
    return NationalMenuItem(
        _("Escalated complaints"),
        reverse("complaint_national"),
        icon_name="warning",
        order=175,
        roles=inbox.READERS,
    )
