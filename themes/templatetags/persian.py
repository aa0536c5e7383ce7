"""Persian presentation in templates: Jalali dates, Persian digits, rials (``persian.dates``)."""

from django import template

from persian import dates

register = template.Library()

register.filter("fa_digits", dates.fa_digits)
register.filter("rials", dates.rials)


@register.filter
def jalali(value, fmt="%d %B %Y"):
    return dates.jalali(value, fmt)


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
