from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    INCOMPLETE = "incomplete", _("Waiting for you: more is needed")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
