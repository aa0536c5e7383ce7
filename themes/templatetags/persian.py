"""Persian presentation: Jalali dates and Persian digits."""

import jdatetime
from django import template
from django.utils import timezone, translation

register = template.Library()

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def to_persian_digits(value) -> str:
    return str(value).translate(_PERSIAN_DIGITS)


@register.filter
def fa_digits(value):
    """Persian digits when the page is Persian; unchanged otherwise."""
    if translation.get_language() == "fa":
        return to_persian_digits(value)
    return value


@register.filter
def jalali(value, fmt="%d %B %Y"):
    """A date or datetime (stored in UTC) shown in the Jalali calendar, Tehran time.

    Persian month names and digits on Persian pages; transliterated month names
    on English pages.
    """
    if not value:
        return ""
    persian = translation.get_language() == "fa"
    locale = "fa_IR" if persian else "en_US"
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        converted = jdatetime.datetime.fromgregorian(datetime=value, locale=locale)
    else:
        converted = jdatetime.date.fromgregorian(date=value, locale=locale)
    # "2 Azar 1405", not "02 Azar 1405".
    text = converted.strftime(fmt.replace("%d", str(converted.day)))
    return to_persian_digits(text) if persian else text


@register.filter
def rials(amount):
    """An amount in rials with thousands separators, in the page's digits."""
    if amount in (None, ""):
        return ""
    text = f"{int(amount):,}"
    if translation.get_language() == "fa":
        return to_persian_digits(text.replace(",", "٬"))
    return text


@register.filter
def ld_json(data):
    """A ``<script type="application/ld+json">`` element, safe from closing-tag injection."""
    import json

    from django.utils.safestring import mark_safe

    text = (
        json.dumps(data, ensure_ascii=False, sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
