"""``manage.py check --deploy``: a deployment whose texts would never reach a phone says so.

Without ``KAVENEGAR_API_KEY`` the sandbox gateway keeps every SMS in a table (right for the
demo and development, which serve the production settings too): in a real deployment no
citizen would get a one-time code, a tracking code or a survey link.
"""

from django.conf import settings
from django.core.checks import Warning, register

SANDBOXES = ("notifications.gateways.SandboxGateway", "notifications.gateways.MemoryGateway")


@register("notifications", deploy=True)
def sms_reach_phones(app_configs, **kwargs):
    if settings.SMS_GATEWAY not in SANDBOXES:
        return []
    return [
        Warning(
            f"SMS go to {settings.SMS_GATEWAY.rsplit('.', 1)[-1]}, not to phones: citizens get "
            "no one-time codes, tracking codes or survey links.",
            hint="Set KAVENEGAR_API_KEY (and KAVENEGAR_SENDER) for a real deployment.",
            id="notifications.W001",
        )
    ]
