"""Checking uploaded documents by what they contain, not by what they are called."""

import hashlib
from dataclasses import dataclass

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True)
class Inspected:
    kind: str  # pdf, jpg or png
    size: int
    sha256: str


def detect_kind(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def inspect(upload) -> Inspected | None:
    """The file's real kind, size and hash; None if it is none of the kinds we accept."""
    upload.seek(0)
    kind = detect_kind(upload.read(16))
    if kind is None:
        return None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Inspected(kind=kind, size=upload.size, sha256=digest.hexdigest())
