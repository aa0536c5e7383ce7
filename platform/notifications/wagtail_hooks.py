from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic.models import EditView, IndexView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from tenants.menus import AgencyMenuItem
from tenants.roles import OVERRIDE_SMS_TEMPLATES
from tenants.viewsets import NationalModelViewSet

from . import selectors, views
from .forms import SmsTemplateForm
from .models import InboundSms, SandboxSms, SmsMessage, SmsTemplate


class ReadOnlyPolicy(ModelPermissionPolicy):
    """These tables are written by the platform only: administrators look, never edit."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(
            user, action
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class SmsOutboxViewSet(NationalModelViewSet):
    """What was sent to citizens, what is waiting, what was delivered and what failed, and why."""

    model = SmsMessage
    icon = "mail"
    menu_label = _("SMS outbox")
    menu_order = 180
    form_fields = ["status"]
    list_display = ["queued_at", "mobile", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["mobile", "text"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "mobile",
        "text",
        "status",
        "attempts",
        "queued_at",
        "sending_since",
        "sent_at",
        "delivered_at",
        "status_checked_at",
        "provider_id",
        "last_error",
        "event",
        "template_version",
    ]


class InboundSmsViewSet(NationalModelViewSet):
    """Citizens' texts to our line: joined to a request's messages, or matched none."""

    model = InboundSms
    icon = "mail"
    menu_label = _("SMS received")
    menu_order = 181
    form_fields = ["status"]
    list_display = ["received_at", "sender", "text", "status"]
    list_filter = ["status"]
    search_fields = ["sender", "text"]
    inspect_view_enabled = True
    inspect_view_fields = ["sender", "text", "received_at", "fetched_at", "status", "provider_id"]


class SandboxPhoneViewSet(NationalModelViewSet):
    """Development and the demo: the texts the sandbox gateway "sent" instead of a phone."""

    model = SandboxSms
    icon = "mobile-alt"
    menu_label = _("Sandbox phone")
    menu_order = 182
    form_fields = ["mobile"]
    list_display = ["sent_at", "mobile", "text", "local_id"]
    search_fields = ["mobile", "text"]
    inspect_view_enabled = True
    inspect_view_fields = ["mobile", "text", "sent_at", "local_id"]


for _model in (SmsMessage, InboundSms, SandboxSms):
    register_permission_policy(_model, ReadOnlyPolicy(_model))


@hooks.register("register_admin_viewset")
def register_sms_outbox():
    return SmsOutboxViewSet("sms_outbox")


@hooks.register("register_admin_viewset")
def register_sms_received():
    return InboundSmsViewSet("sms_received")


@hooks.register("register_admin_viewset")
def register_sandbox_phone():
    return SandboxPhoneViewSet("sandbox_phone")


class NationalTemplateIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.national_templates()


class NationalTemplateEditView(EditView):
    def get_queryset(self):
        return selectors.national_templates()


class SmsTemplateViewSet(NationalModelViewSet):
    """The national SMS texts, one per event: national administrators edit them (each save
    is a new version, recorded on the messages written from it); agencies may override
    them from their own admin (``notifications.views``)."""

    model = SmsTemplate
    icon = "doc-full"
    menu_label = _("SMS templates")
    menu_order = 181
    index_view_class = NationalTemplateIndexView
    edit_view_class = NationalTemplateEditView
    list_display = ["__str__", "text", "version", "updated_by", "updated_at"]
    ordering = ["event"]

    def get_form_class(self, for_update=False):
        return SmsTemplateForm


class TemplatesPolicy(ModelPermissionPolicy):
    """Every event has its national template from the start: edited, never added or deleted."""

    def user_has_permission(self, user, action):
        return action not in {"add", "delete"} and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(SmsTemplate, TemplatesPolicy(SmsTemplate))


@hooks.register("register_admin_viewset")
def register_sms_templates():
    return SmsTemplateViewSet("sms_templates")


@hooks.register("register_admin_urls")
def register_agency_template_urls():
    return [
        path("agency-sms-texts/", views.agency_templates, name="agency_sms_templates"),
        path("agency-sms-texts/<slug:event>/", views.agency_template, name="agency_sms_template"),
    ]


@hooks.register("register_admin_menu_item")
def register_agency_templates_menu_item():
    return AgencyMenuItem(
        _("SMS texts"),
        reverse("agency_sms_templates"),
        icon_name="doc-full",
        order=60,
        permission=OVERRIDE_SMS_TEMPLATES,
    )


# Changes to an agency's own SMS texts, in the agency's audit log (national edits are
# Wagtail's own "edited" entries in the national one).
TEMPLATE_LOG_ACTIONS = {
    "panjereh.sms_template.override": (
        _("Write the agency's own SMS text"),
        _("Agency's own SMS text saved"),
    ),
    "panjereh.sms_template.revert": (
        _("Go back to the national SMS text"),
        _("Agency went back to the national SMS text"),
    ),
}


@hooks.register("register_log_actions")
def register_template_log_actions(actions):
    for action, (label, message) in TEMPLATE_LOG_ACTIONS.items():
        actions.register_action(action, label, message)
