from django.db import models
from django.utils.translation import gettext_lazy as _

# An answer document's verification code: nothing that reads as another character.
VERIFICATION_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
VERIFICATION_CODE_LENGTH = 12


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    INCOMPLETE = "incomplete", _("Waiting for you: more is needed")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = frozenset(
    {
        RequestStatus.SUBMITTED,
        RequestStatus.INCOMPLETE,
        RequestStatus.ACCEPTED,
        RequestStatus.IN_PROGRESS,
    }
)

# Which status can follow which: the agency's side of the workflow.
TRANSITIONS = {
    RequestStatus.SUBMITTED: {
        RequestStatus.ACCEPTED,
        RequestStatus.INCOMPLETE,
        RequestStatus.REJECTED,
    },
    RequestStatus.INCOMPLETE: {RequestStatus.ACCEPTED, RequestStatus.REJECTED},
    RequestStatus.ACCEPTED: {
        RequestStatus.IN_PROGRESS,
        RequestStatus.INCOMPLETE,
        RequestStatus.REJECTED,
    },
    RequestStatus.IN_PROGRESS: {
        RequestStatus.ANSWERED,
        RequestStatus.INCOMPLETE,
        RequestStatus.REJECTED,
    },
    RequestStatus.ANSWERED: {RequestStatus.CLOSED},
    RequestStatus.CLOSED: set(),
    RequestStatus.REJECTED: set(),
}
# Saying why is required for these.
NEEDS_NOTE = frozenset({RequestStatus.INCOMPLETE, RequestStatus.REJECTED})

# The citizen's side: answering what the agency asked for sends the request back to it.
CITIZEN_ANSWER = (RequestStatus.INCOMPLETE, RequestStatus.SUBMITTED)

# A deadline may be extended once, by at most this many working days.
MAX_EXTENSION_DAYS = 30


class ChangeKind(models.TextChoices):
    STATUS = "status", _("Status change")
    EXTENSION = "extension", _("Deadline extended")
    STEP = "step", _("Step of the work")


class Sender(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    AGENCY = "agency", _("Agency")


class ProofSubject(models.TextChoices):
    """What a one-time code proves ownership of (``service_requests.ownership``)."""

    REQUEST = "request", _("Request")
    COMPLAINT = "complaint", _("Complaint")


class Channel(models.TextChoices):
    """How a request came in: the citizen's own online form, or registered at the desk."""

    ONLINE = "online", _("Online")
    DESK = "desk", _("At the desk")


class LookupOutcome(models.TextChoices):
    """What one call-centre look-up came to (``CallCentreLookup``)."""

    FOUND = "found", _("Found")
    MISHEARD = "misheard", _("Check digit failed")
    NOT_FOUND = "not_found", _("No such request")
    ANSWERED = "answered", _("Owner question answered")
    WRONG_ANSWER = "wrong_answer", _("Wrong answer to the owner question")
    LIMITED = "limited", _("Refused: too many tries")
