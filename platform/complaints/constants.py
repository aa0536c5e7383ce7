from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    OBJECTION = "objection", _("Objection")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    ANSWERED = "answered", _("Answered")
    ESCALATED = "escalated", _("Escalated to the national level")
    CLOSED = "closed", _("Closed")


# The agency's clock runs: it may answer, and past the deadline the complaint escalates.
OPEN_STATUSES = frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.IN_REVIEW})

# The agency's side of the workflow (answering has its own step: it needs the answer).
AGENCY_TRANSITIONS = {
    ComplaintStatus.RECEIVED: {ComplaintStatus.IN_REVIEW, ComplaintStatus.CLOSED},
    ComplaintStatus.IN_REVIEW: {ComplaintStatus.CLOSED},
    ComplaintStatus.ANSWERED: {ComplaintStatus.CLOSED},
    ComplaintStatus.ESCALATED: set(),
    ComplaintStatus.CLOSED: set(),
}


class Party(models.TextChoices):
    """Who took a step: the citizen, the agency's staff, or the national level."""

    CITIZEN = "citizen", _("Citizen")
    AGENCY = "agency", _("Agency")
    NATIONAL = "national", _("National level")


MAX_TEXT = 4000
MAX_ANSWER = 4000
