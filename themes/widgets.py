"""Jalali date inputs for the admin, in place of Wagtail's Gregorian date pickers.

The editor types (or picks in ``themes/js/jalali-picker.js``) a Jalali date in any
digits, «۱۴۰۵/۰۹/۱۰» or «1405/9/10 12:30»; the widget hands the form field the
Gregorian ISO text, which Django's DateField and DateTimeField parse as ever (a
datetime in Tehran time, stored UTC). Anything else reaches the field as typed, and
the field says in Persian that it is not a valid date. A Gregorian ISO date
(2026-12-01) is accepted too. Installed for every model date field of Wagtail's
forms and the listings' date filters by ``themes.admin_dates.install``.
"""

import datetime
import re

from django import forms
from django.utils import timezone

from persian.dates import fa_digits, parse_jalali, to_jalali
from persian.digits import to_ascii_digits


class JalaliDateInput(forms.TextInput):
    template_name = "themes/widgets/jalali_date_input.html"
    with_time = False
    jalali_format = "%Y/%m/%d"

    class Media:
        js = ["themes/js/jalali-picker.js"]
        css = {"all": ["themes/css/jalali-picker.css"]}

    def __init__(self, attrs=None, format=None, js_overlay_parent_selector=None):  # noqa: A002
        # ``format`` and ``js_overlay_parent_selector``: as Wagtail's widgets take them.
        attrs = {"autocomplete": "off", "dir": "ltr", "inputmode": "numeric", **(attrs or {})}
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["with_time"] = self.with_time
        return context

    def format_value(self, value):
        if isinstance(value, str):
            if parse_jalali(value) is not None or not value:
                return value
            try:  # the Gregorian ISO text this widget produced: shown again as Jalali
                value = (datetime.datetime if self.with_time else datetime.date).fromisoformat(
                    value
                )
            except ValueError:
                return value
        if value is None or value == "":
            return ""
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            if not self.with_time:
                value = value.date()
        converted = to_jalali(value)
        if converted is None:
            return value.isoformat()  # a year the Jalali calendar cannot hold: as written
        fmt = "%Y/%m/%d %H:%M" if isinstance(value, datetime.datetime) else self.jalali_format
        return fa_digits(converted.strftime(fmt))

    def value_from_datadict(self, data, files, name):
        text = data.get(name)
        if not text:
            return text
        parsed = parse_jalali(text)
        if parsed is None:
            return to_ascii_digits(text) if re.fullmatch(r"[\d۰-۹٠-٩\-: /.]+", text) else text
        if isinstance(parsed, datetime.datetime):
            return parsed.strftime("%Y-%m-%d %H:%M")
        if self.with_time:
            return parsed.strftime("%Y-%m-%d 00:00")
        return parsed.isoformat()


class JalaliDateTimeInput(JalaliDateInput):
    with_time = True
