"""Where citizens' documents are kept: outside the web root, one folder per agency.

Never served by URL: only views that check the request's owner or the agency's
staff read them. File names are generated, never the citizen's.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
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
