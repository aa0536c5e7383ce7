"""Package compliance screens: the national admin (by agency, then by service) and an
agency's own admin; the registry worksheets (XLSX) for download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog_pages.constants import Delivery
from persian.dates import fa_digits, percent
from persian.digits import parse_whole_number
from tenants.constants import AgencyRole, NationalRole, Province
from tenants.guards import check_agency, national_only
from tenants.selectors import agencies_visible_to

from . import selectors, services
from .constants import REVIEW_INTERVAL_DAYS, CompliancePart, ExportStatus

VIEW_ROLES = (NationalRole.ADMINISTRATOR, NationalRole.PROVINCIAL_SUPERVISOR)
WORKSHEET_ROLES = (NationalRole.ADMINISTRATOR,)
AGENCY_ROLES = (AgencyRole.ADMINISTRATOR, AgencyRole.EDITOR, AgencyRole.REVIEWER)
AGENCIES_PER_PAGE = 25
SERVICES_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, items, per_page):
    number = parse_whole_number(request.GET.get("p", ""), max_digits=6)
    return Paginator(items, per_page).get_page(number)


def _percent(value) -> str:
    """A whole percentage (0–100) as the page writes it."""
    return percent(None if value is None else value / 100)


def _service_view(row, now) -> dict:
    labels = dict(CompliancePart.choices)
    return {
        "row": row,
        "score": _percent(row.score),
        "missing": [str(labels[part]) for part in row.missing_parts if part in labels],
        "stale": selectors.is_stale(row, now=now),
        "delivery": str(Delivery(row.delivery).label) if row.delivery in Delivery.values else "",
        "slower": row.slower_than_promised,
        "mean_days": None if row.mean_answer_days is None else _mean_days(row.mean_answer_days),
    }


def _figures_view(figures) -> dict:
    return {
        "figures": figures,
        "mean_score": _percent(figures.mean_score),
        "full": _percent(figures.shares["full"]),
        "partial": _percent(figures.shares["partial"]),
        "in_person": _percent(figures.shares["in_person"]),
    }


def _mean_days(value) -> str:
    shown = fa_digits(f"{value:.1f}")
    # The Persian decimal separator, on a Persian page.
    return shown.replace(".", "٫") if shown != f"{value:.1f}" else shown


def _filters(request, base_url: str) -> tuple[str, list[dict]]:
    """The list asked for (``only``; anything else: all services) and the links to each."""
    only = request.GET.get("only", "")
    if only not in selectors.SERVICE_FILTERS:
        only = ""
    labels = {
        "": _("All services"),
        "incomplete": _("Incomplete packages"),
        "stale": _("Due for their yearly review"),
        "no_online_form": _("Without an online form"),
        "slower": _("Slower than promised"),
    }
    links = [
        {
            "label": label,
            "url": f"{base_url}?only={value}" if value else base_url,
            "current": value == only,
        }
        for value, label in labels.items()
    ]
    return only, links


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the national admin ------------------------------------------------------------------


@national_only(roles=VIEW_ROLES)
@require_GET
def national_overview(request):
    """Every agency the user may see (a provincial supervisor: those of their provinces)."""
    now = timezone.now()
    agencies = agencies_visible_to(request.user).filter(is_active=True)
    page = _page(request, agencies, AGENCIES_PER_PAGE)
    figures = selectors.figures_by_agency([agency.pk for agency in page], now=now)
    provinces = dict(Province.choices)
    rows = [
        {
            "agency": agency,
            "province": provinces.get(agency.province, ""),
            **_figures_view(figures.get(agency.pk) or selectors.Figures()),
        }
        for agency in page
    ]
    return render(
        request,
        "compliance/national_overview.html",
        {
            "page": page,
            "rows": rows,
            "total": _figures_view(selectors.total_figures(agencies, now=now)),
            "may_export": national_worksheet_allowed(request.user),
            "review_months": fa_digits(REVIEW_INTERVAL_DAYS // 30),
        },
    )


def national_worksheet_allowed(user) -> bool:
    from tenants.guards import has_national_role

    return has_national_role(user, WORKSHEET_ROLES)


def _visible_agency(request, slug: str):
    agency = agencies_visible_to(request.user).filter(slug=slug).first()
    if agency is None:
        raise Http404
    return agency


@national_only(roles=VIEW_ROLES)
@require_GET
def national_agency(request, slug: str):
    """One agency's services, each with what its package lacks."""
    agency = _visible_agency(request, slug)
    now = timezone.now()
    only, filters = _filters(request, reverse("compliance_national_agency", args=[agency.slug]))
    page = _page(request, selectors.services_of(agency, only=only, now=now), SERVICES_PER_PAGE)
    return render(
        request,
        "compliance/agency_services.html",
        {
            "agency": agency,
            "page": page,
            "rows": [_service_view(row, now) for row in page],
            "total": _figures_view(selectors.total_figures([agency], now=now)),
            "national": True,
            "only": only,
            "filters": filters,
            "worksheet_url": reverse("compliance_national_worksheet", args=[agency.slug])
            if national_worksheet_allowed(request.user)
            else "",
            "review_months": fa_digits(REVIEW_INTERVAL_DAYS // 30),
        },
    )


@national_only(roles=WORKSHEET_ROLES)
@require_GET
def national_agency_worksheet(request, slug: str):
    agency = _visible_agency(request, slug)
    return _xlsx(services.agency_worksheet(agency), f"worksheet-{agency.slug}.xlsx")


@national_only(roles=WORKSHEET_ROLES)
@require_http_methods(["GET", "POST"])
def national_worksheets(request):
    """The whole national catalogue as one worksheet: prepared by a job, then offered."""
    if request.method == "POST":
        services.request_national_worksheet(request.user)
        messages.success(
            request, _("The worksheet is being prepared; it is offered here when it is ready.")
        )
        return redirect("compliance_worksheets")
    exports = [
        {
            "export": export,
            "status": ExportStatus(export.status).label,
            "ready": export.status == ExportStatus.READY,
        }
        for export in selectors.recent_exports()
    ]
    return render(request, "compliance/worksheets.html", {"exports": exports})


@national_only(roles=WORKSHEET_ROLES)
@require_GET
def national_worksheet_download(request, pk: int):
    export = selectors.ready_export(pk)
    if export is None:
        raise Http404
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return _xlsx(bytes(export.content), f"national-worksheet-{stamp}.xlsx")


# --- an agency's own admin -----------------------------------------------------------------


def _held_roles(user) -> set[str]:
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(user.groups.values_list("name", flat=True))


def _check_agency_roles(request, roles):
    agency = check_agency(request)
    if not (request.user.is_superuser or _held_roles(request.user) & {str(r) for r in roles}):
        raise PermissionDenied
    return agency


def agency_screen_shown(request) -> bool:
    from tenants.schemas import on_public_schema

    return not on_public_schema() and bool(
        request.user.is_superuser or _held_roles(request.user) & {str(r) for r in AGENCY_ROLES}
    )


@require_GET
def agency_overview(request):
    """The agency's own services: score, what is missing, when last reviewed."""
    agency = _check_agency_roles(request, AGENCY_ROLES)
    now = timezone.now()
    only, filters = _filters(request, reverse("compliance_agency"))
    page = _page(request, selectors.services_of(agency, only=only, now=now), SERVICES_PER_PAGE)
    held = _held_roles(request.user)
    return render(
        request,
        "compliance/agency_services.html",
        {
            "agency": agency,
            "page": page,
            "rows": [_service_view(row, now) for row in page],
            "total": _figures_view(selectors.total_figures([agency], now=now)),
            "national": False,
            "only": only,
            "filters": filters,
            "may_review": request.user.is_superuser or str(AgencyRole.REVIEWER) in held,
            "worksheet_url": reverse("compliance_agency_worksheet")
            if request.user.is_superuser or str(AgencyRole.ADMINISTRATOR) in held
            else "",
            "review_months": fa_digits(REVIEW_INTERVAL_DAYS // 30),
        },
    )


@require_POST
def agency_mark_reviewed(request, page_id: int):
    """A reviewer confirms a package needs no change this year."""
    from catalog_pages.models import ServicePage

    agency = _check_agency_roles(request, (AgencyRole.REVIEWER,))
    page = ServicePage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    services.mark_reviewed(agency, page, user=request.user)
    messages.success(
        request, _("“%(title)s” is marked as reviewed: nothing to change.") % {"title": page.title}
    )
    return redirect("compliance_agency")


@require_GET
def agency_worksheet(request):
    agency = _check_agency_roles(request, (AgencyRole.ADMINISTRATOR,))
    return _xlsx(services.agency_worksheet(agency), f"worksheet-{agency.slug}.xlsx")
