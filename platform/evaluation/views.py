"""Evaluation screens in the Wagtail admin.

On an agency's host its administrator fills in the period's self-assessment, reads the
inspections' written results and answers each finding (``selectors`` filter by the
host's agency). On the national portal national administrators, provincial supervisors
and inspectors follow each agency's cycle and record inspections, a supervisor or
inspector only for agencies of their provinces (``tenants.selectors.agencies_visible_to``).
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from persian.digits import parse_whole_number
from service_requests.files import private_file_response
from service_requests.uploads import oversized_uploads, with_upload_limits
from tenants.constants import NationalRole, Province
from tenants.guards import check_agency, check_national, has_national_role
from tenants.roles import FILL_SELF_ASSESSMENT
from tenants.selectors import agencies_visible_to

from . import selectors, services
from .constants import GROUPS, AssessmentStatus
from .forms import (
    EVIDENCE_LIMITS,
    PHOTO_LIMITS,
    ChecklistForm,
    FindingAnswerForm,
    InspectionForm,
    PeriodForm,
)

PER_PAGE = 50
# Who follows the evaluation nationally and records inspections (their provinces only,
# unless national administrators).
NATIONAL_READERS = (
    NationalRole.ADMINISTRATOR,
    NationalRole.PROVINCIAL_SUPERVISOR,
    NationalRole.INSPECTOR,
)


def _serve(item, filename: str) -> FileResponse:
    return private_file_response(item.file, item.content_type, filename)


def _audit(request, instance, action: str, **data) -> None:
    log(instance=instance, action=f"panjereh.evaluation.{action}", user=request.user, data=data)


def _groups(rows):
    """The checklist's rows in its two groups (fieldsets on screen)."""
    return [(group, [row for row in rows if row.item.group == group]) for group, _items in GROUPS]


def _date(iso: str):
    return datetime.date.fromisoformat(iso) if iso else None


def _ids(request, name: str) -> list[int]:
    """Row ids ticked in a form (anything that is not one is left out)."""
    found = (parse_whole_number(value, max_digits=18) for value in request.POST.getlist(name))
    return [value for value in found if value is not None]


def _period(pk) -> object:
    period = selectors.period_by_id(pk)
    if period is None:
        raise Http404
    return period


# --- The agency's administrator ----------------------------------------------------------------


def _agency(request):
    return check_agency(request, FILL_SELF_ASSESSMENT)


def agency_index(request):
    agency = _agency(request)
    services.open_current_period()
    rows = []
    every = list(selectors.all_periods())
    steps_of = selectors.cycles_of(agency, every)
    for period in every:
        steps = steps_of[period.pk]
        rows.append(
            {
                "period": period,
                "label": selectors.period_label(period),
                "steps": steps,
                "current": selectors.current_step(steps),
            }
        )
    return render(
        request,
        "evaluation/agency_index.html",
        {"rows": rows, "inspections": selectors.issued_inspections_of(agency)},
    )


def _assessment_context(agency, period, assessment, form):
    rows = selectors.checklist_rows(agency, period, assessment)
    editable = assessment is None or assessment.status == AssessmentStatus.DRAFT
    for row in rows:
        if editable:
            row.fields = [form.bound(row.item.key, kind) for kind in ("status", "note", "evidence")]
    return {
        "period": period,
        "label": selectors.period_label(period),
        "assessment": assessment,
        "groups": _groups(rows),
        "editable": editable,
        "form": form,
        "steps": selectors.cycle(agency, period),
        "flags": [row for row in rows if row.flag],
        "evidence_url": "evaluation_agency_evidence",
    }


def _initial(assessment):
    if assessment is None:
        return {}
    initial = {}
    for answer in assessment.answers.all():
        initial[f"status-{answer.item_key}"] = answer.status
        initial[f"note-{answer.item_key}"] = answer.note
    return initial


@with_upload_limits(EVIDENCE_LIMITS)
def agency_assessment(request, period):
    agency = _agency(request)
    period = _period(period)
    assessment = selectors.assessment_of(agency, period)
    if request.method != "POST":
        form = ChecklistForm(initial=_initial(assessment))
        return render(
            request,
            "evaluation/assessment.html",
            _assessment_context(agency, period, assessment, form),
        )
    form = ChecklistForm(request.POST, request.FILES, oversized=oversized_uploads(request))
    if form.is_valid():
        actor = request.user.get_username()
        assessment = assessment or services.assessment_for(agency, period)
        try:
            services.save_assessment(
                assessment, form.answers(), actor=actor, remove_evidence=_ids(request, "remove")
            )
            if "submit" in request.POST:
                services.submit_assessment(assessment, actor=actor)
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            submitted = "submit" in request.POST
            _audit(
                request,
                assessment,
                "submit" if submitted else "save",
                agency=agency.slug,
                period=str(period),
            )
            messages.success(
                request,
                _("The self-assessment was submitted.")
                if submitted
                else _("The self-assessment was saved."),
            )
            return redirect("evaluation_agency_assessment", period=period.pk)
    messages.error(request, _("Please correct the errors below."))
    assessment = selectors.assessment_of(agency, period)
    return render(
        request,
        "evaluation/assessment.html",
        _assessment_context(agency, period, assessment, form),
        status=400,
    )


def agency_evidence(request, pk):
    agency = _agency(request)
    item = selectors.evidence_of(agency, pk)
    if item is None:
        raise Http404
    return _serve(item, f"evidence-{item.pk}.{item.content_type}")


def _agency_inspection(request, pk):
    agency = _agency(request)
    found = selectors.issued_inspection_of(agency, pk)
    if found is None:
        raise Http404
    return agency, found


def _inspection_context(found, *, national=False, forms=None, may_issue=False):
    rows = selectors.finding_rows(found)
    forms = forms or {}
    for row in rows:
        row.answer_form = (
            None
            if national
            else forms.get(row.finding.pk) or FindingAnswerForm(prefix=f"f{row.finding.pk}")
        )
    return {
        "found": found,
        "label": selectors.period_label(found.period),
        "rows": rows,
        "photos": found.photos.all(),
        "national": national,
        "may_issue": may_issue and found.issued_at is None,
        "steps": selectors.cycle(found.agency, found.period),
    }


def agency_inspection(request, pk):
    _agency_obj, found = _agency_inspection(request, pk)
    return render(request, "evaluation/inspection.html", _inspection_context(found))


@require_POST
def agency_answer_finding(request, pk, finding):
    _agency_obj, found = _agency_inspection(request, pk)
    item = selectors.finding_of(found, finding)
    if item is None:
        raise Http404
    form = FindingAnswerForm(request.POST, prefix=f"f{item.pk}")
    if form.is_valid():
        try:
            services.answer_finding(
                item,
                response=form.cleaned_data["response"],
                corrected_on=_date(form.cleaned_data["corrected_on"]),
                actor=request.user.get_username(),
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            _audit(request, found, "answer_finding", finding=item.pk, item=item.item_key)
            messages.success(request, _("Your answer to the finding was recorded."))
            return redirect("evaluation_agency_inspection", pk=found.pk)
    messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "evaluation/inspection.html",
        _inspection_context(found, forms={item.pk: form}),
        status=400,
    )


def agency_photo(request, pk, photo):
    _agency_obj, found = _agency_inspection(request, pk)
    item = selectors.photo_of(found, photo)
    if item is None:
        raise Http404
    return _serve(item, f"inspection-{found.pk}-{item.pk}.{item.content_type}")


# --- The national level -----------------------------------------------------------------------


def _national(request):
    check_national(request, NATIONAL_READERS)


def _is_admin(request) -> bool:
    return has_national_role(request.user, (NationalRole.ADMINISTRATOR,))


def national_index(request):
    _national(request)
    period_list = list(selectors.all_periods())
    chosen = selectors.period_by_id(parse_whole_number(request.GET.get("period"), max_digits=9))
    chosen = chosen or (period_list[0] if period_list else None)
    province = request.GET.get("province", "")
    province = province if province in Province.values else ""
    rows, page = [], None
    if chosen is not None:
        page = Paginator(
            selectors.agencies_for(request.user, province=province), PER_PAGE
        ).get_page(parse_whole_number(request.GET.get("p"), max_digits=6))
        found = selectors.cycles(page, chosen)
        for agency in page:
            steps = found[agency.pk]
            rows.append(
                {"agency": agency, "steps": steps, "current": selectors.current_step(steps)}
            )
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "evaluation/national_index.html",
        {
            "periods": [(period, selectors.period_label(period)) for period in period_list],
            "chosen": chosen,
            "chosen_label": selectors.period_label(chosen) if chosen else "",
            "rows": rows,
            "page": page,
            "provinces": Province.choices,
            "province": province,
            "query": query.urlencode(),
            "period_form": PeriodForm() if _is_admin(request) else None,
        },
    )


@require_POST
def national_new_period(request):
    check_national(request)  # national administrators only
    form = PeriodForm(request.POST)
    if form.is_valid():
        period, created = services.open_period(
            form.cleaned_data["year"], form.cleaned_data["half"], actor=request.user.get_username()
        )
        if created:
            _audit(request, period, "period", period=str(period))
            messages.success(request, _("The evaluation period was opened."))
        else:
            messages.warning(request, _("This evaluation period already exists."))
        return redirect(f"{_index_url()}?period={period.pk}")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(_index_url())


def _index_url():
    from django.urls import reverse

    return reverse("evaluation_national")


def _visible_agency(request, slug):
    agency = agencies_visible_to(request.user).filter(slug=slug).first()
    if agency is None:
        raise Http404
    return agency


def national_agency(request, period, slug):
    _national(request)
    period = _period(period)
    agency = _visible_agency(request, slug)
    assessment = selectors.assessment_of(agency, period)
    scores = selectors.index_scores(agency, period, assessment)
    rows = selectors.checklist_rows(agency, period, assessment, scores)
    return render(
        request,
        "evaluation/national_agency.html",
        {
            "agency": agency,
            "period": period,
            "label": selectors.period_label(period),
            "assessment": assessment,
            "groups": _groups(rows),
            "flags": [row for row in rows if row.flag],
            "inspections": selectors.inspections_in(agency, period),
            "steps": selectors.cycle(agency, period),
            "may_reopen": _is_admin(request)
            and assessment is not None
            and assessment.status == AssessmentStatus.SUBMITTED,
            "evidence_url": "evaluation_national_evidence",
            "rows": rows,
        },
    )


@require_POST
def national_reopen(request, period, slug):
    check_national(request)
    period = _period(period)
    agency = _visible_agency(request, slug)
    assessment = selectors.assessment_of(agency, period)
    if assessment is None:
        raise Http404
    try:
        services.reopen_assessment(assessment, actor=request.user.get_username())
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        _audit(request, assessment, "reopen", agency=agency.slug, period=str(period))
        messages.success(request, _("The self-assessment was reopened for the agency."))
    return redirect("evaluation_national_agency", period=period.pk, slug=agency.slug)


def _inspector_name(user) -> str:
    return user.get_full_name() or user.get_username()


@with_upload_limits(PHOTO_LIMITS)
def national_inspect(request, period, slug):
    _national(request)
    period = _period(period)
    agency = _visible_agency(request, slug)
    context = {"agency": agency, "period": period, "label": selectors.period_label(period)}
    if request.method != "POST":
        form = InspectionForm()
    else:
        form = InspectionForm(request.POST, request.FILES, oversized=oversized_uploads(request))
        if form.is_valid():
            try:
                found = services.record_inspection(
                    agency=agency,
                    period=period,
                    visited_on=_date(form.cleaned_data["visited_on"]),
                    place=form.cleaned_data["place"],
                    summary=form.cleaned_data["summary"],
                    findings=form.findings(),
                    photos=form.cleaned_data["photos"],
                    inspector=request.user.get_username(),
                    inspector_name=_inspector_name(request.user),
                )
            except services.EvaluationError as error:
                form.add_error(None, str(error))
            else:
                _audit(request, found, "inspect", agency=agency.slug, period=str(period))
                messages.success(
                    request,
                    _(
                        "The inspection was recorded. Issue its written result to send it to the agency."
                    ),
                )
                return redirect("evaluation_national_inspection", pk=found.pk)
        messages.error(request, _("Please correct the errors below."))
    context["form"] = form
    context["groups"] = [
        (
            group,
            [
                (item, form.bound(item.key, "status"), form.bound(item.key, "finding"))
                for item in items
            ],
        )
        for group, items in GROUPS
    ]
    return render(
        request,
        "evaluation/inspect.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _national_inspection(request, pk):
    _national(request)
    found = selectors.inspection_visible_to(request.user, pk)
    if found is None:
        raise Http404
    return found


def national_inspection(request, pk):
    found = _national_inspection(request, pk)
    return render(
        request,
        "evaluation/inspection.html",
        _inspection_context(found, national=True, may_issue=True),
    )


@require_POST
def national_issue(request, pk):
    found = _national_inspection(request, pk)
    try:
        services.issue_result(found)
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        _audit(request, found, "issue", agency=found.agency.slug)
        messages.success(request, _("The written result was sent to the agency."))
    return redirect("evaluation_national_inspection", pk=found.pk)


def national_photo(request, pk, photo):
    found = _national_inspection(request, pk)
    item = selectors.photo_of(found, photo)
    if item is None:
        raise Http404
    return _serve(item, f"inspection-{found.pk}-{item.pk}.{item.content_type}")


def national_evidence(request, pk):
    _national(request)
    item = selectors.evidence_visible_to(request.user, pk)
    if item is None:
        raise Http404
    return _serve(item, f"evidence-{item.pk}.{item.content_type}")
