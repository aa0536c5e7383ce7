"""Walk-in intake in a real browser: the agency's clerk registers a walk-in citizen's
request in the admin (every missing document named at once, then the scans attached),
and prints the citizen's receipt. Checked by axe; screenshots in var/screenshots/
(desk-*.png)."""

import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from . import test_browser as harness
from .test_browser import (
    SCREENSHOTS,
    STAFF_PASSWORD,
    _pdf,
    _serious_violations,
    _watch_csp,
)

# The browser harness of test_browser.py: its fixtures, and its marks.
pytestmark = harness.pytestmark
_database_calls_beside_playwright = harness._database_calls_beside_playwright
catalogue = harness.catalogue
server = harness.server
browser = harness.browser

PERSIAN = "۰۱۲۳۴۵۶۷۸۹"


def test_the_desk_registers_a_walk_in_and_prints_the_receipt(browser, server):
    from service_requests.models import ServiceRequest

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    violations = _watch_csp(staff)
    desk = staff.new_page()
    desk.goto(f"{server}/admin/login/")
    desk.fill('[name="username"]', "clerk")
    desk.fill('[name="password"]', STAFF_PASSWORD)
    desk.locator('button[type="submit"]').first.click()

    desk.goto(f"{server}/admin/desk/")
    desk.get_by_role("link", name="ثبت ولادت").first.click()
    desk.wait_for_url(re.compile(r"/admin/desk/[0-9]+/$"))

    # The citizen's details, but no scans yet: both documents are named at once.
    desk.fill('[name="field_father_national_id"]', "0499370899")
    desk.fill('[name="field_mother_national_id"]', "۰۰۸۴۵۷۵۹۴۸")
    desk.fill('[name="field_mobile"]', "۰۹۱۲۱۲۳۴۵۶۷")
    desk.fill('[name="field_child_name"]', "سارا")
    desk.get_by_role("button", name="ثبت و چاپ رسید").click()
    errors = desk.locator("#errors li")
    expect(errors).to_have_count(2)
    assert "گواهی ولادت بیمارستان" in errors.nth(0).inner_text()
    assert _serious_violations(desk) == []
    desk.screenshot(path=SCREENSHOTS / "desk-missing-documents.png", full_page=True)

    desk.set_input_files('[name="document_hospital-birth-certificate"]', _pdf("scan-hospital"))
    desk.set_input_files('[name="document_parents-id-cards"]', _pdf("scan-ids"))
    desk.get_by_role("button", name="ثبت و چاپ رسید").click()

    # The citizen's own receipt: the code, the promised date, the documents received.
    desk.wait_for_url(re.compile(r"/apply/[0-9]+/done/[0-9]{13}/$"))
    code = "".join(
        str(PERSIAN.index(ch)) if ch in PERSIAN else ch
        for ch in desk.locator(".receipt__code").inner_text()
        if ch != "-"
    )
    found = ServiceRequest.objects.get(tracking_code=code)
    assert found.channel == "desk" and found.registered_by == "clerk"
    facts = desk.locator(".receipt dl").inner_text()
    assert "مهلت پاسخ" in facts and any(digit in facts for digit in PERSIAN)  # promised date
    assert _serious_violations(desk) == []
    desk.screenshot(path=SCREENSHOTS / "desk-receipt.png", full_page=True)

    desk.evaluate("window.print = () => { window.printed = true; }")
    desk.get_by_role("button", name="چاپ یا ذخیره به‌صورت PDF").click()
    assert desk.evaluate("window.printed === true")
    desk.emulate_media(media="print")
    assert not desk.get_by_role("button", name="چاپ یا ذخیره به‌صورت PDF").is_visible()
    assert desk.locator(".receipt__code").is_visible()
    desk.screenshot(path=SCREENSHOTS / "desk-receipt-print.png", full_page=True)
    printed = desk.pdf(format="A4")
    assert printed.startswith(b"%PDF")
    (SCREENSHOTS / "desk-receipt.pdf").write_bytes(printed)
    desk.emulate_media(media="screen")

    # Back in the inbox, the request is listed as registered at the desk.
    desk.goto(f"{server}/admin/requests/?channel=desk")
    assert code in desk.locator("table.listing").inner_text()
    desk.screenshot(path=SCREENSHOTS / "desk-inbox.png", full_page=True)
    assert violations == []
    staff.close()


OPERATOR = "call-centre-operator"


@pytest.fixture(scope="module")
def operator(catalogue, django_db_blocker):
    """A call-centre operator of the national portal (committed for the server); removed
    afterwards with the log of their look-ups."""
    from django.contrib.auth import get_user_model

    from service_requests.models import CallCentreLookup
    from tenants.constants import NationalRole
    from tenants.services import create_user_in_schema

    with django_db_blocker.unblock():
        create_user_in_schema(
            "public",
            username=OPERATOR,
            password=STAFF_PASSWORD,
            roles=[NationalRole.CALL_CENTRE_OPERATOR],
        )
        yield OPERATOR
        connection.set_schema_to_public()
        CallCentreLookup.objects.filter(operator=OPERATOR).delete()
        get_user_model().objects.filter(username=OPERATOR).delete()


def test_the_call_centre_catches_a_misheard_digit_and_answers_the_owner(browser, server, operator):
    from service_requests import tracking
    from service_requests.models import ServiceRequest

    found = ServiceRequest.objects.filter(channel="desk").order_by("-pk").first()
    assert found is not None  # registered by the test above
    portal = server.replace(f"//{server.split('//')[1].split('.')[0]}.", "//", 1)
    code = found.tracking_code
    heard = code[:6] + str((int(code[6]) + 5) % 10) + code[7:]

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    violations = _watch_csp(context)
    screen = context.new_page()
    screen.goto(f"{portal}/admin/login/")
    screen.fill('[name="username"]', OPERATOR)
    screen.fill('[name="password"]', STAFF_PASSWORD)
    screen.locator('button[type="submit"]').first.click()
    screen.goto(f"{portal}/admin/call-centre/")
    screen.fill('[name="code"]', heard.translate(str.maketrans("0123456789", PERSIAN)))
    screen.get_by_role("button", name="جست‌وجو").click()
    expect(screen.locator("#cc-error")).to_be_visible()
    alert = screen.locator("#cc-error").inner_text()
    assert "رقم کنترل" in alert
    shown = tracking.display(code).translate(str.maketrans("0123456789", PERSIAN))
    assert shown in alert
    assert _serious_violations(screen) == []
    screen.screenshot(path=SCREENSHOTS / "call-centre-misheard.png", full_page=True)

    screen.get_by_role("link", name=shown).click()
    expect(screen.locator("#cc-status")).to_be_visible()
    assert found.service_title in screen.locator("#cc-status + dl").inner_text()
    screen.fill('[name="national_id"]', "۰۴۹۹۳۷۰۸۹۹")
    screen.get_by_role("button", name="بررسی پاسخ").click()
    expect(screen.locator("#cc-next")).to_be_visible()
    assert _serious_violations(screen) == []
    screen.screenshot(path=SCREENSHOTS / "call-centre-next-step.png", full_page=True)
    assert violations == []
    context.close()
