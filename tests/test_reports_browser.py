"""The management reports in a real browser: the national dashboard (a national
administrator) and an agency's own report (its report viewer), at phone and desktop
width, with their charts. Checked by axe and the CSP; screenshots (reports-*.png) in var/screenshots/, or
where PANJEREH_SCREENSHOT_DIR says (docs/screenshots/ holds the committed ones)."""

import datetime
import uuid

import pytest
from django.db import connection

from . import test_browser as harness
from .test_browser import STAFF_PASSWORD, _serious_violations, _watch_csp

pytestmark = harness.pytestmark
_database_calls_beside_playwright = harness._database_calls_beside_playwright
catalogue = harness.catalogue
server = harness.server
browser = harness.browser

# var/screenshots/, or docs/screenshots/ with PANJEREH_SCREENSHOT_DIR=docs/screenshots.
DOCS = harness.SCREENSHOTS
NATIONAL_ADMIN = "reports-national"
VIEWER = "reports-viewer"
TRACKING_PREFIX = "9"  # the rows made here, removed afterwards


def _requests_of(agency, count, *, seed):
    """``count`` requests over the months of 1405 so far (Farvardin to Azar), HQ and field,
    most answered: written directly, as the reports read them."""
    from service_requests.models import ServiceRequest

    start = datetime.datetime(2026, 3, 21, 6, 0, tzinfo=datetime.UTC)  # 1 Farvardin 1405
    span_days = 250
    rows = []
    for n in range(count):
        submitted = start + datetime.timedelta(days=(n * 7 + seed) % span_days, hours=n % 9)
        answered = n % 5 != 0
        late = n % 4 == 0
        days = 2 + (n * 3 + seed) % 9
        number = seed * 10_000 + n
        rows.append(
            ServiceRequest(
                agency=agency,
                service_key=uuid.uuid5(uuid.NAMESPACE_URL, f"{agency.pk}-{n % 4}"),
                service_slug=f"service-{n % 4}",
                service_title=["ثبت ولادت", "کارت ملی", "گواهی اقامت", "تغییر نشانی"][n % 4],
                level="field" if n % 3 == 0 else "hq",
                unit_id=1 if n % 3 == 0 else None,
                province=agency.province or "tehran",
                sequence=900_000_000 + number,
                tracking_code=f"{TRACKING_PREFIX}{number:012d}",
                submission_token=uuid.uuid4(),
                status="answered" if answered else "accepted",
                submitted_at=submitted,
                promised_on=(submitted + datetime.timedelta(days=10)).date(),
                accepted_at=submitted + datetime.timedelta(hours=2),
                answered_at=submitted + datetime.timedelta(days=14 if late else days)
                if answered
                else None,
                answer_days=(12 if late else days) if answered else None,
                promised_days=8 if answered else None,
            )
        )
    ServiceRequest.objects.bulk_create(rows)


@pytest.fixture(scope="module")
def report_world(catalogue, django_db_blocker):
    """Requests of the sample agency and of a second one (a registry row only), a national
    administrator and the agency's report viewer; all removed afterwards."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from reports.models import BuiltMonth, Export, MonthAnswerDays, MonthFigures
    from service_requests.models import ServiceRequest
    from tenants.constants import AgencyRole, NationalRole
    from tenants.models import Agency
    from tenants.services import create_user_in_schema

    with django_db_blocker.unblock():
        other = Agency.objects.create(
            schema_name="agency_reports_other",
            slug="reports-other",
            name_fa="شهرداری نمونه",
            province="isfahan",
        )
        _requests_of(catalogue, 160, seed=1)
        _requests_of(other, 90, seed=2)
        create_user_in_schema(
            "public",
            username=NATIONAL_ADMIN,
            password=STAFF_PASSWORD,
            roles=[NationalRole.ADMINISTRATOR],
        )
        create_user_in_schema(
            catalogue.schema_name,
            username=VIEWER,
            password=STAFF_PASSWORD,
            roles=[AgencyRole.REPORT_VIEWER],
        )
        yield other
        connection.set_schema_to_public()
        for model in (MonthFigures, MonthAnswerDays, BuiltMonth, Export):
            model.objects.all().delete()
        ServiceRequest.objects.filter(tracking_code__startswith=TRACKING_PREFIX).delete()
        other.delete()
        get_user_model().objects.filter(username=NATIONAL_ADMIN).delete()
        with schema_context(catalogue.schema_name):
            get_user_model().objects.filter(username=VIEWER).delete()


def _log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.locator('button[type="submit"]').first.click()
    page.wait_for_url(f"{base}/admin/")


def _look(browser, base, username, path, name):
    DOCS.mkdir(parents=True, exist_ok=True)
    found = {}
    for width, height, label in ((390, 844, "phone"), (1280, 900, "desktop")):
        context = browser.new_context(viewport={"width": width, "height": height})
        violations = _watch_csp(context)
        page = context.new_page()
        _log_in(page, base, username)
        page.goto(f"{base}{path}")
        assert page.locator("svg#chart-trend > title").text_content() == "درخواست‌ها ماه به ماه"
        assert page.locator("svg#chart-levels rect").count() >= 4  # two levels × two series
        assert _serious_violations(page) == []
        page.screenshot(path=DOCS / f"reports-{name}-{label}.png", full_page=True)
        # The admin scrolls inside its own pane: the charts on their own too.
        charts = page.locator('section[aria-labelledby="charts-heading"]')
        charts.scroll_into_view_if_needed()
        charts.screenshot(path=DOCS / f"reports-{name}-charts-{label}.png")
        found[label] = page.locator("main").inner_text()
        assert violations == []
        context.close()
    return found


def test_the_national_dashboard_with_its_charts(browser, server, report_world):
    national = server.replace(f"//{server.split('//')[1].split('.')[0]}.", "//")
    shown = _look(
        browser,
        national,
        NATIONAL_ADMIN,
        "/admin/national-reports/?kind=year&year=1405",
        "national",
    )
    assert "شهرداری نمونه" in shown["desktop"]
    assert "رتبه‌بندی دستگاه‌ها بر پایهٔ پاسخ به موقع" in shown["desktop"]


def test_an_agency_s_report_with_its_charts(browser, server, report_world):
    shown = _look(browser, server, VIEWER, "/admin/reports/?kind=year&year=1405", "agency")
    assert "شهرداری نمونه" not in shown["desktop"]  # another agency's: never here
    assert "ثبت ولادت" in shown["desktop"]
