"""Proof of owning a request (or a complaint): a one-time code sent by SMS to its mobile.

Knowing a tracking code shows the public status; the details, documents and messages
need the 6-digit code sent to the request's mobile. A complaint's page asks for the same
proof, through this same module: what a code proves is a ``Subject`` (its kind, id and
mobile, and how its code is texted), made here for a request and by ``complaints`` for a
complaint. Only the newest code of a subject counts; it is stored as a keyed hash
(HMAC-SHA256 with a key derived from SECRET_KEY and bound to its subject, so a code for
request A proves nothing about B, nor about a complaint), compared in constant time,
valid for ``OWNERSHIP_CODE_TTL_SECONDS`` and ``OWNERSHIP_CODE_ATTEMPTS`` tries, and used
once. How often codes are sent is limited per mobile (one a minute, a few an hour) and
per client address, whatever the subject; wrong codes are limited per client address too.
The text of the SMS that carried a code is masked once the code is no use
(``mask_spent_codes``, a periodic job).
"""

import hmac
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from persian.dates import fa_digits
from persian.digits import to_ascii_digits
from tenants import limits

from . import notices
from .constants import ProofSubject
from .models import OwnershipCode, ServiceRequest

CODE_DIGITS = 6
HOUR = 3600
_CODE = re.compile(r"[0-9]{6}")
_SPACES = re.compile(r"[\s\-‐–—_.]+")
_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")
FAILURES_SCOPE = "ownership-code-failures"


class CodeRefused(Exception):
    """No code is sent now; the message says why and when to try again."""

    def __init__(self, message: str, *, limited: bool = True):
        super().__init__(message)
        self.limited = limited  # a rate limit (429), not the request itself (400)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""
    limited: bool = False  # refused for the client's rate, not for the code itself


@dataclass(frozen=True)
class Subject:
    """What a code proves ownership of: a request, or a record of a higher layer (a
    complaint) that has a mobile to text the code to."""

    kind: str  # ProofSubject
    pk: int
    mobile: str
    # Queues the SMS carrying ``code`` (valid for ``minutes``); returns the SmsMessage.
    tell: Callable[..., object]
    request: ServiceRequest | None = None

    @property
    def key(self) -> str:
        """What its codes' hashes are bound to: a request's id alone (as before there were
        other subjects), ``kind:id`` for the others, so no two subjects share a key."""
        return str(self.pk) if self.kind == ProofSubject.REQUEST else f"{self.kind}:{self.pk}"


def request_subject(found: ServiceRequest) -> Subject:
    return Subject(
        kind=ProofSubject.REQUEST,
        pk=found.pk,
        mobile=found.mobile,
        tell=lambda code, minutes: notices.tell_ownership_code(found, code, minutes=minutes),
        request=found,
    )


def _subject(found: "Subject | ServiceRequest") -> Subject:
    return found if isinstance(found, Subject) else request_subject(found)


# What is said about a subject without a mobile, or without a code sent yet.
_NO_MOBILE = {
    ProofSubject.REQUEST: gettext_lazy(
        "This request has no mobile number, so no code can be sent. Ask the agency."
    ),
    ProofSubject.COMPLAINT: gettext_lazy(
        "This complaint has no mobile number, so no code can be sent. Ask the agency."
    ),
}
_NONE_SENT = {
    ProofSubject.REQUEST: gettext_lazy("No code has been sent for this request; ask for one."),
    ProofSubject.COMPLAINT: gettext_lazy("No code has been sent for this complaint; ask for one."),
}


def code_hash(key: "str | int", code: str) -> str:
    """The keyed hash of ``code`` for the subject of ``key`` (``Subject.key``; a request's
    id)."""
    return salted_hmac(
        "service_requests.ownership.code",
        f"{key}:{code}",
        secret=settings.SECRET_KEY,
        algorithm="sha256",
    ).hexdigest()


def masked_mobile(mobile: str) -> str:
    """۰۹۱۲***۴۵۶۷: enough for the owner to recognise their number, not for anyone else.

    Asterisks, not dots: a dot is how the Persian zero (۰) looks. Isolated left-to-right
    (U+2066 … U+2069), so a Persian sentence around it does not turn it round.
    """
    if len(mobile) < 8:
        return "*" * len(mobile)
    shown = fa_digits(mobile[:4]) + "*" * (len(mobile) - 8) + fa_digits(mobile[-4:])
    return f"\u2066{shown}\u2069"


def wait_text(seconds: int) -> str:
    """“۴۵ seconds” or “۱۲ minutes”, in the page's language and digits."""
    seconds = max(1, int(seconds))
    if seconds <= 90:
        return _("%(n)s seconds") % {"n": fa_digits(seconds)}
    return _("%(n)s minutes") % {"n": fa_digits(-(-seconds // 60))}


def _lock(*names: str) -> None:
    """Serialise the sends of one mobile and of one client (every worker and machine)."""
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def _wait_for(sent, *, window: int, limit: int, now) -> int:
    """Seconds until fewer than ``limit`` of ``sent`` (created_at, newest first) are in the
    last ``window`` seconds; 0 if that is so now."""
    recent = [at for at in sent if at > now - timedelta(seconds=window)]
    if len(recent) < limit:
        return 0
    oldest_counted = recent[limit - 1]
    return max(1, math.ceil((oldest_counted + timedelta(seconds=window) - now).total_seconds()))


def _codes_of(subject: Subject):
    return OwnershipCode.objects.filter(subject_kind=subject.kind, subject_id=subject.pk)


@transaction.atomic
def send_ownership_code(found: "Subject | ServiceRequest", *, client: str) -> OwnershipCode:
    """Make a new code for ``found`` (a Subject, or a request) and queue its SMS; earlier
    codes of it stop counting.

    Raises CodeRefused (nothing written) when it has no mobile or a limit is reached,
    saying when to try again.
    """
    subject = _subject(found)
    if not subject.mobile:
        raise CodeRefused(str(_NO_MOBILE[subject.kind]), limited=False)
    _lock(f"ownership-mobile:{subject.mobile}", f"ownership-client:{client}")
    now = timezone.now()
    hour_ago = now - timedelta(seconds=HOUR)
    to_mobile = list(
        OwnershipCode.objects.filter(mobile=subject.mobile, created_at__gt=hour_ago)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    wait = max(
        _wait_for(to_mobile, window=settings.OWNERSHIP_CODE_RESEND_SECONDS, limit=1, now=now),
        _wait_for(to_mobile, window=HOUR, limit=settings.OWNERSHIP_CODES_PER_MOBILE_HOUR, now=now),
    )
    if wait:
        raise CodeRefused(
            _("A code was sent to this mobile recently. You can ask for a new one in %(wait)s.")
            % {"wait": wait_text(wait)}
        )
    from_client = list(
        OwnershipCode.objects.filter(client=client, created_at__gt=hour_ago)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    wait = _wait_for(
        from_client, window=HOUR, limit=settings.OWNERSHIP_CODES_PER_CLIENT_HOUR, now=now
    )
    if wait:
        raise CodeRefused(
            _("Too many codes were asked for from your connection; try again in %(wait)s.")
            % {"wait": wait_text(wait)}
        )
    # Only the newest code counts.
    _codes_of(subject).filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    row = OwnershipCode.objects.create(
        subject_kind=subject.kind,
        subject_id=subject.pk,
        request=subject.request,
        mobile=subject.mobile,
        client=client[:64],
        code_hash=code_hash(subject.key, code),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.OWNERSHIP_CODE_TTL_SECONDS),
    )
    row.message = subject.tell(code, max(1, settings.OWNERSHIP_CODE_TTL_SECONDS // 60))
    row.save(update_fields=["message"])
    return row


def normalise(typed: str) -> str:
    """The code as typed, in any digits, spaces and dashes left out."""
    return _SPACES.sub("", to_ascii_digits((typed or "")[:40]))


def confirm_ownership_code(
    found: "Subject | ServiceRequest", typed: str, *, client: str
) -> Outcome:
    """Does ``typed`` match the newest code of ``found`` (a Subject, or a request)? A match
    uses the code up; a wrong one spends one of its tries (and one of the client's wrong
    codes)."""
    subject = _subject(found)
    if _failures(client) >= settings.OWNERSHIP_CODE_FAILURES_PER_CLIENT_HOUR:
        return _too_many_failures(client)
    typed = normalise(typed)
    with transaction.atomic():
        latest = _codes_of(subject).select_for_update().order_by("-created_at", "-pk").first()
        # Hashed and compared whatever happens next: no answer comes back faster.
        wanted = latest.code_hash if latest is not None else code_hash(0, "")
        matches = hmac.compare_digest(code_hash(subject.key, typed), wanted)
        if not _CODE.fullmatch(typed):
            return Outcome(False, _("Enter the 6-digit code sent to your mobile."))
        now = timezone.now()
        if latest is None:
            return Outcome(False, str(_NONE_SENT[subject.kind]))
        if latest.used_at is not None:
            return Outcome(False, _("This code has been used already. Ask for a new one."))
        if latest.attempts >= settings.OWNERSHIP_CODE_ATTEMPTS:
            return Outcome(
                False, _("Too many wrong tries: this code no longer works. Ask for a new one.")
            )
        if latest.expires_at <= now:
            return Outcome(
                False,
                _(
                    "This code has expired: a code is valid for %(minutes)s minutes. Ask for a new one."
                )
                % {"minutes": fa_digits(max(1, settings.OWNERSHIP_CODE_TTL_SECONDS // 60))},
            )
        if matches:
            latest.used_at = now
            latest.save(update_fields=["used_at"])
            return Outcome(True)
        latest.attempts += 1
        latest.save(update_fields=["attempts"])
        left = settings.OWNERSHIP_CODE_ATTEMPTS - latest.attempts
    limits.hit(FAILURES_SCOPE, client, HOUR)
    if left <= 0:
        return Outcome(
            False, _("Too many wrong tries: this code no longer works. Ask for a new one.")
        )
    return Outcome(
        False,
        _("The code is not right. You have %(left)s more tries with this code.")
        % {"left": fa_digits(left)},
    )


def _failures(client: str) -> int:
    from tenants.models import RateCounter

    row = RateCounter.objects.filter(key=f"{FAILURES_SCOPE}:{client}"[:200]).first()
    return row.hits if row is not None and row.expires_at > timezone.now() else 0


def _too_many_failures(client: str) -> Outcome:
    wait = limits.seconds_left(FAILURES_SCOPE, client) or HOUR
    return Outcome(
        False,
        _("Too many wrong codes from your connection; try again in %(wait)s.")
        % {"wait": wait_text(wait)},
        limited=True,
    )


def mask_spent_codes(*, batch: int = 500) -> int:
    """Mask the code in the SMS of codes that are no use any more (expired or used)."""
    from notifications.models import SmsMessage

    now = timezone.now()
    with transaction.atomic():
        spent = list(
            OwnershipCode.objects.select_for_update(skip_locked=True)
            .filter(masked=False)
            .filter(Q(expires_at__lte=now) | Q(used_at__isnull=False))
            .order_by("pk")[:batch]
        )
        message_ids = [row.message_id for row in spent if row.message_id]
        for message in SmsMessage.objects.select_for_update().filter(pk__in=message_ids):
            masked = _IN_TEXT.sub("••••••", message.text)
            if masked != message.text:
                message.text = masked
                message.save(update_fields=["text"])
        OwnershipCode.objects.filter(pk__in=[row.pk for row in spent]).update(masked=True)
    return len(spent)
