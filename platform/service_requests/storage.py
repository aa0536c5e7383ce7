"""Where citizens' documents are kept: outside the web root, one folder per agency.

Never served by URL: only views that check the request's owner or the agency's
staff read them. File names are generated, never the citizen's.
"""

import uuid

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def private_storage_for_fields():
    """For ``FileField(storage=…)``: a callable, so migrations name it instead of a path."""
    return private_storage


def document_path(agency_schema: str, extension: str) -> str:
    return f"{agency_schema}/requests/{uuid.uuid4().hex}.{extension}"


def save_private(name: str, content, written: list[str]) -> str:
    """Write ``content`` to private storage under ``name`` (a fresh, generated one) and note it
    in ``written``; a write that fails part-way leaves no part file behind."""
    existed = private_storage.exists(name)
    try:
        saved = private_storage.save(name, File(content))
    except BaseException:
        if not existed and private_storage.exists(name):
            private_storage.delete(name)
        raise
    written.append(saved)
    return saved


def removing_files_on_failure(work):
    """Run ``work(written)`` in a transaction; delete the files it wrote (``save_private``
    notes them in ``written``) if anything fails: a failure leaves no row and no file."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return work(written)
    except BaseException:
        for name in written:
            private_storage.delete(name)
        raise
