"""SMS template texts: checking what an editor wrote, and filling it in.

A placeholder is a name in braces, ``{code}``; nothing else in braces is allowed (no
``{0}``, no ``{code!r}``, no format specs), and a brace is never written alone.
Filling in is one pass over the template's own pieces: a value that looks like a
placeholder (a citizen's «{otp}») is copied as it is, never read again.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from persian.dates import fa_digits

from .constants import (
    SMS_MULTIPART_GSM,
    SMS_MULTIPART_UCS2,
    SMS_PART_GSM,
    SMS_PART_UCS2,
    SMS_TEMPLATE_MAX_LENGTH,
)
from .events import spec

_PIECE = re.compile(r"\{([^{}]*)\}|[{}]")


@dataclass(frozen=True)
class Piece:
    literal: str = ""
    placeholder: str = ""


class TemplateSyntaxError(ValueError):
    """A brace opened and not closed, or closed and never opened."""


def parse(text: str) -> list[Piece]:
    """``text`` as literal pieces and placeholder pieces (names as written)."""
    pieces, position = [], 0
    for match in _PIECE.finditer(text):
        if match.start() > position:
            pieces.append(Piece(literal=text[position : match.start()]))
        if match.group(1) is None:
            raise TemplateSyntaxError(match.group(0))
        pieces.append(Piece(placeholder=match.group(1)))
        position = match.end()
    if position < len(text):
        pieces.append(Piece(literal=text[position:]))
    return pieces


def _quoted(names) -> str:
    return "، ".join("{" + name + "}" for name in names)


def check(event: str, text: str) -> list[str]:
    """What is wrong with ``text`` as the template of ``event``, in the editor's language."""
    event_spec = spec(event)
    errors = []
    if len(text) > SMS_TEMPLATE_MAX_LENGTH:
        errors.append(
            _("The text is %(length)s characters long; at most %(limit)s are allowed.")
            % {
                "length": fa_digits(str(len(text))),
                "limit": fa_digits(str(SMS_TEMPLATE_MAX_LENGTH)),
            }
        )
    try:
        pieces = parse(text)
    except TemplateSyntaxError:
        errors.append(
            _(
                "A brace is opened and not closed, or closed and never opened. Write each "
                "placeholder as its name in braces, like {code}, and no other braces."
            )
        )
        return errors
    used = [piece.placeholder for piece in pieces if not piece.literal]
    unknown = [name for name in dict.fromkeys(used) if name not in event_spec.placeholders]
    if unknown:
        errors.append(
            _("This message has no placeholder %(unknown)s. It may use: %(allowed)s.")
            % {"unknown": _quoted(unknown), "allowed": _quoted(event_spec.placeholders)}
        )
    missing = [name for name in event_spec.required if name not in used]
    if missing:
        errors.append(_("This message must contain %(missing)s.") % {"missing": _quoted(missing)})
    return errors


def validate(event: str, text: str) -> None:
    """Raise ValidationError with every problem of ``text``."""
    errors = check(event, text)
    if errors:
        raise ValidationError(errors)


def render(text: str, values: dict) -> str:
    """``text`` with its placeholders filled in from ``values`` (missing ones left empty).

    Values are copied as text: braces inside them are not placeholders.
    """
    return "".join(
        piece.literal if piece.literal else str(values.get(piece.placeholder, ""))
        for piece in parse(text)
    )


def sms_parts(text: str) -> tuple[int, int]:
    """(characters, SMS parts) of ``text`` as the network carries it."""
    length = len(text)
    if not length:
        return 0, 0
    latin = all(ord(char) < 128 for char in text)
    single, multi = (
        (SMS_PART_GSM, SMS_MULTIPART_GSM) if latin else (SMS_PART_UCS2, SMS_MULTIPART_UCS2)
    )
    if length <= single:
        return length, 1
    return length, -(-length // multi)


def allowed_placeholders(event: str) -> list[tuple[str, str, bool]]:
    """(placeholder as written, its description, required?) for the editor's side panel."""
    from .events import PLACEHOLDERS

    event_spec = spec(event)
    return [
        ("{" + name + "}", PLACEHOLDERS[name], name in event_spec.required)
        for name in event_spec.placeholders
    ]


def preview(text: str) -> str:
    """``text`` filled in with the sample values (what the editor is shown)."""
    from .events import SAMPLE_VALUES

    try:
        pieces = parse(text)
    except TemplateSyntaxError:
        return text
    return "".join(
        piece.literal
        if piece.literal
        else str(SAMPLE_VALUES.get(piece.placeholder, "{" + piece.placeholder + "}"))
        for piece in pieces
    )
