"""Complaint screens in the Wagtail admin.

An agency's complaint handlers (and its administrator) see only their agency's complaints
(``selectors.complaints_of``), on its own host. National administrators see escalated ones
on the national portal, answer them or send them back; provincial supervisors read them.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from persian.digits import parse_whole_number
from service_requests.files import private_file_response
from service_requests.uploads import oversized_uploads, with_upload_limits
from tenants.constants import NationalRole, Province
from tenants.guards import check_agency, check_national, has_national_role
from tenants.roles import HANDLE_COMPLAINTS
from tenants.selectors import visible_provinces

from . import services
from .constants import AGENCY_TRANSITIONS, OPEN_STATUSES, ComplaintStatus, Party
from .forms import UPLOAD_LIMITS, AnswerForm, ListFilters, ReturnForm, StatusForm
from .selectors import (
    complaint_of,
    complaints_of,
    escalated_complaint,
    escalated_complaints,
    file_of,
)

PER_PAGE = 50
READERS = (NationalRole.ADMINISTRATOR, NationalRole.PROVINCIAL_SUPERVISOR)


def _page(request, rows):
    return Paginator(rows, PER_PAGE).get_page(
        parse_whole_number(request.GET.get("p"), max_digits=6)
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("p", None)
    return query.urlencode()


def _serve(found, item) -> FileResponse:
    if item is None:
        raise Http404
    return private_file_response(
        item.file, item.content_type, f"{found.code}-{item.pk}.{item.content_type}"
    )


# --- The agency's complaint handlers --------------------------------------------------------


def _agency(request):
    return check_agency(request, HANDLE_COMPLAINTS)


def _own(request, code):
    found = complaint_of(_agency(request), code)
    if found is None:
        raise Http404
    return found


def _audit(request, found, action: str, **data) -> None:
    log(
        instance=found,
        action=f"panjereh.complaint.{action}",
        user=request.user,
        data={"code": found.code, **data},
    )


def inbox(request):
    agency = _agency(request)
    filters = ListFilters(request.GET or None)
    rows = complaints_of(agency).order_by("due_on", "filed_at")
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            rows = rows.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["overdue"]:
            rows = rows.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    return render(
        request,
        "complaints/inbox.html",
        {
            "rows": _page(request, rows),
            "filters": filters,
            "query": _query_without_page(request),
        },
    )


def _detail_context(found, **forms):
    statuses = sorted(AGENCY_TRANSITIONS[found.status])
    return {
        "found": found,
        "history": found.history.all(),
        "files": found.files.all(),
        "status_form": forms.get("status_form")
        or (StatusForm(statuses=statuses) if statuses else None),
        "answer_form": forms.get("answer_form")
        or (AnswerForm() if found.status in OPEN_STATUSES else None),
        "file_url": "complaint_inbox_file",
    }


def detail(request, code):
    found = _own(request, code)
    return render(request, "complaints/detail.html", _detail_context(found))


def _act(request, found, form, form_name, action, done, template, context_for, redirect_to):
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except services.ComplaintError as error:
            form.add_error(None, str(error))
        else:
            _audit(request, found, form_name.removesuffix("_form"))
            messages.success(request, done)
            return redirect(redirect_to, code=found.code)
    messages.error(request, _("Please correct the errors below."))
    return render(request, template, context_for(found, **{form_name: form}), status=400)


@require_POST
def transition(request, code):
    found = _own(request, code)
    form = StatusForm(request.POST, statuses=sorted(AGENCY_TRANSITIONS[found.status]))
    return _act(
        request,
        found,
        form,
        "status_form",
        lambda data: services.change_status(
            found, data["status"], actor=request.user.get_username(), note=data["note"]
        ),
        _("The complaint's status was changed; the citizen is told by SMS."),
        "complaints/detail.html",
        _detail_context,
        "complaint_inbox_detail",
    )


@require_POST
@with_upload_limits(UPLOAD_LIMITS)
def answer(request, code):
    found = _own(request, code)
    form = AnswerForm(request.POST, request.FILES, oversized=oversized_uploads(request))
    return _act(
        request,
        found,
        form,
        "answer_form",
        lambda data: services.answer_complaint(
            found,
            text=data["text"],
            actor=request.user.get_username(),
            document=data["document"],
        ),
        _("The answer was sent; the citizen is told by SMS."),
        "complaints/detail.html",
        _detail_context,
        "complaint_inbox_detail",
    )


def complaint_file(request, code, pk):
    found = _own(request, code)
    response = _serve(found, file_of(found, pk))
    _audit(request, found, "file", pk=pk)
    return response


# --- The national level: escalated complaints -----------------------------------------------


def _escalated(request, code):
    check_national(request, READERS)
    found = escalated_complaint(code, provinces=visible_provinces(request.user))
    if found is None:
        raise Http404  # a provincial supervisor never meets another province's complaint
    return found


def _may_act(request) -> bool:
    return has_national_role(request.user, (NationalRole.ADMINISTRATOR,))


def national_inbox(request):
    check_national(request, READERS)
    province = request.GET.get("province", "")
    province = province if province in Province.values else ""
    every = request.GET.get("every") == "1"
    provinces = visible_provinces(request.user)
    rows = escalated_complaints(province=province, provinces=provinces, every=every)
    rows = rows.order_by("due_on", "filed_at")
    return render(
        request,
        "complaints/national_inbox.html",
        {
            "rows": _page(request, rows),
            "provinces": [
                (value, label)
                for value, label in Province.choices
                if provinces is None or value in provinces
            ],
            "province": province,
            "every": every,
            "query": _query_without_page(request),
        },
    )


def _national_context(found, *, may_act=True, **forms):
    escalated = found.status == ComplaintStatus.ESCALATED and may_act
    return {
        "found": found,
        "history": found.history.all(),
        "files": found.files.all(),
        "national": True,
        "answer_form": forms.get("answer_form") or (AnswerForm() if escalated else None),
        "return_form": forms.get("return_form") or (ReturnForm() if escalated else None),
        "file_url": "complaint_national_file",
    }


def national_detail(request, code):
    found = _escalated(request, code)
    return render(
        request,
        "complaints/detail.html",
        _national_context(found, may_act=_may_act(request)),
    )


def _national_act(request, found, form, form_name, action, done):
    check_national(request)  # acting: national administrators only
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except services.ComplaintError as error:
            form.add_error(None, str(error))
        else:
            log(
                instance=found,
                action=f"panjereh.complaint.national_{form_name.removesuffix('_form')}",
                user=request.user,
                data={"code": found.code},
            )
            messages.success(request, done)
            return redirect("complaint_national_detail", code=found.code)
    messages.error(request, _("Please correct the errors below."))
    return render(
        request, "complaints/detail.html", _national_context(found, **{form_name: form}), status=400
    )


@require_POST
@with_upload_limits(UPLOAD_LIMITS)
def national_answer(request, code):
    found = _escalated(request, code)
    check_national(request)
    form = AnswerForm(request.POST, request.FILES, oversized=oversized_uploads(request))
    return _national_act(
        request,
        found,
        form,
        "answer_form",
        lambda data: services.answer_complaint(
            found,
            text=data["text"],
            actor=request.user.get_username(),
            party=Party.NATIONAL,
            document=data["document"],
        ),
        _("The answer was sent; the citizen is told by SMS."),
    )


@require_POST
def national_return(request, code):
    found = _escalated(request, code)
    check_national(request)
    return _national_act(
        request,
        found,
        ReturnForm(request.POST),
        "return_form",
        lambda data: services.return_to_agency(
            found, actor=request.user.get_username(), note=data["note"]
        ),
        _("The complaint was sent back to its agency with a new deadline."),
    )


def national_file(request, code, pk):
    found = _escalated(request, code)
    return _serve(found, file_of(found, pk))
