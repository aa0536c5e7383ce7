"""The citizen's side on the national portal: file a complaint or objection, get its code on
screen and by SMS, follow it by code and, with the one-time code texted to the mobile given
on it (``service_requests.ownership``, as for a request), read what was written and the
answer. The browser that filed it, and one that proved the request it is about, need no
code.

About a request only its owner may complain: the tracking page's proof of ownership,
remembered in the session (``service_requests.views._owns``), is asked for first. About a
service, the service page links here with its agency and service. Look-ups, proofs and
filings are rate-limited per client; one-time codes are limited as a request's are.
"""

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from persian.dates import fa_digits
from service_requests import ownership, tracking
from service_requests import selectors as request_selectors
from service_requests import services as request_services
from service_requests.forms import MAX_ATTACHMENTS, checked_upload
from service_requests.models import PendingUpload
from service_requests.proof_views import OwnershipProof
from service_requests.storage import private_storage
from service_requests.uploads import CONTENT_TYPES, oversized_uploads, with_upload_limits
from service_requests.views import _owns as owns_request
from tenants import limits
from tenants.clients import client_address
from tenants.models import Agency
from tenants.selectors import active_agencies

from . import codes, services
from .forms import UPLOAD_LIMITS, ComplaintForm
from .selectors import file_of, find_by_code

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
WINDOW_SECONDS = 600
OWNED_SESSION_KEY = "owned_complaints"
OWNED_REMEMBERED = 20
# Complaints one client may file in an hour.
FILINGS_PER_HOUR = 10


def _too_many(request, scope: str, limit: int, window: int) -> bool:
    return limits.too_many(scope, client_address(request), limit=limit, window_seconds=window)


def _owns(request, complaint) -> bool:
    """Proved in this session: with its one-time code, by filing it, or (about a request)
    by proving the request, whose owner alone could complain about it."""
    if complaint.code in request.session.get(OWNED_SESSION_KEY, []):
        return True
    return complaint.request is not None and owns_request(request, complaint.request)


def _remember_owner(request, complaint) -> None:
    owned = [code for code in request.session.get(OWNED_SESSION_KEY, []) if code != complaint.code]
    request.session[OWNED_SESSION_KEY] = [complaint.code, *owned][:OWNED_REMEMBERED]


def _track_url(code: str) -> str:
    return reverse("complaint_track") + "?" + urlencode({"code": code})


@dataclass
class About:
    """What the complaint is about, from the link that opened the form."""

    agency: Agency | None = None
    request: object = None
    service_key: uuid.UUID | None = None
    service_slug: str = ""
    service_title: str = ""
    # Why the form cannot be shown (an unknown code, a request not proved to be one's own).
    problem: str = ""
    proof_needed: bool = False


def _about(request) -> About:
    typed_code = request.GET.get("request", "").strip()[:40]
    if typed_code:
        found = request_selectors.find_by_code(typed_code)
        if found is None:
            return About(problem=_("No request has this tracking code."))
        if not owns_request(request, found):
            return About(request=found, proof_needed=True)
        return About(
            agency=found.agency,
            request=found,
            service_key=found.service_key,
            service_slug=found.service_slug,
            service_title=found.service_title,
        )
    slug = request.GET.get("agency", "").strip()[:80]
    if not slug:
        return About()
    # Checked before the database sees it (a NUL would make PostgreSQL fail).
    agency = active_agencies().filter(slug=slug).first() if _SLUG.fullmatch(slug) else None
    if agency is None:
        return About(problem=_("No agency on Panjereh has this name."))
    about = About(agency=agency)
    try:
        key = uuid.UUID(request.GET.get("service", "").strip()[:40])
    except ValueError:
        return about
    with schema_context(agency.schema_name):
        service = (
            ServicePage.objects.live()
            .filter(translation_key=key, locale__language_code="fa")
            .values_list("slug", "title")
            .first()
        )
    if service is not None:
        about.service_key = key
        about.service_slug, about.service_title = service
    return about


@require_http_methods(["GET", "POST"])
@with_upload_limits(UPLOAD_LIMITS)
def file_complaint(request):
    about = _about(request)
    context = {"about": about, "complaint_days": settings.COMPLAINT_RESPONSE_DAYS}
    if about.problem:
        context["error"] = about.problem
        return render(request, "complaints/file.html", context, status=404)
    if about.proof_needed:
        context["track_url"] = (
            reverse("track") + "?" + urlencode({"code": about.request.tracking_code})
        )
        return render(request, "complaints/file.html", context, status=403)
    agencies = None
    if about.agency is None:
        agencies = list(active_agencies().values_list("slug", "name_fa"))
    if request.method != "POST":
        initial = {"mobile": about.request.mobile} if about.request is not None else {}
        context["form"] = ComplaintForm(agencies=agencies, initial=initial)
        return render(request, "complaints/file.html", context)

    agency = about.agency or _chosen_agency(request)
    token = _token(request)
    kept = _kept_files(agency, token)
    form = ComplaintForm(
        request.POST,
        request.FILES,
        agencies=agencies,
        kept_count=len(kept),
        oversized=oversized_uploads(request),
    )
    context["form"] = form
    if not form.is_valid():
        if agency is not None and token is not None:
            kept += _keep_valid_files(request, agency, token, first_slot=len(kept))
        context["kept"] = kept
        context["files_lost"] = len(request.FILES.getlist("attachments")) + sum(
            len(names) for names in oversized_uploads(request).values()
        ) > len(kept)
        return render(request, "complaints/file.html", context, status=400)
    if _too_many(request, "complaint-filings", FILINGS_PER_HOUR, 3600):
        context["error"] = _("Too many complaints from your connection; try again in an hour.")
        context["kept"] = kept
        return render(request, "complaints/file.html", context, status=429)
    data = form.cleaned_data
    complaint, _created = services.file_complaint(
        agency=agency,
        kind=data["kind"],
        name=data["name"],
        mobile=data["mobile"],
        text=data["text"],
        submission_token=data["token"],
        request=about.request,
        service_key=about.service_key,
        service_slug=about.service_slug,
        service_title=about.service_title,
        attachments=[*data["attachments"], *(_kept_upload(pending) for pending in kept)],
        kept=kept,
    )
    request.session.cycle_key()
    _remember_owner(request, complaint)
    messages.success(
        request,
        _(
            "Your complaint was registered. Its code is %(code)s: keep it. It was also "
            "sent to your mobile by SMS."
        )
        % {"code": codes.display(complaint.code)},
    )
    return redirect(_track_url(complaint.code))


def _chosen_agency(request) -> Agency | None:
    slug = request.POST.get("agency", "").strip()[:80]
    return active_agencies().filter(slug=slug).first() if _SLUG.fullmatch(slug) else None


def _token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("token", "").strip()[:40])
    except ValueError:
        return None


# Files that passed their checks on an earlier try of this form: kept (24 hours, like a
# request form's) so that a bad file or a missing field loses nothing.
KEPT_SLOT = "complaint-file-"


def _kept_files(agency, token) -> list:
    if agency is None or token is None:
        return []
    kept = list(
        PendingUpload.objects.filter(
            agency=agency, token=token, slot__startswith=KEPT_SLOT
        ).order_by("slot")
    )
    for pending in kept:
        pending.title = _kept_title(pending)
    return kept


def _kept_title(pending) -> str:
    return _("File %(number)s") % {"number": fa_digits(pending.slot.removeprefix(KEPT_SLOT))}


def _keep_valid_files(request, agency, token, *, first_slot: int) -> list:
    """Keep every new file that passed its checks (within the five a complaint may have)."""
    from django.core.exceptions import ValidationError

    kept = []
    for upload in request.FILES.getlist("attachments"):
        if first_slot + len(kept) >= MAX_ATTACHMENTS:
            break
        try:
            checked = checked_upload(upload)
        except ValidationError:
            continue
        slot = f"{KEPT_SLOT}{first_slot + len(kept) + 1}"
        try:
            pending = request_services.keep_pending_upload(
                agency, token, slot, upload, checked, client=client_address(request)
            )
        except OSError:
            pending = None
        if pending is not None:
            pending.title = checked.title
            kept.append(pending)
    return kept


def _kept_upload(pending):
    from service_requests.services import Upload

    return Upload(
        slot="",
        title=getattr(pending, "title", "") or _kept_title(pending),
        file=private_storage.open(pending.file.name, "rb"),
        kind=pending.content_type,
        size=pending.size,
        sha256=pending.sha256,
    )


def _render_track(request, context, status=200):
    found = context.get("found")
    if found is not None:
        context["code_display"] = codes.display(found.code)
        context["history"] = found.history.all()
        if _owns(request, found):
            context["owner"] = True
            context["files"] = found.files.all()
        else:
            context["masked_mobile"] = ownership.masked_mobile(found.mobile)
    return render(request, "complaints/track.html", context, status=status)


def _lookup(request, typed: str, context: dict):
    if _too_many(request, "complaint-lookups", settings.TRACK_LOOKUPS_PER_WINDOW, WINDOW_SECONDS):
        context["error"] = _("Too many look-ups from your connection; try again in a few minutes.")
        context["status"] = 429
        return None
    code = codes.normalise(typed)
    if not codes.is_well_formed(code):
        if tracking.is_well_formed(tracking.normalise(typed)):
            context["error"] = _(
                "This is a request's tracking code (13 digits), not a complaint's: follow it on "
                "the tracking page."
            )
            context["request_code"] = tracking.normalise(typed)
        else:
            context["error"] = _(
                "This is not a valid complaint code: it has 12 digits, starts with 7, and the "
                "last one checks the others. Check for a mistyped digit."
            )
        return None
    found = find_by_code(code)
    if found is None:
        context["error"] = _("No complaint has this code.")
    return found


_PROOF = OwnershipProof(
    lookup=_lookup,
    render=_render_track,
    page_url=lambda found: _track_url(found.code),
    remember=_remember_owner,
    send=services.send_ownership_code,
    confirm=services.confirm_ownership_code,
)


@require_GET
def track(request):
    """The tracking page of the complaint whose code is typed."""
    return _PROOF.track(request)


@require_POST
def send_code(request):
    """Text a one-time code to the mobile given on the complaint (within the limits)."""
    return _PROOF.send_code(request)


@require_POST
def prove(request):
    """Check the one-time code of a complaint; remember the owner in the session."""
    return _PROOF.prove(request)


@require_GET
def complaint_file(request, code, pk):
    """A file of the complaint or of its answer, to the citizen who proved it is theirs."""
    found = find_by_code(code)
    if found is None or not _owns(request, found):
        raise Http404
    item = file_of(found, pk)
    if item is None:
        raise Http404
    return FileResponse(
        private_storage.open(item.file.name, "rb"),
        content_type=CONTENT_TYPES.get(item.content_type, "application/octet-stream"),
        as_attachment=False,
        filename=f"{found.code}-{item.pk}.{item.content_type}",
    )
