"""Writes of the compliance summary, the review reminders and the registry worksheets.

Reading an agency's pages means entering its schema: ``_read_packages`` is the one
place that does. Everything else reads the public summary (``ServiceCompliance``).
"""

import datetime
import io
import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from catalog_pages.constants import Delivery
from service_requests.selectors import requests_of
from service_requests.working_days import working_days_between
from tenants import jobs
from tenants.constants import AgencyRole, ServiceLevel
from tenants.models import Agency
from tenants.schemas import in_public_schema

from .constants import (
    MEASURED_DAYS,
    REMINDER_INTERVAL_DAYS,
    REVIEW_INTERVAL_DAYS,
    CompliancePart,
    ExportStatus,
)
from .models import ReviewReminder, ServiceCompliance, WorksheetExport

logger = logging.getLogger("panjereh." + __name__)

PACKAGE_RELATIONS = ("steps", "documents", "fees", "laws", "faqs", "inquiries")


def missing_parts(page, *, agency_has_addresses: bool) -> list[str]:
    """The CompliancePart values ``page``'s package lacks.

    The parts the law requires before publishing are ``page.package_gaps()`` (their
    values are the same); the others are checked here."""
    missing = set(page.package_gaps())
    if not (page.official_phone.strip() or page.official_email.strip()):
        missing.add(CompliancePart.OFFICIAL)  # «مسئول اصلی ارائه خدمت و نحوه تماس با وی»
    for part, relation in (
        (CompliancePart.LAWS, "laws"),
        (CompliancePart.FAQS, "faqs"),
        (CompliancePart.INQUIRIES, "inquiries"),
    ):
        if not getattr(page, relation).all():
            missing.add(part)
    if not agency_has_addresses:
        missing.add(CompliancePart.ADDRESSES)
    if page.delivery == Delivery.IN_PERSON:
        missing.add(CompliancePart.ONLINE_FORM)
    return [part for part in CompliancePart.values if part in missing]


def score_of(missing: list[str]) -> int:
    total = len(CompliancePart.values)
    return round(100 * (total - len(missing)) / total)


def _read_packages(agency: Agency, translation_keys=None) -> list[dict]:
    """What the summary needs of each live Persian service page of ``agency``."""
    from catalog_pages.models import AgencyAddress, ServicePage

    with schema_context(agency.schema_name):
        has_addresses = AgencyAddress.objects.exists()
        pages = (
            ServicePage.objects.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .order_by("path")
            .prefetch_related(*PACKAGE_RELATIONS)
        )
        if translation_keys is not None:
            pages = pages.filter(translation_key__in=translation_keys)
        packages = []
        for page in pages:
            missing = missing_parts(page, agency_has_addresses=has_addresses)
            inquiries = [inquiry.title for inquiry in page.inquiries.all()]
            packages.append(
                {
                    "translation_key": page.translation_key,
                    "page_id": page.pk,
                    "service_slug": page.slug,
                    "title": page.title,
                    "registry_code": page.registry_code,
                    "level": page.level,
                    "delivery": page.delivery,
                    "duration_days": page.duration_days,
                    "is_free": page.is_free,
                    "fees_rials": sum(fee.amount_rials for fee in page.fees.all()),
                    "documents_count": len(page.documents.all()),
                    "has_online_form": page.delivery != Delivery.IN_PERSON,
                    "inquiries": "، ".join(inquiries),
                    "inquiries_count": len(inquiries),
                    "missing_parts": missing,
                    "score": score_of(missing),
                    # Pages published before the date was kept: their last publication.
                    "last_reviewed_at": page.last_reviewed_at or page.last_published_at,
                }
            )
        return packages


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _answer_times(agency: Agency, keys, now) -> dict:
    """Per service: (answered requests, mean working days from submission to answer)."""
    answered = (
        requests_of(agency)
        .filter(service_key__in=keys, submitted_at__gte=now - datetime.timedelta(MEASURED_DAYS))
        # answered_at: the first answer (service_requests.report_times keeps it).
        .filter(answered_at__isnull=False)
        .values_list("service_key", "submitted_at", "answered_at")
    )
    days: dict = {}
    for key, submitted_at, answered_at in answered:
        days.setdefault(key, []).append(
            working_days_between(_local_day(submitted_at), _local_day(answered_at))
        )
    return {
        key: (len(values), (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")))
        for key, values in days.items()
    }


SUMMARY_FIELDS = (
    "page_id",
    "service_slug",
    "title",
    "registry_code",
    "level",
    "delivery",
    "duration_days",
    "is_free",
    "fees_rials",
    "documents_count",
    "has_online_form",
    "inquiries",
    "inquiries_count",
    "missing_parts",
    "score",
    "last_reviewed_at",
    "answered_count",
    "mean_answer_days",
    "refreshed_at",
)


def refresh_agency_compliance(agency: Agency, *, translation_keys=None, now=None) -> int:
    """Bring ``agency``'s summary rows (all, or those of ``translation_keys``) up to date
    with its live pages and its requests; rows of services no longer live go. Returns how
    many rows are kept."""
    now = now or timezone.now()
    if translation_keys is not None:
        translation_keys = [str(key) for key in translation_keys]
    packages = _read_packages(agency, translation_keys)
    with in_public_schema(), transaction.atomic():
        live = [package["translation_key"] for package in packages]
        times = _answer_times(agency, live, now)
        rows = []
        for package in packages:
            count, mean = times.get(package["translation_key"], (0, None))
            rows.append(
                ServiceCompliance(
                    agency=agency,
                    answered_count=count,
                    mean_answer_days=mean,
                    refreshed_at=now,
                    **package,
                )
            )
        gone = ServiceCompliance.objects.filter(agency=agency).exclude(translation_key__in=live)
        if translation_keys is not None:
            gone = gone.filter(translation_key__in=translation_keys)
        gone.delete()
        ServiceCompliance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["agency", "translation_key"],
            update_fields=list(SUMMARY_FIELDS),
        )
    return len(rows)


def refresh_service_later(agency_schema: str, translation_key) -> None:
    """Queue the refresh of one service's row (in the caller's transaction)."""
    from . import tasks

    jobs.defer(
        tasks.refresh_service_compliance,
        schema=agency_schema,
        translation_key=str(translation_key),
        queueing_lock=f"compliance:{agency_schema}:{translation_key}",
    )


def refresh_all_later() -> int:
    """Queue one refresh per active agency (the nightly job); returns how many."""
    from . import tasks

    queued = 0
    for schema in Agency.objects.filter(is_active=True).values_list("schema_name", flat=True):
        queued += (
            jobs.defer(
                tasks.refresh_agency_compliance_job,
                schema=schema,
                queueing_lock=f"compliance:{schema}",
            )
            is not None
        )
    return queued


def review_due_before(now) -> datetime.datetime:
    return now - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)


def due_for_review(now) -> Q:
    """The packages due for review at ``now``: never reviewed, or not for twelve months."""
    return Q(last_reviewed_at__lt=review_due_before(now)) | Q(last_reviewed_at__isnull=True)


def mark_reviewed(agency: Agency, page, *, user=None, now=None) -> None:
    """A reviewer confirms ``page`` needs no change: its review date, and the summary."""
    from catalog_pages.services import mark_service_reviewed

    now = now or timezone.now()
    with schema_context(agency.schema_name):
        mark_service_reviewed(page, user=user, now=now)
    refresh_agency_compliance(agency, translation_keys=[page.translation_key], now=now)


# --- reminders -------------------------------------------------------------------------

REMINDED_ROLES = (AgencyRole.EDITOR, AgencyRole.REVIEWER)


def _editor_emails(agency: Agency) -> list[str]:
    with schema_context(agency.schema_name):
        return sorted(
            set(
                get_user_model()
                .objects.filter(
                    is_active=True, groups__name__in=[str(role) for role in REMINDED_ROLES]
                )
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )


def _reminder_text(agency: Agency, rows) -> tuple[str, str]:
    lines = [
        _(
            "These services of %(agency)s have not been reviewed for twelve months. The rules "
            "ask for every information package to be brought up to date once a year: open "
            "each one, correct what has changed and publish it, or confirm that nothing "
            "needs changing."
        )
        % {"agency": agency.name_fa},
        "",
    ]
    for row in rows:
        lines.append(
            f"- {row.title}: {agency.site_url.rstrip('/')}/admin/pages/{row.page_id}/edit/"
        )
    subject = _("Information packages due for their yearly review: %(count)s") % {
        "count": len(rows)
    }
    return subject, "\n".join(lines)


def send_review_reminders(*, now=None) -> int:
    """Remind each agency's editors and reviewers of its packages not reviewed for twelve
    months, by email; a package at most once in ``REMINDER_INTERVAL_DAYS``. Returns how
    many packages were reminded of."""
    now = now or timezone.now()
    recently = ReviewReminder.objects.filter(
        sent_at__gte=now - datetime.timedelta(days=REMINDER_INTERVAL_DAYS)
    ).values_list("agency_id", "translation_key")
    skip = set(recently)
    due = (
        ServiceCompliance.objects.filter(agency__is_active=True)
        .filter(due_for_review(now))
        .select_related("agency")
        .order_by("agency_id", "title")
    )
    by_agency: dict[int, list] = {}
    for row in due:
        if (row.agency_id, row.translation_key) not in skip:
            by_agency.setdefault(row.agency_id, []).append(row)
    reminded = 0
    for rows in by_agency.values():
        agency = rows[0].agency
        recipients = _editor_emails(agency)
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _reminder_text(agency, rows)
        with transaction.atomic():
            ReviewReminder.objects.bulk_create(
                [
                    ReviewReminder(
                        agency=agency,
                        translation_key=row.translation_key,
                        sent_at=now,
                        recipients=len(recipients),
                    )
                    for row in rows
                ],
                update_conflicts=True,
                unique_fields=["agency", "translation_key"],
                update_fields=["sent_at", "recipients"],
            )
            if recipients:
                # Sent once the rows are written: a failure leaves them unsent next time too.
                send_mail(subject, body, None, recipients)
        reminded += len(rows)
    return reminded


# --- registry worksheets (کاربرگ) --------------------------------------------------------


def worksheet_headers(*, with_agency: bool) -> list[str]:
    headers = [
        _("Registry identifier"),
        _("Service title"),
        _("Level"),
        _("Delivery mode"),
        _("Duration (working days)"),
        _("Fees (rials)"),
        _("Number of documents"),
        _("Online form"),
        _("Inquiries"),
    ]
    return [_("Agency"), *headers] if with_agency else headers


def worksheet_labels() -> dict:
    """The words of the worksheet's cells, looked up once per file (not per row)."""
    return {
        "level": {value: str(label) for value, label in ServiceLevel.choices},
        "delivery": {value: str(label) for value, label in Delivery.choices},
        True: _("Yes"),
        False: _("No"),
    }


def worksheet_row(row: ServiceCompliance, *, with_agency: bool, labels: dict) -> list:
    cells = [
        row.registry_code,
        row.title,
        labels["level"].get(row.level, row.level),
        labels["delivery"].get(row.delivery, row.delivery),
        row.duration_days,
        0 if row.is_free else row.fees_rials,
        row.documents_count,
        labels[bool(row.has_online_form)],
        row.inquiries,
    ]
    return [row.agency.name_fa, *cells] if with_agency else cells


# Column widths (characters) of the worksheet, in the order of its headers.
WORKSHEET_WIDTHS = [16, 40, 12, 30, 14, 16, 12, 10, 40]


def build_worksheet(rows, *, with_agency: bool, title: str) -> bytes:
    """The registry worksheet (one row per service) as an XLSX file, right to left.

    Written in openpyxl's write-only mode: a national catalogue of tens of thousands of
    services is streamed, not held cell by cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title[:31])
        sheet.sheet_view.rightToLeft = True
        sheet.freeze_panes = "A2"
        widths = [30, *WORKSHEET_WIDTHS] if with_agency else WORKSHEET_WIDTHS
        for number, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        header = []
        for text in worksheet_headers(with_agency=with_agency):
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        labels = worksheet_labels()
        for row in rows:
            sheet.append(worksheet_row(row, with_agency=with_agency, labels=labels))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


def agency_worksheet(agency: Agency) -> bytes:
    rows = ServiceCompliance.objects.filter(agency=agency).select_related("agency")
    return build_worksheet(
        rows.order_by("title", "pk"), with_agency=False, title=_("Registry worksheet")
    )


def request_national_worksheet(user, *, now=None) -> WorksheetExport:
    """Queue the national catalogue's worksheet; it is offered for download when done."""
    from . import tasks

    export = WorksheetExport.objects.create(requested_by=user, created_at=now or timezone.now())
    jobs.defer(tasks.build_national_worksheet_job, schema="public", export_id=export.pk)
    return export


def build_national_worksheet(export_id: int) -> WorksheetExport | None:
    export = WorksheetExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).first()
    if export is None:
        return None
    rows = (
        ServiceCompliance.objects.filter(agency__is_active=True)
        .select_related("agency")
        .order_by("agency__name_fa", "title", "pk")
    )
    try:
        content = build_worksheet(rows, with_agency=True, title=_("National catalogue"))
    except Exception:
        logger.exception("The national worksheet %s could not be built", export_id)
        export.status = ExportStatus.FAILED
    else:
        export.status = ExportStatus.READY
        export.content = content
        export.rows = len(rows)
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "content", "rows", "finished_at"])
    return export
