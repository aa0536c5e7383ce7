"""Dates and numbers as a Persian reader expects them: Jalali calendar, Persian digits.

Stored in UTC, computed in Tehran time, shown in the Jalali calendar with Persian
month names and digits on Persian pages (transliterated month names on English
pages). The template filters in ``themes.templatetags.persian`` and every text
that leaves the site (SMS) use these.
"""

import datetime
import re

import jdatetime
from django.utils import timezone, translation

from .digits import ASCII_DIGITS, PERSIAN_DIGITS, to_ascii_digits

_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)


def to_persian_digits(value) -> str:
    return str(value).translate(_TO_PERSIAN)


def _persian_page() -> bool:
    return translation.get_language() == "fa"


def fa_digits(value):
    """Persian digits when the page is Persian; unchanged otherwise."""
    return to_persian_digits(value) if _persian_page() else value


def to_jalali(value, *, locale: str = "fa_IR"):
    """A date or (local) datetime as a jdatetime one; None for years the Jalali calendar
    cannot hold (a Gregorian year 500 or 9999 typed into a filter)."""
    try:
        if hasattr(value, "hour"):
            return jdatetime.datetime.fromgregorian(datetime=value, locale=locale)
        return jdatetime.date.fromgregorian(date=value, locale=locale)
    except (ValueError, OverflowError):
        return None


def jalali(value, fmt: str = "%d %B %Y") -> str:
    """A date or datetime (stored in UTC) in the Jalali calendar, Tehran time."""
    if not value:
        return ""
    persian = _persian_page()
    locale = "fa_IR" if persian else "en_US"
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    converted = to_jalali(value, locale=locale)
    if converted is None:
        return value.isoformat()  # before or after what the Jalali calendar can name
    # "2 Azar 1405", not "02 Azar 1405".
    text = converted.strftime(fmt.replace("%d", str(converted.day)))
    return to_persian_digits(text) if persian else text


def rials(amount) -> str:
    """An amount in rials with thousands separators, in the page's digits."""
    if amount in (None, ""):
        return ""
    text = f"{int(amount):,}"
    if _persian_page():
        return to_persian_digits(text.replace(",", "٬"))
    return text


def percent(share, *, places: int = 0) -> str:
    """A share (0.875) as a percentage to ``places`` decimals, as the page's language
    writes it: «۸۷٫۵٪» on Persian pages, «87.5%» on English ones; — when there is none."""
    if share is None:
        return "—"
    text = f"{share * 100:.{places}f}"
    if _persian_page():
        return to_persian_digits(text.replace(".", "٫")) + "٪"
    return text + "%"


_JALALI = re.compile(
    rf"\s*({ASCII_DIGITS}{{4}})\s*[/\-.]\s*({ASCII_DIGITS}{{1,2}})\s*[/\-.]\s*({ASCII_DIGITS}{{1,2}})"
    rf"(?:\s+({ASCII_DIGITS}{{1,2}})\s*:\s*({ASCII_DIGITS}{{2}}))?\s*"
)
# The Jalali years a typed date may have (1900–2100): others are not Jalali dates.
JALALI_YEARS = range(1279, 1480)


def parse_jalali(text: str, *, with_time: bool = True) -> datetime.date | datetime.datetime | None:
    """A Jalali date typed in any digits, as the Gregorian date; None if it is not one.

    «۱۴۰۵/۰۹/۱۰» → date(2026, 12, 1); «۱۴۰۵/۰۹/۱۰ ۱۲:۳۰» → a naive datetime (unless
    ``with_time`` is False). Dashes or dots may separate the parts; a day the calendar
    lacks (۱۴۰۴/۱۲/۳۰) or a year outside ``JALALI_YEARS`` is None.
    """
    match = _JALALI.fullmatch(to_ascii_digits(text or ""))
    if not match or int(match[1]) not in JALALI_YEARS or (match[4] and not with_time):
        return None
    year, month, day = (int(part) for part in match.groups()[:3])
    try:
        if match[4] is None:
            return jdatetime.date(year, month, day).togregorian()
        return jdatetime.datetime(year, month, day, int(match[4]), int(match[5])).togregorian()
    except ValueError:
        return None
