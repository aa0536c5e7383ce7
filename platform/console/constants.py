from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyStatus(models.TextChoices):
    """What the registry's status filter can ask for."""

    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    WAITING = "waiting", _("Waiting for its parent agency")


REPRESENTATIVE_ACTION = "panjereh.agency.representative"
PROVINCES_ACTION = "panjereh.supervisor.provinces"
GRANT_ACTION = "panjereh.supervisor.grant"
REVOKE_ACTION = "panjereh.supervisor.revoke"
