"""The citizen's side of a service: its request form, the submission and the receipt.

``/apply/<page id>/`` on the agency's site (and ``/en/apply/<page id>/``) is the form's
one URL; the service page links to it by the URL name ``request_form``."""

import logging
import uuid

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from catalog_pages.models import ServicePage
from payments import selectors as payment_selectors
from service_requests import services as request_services
from service_requests import tracking
from service_requests.models import PendingUpload, ServiceRequest
from service_requests.storage import private_storage
from service_requests.uploads import limit_uploads, oversized_uploads
from tenants.clients import client_address

from .forms import RequestForm

logger = logging.getLogger("panjereh." + __name__)


def _token(request) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("submission_token", ""))
    except ValueError:
        return uuid.uuid4()


def bind_request_form(request, page, agency):
    """The posted request form with the documents kept from earlier tries (one per slot).

    Returns ``(form, kept, token)``. If the form is not valid, the documents that were
    valid are kept for the next try and the form shows the same submission token, so
    nothing the citizen sent is lost. Used by the citizen's form and the walk-in desk."""
    token = _token(request)
    kept = {
        pending.slot: pending
        for pending in PendingUpload.objects.filter(agency_id=agency.pk, token=token)
    }
    form = RequestForm(
        request.POST,
        request.FILES,
        service=page,
        kept_slots=kept,
        oversized=oversized_uploads(request),
    )
    if not form.is_valid():
        keep_valid_documents(request, form, token, kept)
        form.kept_slots = set(kept)
        data = request.POST.copy()
        data["submission_token"] = str(token)
        form.data = data
    return form, kept, token


def apply(request, page):
    """The generated request form; on success, the request is submitted and the receipt shown."""
    if not page.accepts_online_requests:
        return TemplateResponse(request, "forms_engine/not_online.html", {"page": page}, status=404)
    if request.method != "POST":
        form = RequestForm(service=page, initial={"submission_token": uuid.uuid4()})
        return TemplateResponse(request, "forms_engine/apply.html", {"page": page, "form": form})

    # Each document is cut off at its own limit while it streams in (``submit`` sets this
    # before CSRF reads the form; here, only if nothing has read it yet).
    limit_uploads(request, RequestForm.upload_limits(page))
    form, kept, token = bind_request_form(request, page, request.tenant)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "forms_engine/apply.html",
            {"page": page, "form": form, "kept": kept},
            status=400,
        )

    uploads = uploads_of(form, kept)
    submitted, _created = request_services.submit_request(
        agency=request.tenant,
        service=page,
        submission_token=token,
        data=form.answers(),
        uploads=uploads,
        national_id=form.first_of("national_id"),
        mobile=form.first_of("mobile"),
        unit=form.chosen_unit(),
    )
    return redirect("request_receipt", page_id=page.pk, code=submitted.tracking_code)


def uploads_of(form, kept: dict) -> list:
    """The documents of a valid form: each slot's fresh upload, or the one kept earlier."""
    uploads = []
    for document in form.documents:
        fresh = form.cleaned_data.get(f"document_{document.slug}")
        pending = kept.get(document.slug)
        if fresh and getattr(fresh, "inspected", None):
            uploads.append(
                request_services.Upload(
                    slot=document.slug,
                    title=document.title,
                    file=fresh,
                    kind=fresh.inspected.kind,
                    size=fresh.inspected.size,
                    sha256=fresh.inspected.sha256,
                )
            )
        elif pending is not None:
            uploads.append(
                request_services.Upload(
                    slot=document.slug,
                    title=document.title,
                    file=private_storage.open(pending.file.name, "rb"),
                    kind=pending.content_type,
                    size=pending.size,
                    sha256=pending.sha256,
                )
            )
    return uploads


def keep_valid_documents(request, form, token, kept: dict) -> None:
    """Keep every document that passed its checks, so it need not be uploaded again; one this
    client may not keep (too many kept already) or that cannot be written is asked for again."""
    client = client_address(request)
    for document in form.documents:
        name = f"document_{document.slug}"
        upload = form.cleaned_data.get(name)
        if not (upload and getattr(upload, "inspected", None)):
            continue
        try:
            pending = request_services.keep_pending_upload(
                request.tenant, token, document.slug, upload, upload.inspected, client=client
            )
        except OSError:
            logger.exception("Could not keep an upload of form %s", token)
            pending = None
        if pending is None:
            form.add_error(
                name,
                ValidationError(
                    _(
                        "This file passed its checks but could not be kept while you correct "
                        "the rest: attach it again when you send the form."
                    ),
                    code="not_kept",
                ),
            )
        else:
            kept[document.slug] = pending


_protected_apply = csrf_protect(apply)


def _live_service(page_id: int) -> ServicePage:
    page = ServicePage.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page


@csrf_exempt  # a POST is checked by _protected_apply, once the documents' limits are set
@require_http_methods(["GET", "POST"])
def request_form(request, page_id):
    """The one home of a service's request form: ``/apply/<page id>/``.

    The service page links here by URL name. The page is found by id, without walking
    the page tree (a submission is the busiest write of the portal)."""
    page = _live_service(page_id)
    if request.method == "POST":
        limit_uploads(request, RequestForm.upload_limits(page))
        return _protected_apply(request, page)
    return apply(request, page)


@require_GET
def receipt(request, page_id, code):
    """The receipt: tracking code, documents received, promised date. Nothing personal."""
    page = _live_service(page_id)
    if not tracking.is_well_formed(code):
        raise Http404
    submitted = ServiceRequest.objects.filter(
        agency_id=request.tenant.pk, tracking_code=code, service_key=page.translation_key
    ).first()
    if submitted is None:
        raise Http404
    return TemplateResponse(
        request,
        "forms_engine/receipt.html",
        {
            "page": page,
            "submitted": submitted,
            "documents": submitted.documents.all(),
            "fees": (fees := payment_selectors.lines_of(page)),
            "fees_total": payment_selectors.total_of(fees),
            "fees_paid": fees and payment_selectors.paid_payment(submitted) is not None,
        },
    )
