from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")


# A failed send is tried again after 2, 4, 8 … 2048 seconds (about an hour in all): after
# this many retries the message is given up, marked failed, and its job stays failed
# where national administrators see it and can retry it.
SMS_RETRIES = 11


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
