from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from tenants.viewsets import NationalModelViewSet

from .models import SmsMessage


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The outbox is written by the platform only: administrators look, never edit."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(
            user, action
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class SmsOutboxViewSet(NationalModelViewSet):
    """What was sent to citizens, what is waiting and what failed, and why."""

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
        "sent_at",
        "provider_id",
        "last_error",
    ]


register_permission_policy(SmsMessage, ReadOnlyPolicy(SmsMessage))


@hooks.register("register_admin_viewset")
def register_sms_outbox():
    return SmsOutboxViewSet("sms_outbox")
