"""The editors' admin in a real browser: Persian, titled with the agency, Jalali dates picked
with the Jalali picker and stored right; screenshots of the dashboard and the editor.

Served by granian from the test database (the harness of tests/test_browser.py). The
screenshots land in var/screenshots/ like the harness's; the README's copies in
docs/screenshots/ come from ``PANJEREH_SCREENSHOT_DIR=docs/screenshots``.
"""

# The harness's fixtures are imported by name, so test arguments "redefine" them.
# ruff: noqa: F811

import datetime
from pathlib import Path

import jdatetime
import pytest

from .test_browser import (  # noqa: F401 - fixtures of the browser harness
    CHROMIUM,
    SCREENSHOTS,
    STAFF_PASSWORD,
    _database_calls_beside_playwright,
    _serious_violations,
    browser,
    catalogue,
    server,
)

DOCS = SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def _service(catalogue):
    from django_tenants.utils import schema_context

    from catalog_pages.models import ServicePage

    with schema_context(catalogue.schema_name):
        return ServicePage.objects.get(slug="smart-national-id-card", locale__language_code="fa")


def _log_in(browser, server, *, width, height, locale="en-US"):
    """An editor whose browser asks for English: the admin answers in Persian anyway."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    desk = context.new_page()
    desk.goto(f"{server}/admin/login/")
    assert desk.title() == "ورود - پنجرهٔ سازمان ثبت احوال کشور"
    desk.fill('[name="username"]', "editor")
    desk.fill('[name="password"]', STAFF_PASSWORD)
    desk.locator('button[type="submit"]').first.click()
    desk.wait_for_url(f"{server}/admin/")
    return context, desk


def _picker_violations(page) -> list[str]:
    """axe on the open picker (Wagtail's own editor has findings of its own)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        context=".jalali-picker:not([hidden])",
        options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_an_editor_picks_a_go_live_date_on_the_jalali_calendar(browser, server, catalogue):
    from django_tenants.utils import schema_context

    service = _service(catalogue)
    context, desk = _log_in(browser, server, width=1280, height=900)
    errors = []
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.goto(f"{server}/admin/pages/{service.pk}/edit/")
    desk.locator('[data-side-panel-toggle="status"]').click()
    desk.get_by_role("button", name="تعیین زمان‌بندی").click()
    dialog = desk.locator("#schedule-publishing-dialog")
    go_live = dialog.locator('[name="go_live_at"]')
    go_live.wait_for(state="visible", timeout=10000)

    # The picker opens on this month (Tehran's today, in the Jalali calendar).
    today = jdatetime.date.today()
    field = go_live.locator("xpath=..")
    field.get_by_role("button", name="انتخاب تاریخ").click()
    picker = field.get_by_role("dialog")
    months = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()
    title = picker.locator("h2")
    assert title.inner_text().startswith(months[today.month - 1])
    DOCS.mkdir(parents=True, exist_ok=True)
    dialog.screenshot(path=str(DOCS / "admin-jalali-picker.png"))
    assert _picker_violations(desk) == []
    # Next month, the 15th, by keyboard-reachable buttons.
    picker.get_by_role("button", name="ماه بعد").click()
    target = (jdatetime.date(today.year, today.month, 1) + datetime.timedelta(days=40)).replace(
        day=15
    )
    day_label = f"۱۵ {months[target.month - 1]} " + str(target.year).translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    )
    picker.get_by_role("button", name=day_label).click()
    assert picker.is_hidden()
    typed = go_live.input_value()
    assert typed.startswith(
        f"{target.year}/{target.month:02d}/15".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    )
    # The editor types the time, in Persian digits.
    go_live.fill(typed.split(" ")[0] + " ۰۸:۳۰")
    dialog.get_by_role("button", name="ذخیرهٔ زمان‌بندی").click()
    desk.wait_for_load_state("networkidle")

    with schema_context(catalogue.schema_name):
        revision = service.__class__.objects.get(pk=service.pk).latest_revision
        stored = revision.as_object().go_live_at
    expected = (
        jdatetime.datetime(target.year, target.month, 15, 8, 30)
        .togregorian()
        .replace(tzinfo=datetime.timezone(datetime.timedelta(hours=3, minutes=30)))
    )
    assert stored == expected
    assert stored.astimezone(datetime.UTC).hour == 5  # 08:30 in Tehran is 05:00 UTC
    # The picker's calendar arithmetic agrees with jdatetime: the weekday each month
    # starts on, and month lengths (Esfand of leap years), 1399 to 1410.
    pairs = desk.evaluate(
        """() => {
            const j = window.panjerehJalali, out = [];
            for (let y = 1399; y <= 1410; y++) for (let m = 1; m <= 12; m++) {
                const g = j.gregorian(j.fromJalali(y, m, 1));
                out.push([y, m, g.gy, g.gm, g.gd, j.monthLength(y, m)]);
            }
            return out;
        }"""
    )
    for year, month, gy, gm, gd, length in pairs:
        first = jdatetime.date(year, month, 1)
        assert first.togregorian() == datetime.date(gy, gm, gd), (year, month)
        following = jdatetime.date(year + (month == 12), month % 12 + 1, 1)
        assert length == (following.togregorian() - first.togregorian()).days, (year, month)
    # Shown again in Jalali.
    desk.goto(f"{server}/admin/pages/{service.pk}/edit/")
    assert desk.locator('[name="go_live_at"]').input_value() == typed.split(" ")[0] + " ۰۸:۳۰"
    assert errors == []
    context.close()


def test_screenshots_of_the_editors_dashboard_and_editor(browser, server, catalogue):
    DOCS.mkdir(parents=True, exist_ok=True)
    service = _service(catalogue)
    context, desk = _log_in(browser, server, width=1280, height=900)
    assert desk.title() == "داشبورد - پنجرهٔ سازمان ثبت احوال کشور"
    assert desk.locator("h1").first.inner_text() == "پنجرهٔ سازمان ثبت احوال کشور"
    assert desk.locator("html").get_attribute("lang") == "fa"
    desk.screenshot(path=str(DOCS / "admin-dashboard-desktop.png"), full_page=True)
    assert _serious_violations(desk) == []
    desk.goto(f"{server}/admin/pages/{service.pk}/edit/")
    desk.locator('[name="title"]').wait_for(state="visible", timeout=10000)
    desk.screenshot(path=str(DOCS / "admin-edit-desktop.png"))
    context.close()

    context, desk = _log_in(browser, server, width=390, height=844)
    desk.screenshot(path=str(DOCS / "admin-dashboard-phone.png"), full_page=True)
    context.close()
