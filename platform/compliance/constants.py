"""The parts of an information package, as item 13 of the service-desk requirements lists
them (بسته‌های اطلاع‌رسانی: مراحل گردش کار، مدارک مورد نیاز، قوانین و مقررات، سوالات
متداول، استعلام‌ها، آدرس محل‌های ارائه، مدت زمان، هزینه‌ها، رویه شکایت، مسئول خدمت و
نحوه تماس با وی), and the online request form of the e-desk letter."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompliancePart(models.TextChoices):
    STEPS = "steps", _("Workflow steps")
    DOCUMENTS = "documents", _("Required documents")
    LAWS = "laws", _("Laws and regulations")
    FAQS = "faqs", _("Frequently asked questions")
    DURATION = "duration", _("Duration in working days")
    FEES = "fees", _("Fees")
    INQUIRIES = "inquiries", _("Inquiries")
    COMPLAINTS = "complaints", _("Complaint procedure")
    OFFICIAL = "official", _("Responsible official and how to reach them")
    ADDRESSES = "addresses", _("Addresses where the service is given")
    ONLINE_FORM = "online_form", _("Online request form")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# The rules ask for a yearly update of every package.
REVIEW_INTERVAL_DAYS = 365
# Editors are reminded of one stale package at most once in this many days.
REMINDER_INTERVAL_DAYS = 30
# Actual answer times are measured over the requests of this many days.
MEASURED_DAYS = 365
