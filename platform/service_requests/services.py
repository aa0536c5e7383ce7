"""Every write to requests: submission, each step of the workflow, messages, the answer.

Every function here is atomic, and files written before a failure are removed:
a request, message or answer never exists without its files, nor files without
it. ``submit_request`` is idempotent: the same submission token always yields
the same request and tracking code, however often the citizen presses "send".
Each step the citizen should hear of queues an SMS in the same transaction.
"""

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from tenants.models import Agency

from . import acceptance, notices, signals, tracking
from .constants import (
    CITIZEN_ANSWER,
    MAX_EXTENSION_DAYS,
    NEEDS_NOTE,
    OPEN_STATUSES,
    TRANSITIONS,
    ChangeKind,
    Channel,
    RequestStatus,
    Sender,
)
from .models import (
    MessageAttachment,
    PendingUpload,
    RequestDocument,
    RequestMessage,
    ResponseDocument,
    ServiceRequest,
    StatusChange,
)
from .report_times import REPORT_FIELDS, report_times
from .selectors import filed_requests
from .storage import document_path, private_storage, removing_files_on_failure, save_private
from .working_days import promised_date, working_days_between

logger = logging.getLogger("panjereh." + __name__)


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
    return tracking.key_from_secret(settings.TRACKING_KEY)


# Codes are unique for one key; after TRACKING_KEY changed, a new code can equal an
# old request's. Each try takes a fresh sequence number (and so another code).
TRACKING_CODE_ATTEMPTS = 5


def submit_request(
    *,
    agency: Agency,
    service,
    submission_token,
    data: dict,
    uploads: list[Upload],
    national_id: str = "",
    mobile: str = "",
    channel: str = Channel.ONLINE,
    registered_by: str = "",
    unit=None,
) -> tuple[ServiceRequest, bool]:
    """Create the request (or return the one this token already created). Returns (request, created).

    A walk-in citizen's request comes the same way, with ``channel`` desk and
    ``registered_by`` the staff member's user name (who is also the first step's actor)."""
    # A repeated token (double click, retry) meets the unique constraint below and
    # returns the request it already made; no look-up before, as nearly all are new.

    tried: list[tuple[int, str]] = []

    def work(written):
        now = timezone.now()
        sequence = _next_sequence()
        code = tracking.code_for(sequence, _tracking_key())
        tried.append((sequence, code))
        request = ServiceRequest.objects.create(
            agency=agency,
            service_key=service.translation_key,
            service_slug=service.slug,
            service_title=service.title,
            # The unit that handles it (``catalog_pages.units.Unit``), else the agency.
            level=unit.level if unit is not None else service.level,
            province=(unit.province if unit is not None else "") or agency.province,
            unit_id=unit.pk if unit is not None else None,
            unit_name=unit.name if unit is not None else "",
            sequence=sequence,
            tracking_code=code,
            submission_token=submission_token,
            data=data,
            national_id=national_id,
            mobile=mobile,
            channel=channel,
            registered_by=registered_by,
            submitted_at=now,
            promised_on=promised_date(timezone.localdate(now), service.duration_days or 0),
        )
        RequestDocument.objects.bulk_create(
            RequestDocument(
                request=request,
                slot=upload.slot,
                title=upload.title,
                file=_store(agency.schema_name, upload, written),
                content_type=upload.kind,
                size=upload.size,
                sha256=upload.sha256,
            )
            for upload in uploads
        )
        StatusChange.objects.create(
            request=request,
            from_status="",
            to_status=RequestStatus.SUBMITTED,
            actor=registered_by or "citizen",
            at=now,
        )
        _forget_pending_uploads(PendingUpload.objects.filter(agency=agency, token=submission_token))
        notices.tell_status(request, RequestStatus.SUBMITTED)
        return request

    for attempt in range(1, TRACKING_CODE_ATTEMPTS + 1):
        try:
            return removing_files_on_failure(work), True
        except IntegrityError:
            # A double click raced us to the same token: that request is the answer.
            existing = ServiceRequest.objects.filter(submission_token=submission_token).first()
            if existing is not None:
                return existing, False
            sequence, code = tried[-1]
            taken = ServiceRequest.objects.filter(
                models.Q(tracking_code=code) | models.Q(sequence=sequence)
            ).exists()
            if not taken or attempt == TRACKING_CODE_ATTEMPTS:
                raise
            logger.warning(
                "Tracking code of sequence %s is taken (TRACKING_KEY changed?); trying the next.",
                sequence,
            )


def _forget_pending_uploads(pending) -> int:
    """Delete kept uploads; their files go once the transaction has committed."""
    names = list(pending.values_list("file", flat=True))
    if not names:
        return 0
    pending.delete()
    transaction.on_commit(lambda: [private_storage.delete(name) for name in names])
    return len(names)


# A kept upload whose form was never sent is removed after this long.
PENDING_UPLOAD_HOURS = 24


def purge_stale_pending_uploads() -> int:
    """Remove uploads kept for forms that were never sent (a periodic job, at most 500)."""
    from datetime import timedelta

    cutoff = timezone.now() - timedelta(hours=PENDING_UPLOAD_HOURS)
    with transaction.atomic():
        stale = PendingUpload.objects.filter(
            pk__in=PendingUpload.objects.filter(created_at__lt=cutoff).values("pk")[:500]
        )
        return _forget_pending_uploads(stale)


def keep_pending_upload(
    agency: Agency, token, slot: str, upload, inspected, *, client: str | None = None
) -> PendingUpload | None:
    """Keep a valid document while the citizen fixes the form's other errors.

    A re-upload for the same slot replaces the kept file (the old one is deleted once
    committed). With ``client`` (its address), what that client may have kept at once is
    limited (``PENDING_UPLOADS_PER_CLIENT``, ``PENDING_UPLOAD_BYTES_PER_CLIENT``): beyond
    it nothing is written and None is returned, and the citizen attaches the file again.
    The file and its row are stored together or not at all.
    """

    def work(written):
        if client is not None:
            # One client's concurrent forms count one after the other.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"pending:{client}"])
        previous = PendingUpload.objects.select_for_update().filter(token=token, slot=slot).first()
        if previous is not None and previous.agency_id != agency.pk:
            return None  # a token of another agency's form: keep nothing
        if client is not None and not _client_may_keep(client, inspected.size, previous):
            return None
        name = save_private(
            f"{agency.schema_name}/pending/{token}/{uuid.uuid4().hex}.{inspected.kind}",
            upload,
            written,
        )
        fields = {
            "file": name,
            "content_type": inspected.kind,
            "size": inspected.size,
            "sha256": inspected.sha256,
            "client": client or "",
        }
        if previous is None:
            return PendingUpload.objects.create(agency=agency, token=token, slot=slot, **fields)
        replaced = previous.file.name
        for field, value in fields.items():
            setattr(previous, field, value)
        previous.created_at = timezone.now()  # kept for a day from the latest upload
        previous.save()
        transaction.on_commit(lambda: private_storage.delete(replaced))
        return previous

    return removing_files_on_failure(work)


def _client_may_keep(client: str, size: int, replacing: PendingUpload | None) -> bool:
    from datetime import timedelta

    from django.db.models import Count, Sum

    kept = PendingUpload.objects.filter(
        client=client, created_at__gte=timezone.now() - timedelta(hours=PENDING_UPLOAD_HOURS)
    )
    if replacing is not None:
        kept = kept.exclude(pk=replacing.pk)
    totals = kept.aggregate(files=Count("pk"), size=Sum("size"))
    return (
        totals["files"] + 1 <= settings.PENDING_UPLOADS_PER_CLIENT
        and (totals["size"] or 0) + size <= settings.PENDING_UPLOAD_BYTES_PER_CLIENT
    )


class TransitionError(ValueError):
    """The request cannot move to that status (now, or without a reason)."""


def _lock(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def _record(locked: ServiceRequest, to_status: str, *, actor: str, note: str) -> StatusChange:
    """Move ``locked`` to ``to_status``: pause or resume its clock, record, tell the citizen."""
    now = timezone.now()
    promised_before = locked.promised_on
    if to_status == RequestStatus.INCOMPLETE:
        locked.paused_since = now
    elif locked.paused_since is not None:
        # Working days spent waiting for the citizen do not count against the agency.
        waited = working_days_between(
            timezone.localdate(locked.paused_since), timezone.localdate(now)
        )
        locked.promised_on = promised_date(locked.promised_on, waited)
        locked.paused_since = None
    change = StatusChange.objects.create(
        request=locked,
        from_status=locked.status,
        to_status=to_status,
        promised_on=locked.promised_on if locked.promised_on != promised_before else None,
        note=note.strip(),
        actor=actor,
        at=now,
    )
    from_status = locked.status
    locked.status = to_status
    _keep_report_times(locked)
    locked.save(
        update_fields=["status", "promised_on", "paused_since", "updated_at", *REPORT_FIELDS]
    )
    notices.tell_status(locked, to_status)
    signals.status_changed.send(
        sender=ServiceRequest, request=locked, from_status=from_status, to_status=to_status
    )
    return change


def _keep_report_times(locked: ServiceRequest) -> None:
    """The reports' times, recomputed from the history (this change included)."""
    changes = StatusChange.objects.filter(request=locked, kind=ChangeKind.STATUS).values_list(
        "to_status", "at"
    )
    times = report_times(changes, locked.promised_on, working_days_between)
    for field, value in times.items():
        setattr(locked, field, value)


def _sync(request: ServiceRequest, locked: ServiceRequest) -> None:
    for field in ("status", "promised_on", "paused_since", "extended_at", *REPORT_FIELDS):
        setattr(request, field, getattr(locked, field))


@transaction.atomic
def change_status(
    request: ServiceRequest, to_status: str, *, actor: str, note: str = ""
) -> StatusChange:
    """Move a request along its workflow (the agency's side) and record who, when and why."""
    from django.utils.translation import gettext as _

    locked = _lock(request)
    if to_status not in TRANSITIONS.get(locked.status, set()):
        raise TransitionError(
            _("A request that is “%(current)s” cannot become “%(target)s”.")
            % {"current": locked.get_status_display(), "target": RequestStatus(to_status).label}
        )
    if to_status in NEEDS_NOTE and not note.strip():
        raise TransitionError(
            _("Say what is missing or why the request is rejected: the citizen sees it.")
        )
    if (
        to_status == RequestStatus.ANSWERED
        and not ResponseDocument.objects.filter(request=locked).exists()
    ):
        raise TransitionError(_("Attach the response document to answer the request."))
    if to_status == RequestStatus.ACCEPTED and (reason := acceptance.refusal(locked)):
        raise TransitionError(reason)
    change = _record(locked, to_status, actor=actor, note=note)
    _sync(request, locked)
    return change


@transaction.atomic
def reassign_unit(request: ServiceRequest, unit, *, actor: str, note: str = "") -> StatusChange:
    """Hand an open request to another unit of the same agency (``unit``: a
    ``catalog_pages.units.Unit`` of the agency's schema): the request records the unit, its
    province and level, and its history says so (the citizen sees where it went)."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    locked = _lock(request)
    if locked.status not in OPEN_STATUSES:
        raise TransitionError(_("Only an open request can be sent to another unit."))
    if locked.unit_id == unit.pk:
        raise TransitionError(_("The request is already at this unit."))
    locked.unit_id = unit.pk
    locked.unit_name = unit.name
    locked.province = unit.province or locked.agency.province
    locked.level = unit.level
    locked.save(update_fields=["unit_id", "unit_name", "province", "level", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        step = _("Referred to %(unit)s") % {"unit": unit.name}
    change = StatusChange.objects.create(
        request=locked,
        kind=ChangeKind.STEP,
        from_status=locked.status,
        to_status=locked.status,
        step=step[:255],
        note=note.strip(),
        actor=actor,
        at=timezone.now(),
    )
    for field in ("unit_id", "unit_name", "province", "level"):
        setattr(request, field, getattr(locked, field))
    return change


@transaction.atomic
def extend_deadline(request: ServiceRequest, *, days: int, reason: str, actor: str) -> StatusChange:
    """Push the due date back by ``days`` working days: once per request, with a reason."""
    from django.utils.translation import gettext as _

    locked = _lock(request)
    if locked.extended_at is not None:
        raise TransitionError(_("The deadline of this request has already been extended once."))
    if locked.status not in OPEN_STATUSES:
        raise TransitionError(_("Only an open request's deadline can be extended."))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise TransitionError(
            _("An extension is 1 to %(max)s working days.") % {"max": MAX_EXTENSION_DAYS}
        )
    if not reason.strip():
        raise TransitionError(_("Say why the deadline is extended: the citizen sees it."))
    now = timezone.now()
    locked.promised_on = promised_date(locked.promised_on, days)
    locked.extended_at = now
    locked.save(update_fields=["promised_on", "extended_at", "updated_at"])
    change = StatusChange.objects.create(
        request=locked,
        kind=ChangeKind.EXTENSION,
        from_status=locked.status,
        to_status=locked.status,
        promised_on=locked.promised_on,
        note=reason.strip(),
        actor=actor,
        at=now,
    )
    notices.tell_extension(locked)
    _sync(request, locked)
    return change


@transaction.atomic
def record_step(
    request: ServiceRequest,
    *,
    step: str,
    actor: str,
    in_person: bool = False,
    notify: bool = True,
    note: str = "",
    visit_at=None,
    visit_place: str = "",
) -> StatusChange:
    """The agency reached a step of the package's workflow; an accepted request is now in
    progress. A step in person must say when, where, why and what to bring."""
    from django.utils.translation import gettext as _

    locked = _lock(request)
    if locked.status not in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS):
        raise TransitionError(_("Steps are recorded once the request is accepted and open."))
    if not step.strip():
        raise TransitionError(_("Choose the step."))
    if in_person:
        if visit_at is None or visit_at <= timezone.now():
            raise TransitionError(_("Give the date and time of the visit, in the future."))
        if not visit_place.strip() or not note.strip():
            raise TransitionError(
                _("Say where to come, why, and which documents to bring: the citizen sees it.")
            )
    change = StatusChange.objects.create(
        request=locked,
        kind=ChangeKind.STEP,
        from_status=locked.status,
        to_status=RequestStatus.IN_PROGRESS,
        step=step.strip()[:255],
        visit_at=visit_at if in_person else None,
        visit_place=visit_place.strip()[:255] if in_person else "",
        note=note.strip(),
        actor=actor,
        at=timezone.now(),
    )
    if locked.status != RequestStatus.IN_PROGRESS:
        locked.status = RequestStatus.IN_PROGRESS
        locked.save(update_fields=["status", "updated_at"])
    if in_person:
        notices.tell_visit(locked, change)
    elif notify:
        notices.tell_step(locked, change)
    _sync(request, locked)
    return change


def _store(agency_schema: str, upload: Upload, written: list[str]) -> str:
    return save_private(document_path(agency_schema, upload.kind), upload.file, written)


def send_message(
    request: ServiceRequest,
    *,
    sender: str,
    author: str,
    body: str,
    attachments: list[Upload] = (),
) -> RequestMessage:
    """A message between citizen and agency, with its files.

    The citizen's message on an incomplete request is their answer: the request
    goes back to the agency (and its clock runs again). The agency's message is
    announced to the citizen by SMS.
    """
    from django.utils.translation import gettext as _

    if not body.strip():
        raise TransitionError(_("Write a message."))

    def work(written):
        locked = _lock(request)
        message = RequestMessage.objects.create(
            request=locked,
            sender=sender,
            author=author,
            body=body.strip(),
            sent_at=timezone.now(),
        )
        for upload in attachments:
            MessageAttachment.objects.create(
                message=message,
                title=upload.title,
                file=_store(locked.agency.schema_name, upload, written),
                content_type=upload.kind,
                size=upload.size,
                sha256=upload.sha256,
            )
        if sender == Sender.CITIZEN and locked.status == CITIZEN_ANSWER[0]:
            _record(locked, CITIZEN_ANSWER[1], actor="citizen", note="")
        elif sender == Sender.AGENCY:
            notices.tell_new_message(locked)
        _sync(request, locked)
        return message

    return removing_files_on_failure(work)


def _verification_code() -> str:
    import secrets

    from .constants import VERIFICATION_CODE_ALPHABET, VERIFICATION_CODE_LENGTH

    return "".join(
        secrets.choice(VERIFICATION_CODE_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH)
    )


def answer_request(
    request: ServiceRequest, *, document: Upload, actor: str, note: str = ""
) -> ResponseDocument:
    """Issue the agency's response document and mark the request answered."""

    def work(written):
        locked = _lock(request)
        response = ResponseDocument.objects.create(
            request=locked,
            file=_store(locked.agency.schema_name, document, written),
            content_type=document.kind,
            size=document.size,
            sha256=document.sha256,
            verification_code=_verification_code(),
            issued_at=timezone.now(),
            issued_by=actor,
        )
        change_status(locked, RequestStatus.ANSWERED, actor=actor, note=note)
        _sync(request, locked)
        return response

    return removing_files_on_failure(work)


def _request_replied_to(inbound) -> ServiceRequest | None:
    """The request a citizen's SMS answers, if the sender is that request's mobile.

    A reply that names a tracking code is about that request; one without a code
    answers the latest text we sent to the number. Anyone may know a code: only a
    text from the mobile given on the request joins its thread.
    """
    from notifications.selectors import last_request_texted

    codes = tracking.codes_in(inbound.text)
    if codes:
        candidates = filed_requests().filter(tracking_code__in=codes)
    else:
        latest = last_request_texted(inbound.sender, before=inbound.received_at)
        candidates = filed_requests().filter(pk=latest)
    return candidates.filter(mobile=inbound.sender).exclude(mobile="").first()


def attach_sms_replies(*, limit: int = 1000) -> dict[str, int]:
    """Join each received SMS not read yet to the thread of the request it answers, as the
    citizen's message; the others are marked unmatched. Each text is read once, under a
    lock (two jobs at once never post it twice)."""
    from notifications.selectors import new_inbound_sms
    from notifications.services import settle_inbound_sms

    counts = {"matched": 0, "unmatched": 0}
    for _ in range(limit):
        with transaction.atomic():
            inbound = new_inbound_sms().select_for_update(skip_locked=True).first()
            if inbound is None:
                break
            found = _request_replied_to(inbound) if inbound.text.strip() else None
            if found is not None:
                try:
                    with transaction.atomic():
                        send_message(
                            found, sender=Sender.CITIZEN, author="citizen", body=inbound.text
                        )
                except TransitionError:
                    found = None  # nothing to post: kept, unmatched, for administrators
            settle_inbound_sms(inbound, request=found)
            counts["matched" if found is not None else "unmatched"] += 1
    return counts
