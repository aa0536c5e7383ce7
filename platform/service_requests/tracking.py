"""Tracking codes: 13 digits, unique by construction, not guessable, typos caught.

A request's code is its sequence number (from a PostgreSQL sequence, never
reused) passed through a keyed Feistel permutation of [0, 10¹²): distinct numbers
always give distinct codes, yet consecutive requests get unrelated codes and,
without the key, a code says nothing about any other. A Damm check digit follows:
it catches every single mistyped digit and every swap of two adjacent digits.
Digits only, grouped 4-4-5 when shown, so a citizen can read it over the phone.
"""

import hashlib
import hmac
import re

from persian.digits import ASCII_DIGITS, is_ascii_digits, to_ascii_digits

HALF = 10**6  # the permutation works on two 6-digit halves
SPACE = HALF * HALF
ROUNDS = 8
LENGTH = 13

# Damm's quasigroup of order 10 (totally anti-symmetric).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_digit(digits: str) -> str:
    """The Damm check digit of ASCII digits (anything else is a ValueError)."""
    if not is_ascii_digits(digits):
        raise ValueError("Damm check digits are computed over ASCII digits only")
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return str(interim)


def _round(key: bytes, number: int, value: int, half: int = HALF) -> int:
    digest = hashlib.blake2b(
        value.to_bytes(4, "big") + bytes([number]), key=key, digest_size=8
    ).digest()
    return int.from_bytes(digest, "big") % half


def permute(sequence: int, key: bytes, *, half: int = HALF) -> int:
    """A keyed bijection of [0, half²) (by default [0, 10¹²): requests' codes)."""
    if not 0 <= sequence < half * half:
        raise ValueError("sequence number out of range")
    left, right = divmod(sequence, half)
    for number in range(ROUNDS):
        left, right = right, (left + _round(key, number, right, half)) % half
    return left * half + right


def unpermute(value: int, key: bytes, *, half: int = HALF) -> int:
    left, right = divmod(value, half)
    for number in reversed(range(ROUNDS)):
        left, right = (right - _round(key, number, left, half)) % half, left
    return left * half + right


def code_for(sequence: int, key: bytes) -> str:
    """The tracking code of the request with this sequence number."""
    payload = f"{permute(sequence, key):012d}"
    return payload + damm_digit(payload)


def normalise(typed: str) -> str:
    """What a citizen typed (Persian digits, spaces, dashes) as the bare 13 digits.

    Only separators go: every digit stays, so a digit of another script (a superscript,
    full-width or Devanagari one) leaves a code that ``is_well_formed`` refuses.
    """
    return "".join(ch for ch in to_ascii_digits(typed or "") if ch.isnumeric())[: LENGTH * 3]


_CODE = re.compile(f"{ASCII_DIGITS}{{{LENGTH}}}")


def is_well_formed(code: str) -> bool:
    """Thirteen ASCII digits whose check digit matches (Damm over all digits gives 0)."""
    return _CODE.fullmatch(code or "") is not None and damm_digit(code) == "0"


_DIGIT_RUN = re.compile(r"[0-9]+(?:[ \t\-\u2010-\u2015\u2212]+[0-9]+)*")
_SEPARATOR = re.compile(r"[ \t\-\u2010-\u2015\u2212]+")


def codes_in(text: str) -> list[str]:
    """The well-formed tracking codes written anywhere in a text (an SMS reply), in order.

    Digits of any of our scripts, grouped by spaces or dashes as the citizen likes
    ("۱۲۳۴-۵۶۷۸-۹۰۱۲۳"); a code is a run of whole groups of 13 digits in all, so a
    mobile number written beside it does not spoil it.
    """
    found = []
    for run in _DIGIT_RUN.findall(to_ascii_digits(text or "")[:2000]):
        groups = _SEPARATOR.split(run)
        for start in range(len(groups)):
            digits = ""
            for group in groups[start:]:
                digits += group
                if len(digits) >= LENGTH:
                    break
            if len(digits) == LENGTH and is_well_formed(digits) and digits not in found:
                found.append(digits)
    return found


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def key_from_secret(secret: str) -> bytes:
    """The permutation key, derived from the deployment's ``TRACKING_KEY`` (never stored).

    Not from ``SECRET_KEY``: rotating that must not change how codes are made. A
    changed key gives a new permutation, so a new code may equal an old request's;
    ``services.submit_request`` then takes the next sequence number."""
    return hmac.new(secret.encode(), b"panjereh tracking codes", hashlib.sha256).digest()[:32]
