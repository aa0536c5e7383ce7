"""The national console's agency registry and supervisors (public schema only).

National administrators see and change everything; provincial supervisors read the
registry of their own provinces only (another province's agency is a 404)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from persian.digits import parse_whole_number
from tenants import services
from tenants.constants import NationalRole
from tenants.guards import has_national_role, national_only
from tenants.models import Agency
from tenants.selectors import visible_provinces

from . import selectors
from . import services as console_services
from .forms import (
    DeskRepresentativeForm,
    GrantSupervisorForm,
    OnboardAgencyForm,
    RegistryFilters,
    SupervisedProvincesForm,
)
from .models import DeskRepresentative

AGENCIES_PER_PAGE = 50
READERS = (NationalRole.ADMINISTRATOR, NationalRole.PROVINCIAL_SUPERVISOR)


def _page(request, rows):
    return Paginator(rows, AGENCIES_PER_PAGE).get_page(
        parse_whole_number(request.GET.get("p"), max_digits=6)
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("p", None)
    return query.urlencode()


def _is_administrator(request) -> bool:
    return has_national_role(request.user, (NationalRole.ADMINISTRATOR,))


@national_only(roles=READERS)
def agency_index(request):
    provinces = visible_provinces(request.user)
    filters = RegistryFilters(request.GET or None, provinces=provinces)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.registry(
        request.user,
        kind=chosen.get("kind", ""),
        province=chosen.get("province", ""),
        status=chosen.get("status", ""),
        overdue=chosen.get("overdue", False),
    )
    page = _page(request, rows)
    for agency in page:
        agency.representative = _representative(agency)
    return render(
        request,
        "console/agency_index.html",
        {
            "agencies": page,
            "filters": filters,
            "query": _query_without_page(request),
            "may_change": _is_administrator(request),
        },
    )


def _representative(agency) -> DeskRepresentative | None:
    try:
        return agency.desk_representative
    except DeskRepresentative.DoesNotExist:
        return None


def _visible_or_404(request, pk):
    agency = selectors.visible_agency(request.user, pk)
    if agency is None:
        raise Http404
    return agency


@national_only(roles=READERS)
def agency_detail(request, pk):
    agency = _visible_or_404(request, pk)
    representative = _representative(agency)
    may_change = _is_administrator(request)
    form = None
    status = 200
    if may_change:
        form = DeskRepresentativeForm(request.POST or None, instance=representative)
        if request.method == "POST":
            if form.is_valid():
                console_services.set_desk_representative(
                    agency, actor=request.user, **form.cleaned_data
                )
                messages.success(request, _("The service-desk representative was saved."))
                return redirect("console_agency_detail", pk=agency.pk)
            messages.error(request, _("Please correct the errors below."))
            status = 400
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "console/agency_detail.html",
        {
            "agency": agency,
            "representative": representative,
            "form": form,
            "may_change": may_change,
        },
        status=status,
    )


@national_only
def agency_onboard(request):
    form = OnboardAgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.onboard_agency(
                slug=data["slug"],
                name_fa=data["name_fa"],
                name_en=data["name_en"],
                kind=data["kind"],
                level=data["level"],
                province=data["province"],
                parent=data["parent"],
                editor_email=data["editor_email"],
                actor=request.user,
            )
        except services.OnboardingError as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            return render(request, "console/agency_onboarded.html", {"result": result})
    return render(request, "console/agency_onboard.html", {"form": form})


@national_only
@require_POST
def agency_toggle_active(request, pk):
    agency = get_object_or_404(Agency, pk=pk)
    services.set_agency_active(agency, active=not agency.is_active, actor=request.user)
    if agency.is_active:
        messages.success(request, _("%(name)s is active again.") % {"name": agency.name_fa})
    else:
        messages.warning(request, _("%(name)s was deactivated.") % {"name": agency.name_fa})
    if request.POST.get("next") == "detail":
        return redirect("console_agency_detail", pk=agency.pk)
    return redirect("console_agency_index")


@national_only
def supervisor_index(request):
    form = GrantSupervisorForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            console_services.grant_supervisor_role(form.user, actor=request.user)
            messages.success(
                request,
                _("%(name)s is a provincial supervisor; now give them their provinces.")
                % {"name": form.user.get_username()},
            )
            return redirect("console_supervisor_provinces", pk=form.user.pk)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "console/supervisor_index.html",
        {"supervisors": _page(request, selectors.supervisors()), "form": form},
        status=400 if form.errors else 200,
    )


@national_only
@require_POST
def supervisor_revoke(request, pk):
    user = selectors.supervisors().filter(pk=pk).first()
    if user is None:
        raise Http404
    console_services.revoke_supervisor_role(user, actor=request.user)
    messages.warning(
        request,
        _("%(name)s is no longer a provincial supervisor.") % {"name": user.get_username()},
    )
    return redirect("console_supervisor_index")


@national_only
def supervisor_provinces(request, pk):
    user = selectors.supervisors().filter(pk=pk).first()
    if user is None:
        raise Http404
    held = sorted(user.supervised_provinces.values_list("province", flat=True))
    form = SupervisedProvincesForm(request.POST or None, initial={"provinces": held})
    if request.method == "POST":
        if form.is_valid():
            console_services.set_supervised_provinces(
                user, form.cleaned_data["provinces"], actor=request.user
            )
            messages.success(
                request,
                _("The provinces of %(name)s were saved.") % {"name": user.get_username()},
            )
            return redirect("console_supervisor_index")
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "console/supervisor_provinces.html",
        {"supervisor": user, "form": form},
        status=400 if form.errors else 200,
    )
