"""The agency staff's inbox, inside the agency's Wagtail admin: its own requests only."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tenants.utils import get_public_schema_name

from . import services
from .constants import OPEN_STATUSES, TRANSITIONS, RequestStatus
from .selectors import request_of, requests_of
from .storage import private_storage

PER_PAGE = 50


class InboxFilters(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *RequestStatus.choices],
    )
    service = forms.CharField(label=gettext_lazy("Service"), required=False, max_length=80)
    overdue = forms.BooleanField(label=gettext_lazy("Only overdue"), required=False)


def _agency(request):
    if connection.schema_name == get_public_schema_name():
        raise Http404
    return request.tenant


def inbox(request):
    agency = _agency(request)
    filters = InboxFilters(request.GET or None)
    rows = requests_of(agency).order_by("promised_on", "submitted_at")
    today = timezone.localdate()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["service"]:
            rows = rows.filter(service_slug=data["service"])
        if data["overdue"]:
            rows = rows.filter(status__in=OPEN_STATUSES, promised_on__lt=today)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    services_offered = requests_of(agency).values_list("service_slug", "service_title").distinct()
    return render(
        request,
        "service_requests/inbox.html",
        {
            "rows": page,
            "filters": filters,
            "today": today,
            "open_statuses": OPEN_STATUSES,
            "services_offered": services_offered,
        },
    )


def detail(request, code):
    agency = _agency(request)
    found = request_of(agency, code)
    if found is None:
        raise Http404
    return render(
        request,
        "service_requests/detail.html",
        {
            "found": found,
            "documents": found.documents.all(),
            "history": found.history.all(),
            "next_statuses": [
                RequestStatus(status) for status in sorted(TRANSITIONS[found.status])
            ],
            "overdue": found.status in OPEN_STATUSES and found.promised_on < timezone.localdate(),
        },
    )


@require_POST
def transition(request, code):
    agency = _agency(request)
    found = request_of(agency, code)
    if found is None:
        raise Http404
    try:
        services.change_status(
            found,
            request.POST.get("status", ""),
            actor=request.user.get_username(),
            note=request.POST.get("note", ""),
        )
    except (services.TransitionError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The request is now “%(status)s”.") % {"status": found.get_status_display()}
        )
    return redirect("request_inbox_detail", code=code)


def document(request, code, pk):
    """A citizen's document, to this agency's staff only (never by a public URL)."""
    agency = _agency(request)
    found = request_of(agency, code)
    if found is None:
        raise Http404
    item = found.documents.filter(pk=pk).first()
    if item is None:
        raise Http404
    from .uploads import CONTENT_TYPES

    return FileResponse(
        private_storage.open(item.file.name, "rb"),
        content_type=CONTENT_TYPES.get(item.content_type, "application/octet-stream"),
        as_attachment=False,
        filename=f"{found.tracking_code}-{item.slot}.{item.content_type}",
    )
