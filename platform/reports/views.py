"""The reports screens: national (public schema: national administrators see every
request, provincial supervisors those of their provinces) and each agency's own (its
administrators and report viewers), with charts, tables, exports and the official
reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from persian.dates import fa_digits, percent
from tenants.constants import NationalRole
from tenants.guards import check_agency, has_national_role, national_only
from tenants.schemas import on_public_schema
from tenants.selectors import agencies_visible_to, visible_provinces

from . import charts, selectors, services
from .constants import ExportKind, ExportStatus, PeriodKind
from .exports import CSV_TYPE, XLSX_TYPE, as_csv, as_xlsx
from .forms import ReportFilterForm, default_period
from .models import Export
from .official import definitions
from .periods import periods_in_year
from .tables import level_label, tables

# The agency's administrators and report viewers hold it (tenants.roles).
VIEW_REPORTS = "surveys.view_survey_results"
NATIONAL_ROLES = (NationalRole.ADMINISTRATOR, NationalRole.PROVINCIAL_SUPERVISOR)
RANKED_IN_CHART = 15


def _filters(form, *, agency_id=None, provinces=None) -> selectors.Filters | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return selectors.Filters(
        form.period(),
        agency_id=agency_id if agency_id is not None else (data.get("agency") or None),
        province=data.get("province", ""),
        level=data.get("level", ""),
        service_key=data.get("service", "") or "",
        provinces=provinces,
    )


def _charts(report: dict) -> dict:
    months = report["trend"]
    result = {
        _("Requests month by month"): charts.grouped_bars(
            "chart-trend",
            _("Requests month by month"),
            _(
                "Requests received and answered in each month of the period; the table below gives the numbers."
            ),
            [(month["label"], [month["received"], month["answered"]]) for month in months],
            [_("Received"), _("Answered")],
        ),
        _("HQ against field units"): charts.grouped_bars(
            "chart-levels",
            _("HQ against field units"),
            _("Requests received and answered at HQ and at field units."),
            [
                (level_label(row["level"]), [row["received"], row["answered"]])
                for row in report["levels"]
            ],
            [_("Received"), _("Answered")],
            height=220,
        ),
    }
    if report["agencies"]:
        ranked = report["agencies"][:RANKED_IN_CHART]
        result[_("Agencies ranked by timeliness")] = charts.horizontal_bars(
            "chart-ranking",
            _("Agencies ranked by timeliness"),
            _(
                "The share of each agency's answered requests answered by the promised date, best first."
            ),
            [
                (row["agency_name"], row["on_time_share"], percent(row["on_time_share"]))
                for row in ranked
            ],
        )
    return [{"title": title, "svg": svg} for title, svg in result.items()]


def _export_response(request, report, title: str):
    shown = tables(report)
    if request.GET.get("format") == "csv":
        response = HttpResponse(as_csv(title, shown), content_type=CSV_TYPE)
        response["Content-Disposition"] = 'attachment; filename="report.csv"'
        return response
    response = HttpResponse(as_xlsx(title, shown), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="report.xlsx"'
    return response


def _page(request, *, form, filters, ranking: bool, scope_title: str, context: dict):
    status = 200
    report = None
    if filters is None:
        status = 400
    else:
        report = selectors.report(filters, ranking=ranking)
        wanted = request.GET.get("format")
        if wanted in ("csv", "xlsx"):
            return _export_response(request, report, f"{scope_title} – {filters.period.label}")
    context.update(
        form=form,
        report=report,
        tables=tables(report) if report else [],
        charts=_charts(report) if report else [],
        scope_title=scope_title,
        query=request.GET.urlencode(),
        official=[
            {
                "definition": definition,
                "numbers": [
                    (n, fa_digits(n)) for n in range(1, periods_in_year(definition.period_kind) + 1)
                ],
            }
            for definition in definitions().values()
        ],
        exports=_my_exports(request),
    )
    return render(request, "reports/dashboard.html", context, status=status)


def _my_exports(request):
    return Export.objects.filter(
        schema=request.tenant.schema_name if not on_public_schema() else "public",
        requester_id=request.user.pk,
    )[:10]


def _data(request) -> dict:
    data = request.GET.dict()
    data.pop("format", None)
    if not data:
        period = default_period()
        data = {"kind": period.kind, "year": str(period.year)}
    return data


@national_only(roles=NATIONAL_ROLES)
@require_GET
def national_dashboard(request):
    provinces = visible_provinces(request.user)
    agencies = [(agency.pk, agency.name_fa) for agency in agencies_visible_to(request.user)]
    data = _data(request)
    agency_id = data.get("agency")
    services_list = ()
    if agency_id and agency_id.isdigit() and int(agency_id) in {pk for pk, _ in agencies}:
        services_list = selectors.services_of(int(agency_id))
    form = ReportFilterForm(data, agencies=agencies, provinces=provinces, services=services_list)
    filters = _filters(form, provinces=provinces)
    return _page(
        request,
        form=form,
        filters=filters,
        ranking=True,
        scope_title=_("Every agency") if provinces is None else _("Your provinces"),
        context={"national": True, "action": reverse("reports_national")},
    )


@require_GET
def agency_dashboard(request):
    agency = check_agency(request, VIEW_REPORTS)
    form = ReportFilterForm(_data(request), services=selectors.services_of(agency.pk))
    filters = _filters(form, agency_id=agency.pk)
    return _page(
        request,
        form=form,
        filters=filters,
        ranking=False,
        scope_title=agency.name_fa,
        context={"national": False, "action": reverse("reports_agency")},
    )


def _official_filters(request, which: str):
    """The official report's period and scope from the posted form; raises 403 / 404."""
    definition = definitions().get(which)
    if definition is None:
        raise Http404
    data = {**request.POST.dict(), "kind": definition.period_kind}
    if on_public_schema():
        if not has_national_role(request.user, NATIONAL_ROLES):
            raise PermissionDenied
        provinces = visible_provinces(request.user)
        agencies = {agency.pk: agency.name_fa for agency in agencies_visible_to(request.user)}
        form = ReportFilterForm(data, agencies=list(agencies.items()), provinces=provinces)
        filters = _filters(form, provinces=provinces)
        name = agencies.get(filters.agency_id) if filters and filters.agency_id else None
        agency_name = name or _("National summary")
        schema = "public"
    else:
        agency = check_agency(request, VIEW_REPORTS)
        form = ReportFilterForm(data)
        filters = _filters(form, agency_id=agency.pk)
        agency_name = agency.name_fa
        schema = agency.schema_name
    return definition, form, filters, agency_name, schema


@require_POST
def official_report(request, which: str):
    """One click: the official report as a PDF or XLSX; the national summary as a job."""
    fmt = request.POST.get("fmt")
    if fmt not in ("pdf", "xlsx"):
        fmt = "pdf"
    definition, form, filters, agency_name, schema = _official_filters(request, which)
    back = request.META.get("HTTP_REFERER") or reverse(
        "reports_national" if on_public_schema() else "reports_agency"
    )
    if filters is None:
        messages.error(
            request,
            _("Choose the year and which %(period)s of it for this report.")
            % {"period": PeriodKind(definition.period_kind).label},
        )
        return redirect(back)
    kind = f"{which}_{fmt}"
    title = f"{definition.title} ({definition.number}) – {agency_name} – {filters.period.label}"
    if filters.agency_id is None:
        services.request_export(
            user=request.user,
            schema=schema,
            kind=kind,
            filters=filters,
            title=title,
            agency_name=agency_name,
        )
        messages.success(
            request,
            _("The report is being prepared: it will be offered below for download when ready."),
        )
        return redirect(back)
    content, name, content_type = services.render_file(
        kind, filters, title=title, agency_name=agency_name
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def export_year(request):
    """The XLSX of what is shown, made by a job (a whole year's, or anything asked so)."""
    if on_public_schema():
        if not has_national_role(request.user, NATIONAL_ROLES):
            raise PermissionDenied
        provinces = visible_provinces(request.user)
        agencies = [(agency.pk, agency.name_fa) for agency in agencies_visible_to(request.user)]
        form = ReportFilterForm(request.POST.dict(), agencies=agencies, provinces=provinces)
        filters = _filters(form, provinces=provinces)
        schema, name = "public", _("Every agency")
        back = reverse("reports_national")
    else:
        agency = check_agency(request, VIEW_REPORTS)
        form = ReportFilterForm(request.POST.dict(), services=selectors.services_of(agency.pk))
        filters = _filters(form, agency_id=agency.pk)
        schema, name = agency.schema_name, agency.name_fa
        back = reverse("reports_agency")
    if filters is None:
        messages.error(request, _("Correct the report's filters first."))
        return redirect(back)
    services.request_export(
        user=request.user,
        schema=schema,
        kind=ExportKind.DASHBOARD_XLSX,
        filters=filters,
        title=f"{name} – {filters.period.label}",
        agency_name=name,
    )
    messages.success(
        request, _("The file is being prepared: it will be offered below for download when ready.")
    )
    return redirect(back)


@require_GET
def download_export(request, pk: int):
    """An export's file: for the one who asked for it, or a national administrator."""
    export = Export.objects.filter(pk=pk, status=ExportStatus.READY).first()
    if export is None:
        raise Http404
    schema = "public" if on_public_schema() else request.tenant.schema_name
    mine = export.schema == schema and export.requester_id == request.user.pk
    national = on_public_schema() and has_national_role(request.user, (NationalRole.ADMINISTRATOR,))
    if not request.user.is_authenticated or not (mine or national):
        raise Http404
    name = export.file.name.rsplit("/", 1)[-1]
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)
