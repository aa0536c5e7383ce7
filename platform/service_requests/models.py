"""The shared request backend (public schema): every agency's requests, one table.

Every row carries its agency; agency views read them only through
``service_requests.selectors``, which filters by agency in one place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Agency

from .constants import ChangeKind, Channel, LookupOutcome, ProofSubject, RequestStatus, Sender
from .storage import private_storage_for_fields


class Holiday(models.Model):
    """An official holiday: not a working day (Fridays never are)."""

    date = models.DateField(_("date"), unique=True)
    title = models.CharField(_("occasion"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("official holiday")
        verbose_name_plural = _("official holidays")

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"


class ServiceRequest(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    service_key = models.UUIDField(help_text="translation_key of the service page")
    service_slug = models.SlugField(max_length=80)
    service_title = models.CharField(max_length=255)
    level = models.CharField(max_length=8)
    # The unit (HQ or field office, a row of the agency's schema) that handles the request,
    # and its province (else the agency's): reports split HQ from field and by province.
    unit_id = models.BigIntegerField(null=True, blank=True)
    unit_name = models.CharField(max_length=255, blank=True)
    province = models.CharField(max_length=32, blank=True)
    sequence = models.BigIntegerField(unique=True)
    tracking_code = models.CharField(max_length=13, unique=True)
    submission_token = models.UUIDField(unique=True)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    data = models.JSONField(default=dict)
    national_id = models.CharField(max_length=10, blank=True)
    mobile = models.CharField(max_length=11, blank=True)
    # Online, or registered at the desk on the citizen's behalf (by registered_by).
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    registered_by = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField()
    promised_on = models.DateField()
    # While the request waits for the citizen (incomplete) its clock is paused.
    paused_since = models.DateTimeField(null=True, blank=True)
    # The one extension the agency may give itself, and why.
    extended_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the management reports read (service_requests.report_times, kept by services):
    # when it was accepted, answered or rejected; working days paused (waiting for the
    # citizen), from acceptance to the answer and promised from acceptance, pauses excluded.
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)
    answer_days = models.PositiveIntegerField(null=True, blank=True)
    promised_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "status", "submitted_at"], name="request_inbox"),
            # The reports: a period's requests, nationally and per agency.
            models.Index(fields=["submitted_at"], name="request_report_submitted"),
            # One agency's report reads these indexes alone (index-only scans): its
            # requests are spread over the whole table.
            models.Index(
                fields=["agency", "submitted_at"],
                name="request_report_agency",
                include=[
                    "accepted_at",
                    "answered_at",
                    "rejected_at",
                    "promised_on",
                    "answer_days",
                    "promised_days",
                    "level",
                    "province",
                    "unit_id",
                    "service_key",
                    "channel",
                ],
            ),
            models.Index(fields=["answered_at"], name="request_report_answered"),
            models.Index(
                fields=["agency", "answered_at"],
                name="request_report_agency_ans",
                include=["answer_days", "level", "province", "unit_id", "service_key", "channel"],
            ),
        ]
        # Citizens' personal data and documents: the agency's request clerks only.
        permissions = [("handle_request", _("Can read and handle citizens' requests"))]

    def __str__(self) -> str:
        return self.tracking_code


class RequestDocument(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="documents")
    slot = models.SlugField(max_length=80)
    title = models.CharField(max_length=255)
    file = models.FileField(storage=private_storage_for_fields, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.request}: {self.slot}"


class StatusChange(models.Model):
    """One step of a request's history: a status change, or the deadline being extended."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices, default=ChangeKind.STATUS)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=RequestStatus.choices)
    # The answer's due date after this step (recorded when the step moved it).
    promised_on = models.DateField(null=True, blank=True)
    # A step of the package's workflow the agency reached (kind "step").
    step = models.CharField(max_length=255, blank=True)
    # When a step needs the citizen in person: when and where (why and what to bring: note).
    visit_at = models.DateTimeField(null=True, blank=True)
    visit_place = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    actor = models.CharField(max_length=150, help_text="who, e.g. 'citizen' or a staff user name")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.from_status} → {self.to_status}"


class PendingUpload(models.Model):
    """A valid document of a form that had other errors, so the citizen need not upload it again."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField(db_index=True)
    slot = models.SlugField(max_length=80)
    file = models.FileField(storage=private_storage_for_fields, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # The client address that sent it: what one client may keep at once is limited.
    client = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "slot"], name="one_pending_upload_per_slot")
        ]
        indexes = [models.Index(fields=["client", "created_at"], name="pending_upload_client")]

    def __str__(self) -> str:
        return f"{self.token}: {self.slot}"


class RequestMessage(models.Model):
    """A message between the citizen and the agency about one request."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=8, choices=Sender.choices)
    author = models.CharField(max_length=150, help_text="'citizen' or the staff user name")
    body = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.sender} {self.sent_at:%Y-%m-%d}"


class MessageAttachment(models.Model):
    """A file sent with a message; stored privately like the request's documents."""

    message = models.ForeignKey(
        RequestMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(max_length=120, help_text="the sender's file name, cleaned")
    file = models.FileField(storage=private_storage_for_fields, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.title


class ResponseDocument(models.Model):
    """The agency's answer, issued electronically; anyone holding it can verify it."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="response"
    )
    file = models.FileField(storage=private_storage_for_fields, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    verification_code = models.CharField(max_length=16, unique=True)
    issued_at = models.DateTimeField()
    issued_by = models.CharField(max_length=150)

    def __str__(self) -> str:
        return f"{self.request}: {self.verification_code}"


class OwnershipCode(models.Model):
    """A one-time code sent by SMS to the mobile of a request (or of a complaint): the proof
    of owning it.

    Only its keyed hash is stored (``service_requests.ownership``); the newest code of a
    subject is the only one that counts, for a few minutes and a few tries.
    """

    # What it proves: a subject by kind and id (a request, a complaint); a request's codes
    # also point at it, and go with it.
    subject_kind = models.CharField(
        max_length=12, choices=ProofSubject.choices, default=ProofSubject.REQUEST
    )
    subject_id = models.BigIntegerField()
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Where it went and who asked: the resend limits count by both.
    mobile = models.CharField(max_length=11)
    client = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    # The SMS that carried it: its text is masked once the code is no use.
    message = models.ForeignKey(
        "notifications.SmsMessage", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    masked = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["subject_kind", "subject_id", "created_at"], name="ownership_code_subject"
            ),
            models.Index(fields=["mobile", "created_at"], name="ownership_code_mobile"),
            models.Index(fields=["client", "created_at"], name="ownership_code_client"),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(masked=False),
                name="ownership_code_unmasked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind} {self.subject_id}: {self.created_at:%Y-%m-%d %H:%M}"


class CallCentreLookup(models.Model):
    """The audit log of the call centre: every code an operator looked up, and how it went."""

    operator_id = models.BigIntegerField(help_text="the operator's user id (public schema)")
    operator = models.CharField(max_length=150, help_text="the operator's user name")
    code = models.CharField(max_length=40, help_text="the digits as typed (normalised)")
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=LookupOutcome.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["operator_id", "at"], name="call_centre_operator")]
        verbose_name = _("call-centre look-up")
        verbose_name_plural = _("call-centre look-ups")

    def __str__(self) -> str:
        return f"{self.operator}: {self.code} ({self.outcome})"
