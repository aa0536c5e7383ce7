"""Choices of the information package; values are those of the catalogue format."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("Citizens")
    BUSINESS = "business", _("Businesses")
    GOVERNMENT_STAFF = "government_staff", _("Government staff")


class Delivery(models.TextChoices):
    """How far the service is electronic."""

    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Online request, some steps in person")
    IN_PERSON = "in_person", _("In person only")


class DeskMode(models.TextChoices):
    """What the in-person service desk does for this service."""

    INFORMATION = "information", _("Information only")
    INTAKE = "intake", _("Receives the request and documents")
    ON_THE_SPOT = "on_the_spot", _("Performs the service on the spot")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JPG = "jpg", "JPG"
    PNG = "png", "PNG"


class FormFieldType(models.TextChoices):
    TEXT = "text", _("Short text")
    TEXTAREA = "textarea", _("Long text")
    NATIONAL_ID = "national_id", _("National code")
    MOBILE = "mobile", _("Mobile number")
    POSTAL_CODE = "postal_code", _("Postal code")
    EMAIL = "email", _("Email")
    NUMBER = "number", _("Number")
    JALALI_DATE = "jalali_date", _("Date (Jalali)")
    CHOICE = "choice", _("Choice")
    CHECKBOX = "checkbox", _("Checkbox")


class PackagePart(models.TextChoices):
    """Parts of the information package the law requires before publishing."""

    STEPS = "steps", _("Workflow steps")
    DOCUMENTS = "documents", _("Required documents (or confirmation that none are needed)")
    DURATION = "duration", _("Duration in working days")
    COMPLAINTS = "complaints", _("Complaint procedure")
    OFFICIAL = "official", _("Responsible official (name and position)")
    FEES = "fees", _("Fees (or confirmation that the service is free)")
