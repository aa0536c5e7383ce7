"""Serving a request's private files, after the caller has checked who may see them.

Staff views check the agency, citizen views the proof of ownership; both then
hand the request here. Files are never reachable by a URL of their own.
"""

from django.http import FileResponse, Http404

from .selectors import attachment_of
from .storage import private_storage
from .uploads import CONTENT_TYPES


def private_file_response(stored, content_type: str, filename: str) -> FileResponse:
    """A privately stored file (``private_storage``), shown in the browser when it can be
    (PDF, images), under a name we make."""
    return FileResponse(
        private_storage.open(stored.name, "rb"),
        content_type=CONTENT_TYPES.get(content_type, "application/octet-stream"),
        as_attachment=False,
        filename=filename,
    )


def document_file(found, pk: int) -> FileResponse:
    """One of the documents submitted with the request."""
    item = found.documents.filter(pk=pk).first()
    if item is None:
        raise Http404
    return private_file_response(
        item.file, item.content_type, f"{found.tracking_code}-{item.slot}.{item.content_type}"
    )


def attachment_file(found, pk: int) -> FileResponse:
    """A file sent with one of the request's messages."""
    item = attachment_of(found, pk)
    if item is None:
        raise Http404
    return private_file_response(
        item.file, item.content_type, f"{found.tracking_code}-{pk}.{item.content_type}"
    )


def response_file(found) -> FileResponse:
    """The agency's answer document."""
    response = getattr(found, "response", None)
    if response is None:
        raise Http404
    return private_file_response(
        response.file,
        response.content_type,
        f"{found.tracking_code}-response.{response.content_type}",
    )
