"""Validators of the fields a request form can have, in Persian, accepting Persian digits.

Each ``clean_*`` takes what the citizen typed and returns the canonical value or
raises ``ValidationError`` with a message that says what is wrong. Digits may be
ASCII, Persian or Arabic-Indic (``persian.digits``); any other script's digits
(full-width, Devanagari, superscripts…) are refused, never stored as typed.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from persian.digits import ASCII_DIGITS, parse_whole_number, to_ascii_digits

D = ASCII_DIGITS
_SEPARATORS = re.compile(r"[\s\-‐–—_.()]+")
# Iran Post's numbering: no 0 or 2 in the first four digits, no 0, 2 or 5 in the fifth,
# no 2 in the last five, and not one digit four times at the start.
_POSTAL_CODE = re.compile(f"(?!({D})\\1{{3}})[13-9]{{4}}[1346-9][013-9]{{5}}")
_TEN_DIGITS = re.compile(f"{D}{{10}}")
_SHORT_NATIONAL_ID = re.compile(f"{D}{{8,9}}")
_MOBILE = re.compile(f"09{D}{{9}}")
_THOUSANDS = re.compile("[٬,]")
# Long enough for any real number with separators; longer is refused before parsing.
_MAX_TYPED = 100


def _digits_only(value: str) -> str:
    return _SEPARATORS.sub("", to_ascii_digits(value or "").strip())[:_MAX_TYPED]


def is_valid_national_id(code: str) -> bool:
    """Iranian national code: 10 digits, last is a check digit; one repeated digit is invalid."""
    if not _TEN_DIGITS.fullmatch(code or "") or len(set(code)) == 1:
        return False
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return int(code[9]) == check


def clean_national_id(value: str) -> str:
    code = _digits_only(value)
    if _SHORT_NATIONAL_ID.fullmatch(code):
        code = code.zfill(10)  # codes starting with 0 are often typed without them
    if not _TEN_DIGITS.fullmatch(code):
        raise ValidationError(_("A national code has 10 digits."), code="national_id_length")
    if not is_valid_national_id(code):
        raise ValidationError(
            _("This national code is not valid; check the digits."), code="national_id_checksum"
        )
    return code


def clean_mobile(value: str) -> str:
    """Iranian mobile numbers in any usual form, as 09xxxxxxxxx."""
    number = _digits_only(value).lstrip("+")
    for prefix in ("0098", "98"):
        if number.startswith(prefix) and len(number) == len(prefix) + 10:
            number = "0" + number[len(prefix) :]
    if len(number) == 10 and number.startswith("9"):
        number = "0" + number
    if not _MOBILE.fullmatch(number):
        raise ValidationError(
            _("Enter a mobile number such as 09121234567."), code="mobile_invalid"
        )
    return number


def clean_postal_code(value: str) -> str:
    code = _digits_only(value)
    if not _TEN_DIGITS.fullmatch(code):
        raise ValidationError(_("A postal code has 10 digits."), code="postal_code_length")
    if not _POSTAL_CODE.fullmatch(code):
        raise ValidationError(_("This postal code is not valid."), code="postal_code_invalid")
    return code


def clean_number(value: str) -> int:
    """A whole number of at most 15 digits, with or without thousands separators."""
    text = (value or "").strip()
    number = None
    if len(text) <= _MAX_TYPED:
        number = parse_whole_number(_THOUSANDS.sub("", text), max_digits=15, signed=True)
    if number is None:
        raise ValidationError(_("Enter a whole number."), code="number_invalid")
    return number
