"""Form fields for what Iranians type: national codes, mobiles, postal codes, numbers and
Jalali dates, in ASCII, Persian or Arabic-Indic digits and nothing else.

Each field cleans what was typed into its canonical value with the validators of
``persian.validators`` and says in Persian what is wrong.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import validators
from .dates import parse_jalali
from .digits import ASCII_DIGITS, parse_whole_number, to_ascii_digits


class _CleanedCharField(forms.CharField):
    cleaner = None

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return type(self).cleaner(value)


class NationalIdField(_CleanedCharField):
    cleaner = staticmethod(validators.clean_national_id)


class MobileField(_CleanedCharField):
    cleaner = staticmethod(validators.clean_mobile)


class PostalCodeField(_CleanedCharField):
    cleaner = staticmethod(validators.clean_postal_code)


class WholeNumberField(_CleanedCharField):
    cleaner = staticmethod(validators.clean_number)


def clean_jalali_date(value: str) -> str:
    """«۱۴۰۳/۰۱/۱۵» → "2024-04-03" (stored Gregorian, ISO)."""
    day = parse_jalali(value, with_time=False)
    if day is None:
        if _JALALI_SHAPE.fullmatch(to_ascii_digits(value.strip())):
            raise ValidationError(
                _("This date does not exist in the calendar."), code="jalali_invalid"
            )
        raise ValidationError(_("Enter the date like 1403/01/15."), code="jalali_format")
    return day.isoformat()


# What a date looks like, whether or not the calendar has it.
_JALALI_SHAPE = re.compile(
    f"({ASCII_DIGITS}{{4}})[/\\-.]({ASCII_DIGITS}{{1,2}})[/\\-.]({ASCII_DIGITS}{{1,2}})"
)


class JalaliDateField(_CleanedCharField):
    cleaner = staticmethod(clean_jalali_date)


class DigitsIntegerField(forms.IntegerField):
    """Django's ``IntegerField``, but only ASCII, Persian and Arabic-Indic digits.

    Django's own passes whatever ``int()`` takes (full-width, Devanagari… digits) and
    lets ``int()`` read a 5,000-digit text; this one refuses both with its message.
    """

    default_error_messages = {"invalid": gettext_lazy("Enter a whole number.")}

    def __init__(self, *, max_digits: int = 9, **kwargs):
        self.max_digits = max_digits
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = parse_whole_number(str(value), max_digits=self.max_digits, signed=True)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number
