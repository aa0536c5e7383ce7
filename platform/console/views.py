"""National administrators' views of the agency registry (public schema only)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from persian.digits import parse_whole_number
from tenants import services
from tenants.guards import national_only
from tenants.models import Agency
from tenants.selectors import all_agencies

from .forms import OnboardAgencyForm

AGENCIES_PER_PAGE = 50


@national_only
def agency_index(request):
    page = Paginator(all_agencies(), AGENCIES_PER_PAGE).get_page(
        parse_whole_number(request.GET.get("p"), max_digits=6)
    )
    return render(request, "console/agency_index.html", {"agencies": page})


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
    return redirect("console_agency_index")
