"""The citizen's side on the national portal: tracking, proof of ownership, messages, files,
and checking an answer document.

Anyone with the code sees the public status and timeline. The details, the
agency's notes, messages and files need proof of ownership: the one-time code sent by
SMS to the mobile on the request (``ownership``), remembered in the session for that
request only. Look-ups, codes and proofs are rate-limited per client.
"""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from persian.digits import to_ascii_digits
from tenants import limits
from tenants.clients import client_address

from . import files, ownership, panels, services, tracking
from .constants import VERIFICATION_CODE_ALPHABET, VERIFICATION_CODE_LENGTH
from .forms import ATTACHMENT_LIMITS, MessageForm, VerifyForm
from .models import ResponseDocument
from .proof_views import OwnershipProof
from .selectors import find_by_code
from .uploads import oversized_uploads, with_upload_limits

WINDOW_SECONDS = 600
_VERIFICATION_CODE = re.compile(f"[{VERIFICATION_CODE_ALPHABET}]{{{VERIFICATION_CODE_LENGTH}}}")
_CODE_SEPARATORS = re.compile(r"[\s\-‐–—_.]+")
OWNED_SESSION_KEY = "owned_requests"
OWNED_REMEMBERED = 20


def _too_many_lookups(request) -> bool:
    """Counted for every worker and machine together (tenants.limits)."""
    return limits.too_many(
        "track-lookups",
        client_address(request),
        limit=settings.TRACK_LOOKUPS_PER_WINDOW,
        window_seconds=WINDOW_SECONDS,
    )


def _owns(request, found) -> bool:
    return found.tracking_code in request.session.get(OWNED_SESSION_KEY, [])


def _remember_owner(request, found) -> None:
    owned = [
        code for code in request.session.get(OWNED_SESSION_KEY, []) if code != found.tracking_code
    ]
    request.session[OWNED_SESSION_KEY] = [found.tracking_code, *owned][:OWNED_REMEMBERED]


def _track_url(code: str) -> str:
    return reverse("track") + "?" + urlencode({"code": code})


def _render_track(request, context, status=200):
    found = context.get("found")
    if found is not None:
        context["code_display"] = tracking.display(found.tracking_code)
        context["history"] = found.history.all()
        if _owns(request, found):
            context["owner"] = True
            context["documents"] = found.documents.all()
            context["thread"] = found.messages.prefetch_related("attachments")
            context["response"] = getattr(found, "response", None)
            context.setdefault("message_form", MessageForm())
        else:
            context["masked_mobile"] = ownership.masked_mobile(found.mobile)
        context["panels"] = panels.render_panels(request, found, owner=bool(context.get("owner")))
    return render(request, "service_requests/track.html", context, status=status)


def _lookup(request, typed: str, context: dict):
    """The request for ``typed``, or None with the reason in ``context["error"]``."""
    if _too_many_lookups(request):
        context["error"] = _("Too many look-ups from your connection; try again in a few minutes.")
        context["status"] = 429
        return None
    code = tracking.normalise(typed)
    if not tracking.is_well_formed(code):
        context["error"] = _(
            "This is not a valid tracking code: it has 13 digits and the last one checks the others. Check for a mistyped digit."
        )
        return None
    found = find_by_code(code)
    if found is None:
        context["error"] = _("No request has this tracking code.")
    return found


_PROOF = OwnershipProof(
    lookup=_lookup,
    render=_render_track,
    page_url=lambda found: _track_url(found.tracking_code),
    remember=_remember_owner,
)


@require_GET
def track(request):
    """The tracking page of the request whose code is typed."""
    return _PROOF.track(request)


@require_POST
def send_code(request):
    """Send a one-time code to the mobile on the request (within the resend limits)."""
    return _PROOF.send_code(request)


@require_POST
def prove(request):
    """Check the one-time code for a request; remember the owner in the session."""
    return _PROOF.prove(request)


def _owned(request, code: str):
    found = find_by_code(code)
    if found is None or not _owns(request, found):
        raise Http404
    return found


@require_POST
@with_upload_limits(ATTACHMENT_LIMITS)
def reply(request, code):
    """The citizen's message (and, on an incomplete request, their answer) with files."""
    found = _owned(request, code)
    form = MessageForm(request.POST, request.FILES, oversized=oversized_uploads(request))
    if not form.is_valid():
        return _render_track(
            request, {"typed": code, "found": found, "message_form": form}, status=400
        )
    services.send_message(
        found,
        sender="citizen",
        author="citizen",
        body=form.cleaned_data["body"],
        attachments=form.cleaned_data["attachments"],
    )
    messages.success(request, _("Your message was sent to the agency."))
    return redirect(_track_url(found.tracking_code))


@require_GET
def document(request, code, pk):
    return files.document_file(_owned(request, code), pk)


@require_GET
def attachment(request, code, pk):
    return files.attachment_file(_owned(request, code), pk)


@require_GET
def response_document(request, code):
    return files.response_file(_owned(request, code))


@require_http_methods(["GET", "POST"])
@with_upload_limits(ATTACHMENT_LIMITS)
def verify(request, code=""):
    """Anyone holding an answer document checks that the agency issued it, and this very file
    (a deactivated agency's answers too: what it issued stays issued)."""
    typed = (code or request.GET.get("code", "")).strip()[:40]
    # Persian digits and lower case are fine; dashes and spaces only group the characters.
    wanted = _CODE_SEPARATORS.sub("", to_ascii_digits(typed)).upper()
    context = {"typed": typed}
    if typed:
        if _too_many_lookups(request):
            context["error"] = _(
                "Too many look-ups from your connection; try again in a few minutes."
            )
            return render(request, "service_requests/verify.html", context, status=429)
        if not _VERIFICATION_CODE.fullmatch(wanted):
            context["error"] = _(
                "This is not a valid verification code: it has 12 Latin letters and digits, as printed on the answer."
            )
            return render(request, "service_requests/verify.html", context)
        issued = (
            ResponseDocument.objects.select_related("request__agency")
            .filter(verification_code=wanted)
            .first()
        )
        if issued is None:
            context["error"] = _("No answer document has this verification code.")
        else:
            context["issued"] = issued
            form = VerifyForm(
                request.POST or None,
                request.FILES or None,
                oversized=oversized_uploads(request) if request.method == "POST" else None,
            )
            if request.method == "POST" and form.is_valid():
                context["matches"] = form.cleaned_data["document"].sha256 == issued.sha256
            context["form"] = form
    return render(request, "service_requests/verify.html", context)
