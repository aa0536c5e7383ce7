"""The agency staff's inbox, inside the agency's Wagtail admin: its own requests only.

Views are thin: they check the form and call ``services``; every request is read
through ``selectors.request_of``, which never crosses to another agency.
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import get_public_schema_name

from . import services
from .constants import OPEN_STATUSES, TRANSITIONS, RequestStatus
from .forms import AnswerForm, ExtensionForm, InboxFilters, MessageForm, StatusForm, StepForm
from .selectors import attachment_of, request_of, requests_of
from .storage import private_storage
from .uploads import CONTENT_TYPES

PER_PAGE = 50


def _agency(request):
    if connection.schema_name == get_public_schema_name():
        raise Http404
    return request.tenant


def _own_request(request, code):
    found = request_of(_agency(request), code)
    if found is None:
        raise Http404
    return found


def _day_start(iso_day: str) -> datetime.datetime:
    day = datetime.date.fromisoformat(iso_day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def inbox(request):
    agency = _agency(request)
    services_offered = (
        requests_of(agency)
        .order_by("service_title")
        .values_list("service_slug", "service_title")
        .distinct()
    )
    filters = InboxFilters(request.GET or None, services=services_offered)
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
        if data["submitted_from"]:
            rows = rows.filter(submitted_at__gte=_day_start(data["submitted_from"]))
        if data["submitted_to"]:
            end = _day_start(data["submitted_to"]) + datetime.timedelta(days=1)
            rows = rows.filter(submitted_at__lt=end)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "service_requests/inbox.html",
        {
            "rows": page,
            "filters": filters,
            "today": today,
            "open_statuses": OPEN_STATUSES,
            "query": query.urlencode(),
        },
    )


def _entered(found) -> list[tuple[str, object]]:
    """What the citizen entered, labelled as the service's form labels them today."""
    from catalog_pages.models import ServiceFormField

    labels = dict(
        ServiceFormField.objects.filter(
            page__translation_key=found.service_key, page__locale__language_code="fa"
        ).values_list("name", "label")
    )
    return [(labels.get(name, name), value) for name, value in found.data.items()]


def _package_steps(found) -> list:
    from catalog_pages.models import ServiceStep

    return list(
        ServiceStep.objects.filter(
            page__translation_key=found.service_key, page__locale__language_code="fa"
        ).order_by("sort_order")
    )


def _detail_context(found, **forms):
    steps_open = found.status in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)
    return {
        "step_form": forms.get("step_form")
        or (StepForm(steps=_package_steps(found)) if steps_open else None),
        "found": found,
        "entered": _entered(found),
        "documents": found.documents.all(),
        "history": found.history.all(),
        "thread": found.messages.prefetch_related("attachments"),
        "response": getattr(found, "response", None),
        "status_form": forms.get("status_form")
        or StatusForm(statuses=sorted(TRANSITIONS[found.status])),
        "message_form": forms.get("message_form") or MessageForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "can_answer": RequestStatus.ANSWERED in TRANSITIONS[found.status],
        "can_extend": found.extended_at is None and found.status in OPEN_STATUSES,
        "overdue": found.status in OPEN_STATUSES and found.promised_on < timezone.localdate(),
    }


def detail(request, code):
    found = _own_request(request, code)
    return render(request, "service_requests/detail.html", _detail_context(found))


def _redisplay(request, found, **forms):
    messages.error(request, _("Please correct the errors below."))
    return render(
        request, "service_requests/detail.html", _detail_context(found, **forms), status=400
    )


@require_POST
def transition(request, code):
    found = _own_request(request, code)
    form = StatusForm(request.POST, statuses=sorted(TRANSITIONS[found.status]))
    if not form.is_valid():
        return _redisplay(request, found, status_form=form)
    try:
        services.change_status(
            found,
            form.cleaned_data["status"],
            actor=request.user.get_username(),
            note=form.cleaned_data["note"],
        )
    except services.TransitionError as exc:
        form.add_error("note", str(exc))
        return _redisplay(request, found, status_form=form)
    messages.success(
        request, _("The request is now “%(status)s”.") % {"status": found.get_status_display()}
    )
    return redirect("request_inbox_detail", code=code)


@require_POST
def step(request, code):
    found = _own_request(request, code)
    form = StepForm(request.POST, steps=_package_steps(found))
    if not form.is_valid():
        return _redisplay(request, found, step_form=form)
    chosen = form.cleaned_data["chosen"]
    try:
        services.record_step(
            found,
            step=chosen.title,
            in_person=chosen.in_person,
            notify=chosen.notify_sms,
            actor=request.user.get_username(),
            note=form.cleaned_data["note"],
            visit_at=form.cleaned_data.get("visit_at"),
            visit_place=form.cleaned_data.get("visit_place", ""),
        )
    except services.TransitionError as exc:
        form.add_error(None, str(exc))
        return _redisplay(request, found, step_form=form)
    messages.success(request, _("The step was recorded; the citizen can see it."))
    return redirect("request_inbox_detail", code=code)


@require_POST
def message(request, code):
    found = _own_request(request, code)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _redisplay(request, found, message_form=form)
    services.send_message(
        found,
        sender="agency",
        author=request.user.get_username(),
        body=form.cleaned_data["body"],
        attachments=form.cleaned_data["attachments"],
    )
    messages.success(request, _("Your message was sent; the citizen is told by SMS."))
    return redirect("request_inbox_detail", code=code)


@require_POST
def extend(request, code):
    found = _own_request(request, code)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return _redisplay(request, found, extension_form=form)
    try:
        services.extend_deadline(
            found,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            actor=request.user.get_username(),
        )
    except services.TransitionError as exc:
        form.add_error(None, str(exc))
        return _redisplay(request, found, extension_form=form)
    messages.success(request, _("The deadline was extended; the citizen is told by SMS."))
    return redirect("request_inbox_detail", code=code)


@require_POST
def answer(request, code):
    found = _own_request(request, code)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _redisplay(request, found, answer_form=form)
    try:
        services.answer_request(
            found,
            document=form.cleaned_data["document"],
            actor=request.user.get_username(),
            note=form.cleaned_data["note"],
        )
    except services.TransitionError as exc:
        form.add_error(None, str(exc))
        return _redisplay(request, found, answer_form=form)
    messages.success(request, _("The answer was issued; the citizen is told by SMS."))
    return redirect("request_inbox_detail", code=code)


def stored_file(stored, content_type: str, filename: str) -> FileResponse:
    """A private file, shown in the browser when it can be (PDF, images)."""
    return FileResponse(
        private_storage.open(stored.name, "rb"),
        content_type=CONTENT_TYPES.get(content_type, "application/octet-stream"),
        as_attachment=False,
        filename=filename,
    )


def document(request, code, pk):
    """A citizen's document, to this agency's staff only (never by a public URL)."""
    found = _own_request(request, code)
    item = found.documents.filter(pk=pk).first()
    if item is None:
        raise Http404
    return stored_file(
        item.file, item.content_type, f"{found.tracking_code}-{item.slot}.{item.content_type}"
    )


def attachment(request, code, pk):
    found = _own_request(request, code)
    item = attachment_of(found, pk)
    if item is None:
        raise Http404
    return stored_file(
        item.file, item.content_type, f"{found.tracking_code}-{pk}.{item.content_type}"
    )


def response_document(request, code):
    found = _own_request(request, code)
    response = getattr(found, "response", None)
    if response is None:
        raise Http404
    return stored_file(
        response.file,
        response.content_type,
        f"{found.tracking_code}-response.{response.content_type}",
    )
