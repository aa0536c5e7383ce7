"""Every write to complaints: filing, each step of the agency, the answer, the escalation to
the national level and the national level's answer or return.

Every function is atomic, and files written before a failure are removed. ``file_complaint``
is idempotent per submission token (pressing "send" twice files one complaint). Each step
the citizen should hear of queues an SMS in the same transaction (``notices``).
"""

import logging
import uuid

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from service_requests import ownership
from service_requests.constants import ProofSubject
from service_requests.models import PendingUpload
from service_requests.services import Upload
from service_requests.services import _forget_pending_uploads as forget_pending_uploads
from service_requests.storage import removing_files_on_failure, save_private
from service_requests.working_days import promised_date

from . import codes, notices
from .constants import AGENCY_TRANSITIONS, OPEN_STATUSES, ComplaintStatus, Party
from .models import Complaint, ComplaintChange, ComplaintFile

logger = logging.getLogger("panjereh." + __name__)

CODE_ATTEMPTS = 5


class ComplaintError(ValueError):
    """The step is not possible now (or not without a note); the message says why."""


def _next_sequence() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('complaints_code_seq')")
        return cursor.fetchone()[0]


def _key() -> bytes:
    return codes.key_from_secret(settings.TRACKING_KEY)


def due_date(day=None):
    """The answer's due date for a complaint filed (or returned to the agency) on ``day``."""
    return promised_date(day or timezone.localdate(), settings.COMPLAINT_RESPONSE_DAYS)


def _store_files(complaint: Complaint, uploads, party: str, written: list[str]) -> None:
    for upload in uploads:
        name = f"{complaint.agency.schema_name}/complaints/{uuid.uuid4().hex}.{upload.kind}"
        saved = save_private(name, upload.file, written)
        ComplaintFile.objects.create(
            complaint=complaint,
            party=party,
            title=upload.title,
            file=saved,
            content_type=upload.kind,
            size=upload.size,
            sha256=upload.sha256,
        )


def file_complaint(
    *,
    agency,
    kind: str,
    name: str,
    mobile: str,
    text: str,
    submission_token,
    request=None,
    service_key=None,
    service_slug: str = "",
    service_title: str = "",
    attachments: list[Upload] = (),
    kept=(),
) -> tuple[Complaint, bool]:
    """File a complaint (or return the one this token already filed): (complaint, created).

    About a request, the agency and service are the request's (the caller checked that the
    citizen owns it). ``kept``: the files kept from earlier tries of the form (pending
    uploads, among ``attachments``), forgotten once the complaint holds them."""
    if request is not None:
        agency = request.agency
        service_key, service_slug, service_title = (
            request.service_key,
            request.service_slug,
            request.service_title,
        )
    if not text.strip() or not name.strip() or not mobile:
        raise ComplaintError(_("Give your name, mobile number and what the complaint is about."))
    tried: list[tuple[int, str]] = []

    def work(written):
        now = timezone.now()
        sequence = _next_sequence()
        code = codes.code_for(sequence, _key())
        tried.append((sequence, code))
        complaint = Complaint.objects.create(
            agency=agency,
            kind=kind,
            request=request,
            service_key=service_key,
            service_slug=service_slug or "",
            service_title=(service_title or "")[:255],
            sequence=sequence,
            code=code,
            submission_token=submission_token,
            name=name.strip()[:150],
            mobile=mobile,
            text=text.strip(),
            filed_at=now,
            due_on=due_date(timezone.localdate(now)),
        )
        _store_files(complaint, attachments, Party.CITIZEN, written)
        if kept:
            forget_pending_uploads(PendingUpload.objects.filter(pk__in=[p.pk for p in kept]))
        ComplaintChange.objects.create(
            complaint=complaint,
            to_status=ComplaintStatus.RECEIVED,
            due_on=complaint.due_on,
            party=Party.CITIZEN,
            actor="citizen",
            at=now,
        )
        notices.tell_received(complaint)
        return complaint

    for attempt in range(1, CODE_ATTEMPTS + 1):
        try:
            return removing_files_on_failure(work), True
        except IntegrityError:
            existing = Complaint.objects.filter(submission_token=submission_token).first()
            if existing is not None:
                return existing, False
            sequence, code = tried[-1]
            taken = Complaint.objects.filter(
                models.Q(code=code) | models.Q(sequence=sequence)
            ).exists()
            if not taken or attempt == CODE_ATTEMPTS:
                raise
            logger.warning("Complaint code of sequence %s is taken; trying the next.", sequence)


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _sync(complaint: Complaint, locked: Complaint) -> None:
    for field in (
        "status",
        "due_on",
        "answer",
        "answered_at",
        "answered_by",
        "answered_from",
        "escalated_at",
    ):
        setattr(complaint, field, getattr(locked, field))


def _record(
    locked: Complaint, to_status: str, *, party: str, actor: str, note: str = "", due_on=None
):
    change = ComplaintChange.objects.create(
        complaint=locked,
        from_status=locked.status,
        to_status=to_status,
        due_on=due_on,
        note=note.strip(),
        party=party,
        actor=actor,
        at=timezone.now(),
    )
    locked.status = to_status
    if due_on is not None:
        locked.due_on = due_on
    locked.save()
    return change


@transaction.atomic
def change_status(complaint: Complaint, to_status: str, *, actor: str, note: str = ""):
    """The agency's next step (in review, or closed); closing an unanswered one needs a note."""
    locked = _lock(complaint)
    if to_status not in AGENCY_TRANSITIONS.get(locked.status, set()):
        raise ComplaintError(
            _("A complaint that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": locked.get_status_display(),
                "target": ComplaintStatus(to_status).label
                if to_status in ComplaintStatus.values
                else to_status,
            }
        )
    if (
        to_status == ComplaintStatus.CLOSED
        and locked.status != ComplaintStatus.ANSWERED
        and not note.strip()
    ):
        raise ComplaintError(
            _("Say why the complaint is closed without an answer: the citizen sees it.")
        )
    change = _record(locked, to_status, party=Party.AGENCY, actor=actor, note=note)
    notices.tell_step(locked, change)
    _sync(complaint, locked)
    return change


def answer_complaint(
    complaint: Complaint,
    *,
    text: str,
    actor: str,
    party: str = Party.AGENCY,
    document: Upload | None = None,
):
    """Answer the complaint (text, and optionally a file): the agency while it is open, the
    national level once it is escalated."""
    if not text.strip():
        raise ComplaintError(_("Write the answer: the citizen sees it."))

    def work(written):
        locked = _lock(complaint)
        allowed = OPEN_STATUSES if party == Party.AGENCY else {ComplaintStatus.ESCALATED}
        if locked.status not in allowed:
            raise ComplaintError(
                _("A complaint that is “%(current)s” cannot be answered here.")
                % {"current": locked.get_status_display()}
            )
        if document is not None:
            _store_files(locked, [document], party, written)
        locked.answer = text.strip()
        locked.answered_at = timezone.now()
        locked.answered_by = actor
        locked.answered_from = party
        change = _record(locked, ComplaintStatus.ANSWERED, party=party, actor=actor)
        notices.tell_answered(locked)
        _sync(complaint, locked)
        return change

    return removing_files_on_failure(work)


@transaction.atomic
def return_to_agency(complaint: Complaint, *, actor: str, note: str):
    """The national level sends an escalated complaint back to its agency with a new deadline."""
    locked = _lock(complaint)
    if locked.status != ComplaintStatus.ESCALATED:
        raise ComplaintError(_("Only an escalated complaint can be sent back to its agency."))
    if not note.strip():
        raise ComplaintError(_("Say what the agency must do: the agency and the citizen see it."))
    change = _record(
        locked,
        ComplaintStatus.IN_REVIEW,
        party=Party.NATIONAL,
        actor=actor,
        note=note,
        due_on=due_date(),
    )
    notices.tell_step(locked, change)
    _sync(complaint, locked)
    return change


# One run escalates at most this many (the next run takes the rest).
ESCALATE_BATCH = 500


def escalate_overdue(today=None) -> int:
    """Send every complaint still unanswered after its due date to the national level (a
    periodic job); the citizen is told by SMS. Returns how many were escalated."""
    today = today or timezone.localdate()
    with transaction.atomic():
        overdue = list(
            Complaint.objects.select_for_update(skip_locked=True)
            .select_related("agency")
            .filter(status__in=OPEN_STATUSES, due_on__lt=today)
            .order_by("due_on", "pk")[:ESCALATE_BATCH]
        )
        for locked in overdue:
            locked.escalated_at = timezone.now()
            _record(
                locked,
                ComplaintStatus.ESCALATED,
                party=Party.NATIONAL,
                actor="system",
                note="",
            )
            notices.tell_escalated(locked)
    if overdue:
        logger.info("%s overdue complaints escalated to the national level", len(overdue))
    return len(overdue)


# Proof of ownership: the one-time code of ``service_requests.ownership``, texted to the
# complaint's mobile (with the same limits as a request's, counted together).


def _ownership_subject(complaint: Complaint) -> ownership.Subject:
    return ownership.Subject(
        kind=ProofSubject.COMPLAINT,
        pk=complaint.pk,
        mobile=complaint.mobile,
        tell=lambda code, minutes: notices.tell_ownership_code(complaint, code, minutes=minutes),
    )


def send_ownership_code(complaint: Complaint, *, client: str):
    """Text a new one-time code for ``complaint``; raises ``ownership.CodeRefused``."""
    return ownership.send_ownership_code(_ownership_subject(complaint), client=client)


def confirm_ownership_code(complaint: Complaint, typed: str, *, client: str) -> ownership.Outcome:
    """Does ``typed`` match the newest code texted for ``complaint``? (It is used up if so.)"""
    return ownership.confirm_ownership_code(_ownership_subject(complaint), typed, client=client)
