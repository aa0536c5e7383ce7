"""The questionnaire (national portal, by the signed link), the tracking page's panel,
and the results screens of the agency's admin and of national administrators."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from persian.dates import fa_digits, percent
from persian.digits import parse_whole_number
from service_requests.constants import RequestStatus
from tenants.constants import NationalRole
from tenants.guards import check_agency, national_only

from . import selectors, services, tokens
from .forms import SurveyForm

RESULTS_PER_PAGE = 25
VIEW_RESULTS = "surveys.view_survey_results"


def _page(request, template, context, status):
    context["link_days"] = settings.SURVEY_LINK_DAYS
    return render(request, f"surveys/{template}", context, status=status)


@require_http_methods(["GET", "POST"])
def questionnaire(request, token):
    """The short standard questionnaire of one closed request; answered once."""
    try:
        request_id = tokens.request_id_from(token)
    except tokens.BadToken as bad:
        return _page(
            request, "unavailable.html", {"expired": bad.expired}, 410 if bad.expired else 404
        )
    found = selectors.request_for_survey(request_id)
    if found is None:
        return _page(request, "unavailable.html", {"expired": False}, 404)
    answered = selectors.response_for(found)
    if answered is not None:
        if request.method == "POST":  # a second click, or another tab, after the first answer
            return redirect(request.path)
        return _page(request, "answered.html", {"found": found, "answered": answered}, 200)
    if found.status != RequestStatus.CLOSED:
        return _page(request, "unavailable.html", {"not_closed": True, "found": found}, 409)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            _response, created = services.submit_survey(found, **form.cleaned_data)
            if created:
                messages.success(request, _("Thank you: your answers were sent to the agency."))
            return redirect(request.path)
        status = 400
    else:
        status = 200
    return _page(request, "questionnaire.html", {"found": found, "form": form}, status)


def tracking_panel(http_request, found, *, owner: bool) -> str:
    """On the tracking page of a closed request, once ownership is proved: the invitation,
    or thanks for the answers."""
    if not owner or found.status != RequestStatus.CLOSED:
        return ""
    return render_to_string(
        "surveys/tracking_panel.html",
        {
            "answered": selectors.response_for(found),
            "survey_path": services.survey_path(found),
        },
        request=http_request,
    )


def _shown(rows):
    """Means and shares written for a Persian reader (one decimal, Persian digits)."""
    shown = []
    for row in rows:
        shown.append(
            {
                **row,
                "overall_text": _mean(row["overall"]),
                "staff_conduct_text": _mean(row["staff_conduct"]),
                "clarity_text": _mean(row["clarity"]),
                "time_kept_text": percent(row["time_kept_share"]),
            }
        )
    return shown


def _mean(value) -> str:
    return "—" if value is None else fa_digits(f"{value:.1f}")


def _results(request, rows, *, template, context):
    page = Paginator(rows, RESULTS_PER_PAGE).get_page(
        parse_whole_number(request.GET.get("p", ""), max_digits=6)
    )
    total = context["summary"]
    context.update(
        page=page,
        rows=_shown(page.object_list),
        summary_text={
            "overall": _mean(total["overall"]),
            "staff_conduct": _mean(total["staff_conduct"]),
            "clarity": _mean(total["clarity"]),
            "time_kept": percent(total["time_kept_share"]),
        },
    )
    return render(request, template, context)


@require_GET
def agency_results(request):
    """The agency's own services' results (its administrators and report viewers)."""
    agency = check_agency(request, VIEW_RESULTS)
    return _results(
        request,
        selectors.results_by_service(agency),
        template="surveys/agency_results.html",
        context={
            "summary": selectors.summary(agency),
            "closed": selectors.closed_requests_count(agency),
        },
    )


@national_only(roles=(NationalRole.ADMINISTRATOR,))
@require_GET
def national_results(request):
    """Every agency's results, and per service with ``?by=service``."""
    by_service = request.GET.get("by") == "service"
    rows = selectors.results_by_service() if by_service else selectors.results_by_agency()
    return _results(
        request,
        rows,
        template="surveys/national_results.html",
        context={
            "by_service": by_service,
            "summary": selectors.summary(),
            "closed": selectors.closed_requests_count(),
        },
    )
