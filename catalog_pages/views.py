"""Agency admin views: catalogue import/export and the package completeness report."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from tenants.guards import check_agency
from tenants.roles import IMPORT_CATALOGUE

from .catalog_format.convert import dumps
from .selectors import export_catalogue
from .services import import_catalogue

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(label=_("Catalogue file (JSON, service-catalog/1)"))
    dry_run = forms.BooleanField(
        label=_("Only check the file; change nothing"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def _agency_administrator(request):
    return check_agency(request, IMPORT_CATALOGUE)


def catalogue_import(request):
    agency = _agency_administrator(request)
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_catalogue(
            form.cleaned_data["file"].read(),
            dry_run=form.cleaned_data["dry_run"],
            expected_agency=agency,
        )
        if report.ok and not form.cleaned_data["dry_run"]:
            log(
                instance=agency,
                action="panjereh.catalogue.import",
                user=request.user,
                data={"changed": bool(report.changed)},
            )
    return render(
        request, "catalog_pages/admin/catalogue_import.html", {"form": form, "report": report}
    )


def catalogue_export(request):
    agency = _agency_administrator(request)
    log(instance=agency, action="panjereh.catalogue.export", user=request.user)
    response = HttpResponse(
        dumps(export_catalogue(agency)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{agency.slug}-catalogue.json"'
    return response
