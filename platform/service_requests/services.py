"""Every write to requests: submission (and, later, each step of their workflow).

``submit_request`` is atomic: the request, its documents and its first status
change exist together or not at all (files written before a failure are
removed). It is idempotent: the same submission token always yields the same
request and tracking code, however often the citizen presses "send".
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tenants.models import Agency

from . import tracking
from .constants import NEEDS_NOTE, TRANSITIONS, RequestStatus
from .models import PendingUpload, RequestDocument, ServiceRequest, StatusChange
from .storage import document_path, private_storage
from .working_days import promised_date


@dataclass(frozen=True)
class Upload:
    """A checked document for one slot: a fresh upload or one kept from an earlier try."""

    slot: str
    title: str
    file: object  # an UploadedFile or a stored file
    kind: str
    size: int
    sha256: str


def _next_sequence() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('service_requests_tracking_seq')")
        return cursor.fetchone()[0]


def _tracking_key() -> bytes:
    return tracking.key_from_secret(settings.SECRET_KEY)


def submit_request(
    *,
    agency: Agency,
    service,
    submission_token,
    data: dict,
    uploads: list[Upload],
    national_id: str = "",
    mobile: str = "",
) -> tuple[ServiceRequest, bool]:
    """Create the request (or return the one this token already created). Returns (request, created)."""
    existing = ServiceRequest.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    written: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            sequence = _next_sequence()
            request = ServiceRequest.objects.create(
                agency=agency,
                service_key=service.translation_key,
                service_slug=service.slug,
                service_title=service.title,
                level=service.level,
                sequence=sequence,
                tracking_code=tracking.code_for(sequence, _tracking_key()),
                submission_token=submission_token,
                data=data,
                national_id=national_id,
                mobile=mobile,
                submitted_at=now,
                promised_on=promised_date(timezone.localdate(now), service.duration_days or 0),
            )
            for upload in uploads:
                name = private_storage.save(
                    document_path(agency.schema_name, upload.kind), File(upload.file)
                )
                written.append(name)
                RequestDocument.objects.create(
                    request=request,
                    slot=upload.slot,
                    title=upload.title,
                    file=name,
                    content_type=upload.kind,
                    size=upload.size,
                    sha256=upload.sha256,
                )
            StatusChange.objects.create(
                request=request,
                from_status="",
                to_status=RequestStatus.SUBMITTED,
                actor="citizen",
                at=now,
            )
            PendingUpload.objects.filter(agency=agency, token=submission_token).delete()
    except IntegrityError:
        for name in written:
            private_storage.delete(name)
        # A double click raced us to the same token: that request is the answer.
        existing = ServiceRequest.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing, False
        raise
    except BaseException:
        for name in written:
            private_storage.delete(name)
        raise
    return request, True


def keep_pending_upload(agency: Agency, token, slot: str, upload, inspected) -> PendingUpload:
    """Keep a valid document while the citizen fixes the form's other errors."""
    name = private_storage.save(
        f"{agency.schema_name}/pending/{token}/{inspected.sha256[:16]}.{inspected.kind}",
        File(upload),
    )
    pending, _ = PendingUpload.objects.update_or_create(
        agency=agency,
        token=token,
        slot=slot,
        defaults={
            "file": name,
            "content_type": inspected.kind,
            "size": inspected.size,
            "sha256": inspected.sha256,
        },
    )
    return pending


class TransitionError(ValueError):
    """The request cannot move to that status (now, or without a reason)."""


@transaction.atomic
def change_status(
    request: ServiceRequest, to_status: str, *, actor: str, note: str = ""
) -> StatusChange:
    """Move a request along its workflow and record who did it, when and why."""
    from django.utils.translation import gettext as _

    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if to_status not in TRANSITIONS.get(locked.status, set()):
        raise TransitionError(
            _("A request that is “%(current)s” cannot become “%(target)s”.")
            % {"current": locked.get_status_display(), "target": RequestStatus(to_status).label}
        )
    if to_status in NEEDS_NOTE and not note.strip():
        raise TransitionError(
            _("Say what is missing or why the request is rejected: the citizen sees it.")
        )
    change = StatusChange.objects.create(
        request=locked,
        from_status=locked.status,
        to_status=to_status,
        note=note.strip(),
        actor=actor,
        at=timezone.now(),
    )
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    request.status = to_status
    return change
