"""Digits as Iranians type them: ASCII, Persian and Arabic-Indic; nothing else.

Python's ``str.isdigit()``, ``int()`` and regex ``\\d`` accept far more: superscripts
(«²», which ``int`` then refuses), full-width («０»), Devanagari («०») and every other
script's digits. A national code, tracking code, page number or date typed in those
must be refused, never stored as typed nor passed to ``int`` unchecked. Everything
that reads a number or a code from a citizen goes through here:

- ``to_ascii_digits`` turns Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669)
  digits into ASCII and leaves everything else alone (so other digits are refused later);
- ``ASCII_DIGITS`` is the regex class ``[0-9]`` to use instead of ``\\d``;
- ``is_ascii_digits`` says whether a text is one or more ASCII digits and nothing else;
- ``parse_whole_number`` reads a whole number of at most ``max_digits`` digits, or None.
"""

import re

ASCII_DIGITS = "[0-9]"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)
_DIGITS = re.compile(f"{ASCII_DIGITS}+")
_NUMBER = re.compile(f"([-+]?)({ASCII_DIGITS}+)")


def to_ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits; every other character unchanged."""
    return (text or "").translate(_TO_ASCII)


def is_ascii_digits(text: str) -> bool:
    """One or more of 0-9 and nothing else (no sign, space, or other script's digit)."""
    return isinstance(text, str) and _DIGITS.fullmatch(text) is not None


def parse_whole_number(text, *, max_digits: int, signed: bool = False) -> int | None:
    """The whole number typed in ASCII, Persian or Arabic-Indic digits, or None.

    Surrounding spaces are ignored; a sign only when ``signed``. Anything else
    (other scripts' digits, separators, decimals, an empty text) gives None, and so
    does a number of more than ``max_digits`` digits (leading zeros count), so a
    5,000-digit text is refused before any conversion.
    """
    if not isinstance(text, str):
        return None
    text = to_ascii_digits(text.strip())
    if len(text) > max_digits + 1:  # a sign and max_digits digits at most
        return None
    match = _NUMBER.fullmatch(text)
    if match is None or len(match[2]) > max_digits or (match[1] and not signed):
        return None
    number = int(match[2])
    return -number if match[1] == "-" else number
