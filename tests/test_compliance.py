"""Information-package compliance and the registry worksheets (issue #16, parts 3 and 8)."""

import datetime
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from catalog_pages.models import ServicePage
from catalog_pages.services import import_catalogue
from compliance import selectors, services, tasks
from compliance.models import ServiceCompliance
from service_requests.models import ServiceRequest, StatusChange
from tenants import jobs
from tenants.constants import AgencyRole, NationalRole
from tenants.models import SupervisedProvince

from .jobs_runner import run_jobs
from .test_roles import menu_labels

NOW = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC)


def _text(fa):
    return {"fa": fa}


def _service(slug, title, *, delivery="partial", level="hq", **parts):
    service = {
        "slug": slug,
        "registry_code": parts.pop("registry_code", ""),
        "title": _text(title),
        "summary": _text("خدمتی برای آزمون."),
        "level": level,
        "delivery": delivery,
        "duration_days": parts.pop("duration_days", 5),
        "steps": [{"title": _text("ثبت درخواست")}],
        "documents": parts.pop("documents", []),
        "complaint_procedure": _text("از بخش شکایات."),
        "responsible_official": parts.pop(
            "official", {"name": "علی رضایی", "position": _text("مدیر"), "phone": "021-1"}
        ),
        "fees": parts.pop("fees", []),
    }
    service.update(parts)
    if not service["registry_code"]:
        del service["registry_code"]
    return service


FULL = _service(
    "full-service",
    "خدمت کامل",
    delivery="full",
    registry_code="12011000001",
    documents=[
        {"slug": "id-card", "title": _text("کارت ملی")},
        {"slug": "photo", "title": _text("عکس"), "required": False},
    ],
    fees=[
        {"title": _text("هزینه صدور"), "amount_rials": 3000000},
        {"title": _text("هزینه پست"), "amount_rials": 500000},
    ],
    laws=[{"title": _text("قانون نمونه")}],
    faqs=[{"question": _text("چه مدت؟"), "answer": _text("پنج روز.")}],
    inquiries=[
        {"title": _text("استعلام نظام وظیفه"), "from_agency": "سازمان وظیفه عمومی"},
        {"title": _text("استعلام سجل کیفری"), "from_agency": "قوه قضاییه"},
    ],
)
# Publishable (the parts the law requires), but no laws, FAQs, inquiries, no contact of
# its official and in person only: 6 of the 11 parts.
BARE = _service(
    "bare-service",
    "خدمت ناقص",
    delivery="in_person",
    level="field",
    official={"name": "مریم احمدی", "position": _text("کارشناس")},
)
# Everything but FAQs: 10 of 11.
PARTIAL = _service(
    "partial-service",
    "خدمت نیمه‌الکترونیکی",
    laws=[{"title": _text("آیین‌نامه")}],
    inquiries=[{"title": _text("استعلام ثبت احوال"), "from_agency": "ثبت احوال"}],
    fees=[{"title": _text("هزینه"), "amount_rials": 100000}],
)


def catalogue(slug, name, province, services_, *, addresses=True) -> bytes:
    agency = {"slug": slug, "name": _text(name), "kind": "organization", "province": province}
    if addresses:
        agency["addresses"] = [{"title": _text("ستاد"), "address": _text("تهران، خیابان آزادی")}]
    return json.dumps(
        {"format": "service-catalog/1", "agency": agency, "services": services_}
    ).encode()


@pytest.fixture(scope="module")
def committed_world(django_db_setup, django_db_blocker):
    """Two agencies: «a» in Tehran (three services), «b» in Isfahan (one, no address);
    built once for the module (each test's changes are rolled back), removed after."""
    from django.db import connection
    from django_tenants.utils import schema_exists
    from wagtail.models import ModelLogEntry

    from tenants.models import Agency

    with django_db_blocker.unblock():
        a = import_catalogue(catalogue("comp-a", "سازمان الف", "tehran", [FULL, BARE, PARTIAL]))
        b = import_catalogue(
            catalogue(
                "comp-b", "سازمان ب", "isfahan", [{**FULL, "slug": "b-service"}], addresses=False
            )
        )
        assert a.ok and b.ok, (a.errors, b.errors)
        for report in (a, b):
            services.refresh_agency_compliance(report.agency, now=NOW)
        agencies = {"a": a.agency, "b": b.agency}
        yield agencies
        connection.set_schema_to_public()
        schemas = [agency.schema_name for agency in agencies.values()]
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM public.procrastinate_jobs WHERE args->>'schema' = ANY(%s)", [schemas]
            )
        ServiceCompliance.objects.filter(agency__in=agencies.values()).delete()
        ModelLogEntry.objects.filter(action__startswith="panjereh.").delete()
        Agency.objects.filter(pk__in=[agency.pk for agency in agencies.values()]).delete()
        for schema in schemas:
            if schema_exists(schema):
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def world(committed_world, db):
    return committed_world


def denied(response) -> bool:
    """Wagtail answers "permission denied" by sending staff back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def rows_of(agency):
    return {row.service_slug: row for row in ServiceCompliance.objects.filter(agency=agency)}


def test_scores_count_the_parts_the_rules_list(world):
    rows = rows_of(world["a"])
    assert rows["full-service"].score == 100
    assert rows["full-service"].missing_parts == []
    assert rows["bare-service"].missing_parts == [
        "laws",
        "faqs",
        "inquiries",
        "official",
        "online_form",
    ]
    assert rows["bare-service"].score == 55  # 6 of 11
    assert rows["partial-service"].missing_parts == ["faqs"]
    assert rows["partial-service"].score == 91  # 10 of 11
    # The other agency lists no address: its otherwise complete package lacks one part.
    (b_row,) = rows_of(world["b"]).values()
    assert b_row.missing_parts == ["addresses"]
    assert b_row.score == 91

    figures = selectors.figures_by_agency([world["a"].pk], now=NOW)[world["a"].pk]
    assert figures.services == 3
    assert figures.mean_score == 82  # (100 + 55 + 91) / 3
    assert figures.complete == 1
    assert (figures.full, figures.partial, figures.in_person) == (1, 1, 1)
    assert figures.shares == {"full": 33, "partial": 33, "in_person": 33}
    assert figures.without_online_form == 1
    assert figures.stale == 0  # just published


def test_publishing_records_the_review_and_the_job_refreshes_the_row(db):
    report = import_catalogue(catalogue("comp-c", "سازمان ج", "tehran", [PARTIAL]))
    agency = report.agency
    with schema_context(agency.schema_name):
        page = ServicePage.objects.get(slug="partial-service")
        assert page.last_reviewed_at is not None
        assert timezone.now() - page.last_reviewed_at < datetime.timedelta(minutes=5)
    assert not ServiceCompliance.objects.filter(agency=agency).exists()
    run_jobs(queues=["maintenance"])  # the job the publication deferred
    row = ServiceCompliance.objects.get(agency=agency)
    assert row.title == "خدمت نیمه‌الکترونیکی"
    assert row.last_reviewed_at == page.last_reviewed_at
    # Unpublished: its row goes.
    with schema_context(agency.schema_name):
        ServicePage.objects.get(pk=page.pk).unpublish()
    run_jobs(queues=["maintenance"])
    assert not ServiceCompliance.objects.filter(agency=agency).exists()
    # Operators can refresh at once (after a deployment) without waiting for the night.
    with schema_context(agency.schema_name):
        ServicePage.objects.get(pk=page.pk).save_revision().publish()
    ServiceCompliance.objects.filter(agency=agency).delete()
    out = io.StringIO()
    call_command("refresh_compliance", agency.slug, stdout=out)
    assert out.getvalue() == "comp-c: 1 services\n"
    assert ServiceCompliance.objects.filter(agency=agency).count() == 1


def _reviewed(agency, slug, when):
    with schema_context(agency.schema_name):
        ServicePage.objects.filter(slug=slug).update(last_reviewed_at=when)
    services.refresh_agency_compliance(agency, now=NOW)


def test_packages_not_reviewed_for_twelve_months_are_flagged(world, national_admin_client):
    a = world["a"]
    _reviewed(a, "full-service", NOW - datetime.timedelta(days=366))
    _reviewed(a, "partial-service", NOW - datetime.timedelta(days=364))
    rows = rows_of(a)
    assert selectors.is_stale(rows["full-service"], now=NOW)
    assert not selectors.is_stale(rows["partial-service"], now=NOW)
    assert not selectors.is_stale(rows["bare-service"], now=NOW)
    assert selectors.figures_by_agency([a.pk], now=NOW)[a.pk].stale == 1
    # Two days later the second one is due as well.
    later = NOW + datetime.timedelta(days=2)
    assert selectors.figures_by_agency([a.pk], now=later)[a.pk].stale == 2

    page = national_admin_client.get(f"/admin/compliance/agency/{a.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('compliance-flag">بازبینی نشده در ۱۲ ماه گذشته') >= 1
    assert "خدمت کامل" in html and "۵۵٪" in html


def _editor(agency, username, email, role):
    from tenants.services import create_user_in_schema

    create_user_in_schema(agency.schema_name, username=username, password="x" * 20, roles=[role])
    with schema_context(agency.schema_name):
        get_user_model().objects.filter(username=username).update(email=email)


def test_the_reminder_job_writes_to_editors_and_reviewers_once_a_month(world):
    a = world["a"]
    _editor(a, "ed", "editor@example.org", AgencyRole.EDITOR)
    _editor(a, "rev", "reviewer@example.org", AgencyRole.REVIEWER)
    _editor(a, "clerk", "clerk@example.org", AgencyRole.REQUEST_CLERK)
    year_ago = timezone.now() - datetime.timedelta(days=400)
    _reviewed(a, "full-service", year_ago)
    _reviewed(a, "bare-service", year_ago)
    mail.outbox.clear()

    jobs.defer(tasks.send_review_reminders, schema="public", timestamp=0)
    run_jobs(queues=["maintenance"])
    (sent,) = mail.outbox
    assert sorted(sent.to) == ["editor@example.org", "reviewer@example.org"]
    assert "خدمت کامل" in sent.body and "خدمت ناقص" in sent.body
    assert "خدمت نیمه‌الکترونیکی" not in sent.body
    assert f"/admin/pages/{rows_of(a)['full-service'].page_id}/edit/" in sent.body

    # The next day's run (and the next) sends nothing more...
    jobs.defer(tasks.send_review_reminders, schema="public", timestamp=1)
    run_jobs(queues=["maintenance"])
    assert len(mail.outbox) == 1
    # ...a month later, a package still not reviewed is reminded of again.
    assert services.send_review_reminders(now=timezone.now() + datetime.timedelta(days=31)) == 2
    assert len(mail.outbox) == 2
    # ...and that reminder is the one the next day's run counts from.
    assert services.send_review_reminders(now=timezone.now() + datetime.timedelta(days=32)) == 0
    assert len(mail.outbox) == 2


def test_a_reviewer_confirms_a_package_needs_no_change(world, staff_client):
    a = world["a"]
    _reviewed(a, "full-service", timezone.now() - datetime.timedelta(days=400))
    row = rows_of(a)["full-service"]
    assert selectors.is_stale(row)
    editor = staff_client(a, AgencyRole.EDITOR)
    assert "انطباق بسته‌های اطلاع‌رسانی خدمات" in menu_labels(editor)
    clerk = staff_client(a, AgencyRole.REQUEST_CLERK)
    assert "انطباق بسته‌های اطلاع‌رسانی خدمات" not in menu_labels(clerk)
    assert denied(clerk.get("/admin/package-compliance/"))
    listing = editor.get("/admin/package-compliance/")
    assert listing.status_code == 200
    assert "بازبینی نشده در ۱۲ ماه گذشته" in listing.content.decode()
    assert "سازمان ب" not in listing.content.decode()
    assert denied(editor.post(f"/admin/package-compliance/{row.page_id}/reviewed/"))

    reviewer = staff_client(a, AgencyRole.REVIEWER)
    done = reviewer.post(f"/admin/package-compliance/{row.page_id}/reviewed/", follow=True)
    assert done.status_code == 200
    assert "بازبینی شد" in done.content.decode()
    assert not selectors.is_stale(rows_of(a)["full-service"])
    with schema_context(a.schema_name):
        page = ServicePage.objects.get(pk=row.page_id)
        assert timezone.now() - page.last_reviewed_at < datetime.timedelta(minutes=5)
    # Another agency's staff and the national portal do not reach it.
    assert reviewer.get("/admin/compliance/").status_code == 404


def _answered(agency, slug, key, submitted, answered, number):
    request = ServiceRequest.objects.create(
        agency=agency,
        service_key=key,
        service_slug=slug,
        service_title=slug,
        level="hq",
        sequence=900000 + number,
        tracking_code=f"T{number:012d}",
        submission_token=uuid.uuid4(),
        status="answered",
        submitted_at=submitted,
        promised_on=submitted.date(),
        answered_at=answered,  # as service_requests.services keeps it
    )
    StatusChange.objects.create(
        request=request, from_status="in_progress", to_status="answered", actor="x", at=answered
    )


def test_services_slower_than_promised(world, national_admin_client):
    a = world["a"]
    row = rows_of(a)["partial-service"]  # promises 5 working days
    # Saturday 2026-11-07 08:00 Tehran; answers 4 and 8 working days later (Fridays skipped).
    start = datetime.datetime(2026, 11, 7, 4, 30, tzinfo=datetime.UTC)
    _answered(a, "partial-service", row.translation_key, start, start + datetime.timedelta(4), 1)
    _answered(a, "partial-service", row.translation_key, start, start + datetime.timedelta(9), 2)
    services.refresh_agency_compliance(a, now=NOW)
    row = rows_of(a)["partial-service"]
    assert row.answered_count == 2
    assert row.mean_answer_days == Decimal("6.0")
    assert row.slower_than_promised
    assert (
        "۶٫۰" in national_admin_client.get(f"/admin/compliance/agency/{a.slug}/").content.decode()
    )
    # The list of the agency's services slower than promised holds only that one.
    slower = national_admin_client.get(f"/admin/compliance/agency/{a.slug}/", {"only": "slower"})
    html = slower.content.decode()
    assert "خدمت نیمه‌الکترونیکی" in html and "خدمت ناقص" not in html
    no_form = national_admin_client.get(f"/admin/compliance/agency/{a.slug}/?only=no_online_form")
    assert "خدمت ناقص" in no_form.content.decode()
    assert "خدمت کامل" not in no_form.content.decode()
    assert selectors.figures_by_agency([a.pk], now=NOW)[a.pk].slower_than_promised == 1
    assert not rows_of(a)["full-service"].slower_than_promised


def test_a_provincial_supervisor_sees_only_agencies_of_their_province(world, national_client):
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR, username="sup-tehran")
    SupervisedProvince.objects.create(
        user=get_user_model().objects.get(username="sup-tehran"), province="tehran"
    )
    overview = supervisor.get("/admin/compliance/")
    assert overview.status_code == 200
    html = overview.content.decode()
    assert "سازمان الف" in html and "سازمان ب" not in html
    assert "۸۲٪" in html  # its mean completeness
    assert supervisor.get("/admin/compliance/agency/comp-a/").status_code == 200
    assert supervisor.get("/admin/compliance/agency/comp-b/").status_code == 404
    # The worksheets are national administrators' (and agency administrators').
    assert denied(supervisor.get("/admin/compliance/agency/comp-a/worksheet.xlsx"))
    assert denied(supervisor.get("/admin/compliance/worksheets/"))
    # A supervisor with no province sees none.
    nobody = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    assert "سازمان الف" not in nobody.get("/admin/compliance/").content.decode()


def _sheet(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def by_title(row):
    return row[1]


HEADERS = [
    "شناسه ثبت ملی",
    "عنوان خدمت",
    "سطح",
    "نحوه ارائه",
    "مدت (روز کاری)",
    "هزینه (ریال)",
    "تعداد مدارک",
    "فرم برخط",
    "استعلام‌ها",
]


def test_the_agency_worksheet_has_one_row_per_service(world, national_admin_client, staff_client):
    response = national_admin_client.get("/admin/compliance/agency/comp-a/worksheet.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet, rows = _sheet(response.content)
    assert sheet.sheet_view.rightToLeft
    assert rows[0] == HEADERS
    assert sorted(rows[1:], key=by_title) == sorted([
        ["12011000001", "خدمت کامل", "ستادی", "تمام الکترونیکی", 5, 3500000, 2, "بله",
         "استعلام نظام وظیفه، استعلام سجل کیفری"],
        [None, "خدمت نیمه‌الکترونیکی", "ستادی", "درخواست برخط، برخی مراحل حضوری", 5,
         100000, 0, "بله", "استعلام ثبت احوال"],
        [None, "خدمت ناقص", "صفی", "فقط حضوری", 5, 0, 0, "خیر", None],
    ], key=by_title)  # fmt: skip
    # The agency's administrator downloads the same on its own admin; an editor cannot.
    admin = staff_client(world["a"], AgencyRole.ADMINISTRATOR)
    own = admin.get("/admin/package-compliance/worksheet.xlsx")
    assert own.status_code == 200
    assert _sheet(own.content)[1] == rows
    editor = staff_client(world["a"], AgencyRole.EDITOR)
    assert denied(editor.get("/admin/package-compliance/worksheet.xlsx"))


def test_the_national_worksheet_is_prepared_by_a_job(world, national_admin_client):
    asked = national_admin_client.post("/admin/compliance/worksheets/", follow=True)
    assert asked.status_code == 200
    assert "در حال آماده‌سازی" in asked.content.decode()
    run_jobs(queues=["maintenance"])
    listing = national_admin_client.get("/admin/compliance/worksheets/").content.decode()
    assert "آماده" in listing
    export = selectors.recent_exports()[0]
    response = national_admin_client.get(f"/admin/compliance/worksheets/{export.pk}/")
    assert response.status_code == 200
    _sheet_, rows = _sheet(response.content)
    assert rows[0] == ["دستگاه", *HEADERS]
    assert [row[0] for row in rows[1:]] == ["سازمان الف"] * 3 + ["سازمان ب"]
    assert sorted((row[0], row[2]) for row in rows[1:]) == sorted(
        [
            ("سازمان الف", "خدمت کامل"),
            ("سازمان الف", "خدمت نیمه‌الکترونیکی"),
            ("سازمان الف", "خدمت ناقص"),
            ("سازمان ب", "خدمت کامل"),
        ]
    )


def test_empty_states_and_bad_input_are_answered_in_persian(db, onboard, staff_client):
    agency = onboard(slug="comp-empty").agency
    editor = staff_client(agency, AgencyRole.EDITOR)
    listing = editor.get("/admin/package-compliance/", {"p": "x"})
    assert listing.status_code == 200
    assert "هنوز خدمتی منتشر نشده است" in listing.content.decode()
    reviewer = staff_client(agency, AgencyRole.REVIEWER)
    assert reviewer.post("/admin/package-compliance/999999/reviewed/").status_code == 404
    assert reviewer.get("/admin/package-compliance/1/reviewed/").status_code == 405
