"""Uploads: what a file really is (by parsing it), and how much a client may send.

``inspect`` is the one check every upload goes through (request forms, citizens' and
staff's messages, answer documents, the /verify/ comparison): a PDF must open with
pypdf and have a page, an image must open with Pillow as the format it claims, within
Pillow's pixel limit (decompression bombs), a PNG pass its checksums and a JPEG decode
(at 1/8 scale, cheaply). The first bytes alone decide nothing.

Encrypted PDFs: one that opens without a password (locked only against changes or
printing, as some issuing systems make them) is accepted; one that needs a password
to open is refused, as staff could not read it.

Sizes are enforced while the body streams in, by ``LimitedUploadHandler`` (the first
of ``FILE_UPLOAD_HANDLERS``): past ``MAX_REQUEST_BYTES`` in all, reading stops and
the request is answered 413 (``RequestSizeLimitMiddleware`` refuses a body announced
larger before reading anything); past a field's own limit (``limit_uploads``, set by a
view before the form is parsed) that file is dropped, and the form names it; a file
for a field the view does not expect is dropped too.
"""

import hashlib
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http.multipartparser import MultiPartParserError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from catalog_pages.constants import DocumentFormat

# The kinds of file citizens and staff may send: the catalogue format's document formats.
ACCEPTED_KINDS = tuple(DocumentFormat.values)
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": (".pdf",), "jpg": (".jpg", ".jpeg"), "png": (".png",)}


def accept_attribute(kinds=ACCEPTED_KINDS) -> str:
    """The file input's ``accept`` attribute for ``kinds`` (all accepted kinds by default)."""
    return ",".join(extension for kind in kinds or ACCEPTED_KINDS for extension in EXTENSIONS[kind])


_PDF = b"%PDF-"
_IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
_PILLOW_FORMATS = {"PNG": "png", "JPEG": "jpg"}
MB = 1024 * 1024


@dataclass(frozen=True)
class Inspected:
    kind: str  # pdf, jpg or png
    size: int
    sha256: str


class UnacceptableFile(ValueError):
    """Not a PDF, JPEG or PNG we could open. ``problem``: "format", "password" or "pixels"."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def inspect(upload) -> Inspected:
    """The file's real kind, size and hash; raises ``UnacceptableFile`` if we cannot open it."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    claimed = next(
        (kind for signature, kind in _IMAGE_SIGNATURES.items() if head.startswith(signature)),
        "pdf" if head.startswith(_PDF) else None,
    )
    if claimed is None:
        raise UnacceptableFile("format")
    if claimed == "pdf":
        _check_pdf(upload)
    else:
        _check_image(upload, claimed)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Inspected(kind=claimed, size=upload.size, sha256=digest.hexdigest())


def _check_pdf(upload) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnacceptableFile("password")
        if len(reader.pages) < 1:
            raise UnacceptableFile("format")
        reader.pages[0].mediabox  # noqa: B018 — a page object, not just a count
    except UnacceptableFile:
        raise
    except DependencyError as error:  # encrypted with AES: we cannot open it either
        raise UnacceptableFile("password") from error
    except Exception as error:  # a broken or disguised file fails in many ways
        raise UnacceptableFile("format") from error
    finally:
        upload.seek(0)


def _check_image(upload, claimed: str) -> None:
    """Open the image as the format its first bytes claim; guard against decompression bombs."""
    from PIL import Image

    try:
        with Image.open(upload, formats=list(_PILLOW_FORMATS)) as image:
            if _PILLOW_FORMATS.get(image.format) != claimed:
                raise UnacceptableFile("format")
            width, height = image.size
            if width * height > Image.MAX_IMAGE_PIXELS:
                raise UnacceptableFile("pixels")
            image.verify()  # PNG: every chunk and its checksum
        if claimed == "jpg":
            # Decode the whole scan at 1/8 scale (cheap): a cut or corrupt JPEG fails here.
            upload.seek(0)
            with Image.open(upload, formats=["JPEG"]) as image:
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except UnacceptableFile:
        raise
    except Image.DecompressionBombError as error:
        raise UnacceptableFile("pixels") from error
    except Exception as error:
        raise UnacceptableFile("format") from error
    finally:
        upload.seek(0)


def refusal_message(problem: str, name: str) -> str | None:
    """What to tell the citizen about ``problem`` with file ``name`` (None: the caller's own
    message for a file that is not of the right kind)."""
    if problem == "password":
        return _("«%(name)s» is protected by a password: attach a copy that opens without one.") % {
            "name": name
        }
    if problem == "pixels":
        return _(
            "«%(name)s» has too many pixels to be checked: attach a smaller scan or photo."
        ) % {"name": name}
    return None


# --- Sizes, while the body streams in ------------------------------------------------------


class RequestTooLarge(MultiPartParserError):
    """The body went past ``MAX_REQUEST_BYTES`` while it was read; reading stopped."""


class LimitedUploadHandler(FileUploadHandler):
    """Counts the files' bytes as they arrive, before any other handler stores them."""

    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0
        self.received = 0
        self.limit = None

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        self.received = 0
        limits = getattr(self.request, "_upload_limits", None)
        if limits is None:
            self.limit = None
        elif field_name in limits:
            self.limit = limits[field_name]
        else:
            raise SkipFile  # a file the view does not ask for: never stored

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        self.received += len(raw_data)
        if self.total > settings.MAX_REQUEST_BYTES:
            self.request._body_too_large = True
            raise RequestTooLarge("The request body is larger than MAX_REQUEST_BYTES.")
        if self.limit is not None and self.received > self.limit:
            oversized = self.request.__dict__.setdefault("_oversized_uploads", {})
            oversized.setdefault(self.field_name, []).append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_uploads(request, limits: dict[str, int]) -> bool:
    """Per-field limits (bytes per file) for the files ``request`` is about to receive;
    files of any other field are dropped unstored.

    Only possible before its form is parsed (False otherwise: the form then checks
    sizes after the files arrived, within ``MAX_REQUEST_BYTES``)."""
    if hasattr(request, "_files"):
        return False
    request._upload_limits = dict(limits)
    return True


def oversized_uploads(request) -> dict[str, list[str]]:
    """Files dropped for going past their field's limit: {field name: [file names]}."""
    request.FILES  # noqa: B018 — parse the form first
    return dict(getattr(request, "_oversized_uploads", {}))


def with_upload_limits(limits):
    """Decorate a view whose files have per-field limits (a dict, or a callable of the view's
    arguments returning one). Django's documented pattern: the view is exempt from the CSRF
    middleware, which would read the form before the limits are set, and checked inside."""

    def decorate(view):
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST":
                chosen = limits(request, *args, **kwargs) if callable(limits) else limits
                limit_uploads(request, chosen)
            return protected(request, *args, **kwargs)

        return limited

    return decorate


class TakesOversized:
    """A form mixin: ``oversized=oversized_uploads(request)`` tells each file field which of
    its files were dropped for size (``field.oversized``), so it can name them."""

    def __init__(self, *args, oversized=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = dict(oversized or {})

    def full_clean(self):
        # Here, not in __init__: some forms add their file fields after Form.__init__.
        for name, files in self.oversized.items():
            if name in self.fields:
                self.fields[name].oversized = list(files)
        super().full_clean()


# --- The request as a whole -------------------------------------------------------------------


def too_large(request) -> TemplateResponse:
    response = TemplateResponse(
        request,
        "service_requests/request_too_large.html",
        {"limit_mb": settings.MAX_REQUEST_BYTES // MB},
        status=413,
    )
    return response.render()


def _announced_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """Refuse (413) a body announced larger than ``MAX_REQUEST_BYTES`` before anything reads
    it; and answer 413 when ``LimitedUploadHandler`` stopped one that went past it.

    Must come before any middleware that reads ``request.POST`` (CSRF does)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _announced_length(request) > settings.MAX_REQUEST_BYTES:
            return too_large(request)
        response = self.get_response(request)
        if getattr(request, "_body_too_large", False) and response.status_code != 413:
            return too_large(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, RequestTooLarge):
            return too_large(request)
        return None
