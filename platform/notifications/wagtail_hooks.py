from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from tenants.viewsets import NationalModelViewSet

from .models import InboundSms, SandboxSms, SmsMessage


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
