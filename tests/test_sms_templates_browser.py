"""The agency's SMS text editor in a real browser: the preview and the SMS-part count follow
what the administrator types (notifications/sms-text.js, under the admin's policy), the
form is accessible, and a screenshot of the editor on a phone.

Served by granian from the test database (the harness of tests/test_browser.py).
"""

# The harness's fixtures are imported by name, so test arguments "redefine" them.
# ruff: noqa: F811

from pathlib import Path

import pytest

from .test_browser import (  # noqa: F401 - fixtures of the browser harness
    CHROMIUM,
    SCREENSHOTS,
    STAFF_PASSWORD,
    _database_calls_beside_playwright,
    _watch_csp,
    browser,
    catalogue,
    server,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def manager(catalogue, django_db_blocker):
    from tenants.constants import AgencyRole
    from tenants.services import create_user_in_schema

    with django_db_blocker.unblock():
        create_user_in_schema(
            catalogue.schema_name,
            username="manager",
            password=STAFF_PASSWORD,
            roles=[AgencyRole.ADMINISTRATOR],
        )
    yield "manager"
    from notifications.models import SmsTemplate

    # The server committed the agency's own text: later tests start without it.
    with django_db_blocker.unblock():
        SmsTemplate.objects.filter(agency_schema=catalogue.schema_name).delete()


def _editor_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        context="form",
        options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_preview_and_the_part_count_follow_the_text(browser, server, manager):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR")
    violations = _watch_csp(context)
    page = context.new_page()
    page.goto(f"{server}/admin/login/")
    page.fill('[name="username"]', manager)
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.locator('button[type="submit"]').first.click()
    page.wait_for_url(f"{server}/admin/")

    page.goto(f"{server}/admin/agency-sms-texts/step/")
    area = page.locator('textarea[name="text"]')
    area.fill("ثبت احوال: درخواست {code} به گام «{step}» رسید.")

    preview = page.locator("[data-sms-preview]")
    count = page.locator("[data-sms-count]")
    assert preview.text_content() == "ثبت احوال: درخواست 1405-00001234 به گام «بررسی مدارک» رسید."
    assert "۵۹ نویسه، ۱ پیامک" in count.text_content()
    area.fill("{code} " + "الف" * 30)
    assert "۱۰۴ نویسه، ۲ پیامک" in count.text_content()
    assert count.get_attribute("aria-live") == "polite"
    assert "characters" not in count.text_content()
    assert _editor_violations(page) == []
    area.fill("ثبت احوال: درخواست {code} به گام «{step}» رسید.")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-sms-template-phone.png"), full_page=True)

    page.locator('button[type="submit"]').filter(has_text="ذخیره").click()
    page.wait_for_url(f"{server}/admin/agency-sms-texts/")
    assert "ثبت احوال: درخواست {code} به گام" in page.content()
    assert violations == []
    context.close()


@pytest.fixture(scope="module")
def national_admin(catalogue, django_db_blocker):
    from django.contrib.auth import get_user_model

    from tenants.constants import NationalRole
    from tenants.services import create_user_in_schema

    with django_db_blocker.unblock():
        create_user_in_schema(
            "public",
            username="sms-national",
            password=STAFF_PASSWORD,
            roles=[NationalRole.ADMINISTRATOR],
        )
    yield "sms-national"
    with django_db_blocker.unblock():
        get_user_model().objects.filter(username="sms-national").delete()


def test_the_national_editor_counts_and_previews_too(browser, server, catalogue, national_admin):
    from notifications.models import SmsTemplate

    portal = server.replace(f"//{catalogue.slug}.", "//", 1)  # the national portal
    template = SmsTemplate.objects.get(event="one_time_code", agency_schema="")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    violations = _watch_csp(context)
    page = context.new_page()
    page.goto(f"{portal}/admin/login/")
    page.fill('[name="username"]', national_admin)
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.locator('button[type="submit"]').first.click()
    page.wait_for_url(f"{portal}/admin/")

    page.goto(f"{portal}/admin/sms_templates/edit/{template.pk}/")
    page.locator('textarea[name="text"]').fill("رمز: {otp} تا {minutes} دقیقه")

    assert page.locator("[data-sms-preview]").text_content() == "رمز: 482913 تا ۵ دقیقه"
    assert "۲۲ نویسه، ۱ پیامک" in page.locator("[data-sms-count]").text_content()
    assert "{otp}" in page.locator(".sms-placeholders").text_content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-sms-template-national.png"), full_page=True)
    assert violations == []
    context.close()
    # Only typed, never saved.
    template.refresh_from_db()
    assert template.version == 1
