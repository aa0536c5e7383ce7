"""Jalali dates and Persian digits in the Wagtail admin, in the few places Wagtail formats
dates in Python rather than through ``wagtailadmin/shared/human_readable_date.html``
(overridden in ``themes/templates``: listings, history, the audit log, the dashboard).

Installed once by ``ThemesConfig.ready``:

- ``timesince_last_update`` (the page editor's status panel: "at 15:35", "3 days ago")
  and ``timesince_simple``: Persian digits;
- the date-range filters' chips ("Date updated: 1 December 2026"): the Jalali date;
- the CSV and XLSX exports of reports: Jalali date and Tehran time, as text;
- Jalali date inputs (``themes.widgets``) in place of Wagtail's Gregorian pickers.
"""

import datetime
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from persian.dates import fa_digits, jalali, to_jalali

# Stands for the user's name while digits are made Persian (the name keeps its own).
_NAME = "\uf8ff"


def _persian_timesince_last_update(
    last_update, show_time_prefix=False, user_display_name="", use_shorthand=True
):
    from wagtail.admin.templatetags import wagtailadmin_tags

    text = wagtailadmin_tags.timesince_last_update(
        last_update,
        show_time_prefix=show_time_prefix,
        user_display_name=_NAME if user_display_name else "",
        use_shorthand=use_shorthand,
    )
    return fa_digits(text).replace(_NAME, str(user_display_name))


def _persian_timesince_simple(value):
    from wagtail.admin.templatetags import wagtailadmin_tags

    return fa_digits(wagtailadmin_tags.timesince_simple(value))


def export_date(value) -> str:
    """A date or datetime of a report export: «۱۴۰۵/۰۹/۱۰ ۱۵:۳۵» (Tehran time), which
    sorts as text."""
    fmt = "%Y/%m/%d"
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        value, fmt = timezone.localtime(value), "%Y/%m/%d %H:%M"
    converted = to_jalali(value)
    return fa_digits(converted.strftime(fmt)) if converted else value.isoformat()


def _jalali_filter_value(self, value):
    return jalali(value) if value is not None else self.empty_value_label


def install() -> None:
    from django.db import models
    from wagtail.admin import active_filters, filters
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.admin.panels import publishing_panel

    from .widgets import JalaliDateInput, JalaliDateTimeInput

    # Jalali inputs for every date of Wagtail's model forms (pages, snippets, settings,
    # the publishing schedule) and of the listings' date-range filters.
    register_form_field_override(
        models.DateField,
        override={
            "widget": JalaliDateInput,
            "error_messages": {"invalid": _("Enter the date like 1403/01/15.")},
        },
    )
    register_form_field_override(
        models.DateTimeField,
        override={
            "widget": JalaliDateTimeInput,
            "error_messages": {"invalid": _("Enter the date and time like 1403/01/15 08:30.")},
        },
    )
    filters.AdminDateInput = JalaliDateInput
    # The page editor's publishing schedule (go-live, expiry) names its widget itself.
    publishing_panel.AdminDateTimeInput = JalaliDateTimeInput
    from wagtail.admin.templatetags.wagtailadmin_tags import register
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    register.simple_tag(_persian_timesince_last_update, name="timesince_last_update")
    register.filter("timesince_simple", _persian_timesince_simple)
    active_filters.DateFromToRangeFilterAdapter.format_value = _jalali_filter_value
    mixin = SpreadsheetExportMixin
    preprocess = {
        key: value
        for key, value in mixin.custom_value_preprocess.items()
        if key not in (datetime.datetime, (datetime.date, datetime.time))
    }
    jalali_text = {mixin.FORMAT_CSV: export_date, mixin.FORMAT_XLSX: export_date}
    mixin.custom_value_preprocess = {
        datetime.datetime: jalali_text,
        datetime.date: jalali_text,
        datetime.time: {mixin.FORMAT_XLSX: None},
        **preprocess,
    }
    _date_columns_in_listings()


def _date_field(model, field_name: str) -> bool:
    """Whether ``field_name`` (maybe across relations, ``agency__created``) is a date."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    *relations, name = field_name.split("__")
    try:
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return isinstance(model._meta.get_field(name), models.DateField)
    except (FieldDoesNotExist, AttributeError):
        return False  # a method or property: shown as it renders itself


def _jalali_of(field_name: str, instance) -> str:
    value = instance
    for name in field_name.split("__"):
        value = getattr(value, name, None)
    if isinstance(value, datetime.datetime):
        return jalali(value, "%d %B %Y، %H:%M")
    return jalali(value)


def _date_columns_in_listings() -> None:
    """A date or time field named in a model viewset's ``list_display`` is shown as
    Wagtail's date columns are (``human_readable_date``: Jalali, Persian digits), not as
    Django prints a date (Gregorian)."""
    from wagtail.admin.ui.tables import Column, DateColumn
    from wagtail.admin.views.generic.models import IndexView

    custom_column = IndexView._get_custom_column

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if _date_field(self.model, field_name):
            if column_class is Column:
                column_class = DateColumn
            elif "accessor" not in kwargs:  # the title column (the row's link): as text
                kwargs["accessor"] = partial(_jalali_of, field_name)
        return custom_column(self, field_name, column_class, **kwargs)

    IndexView._get_custom_column = _get_custom_column
