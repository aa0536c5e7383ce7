from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    """What became of one SMS.

    queued → sending → sent → delivered | undeliverable; failed when given up (or never
    allowed: over the daily cap, refused for good by the provider). A message is marked
    ``sending`` (and that committed) before the gateway is called, so a crash between the
    provider's acceptance and our record leaves it ``sending``, never ``queued``: the
    reconcile job then asks the provider by its local id.
    """

    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not sent")
    UNDELIVERABLE = "undeliverable", _("Not delivered")


class DeliveryStatus(models.TextChoices):
    """What the provider says of a message it accepted (a subset of SmsStatus)."""

    SENT = SmsStatus.SENT.value, _("Sent")
    DELIVERED = SmsStatus.DELIVERED.value, _("Delivered")
    UNDELIVERABLE = SmsStatus.UNDELIVERABLE.value, _("Not delivered")


class InboundStatus(models.TextChoices):
    """A citizen's SMS to our line: waiting to be read, joined to a request, or not."""

    NEW = "new", _("Not read yet")
    MATCHED = "matched", _("Joined the request's messages")
    UNMATCHED = "unmatched", _("Matched no request")


# Messages a provider is asked about at once (Kavenegar takes 500 ids per status call).
STATUS_BATCH = 500


class SmsEvent(models.TextChoices):
    """What a citizen is told by SMS: each event has its template (notifications.events)."""

    SUBMITTED = "submitted", _("Request received")
    ACCEPTED = "accepted", _("Request accepted")
    IN_PROGRESS = "in_progress", _("Request being worked on")
    STEP = "step", _("Request reached a step")
    INCOMPLETE = "incomplete", _("Request incomplete")
    VISIT = "visit", _("In-person visit")
    ANSWERED = "answered", _("Request answered")
    REJECTED = "rejected", _("Request rejected")
    CLOSED = "closed", _("Request closed")
    EXTENSION = "extension", _("Deadline extended")
    NEW_MESSAGE = "new_message", _("Message from the agency")
    APPOINTMENT_BOOKED = "appointment_booked", _("Appointment booked")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminder")
    SURVEY_INVITATION = "survey_invitation", _("Satisfaction survey invitation")
    ONE_TIME_CODE = "one_time_code", _("One-time code")
    COMPLAINT_RECEIVED = "complaint_received", _("Complaint received")
    COMPLAINT_STEP = "complaint_step", _("Complaint status changed")
    COMPLAINT_ANSWERED = "complaint_answered", _("Complaint answered")
    COMPLAINT_ESCALATED = "complaint_escalated", _("Complaint escalated")


# The longest template an editor may write (before its placeholders are filled in):
# about seven Persian SMS parts.
SMS_TEMPLATE_MAX_LENGTH = 480
# Characters in one SMS part: Persian text travels as UCS-2 (70, or 67 a part once the
# message is split), Latin-only text as GSM-7 (160, or 153 a part).
SMS_PART_UCS2, SMS_MULTIPART_UCS2 = 70, 67
SMS_PART_GSM, SMS_MULTIPART_GSM = 160, 153
