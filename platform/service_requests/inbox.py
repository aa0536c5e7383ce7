"""The agency staff's inbox, inside the agency's Wagtail admin: its own requests only.

Views are thin: they check the form and call ``services``; every request is read
through ``selectors.request_of``, which never crosses to another agency.
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from catalog_pages.models import ServiceFormField, ServiceStep
from catalog_pages.units import Unit
from persian.digits import parse_whole_number
from tenants.constants import Province, ServiceLevel
from tenants.guards import check_agency
from tenants.roles import HANDLE_REQUESTS

from . import files, panels, services
from .constants import OPEN_STATUSES, TRANSITIONS, RequestStatus
from .forms import (
    ATTACHMENT_LIMITS,
    AnswerForm,
    ExtensionForm,
    InboxFilters,
    MessageForm,
    ReassignForm,
    StatusForm,
    StepForm,
)
from .selectors import request_of, requests_of
from .uploads import oversized_uploads, with_upload_limits

PER_PAGE = 50


def _agency(request):
    """This host's agency, for its request clerks only: citizens' data goes no further."""
    return check_agency(request, HANDLE_REQUESTS)


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
        if data["channel"]:
            rows = rows.filter(channel=data["channel"])
        if data["overdue"]:
            rows = rows.filter(status__in=OPEN_STATUSES, promised_on__lt=today)
        if data["submitted_from"]:
            rows = rows.filter(submitted_at__gte=_day_start(data["submitted_from"]))
        if data["submitted_to"]:
            end = _day_start(data["submitted_to"]) + datetime.timedelta(days=1)
            rows = rows.filter(submitted_at__lt=end)
    page = Paginator(rows, PER_PAGE).get_page(
        parse_whole_number(request.GET.get("p"), max_digits=6)
    )
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
    labels = dict(
        ServiceFormField.objects.filter(
            page__translation_key=found.service_key, page__locale__language_code="fa"
        ).values_list("name", "label")
    )
    return [(labels.get(name, name), value) for name, value in found.data.items()]


def _package_steps(found) -> list:
    return list(
        ServiceStep.objects.filter(
            page__translation_key=found.service_key, page__locale__language_code="fa"
        ).order_by("sort_order")
    )


def _timeline(found) -> list[dict]:
    """The request's history and the texts sent to the citizen about it, oldest first."""
    from notifications.selectors import texts_of_request

    entries = [{"at": change.at, "change": change} for change in found.history.all()]
    entries += [{"at": sms.queued_at, "sms": sms} for sms in texts_of_request(found)]
    return sorted(entries, key=lambda entry: entry["at"])


def _detail_context(found, **forms):
    steps_open = found.status in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)
    return {
        "step_form": forms.get("step_form")
        or (StepForm(steps=_package_steps(found)) if steps_open else None),
        "found": found,
        "entered": _entered(found),
        "documents": found.documents.all(),
        "history": found.history.all(),
        "timeline": _timeline(found),
        "thread": found.messages.prefetch_related("attachments"),
        "response": getattr(found, "response", None),
        "status_form": forms.get("status_form")
        or StatusForm(statuses=sorted(TRANSITIONS[found.status])),
        "message_form": forms.get("message_form") or MessageForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "can_answer": RequestStatus.ANSWERED in TRANSITIONS[found.status],
        "can_extend": found.extended_at is None and found.status in OPEN_STATUSES,
        "reassign_form": forms.get("reassign_form") or _reassign_form(found),
        "province_label": dict(Province.choices).get(found.province, ""),
        "level_label": dict(ServiceLevel.choices).get(found.level, ""),
        "overdue": found.status in OPEN_STATUSES and found.promised_on < timezone.localdate(),
    }


def _reassign_form(found, data=None):
    """Offered for an open request when the agency has another unit to send it to."""
    units = list(Unit.objects.order_by("level", "province", "city", "name"))
    if found.status not in OPEN_STATUSES or not [u for u in units if u.pk != found.unit_id]:
        return None
    return ReassignForm(data, units=units)


@require_POST
def reassign(request, code):
    found = _own_request(request, code)
    form = _reassign_form(found, request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        unit = form.units[form.cleaned_data["unit"]]
        before = found.unit_name
        try:
            services.reassign_unit(
                found, unit, actor=request.user.get_username(), note=form.cleaned_data["note"]
            )
        except services.TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            _audit(request, found, "reassign", unit_from=before, unit_to=unit.name)
            messages.success(request, _("The request was sent to %(unit)s.") % {"unit": unit.name})
            return redirect("request_inbox_detail", code=found.tracking_code)
    return _redisplay(request, found, reassign_form=form)


def detail(request, code):
    found = _own_request(request, code)
    context = _detail_context(found)
    context["staff_panels"] = panels.render_staff_panels(request, found)
    return render(request, "service_requests/detail.html", context)


def _redisplay(request, found, **forms):
    messages.error(request, _("Please correct the errors below."))
    context = _detail_context(found, **forms)
    context["staff_panels"] = panels.render_staff_panels(request, found)
    return render(request, "service_requests/detail.html", context, status=400)


def _audit(request, found, action: str, **data) -> None:
    """Every privileged act on a citizen's request goes into the agency's audit log."""
    log(
        instance=found,
        action=f"panjereh.request.{action}",
        user=request.user,
        data={"tracking_code": found.tracking_code, **data},
    )


def _act(request, found, form, form_name: str, action, done: str):
    """Run ``action(cleaned_data)`` for a valid form; show the form's errors otherwise."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except services.TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            _audit(request, found, form_name.removesuffix("_form"))
            messages.success(request, done)
            return redirect("request_inbox_detail", code=found.tracking_code)
    return _redisplay(request, found, **{form_name: form})


@require_POST
def transition(request, code):
    found = _own_request(request, code)
    form = StatusForm(request.POST, statuses=sorted(TRANSITIONS[found.status]))
    status = request.POST.get("status", "")
    label = RequestStatus(status).label if status in RequestStatus.values else status
    return _act(
        request,
        found,
        form,
        "status_form",
        lambda data: services.change_status(
            found, data["status"], actor=request.user.get_username(), note=data["note"]
        ),
        _("The request is now “%(status)s”.") % {"status": label},
    )


@require_POST
def step(request, code):
    found = _own_request(request, code)

    def record(data):
        chosen = data["chosen"]
        services.record_step(
            found,
            step=chosen.title,
            in_person=chosen.in_person,
            notify=chosen.notify_sms,
            actor=request.user.get_username(),
            note=data["note"],
            visit_at=data.get("visit_at"),
            visit_place=data.get("visit_place", ""),
        )

    form = StepForm(request.POST, steps=_package_steps(found))
    return _act(
        request,
        found,
        form,
        "step_form",
        record,
        _("The step was recorded; the citizen can see it."),
    )


@require_POST
@with_upload_limits(ATTACHMENT_LIMITS)
def message(request, code):
    found = _own_request(request, code)
    return _act(
        request,
        found,
        MessageForm(request.POST, request.FILES, oversized=oversized_uploads(request)),
        "message_form",
        lambda data: services.send_message(
            found,
            sender="agency",
            author=request.user.get_username(),
            body=data["body"],
            attachments=data["attachments"],
        ),
        _("Your message was sent; the citizen is told by SMS."),
    )


@require_POST
def extend(request, code):
    found = _own_request(request, code)
    return _act(
        request,
        found,
        ExtensionForm(request.POST),
        "extension_form",
        lambda data: services.extend_deadline(
            found, days=data["days"], reason=data["reason"], actor=request.user.get_username()
        ),
        _("The deadline was extended; the citizen is told by SMS."),
    )


@require_POST
@with_upload_limits(ATTACHMENT_LIMITS)
def answer(request, code):
    found = _own_request(request, code)
    return _act(
        request,
        found,
        AnswerForm(request.POST, request.FILES, oversized=oversized_uploads(request)),
        "answer_form",
        lambda data: services.answer_request(
            found, document=data["document"], actor=request.user.get_username(), note=data["note"]
        ),
        _("The answer was issued; the citizen is told by SMS."),
    )


def document(request, code, pk):
    """A citizen's document, to this agency's clerks only (never by a public URL)."""
    found = _own_request(request, code)
    response = files.document_file(found, pk)
    _audit(request, found, "file", kind="document", pk=pk)
    return response


def attachment(request, code, pk):
    found = _own_request(request, code)
    response = files.attachment_file(found, pk)
    _audit(request, found, "file", kind="attachment", pk=pk)
    return response


def response_document(request, code):
    found = _own_request(request, code)
    response = files.response_file(found)
    _audit(request, found, "file", kind="response")
    return response
