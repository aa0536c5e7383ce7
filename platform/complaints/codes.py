"""Complaint codes: 12 digits, so never taken for a request's 13-digit tracking code.

A complaint's code is its sequence number (the PostgreSQL sequence ``complaints_code_seq``,
separate from requests') passed through the same keyed Feistel permutation as requests'
codes (``service_requests.tracking.permute``), here on two 5-digit halves, i.e. a bijection
of [0, 10¹⁰), with a key derived from ``TRACKING_KEY`` for complaints only. The code is a
leading 7, those 10 digits, and a Damm check digit over both: every single mistyped digit and
every swap of two adjacent digits is caught. Shown 4-4-4 (7xxx-xxxx-xxxx).

Twelve digits starting with 7 is neither a request's code (13 digits), a mobile number (11,
starting 09) nor a national code (10).
"""

import hashlib
import hmac
import re

from persian.digits import ASCII_DIGITS, to_ascii_digits
from service_requests.tracking import damm_digit, permute, unpermute

PREFIX = "7"
HALF = 10**5
SPACE = HALF * HALF
LENGTH = 12

_CODE = re.compile(f"{PREFIX}{ASCII_DIGITS}{{{LENGTH - 1}}}")


def key_from_secret(secret: str) -> bytes:
    """The complaints' permutation key: derived from ``TRACKING_KEY``, apart from requests'."""
    return hmac.new(secret.encode(), b"panjereh complaint codes", hashlib.sha256).digest()[:32]


def code_for(sequence: int, key: bytes) -> str:
    body = PREFIX + f"{permute(sequence, key, half=HALF):010d}"
    return body + damm_digit(body)


def sequence_of(code: str, key: bytes) -> int:
    return unpermute(int(code[1:-1]), key, half=HALF)


def normalise(typed: str) -> str:
    """What a citizen typed (Persian digits, spaces, dashes) as bare digits; digits of other
    scripts stay, so that ``is_well_formed`` refuses them."""
    return "".join(ch for ch in to_ascii_digits(typed or "") if ch.isnumeric())[: LENGTH * 3]


def is_well_formed(code: str) -> bool:
    """Twelve ASCII digits, the first a 7, whose Damm check digit matches."""
    return _CODE.fullmatch(code or "") is not None and damm_digit(code) == "0"


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
