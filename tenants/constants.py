"""Choices of the agency registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest slug an agency can have: "agency_<slug>" must fit PostgreSQL's
# 63-character identifiers, and the slug is also a DNS label (its sub-domain).
AGENCY_SLUG_MAX_LENGTH = 56


class AgencyKind(models.TextChoices):
    """The kinds of agency of the catalogue format (service-catalog/1)."""

    MINISTRY = "ministry", _("Ministry")
    ORGANIZATION = "organization", _("Government organisation")
    MUNICIPALITY = "municipality", _("Municipality")
    PROVINCIAL_OFFICE = "provincial_office", _("Provincial directorate")
    PUBLIC_COMPANY = "public_company", _("State company")
    OTHER = "other", _("Other")


class ServiceLevel(models.TextChoices):
    """ستادی (headquarters) or صفی (field units): national reports split by it."""

    HQ = "hq", _("Headquarters (HQ)")
    FIELD = "field", _("Field unit")


class Province(models.TextChoices):
    ALBORZ = "alborz", _("Alborz")
    ARDABIL = "ardabil", _("Ardabil")
    AZARBAIJAN_EAST = "azarbaijan_east", _("East Azerbaijan")
    AZARBAIJAN_WEST = "azarbaijan_west", _("West Azerbaijan")
    BUSHEHR = "bushehr", _("Bushehr")
    CHAHARMAHAL = "chaharmahal", _("Chaharmahal and Bakhtiari")
    FARS = "fars", _("Fars")
    GILAN = "gilan", _("Gilan")
    GOLESTAN = "golestan", _("Golestan")
    HAMADAN = "hamadan", _("Hamadan")
    HORMOZGAN = "hormozgan", _("Hormozgan")
    ILAM = "ilam", _("Ilam")
    ISFAHAN = "isfahan", _("Isfahan")
    KERMAN = "kerman", _("Kerman")
    KERMANSHAH = "kermanshah", _("Kermanshah")
    KHORASAN_NORTH = "khorasan_north", _("North Khorasan")
    KHORASAN_RAZAVI = "khorasan_razavi", _("Razavi Khorasan")
    KHORASAN_SOUTH = "khorasan_south", _("South Khorasan")
    KHUZESTAN = "khuzestan", _("Khuzestan")
    KOHGILUYEH = "kohgiluyeh", _("Kohgiluyeh and Boyer-Ahmad")
    KURDISTAN = "kurdistan", _("Kurdistan")
    LORESTAN = "lorestan", _("Lorestan")
    MARKAZI = "markazi", _("Markazi")
    MAZANDARAN = "mazandaran", _("Mazandaran")
    QAZVIN = "qazvin", _("Qazvin")
    QOM = "qom", _("Qom")
    SEMNAN = "semnan", _("Semnan")
    SISTAN = "sistan", _("Sistan and Baluchestan")
    TEHRAN = "tehran", _("Tehran")
    YAZD = "yazd", _("Yazd")
    ZANJAN = "zanjan", _("Zanjan")


# Sub-domains that can never be an agency's slug.
RESERVED_SLUGS = frozenset(
    {
        "www",
        "admin",
        "api",
        "static",
        "media",
        "mail",
        "smtp",
        "ftp",
        "public",
        "portal",
        "panjereh",
        "template",
        "search",
        "track",
        "status",
        "help",
        "login",
    }
)


# Wagtail's starter moderation workflow and its one task ("Moderators approval"), named
# in Persian in every agency (data that editors see in the page editor and reports).
MODERATION_WORKFLOW_NAME = "بازبینی و انتشار"
MODERATION_TASK_NAME = "تأیید بازبین"
WAGTAIL_MODERATION_NAME = "Moderators approval"


class AgencyRole(models.TextChoices):
    """The roles of an agency's staff: Wagtail groups in its schema, named in Persian.

    The value is the group's name as staff see it in their admin; a person may hold
    several roles. Nobody in an agency is a superuser.
    """

    ADMINISTRATOR = "مدیر دستگاه", _("Agency administrator")
    EDITOR = "ویرایشگر", _("Editor")
    REVIEWER = "بازبین", _("Reviewer")
    REQUEST_CLERK = "کارشناس رسیدگی به درخواست‌ها", _("Request clerk")
    COMPLAINT_HANDLER = "رسیدگی‌کننده شکایات", _("Complaint handler")
    REPORT_VIEWER = "گزارش‌گیر", _("Report viewer")


class NationalRole(models.TextChoices):
    """Roles of the national console: groups in the public schema."""

    ADMINISTRATOR = "مدیر ملی", _("National administrator")
    PROVINCIAL_SUPERVISOR = "ناظر استانی", _("Provincial supervisor")
    # Reads a request's status to a caller, and its next step once they prove ownership.
    CALL_CENTRE_OPERATOR = "اپراتور مرکز تماس", _("Call-centre operator")
    # Visits agencies' in-person desks (supervision statement: "بازرسین توانمند برای ارزیابی
    # میزخدمت"); like a supervisor, only in the provinces assigned to them.
    INSPECTOR = "بازرس", _("Inspector")
