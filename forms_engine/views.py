"""The citizen's side of a service page: apply online, then get a receipt."""

import uuid

from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from service_requests import services as request_services
from service_requests.models import PendingUpload, ServiceRequest
from service_requests.storage import private_storage

from .forms import RequestForm


def _token(request) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("submission_token", ""))
    except ValueError:
        return uuid.uuid4()


def apply(request, page):
    """The generated request form; on success, the request is submitted and the receipt shown."""
    if not page.accepts_online_requests:
        return TemplateResponse(request, "forms_engine/not_online.html", {"page": page}, status=404)
    if request.method != "POST":
        form = RequestForm(service=page, initial={"submission_token": uuid.uuid4()})
        return TemplateResponse(request, "forms_engine/apply.html", {"page": page, "form": form})

    token = _token(request)
    kept = {
        pending.slot: pending
        for pending in PendingUpload.objects.filter(agency_id=request.tenant.pk, token=token)
    }
    form = RequestForm(request.POST, request.FILES, service=page, kept_slots=kept)
    valid = form.is_valid()
    # Keep every document that passed its checks, whatever else is wrong.
    for document in form.documents:
        upload = form.cleaned_data.get(f"document_{document.slug}")
        if upload and getattr(upload, "inspected", None):
            kept[document.slug] = request_services.keep_pending_upload(
                request.tenant, token, document.slug, upload, upload.inspected
            )
    if not valid:
        form.kept_slots = set(kept)
        data = request.POST.copy()
        data["submission_token"] = str(token)
        form.data = data
        return TemplateResponse(
            request,
            "forms_engine/apply.html",
            {"page": page, "form": form, "kept": kept},
            status=400,
        )

    uploads = []
    for document in form.documents:
        pending = kept.get(document.slug)
        if pending is not None:
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
    submitted, _created = request_services.submit_request(
        agency=request.tenant,
        service=page,
        submission_token=token,
        data=form.answers(),
        uploads=uploads,
        national_id=form.first_of("national_id"),
        mobile=form.first_of("mobile"),
    )
    return redirect(
        page.url + page.reverse_subpage("request_receipt", args=[submitted.tracking_code])
    )


def receipt(request, page, code):
    """The receipt: tracking code, documents received, promised date. Nothing personal."""
    submitted = ServiceRequest.objects.filter(
        agency_id=request.tenant.pk, tracking_code=code, service_key=page.translation_key
    ).first()
    if submitted is None:
        raise Http404
    return TemplateResponse(
        request,
        "forms_engine/receipt.html",
        {"page": page, "submitted": submitted, "documents": submitted.documents.all()},
    )
