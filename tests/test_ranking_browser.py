"""The ranking in a real browser (tests/test_browser.py's harness: granian, Chromium, axe):
a national administrator reads it on a phone and on a desktop; the chart is an inline
SVG with a title, and the page breaks no rule of its policy.

The screenshots land in var/screenshots/ (``PANJEREH_SCREENSHOT_DIR=docs/screenshots``
for the README's copies)."""

# The harness's fixtures are imported by name, so test arguments "redefine" them.
# ruff: noqa: F811

import os
from pathlib import Path

import pytest
from django.db import connection

from .fixtures.servers import free_port, start_granian
from .test_browser import (  # noqa: F401 - fixtures of the browser harness
    CHROMIUM,
    ROOT,
    SCREENSHOTS,
    STAFF_PASSWORD,
    _database_calls_beside_playwright,
    _serious_violations,
    _watch_csp,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

ADMIN = "ranking-admin"
KINDS = ["ministry", "ministry", "ministry", "organization", "municipality", "public_company"]
NAMES = [
    "وزارت ارتباطات و فناوری اطلاعات",
    "وزارت تعاون، کار و رفاه اجتماعی",
    "وزارت راه و شهرسازی",
    "سازمان ثبت اسناد و املاک کشور",
    "شهرداری تهران",
    "شرکت ملی پست",
]


@pytest.fixture(scope="module")
def ranked_world(django_db_setup, django_db_blocker):
    """Six agencies with requests answered on time or late and surveys, committed so the
    server sees them; removed afterwards."""
    import datetime
    import uuid

    from django.utils import timezone
    from wagtail.models import ModelLogEntry

    from evaluation.models import EvaluationPeriod
    from service_requests.constants import RequestStatus
    from service_requests.models import ServiceRequest, StatusChange
    from surveys.models import SurveyResponse
    from tenants.constants import NationalRole, Province
    from tenants.models import Agency
    from tenants.services import create_user_in_schema

    assert connection.settings_dict["NAME"].startswith("test_"), "never the real database"
    zone = timezone.get_fixed_timezone(210)
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        periods_before = set(EvaluationPeriod.objects.values_list("pk", flat=True))
        agencies = []
        for number, (kind, name) in enumerate(zip(KINDS, NAMES, strict=True)):
            agency = Agency.objects.create(
                schema_name=f"agency_rank_{number}",
                slug=f"rank-{number}",
                name_fa=name,
                kind=kind,
                province=Province.TEHRAN if number % 2 else Province.ISFAHAN,
            )
            agencies.append(agency)
            today = timezone.localdate()
            for index in range(6):
                sequence = 8 * 10**14 + number * 100 + index
                request = ServiceRequest.objects.create(
                    agency=agency,
                    service_key=uuid.uuid4(),
                    service_slug="rank",
                    service_title="خدمت",
                    level="hq",
                    sequence=sequence,
                    tracking_code=str(sequence)[-13:],
                    submission_token=uuid.uuid4(),
                    status=RequestStatus.ANSWERED,
                    submitted_at=timezone.now() - datetime.timedelta(days=20),
                    promised_on=today - datetime.timedelta(days=10),
                )
                late = index < number
                StatusChange.objects.create(
                    request=request,
                    to_status=RequestStatus.ANSWERED,
                    actor="clerk",
                    at=datetime.datetime.combine(
                        today - datetime.timedelta(days=5 if late else 12),
                        datetime.time(10),
                        tzinfo=zone,
                    ),
                )
                SurveyResponse.objects.create(
                    request=request,
                    agency=agency,
                    service_key=request.service_key,
                    service_title="خدمت",
                    overall=5 - (index + number) % 4,
                    time_kept=not late,
                    staff_conduct=4,
                    clarity=4,
                    submitted_at=timezone.now() - datetime.timedelta(days=3),
                )
        create_user_in_schema(
            "public", username=ADMIN, password=STAFF_PASSWORD, roles=[NationalRole.ADMINISTRATOR]
        )
    yield agencies
    with django_db_blocker.unblock():
        from django.contrib.auth import get_user_model

        connection.set_schema_to_public()
        ServiceRequest.objects.filter(agency__in=agencies).delete()
        SurveyResponse.objects.filter(agency__in=agencies).delete()
        Agency.objects.filter(pk__in=[agency.pk for agency in agencies]).delete()
        EvaluationPeriod.objects.exclude(pk__in=periods_before).delete()
        get_user_model().objects.filter(username=ADMIN).delete()
        ModelLogEntry.objects.filter(action__startswith="panjereh.").delete()


SERVER_APPLICATION_NAME = "panjereh-ranking-browser-server"


@pytest.fixture(scope="module")
def national_server(ranked_world, django_db_blocker):
    from django.conf import settings

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "PANJEREH_DATABASE_NAME": connection.settings_dict["NAME"],
        "PUBLIC_PORT": str(port),
        "PGAPPNAME": SERVER_APPLICATION_NAME,
    }
    try:
        process = start_granian(port, env)
    except RuntimeError as error:
        pytest.fail(str(error))
    yield f"http://{settings.BASE_DOMAIN}:{port}"
    process.terminate()
    process.wait(timeout=20)
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SERVER_APPLICATION_NAME],
        )


@pytest.fixture(scope="module")
def chromium(national_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.mark.parametrize(
    ("width", "height", "label"), [(390, 844, "phone"), (1280, 900, "desktop")]
)
def test_the_ranking_reads_on_a_phone_and_a_desktop(
    chromium, national_server, width, height, label
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": width, "height": height})
    violations = _watch_csp(context)
    page = context.new_page()
    page.goto(f"{national_server}/admin/login/")
    page.fill('[name="username"]', ADMIN)
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.locator('button[type="submit"]').first.click()
    page.wait_for_url(f"{national_server}/admin/")
    response = page.goto(f"{national_server}/admin/evaluation/ranking/?scope=running")
    assert response.status == 200
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").first.inner_text().strip() == "رتبه‌بندی دستگاه‌ها"
    chart = page.locator("figure.ranking-chart svg")
    assert chart.locator("title").first.text_content().strip() == "دستگاه‌های با بالاترین امتیاز"
    assert chart.locator("rect").count() == len(NAMES)
    box = chart.bounding_box()
    assert box["width"] <= width  # the chart keeps to the screen
    ministries = page.locator("section", has=page.locator("h3", has_text="وزارتخانه"))
    assert ministries.locator("tbody tr").count() == 3
    assert "۱" in ministries.locator("tbody tr").first.locator("td").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / f"ranking-{label}.png"), full_page=True)
    assert _serious_violations(page) == []
    # An agency's breakdown, from its row.
    ministries.locator("tbody tr th a").first.click()
    page.wait_for_load_state()
    assert "امتیاز" in page.locator("h1").first.inner_text()
    assert page.locator("table.listing tbody tr").count() >= 4
    if label == "desktop":
        page.screenshot(path=str(SCREENSHOTS / "ranking-breakdown.png"), full_page=True)
    assert _serious_violations(page) == []
    context.close()
    assert violations == [], "\n".join(violations)
