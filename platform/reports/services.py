"""Making report files: at once (one agency's, small), or as a job (``Export``) for the
national summaries and a whole year's XLSX."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tenants import jobs

from . import official, selectors
from .constants import ExportKind, ExportStatus
from .exports import XLSX_TYPE, as_xlsx
from .models import Export
from .periods import Period
from .tables import tables

PDF_TYPE = "application/pdf"


def filters_to_params(filters: selectors.Filters) -> dict:
    period = filters.period
    return {
        "kind": period.kind,
        "year": period.year,
        "number": period.number,
        "agency_id": filters.agency_id,
        "province": filters.province,
        "level": filters.level,
        "unit_id": filters.unit_id,
        "service_key": filters.service_key,
        "provinces": None if filters.provinces is None else sorted(filters.provinces),
    }


def params_to_filters(params: dict) -> selectors.Filters:
    provinces = params.get("provinces")
    return selectors.Filters(
        Period(params["kind"], params["year"], params["number"]),
        agency_id=params.get("agency_id"),
        province=params.get("province", ""),
        level=params.get("level", ""),
        unit_id=params.get("unit_id"),
        service_key=params.get("service_key", ""),
        provinces=None if provinces is None else frozenset(provinces),
    )


def render_file(kind: str, filters: selectors.Filters, *, title: str, agency_name: str):
    """The file of ``kind`` for ``filters``: (bytes, file name, content type)."""
    stem = slugify(f"{kind}-{filters.period.kind}-{filters.period.year}-{filters.period.number}")
    if kind == ExportKind.DASHBOARD_XLSX:
        report = selectors.report(filters, ranking=filters.agency_id is None)
        return as_xlsx(title, tables(report)), f"{stem}.xlsx", XLSX_TYPE
    which = "directive" if kind.startswith("directive") else "circular"
    content = official.build(which, filters.period, filters, agency_name=agency_name)
    if kind.endswith("_pdf"):
        return official.as_pdf(content), f"{stem}.pdf", PDF_TYPE
    return official.as_official_xlsx(content), f"{stem}.xlsx", XLSX_TYPE


@transaction.atomic
def request_export(
    *, user, schema: str, kind: str, filters: selectors.Filters, title: str, agency_name: str
) -> Export:
    """Record the export asked for and queue the job that makes it (with this transaction)."""
    export = Export.objects.create(
        schema=schema,
        requester_id=user.pk,
        requester=user.get_username(),
        kind=kind,
        title=title,
        params={**filters_to_params(filters), "agency_name": agency_name},
    )
    from .tasks import make_export

    jobs.defer(make_export, schema="public", export_id=export.pk)
    return export


def make_export(export_id: int) -> Export | None:
    """Make the export's file and mark it ready (or failed, saying why)."""
    export = Export.objects.filter(pk=export_id, status=ExportStatus.WAITING).first()
    if export is None:
        return None
    try:
        content, name, _type = render_file(
            export.kind,
            params_to_filters(export.params),
            title=export.title,
            agency_name=export.params.get("agency_name", ""),
        )
    except Exception as error:  # the export says it failed; the job's log keeps the trace
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        raise
    export.file.save(f"reports/{export.pk}/{name}", ContentFile(content), save=False)
    export.status = ExportStatus.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "finished_at"])
    return export
