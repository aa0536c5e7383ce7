"""A complaint in a real browser: filed from a service page on a phone, answered by the
agency's complaint handler in its admin, the answer read by the citizen, and on another
phone after proving it with the code texted to the complaint's mobile. Checked by axe;
screenshots in var/screenshots/ (complaint-*.png)."""

import re

import pytest
from django.db import connection

from . import test_browser as harness
from .conftest import make_pdf
from .test_browser import SCREENSHOTS, STAFF_PASSWORD, _serious_violations, _watch_csp

# The browser harness of test_browser.py: its fixtures, and its marks.
pytestmark = harness.pytestmark
_database_calls_beside_playwright = harness._database_calls_beside_playwright
catalogue = harness.catalogue
server = harness.server
browser = harness.browser

HANDLER = "complaints-handler"
MOBILE = "09137776655"  # the citizen's, on the complaint only


@pytest.fixture(scope="module")
def handler(catalogue, django_db_blocker):
    """A complaint handler of the sample agency; the complaints are removed afterwards
    (before the agency they are about)."""
    from complaints.models import Complaint
    from tenants.constants import AgencyRole
    from tenants.services import create_user_in_schema

    with django_db_blocker.unblock():
        create_user_in_schema(
            catalogue.schema_name,
            username=HANDLER,
            password=STAFF_PASSWORD,
            roles=[AgencyRole.COMPLAINT_HANDLER],
        )
        yield HANDLER
        connection.set_schema_to_public()
        from notifications.models import SmsMessage
        from service_requests.constants import ProofSubject
        from service_requests.models import OwnershipCode

        complaints = Complaint.objects.filter(agency=catalogue)
        OwnershipCode.objects.filter(
            subject_kind=ProofSubject.COMPLAINT, subject_id__in=complaints.values("pk")
        ).delete()
        for code in complaints.values_list("code", flat=True):
            SmsMessage.objects.filter(text__contains=code).delete()
        Complaint.objects.filter(agency=catalogue).delete()


def test_a_citizen_complains_from_a_service_page_and_the_handler_answers(browser, server, handler):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    citizen = browser.new_context(viewport={"width": 390, "height": 844})
    citizen_violations = _watch_csp(citizen)
    page = citizen.new_page()

    page.goto(f"{server}/birth-registration/")
    page.get_by_role("link", name="شکایت یا اعتراض").click()
    assert "/complaints/new/" in page.url and page.locator("h1").inner_text() == "شکایت یا اعتراض"
    assert "ثبت ولادت" in page.locator(".receipt").inner_text()

    page.get_by_label("اعتراض", exact=True).check()
    page.get_by_label("نام و نام خانوادگی").fill("مریم احمدی")
    page.get_by_label("شمارهٔ همراه شما").fill("۰۹۱۳۷۷۷۶۶۵۵")
    page.get_by_label("چه پیش آمده").fill("درخواست من بدون دلیل رد شد؛ لطفاً بازنگری کنید.")
    page.set_input_files(
        '[name="attachments"]',
        {"name": "رسید.pdf", "mimeType": "application/pdf", "buffer": make_pdf(title="receipt")},
    )
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "complaint-form-phone.png", full_page=True)
    page.get_by_role("button", name="فرستادن شکایت").click()

    assert "/complaints/track/" in page.url
    assert "شکایت شما ثبت شد" in page.locator('[role="status"]').first.inner_text()
    code = re.sub(r"\D", "", page.locator("#complaint-heading [dir=ltr]").inner_text())
    assert len(code) == 12 and code.startswith("7")
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "complaint-filed-phone.png", full_page=True)

    # The agency's complaint handler answers it in the agency's admin.
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_violations = _watch_csp(staff)
    desk = staff.new_page()
    desk.goto(f"{server}/admin/login/")
    desk.fill('[name="username"]', handler)
    desk.fill('[name="password"]', STAFF_PASSWORD)
    desk.locator('button[type="submit"]').first.click()
    desk.goto(f"{server}/admin/complaints/")
    assert code in desk.locator("table.listing").inner_text()
    desk.screenshot(path=SCREENSHOTS / "complaint-inbox-desktop.png", full_page=True)
    desk.get_by_role("link", name=code).click()
    desk.fill('[name="text"]', "درخواست شما دوباره بررسی و پذیرفته شد.")
    desk.get_by_role("button", name="فرستادن پاسخ").click()
    assert "پاسخ داده شد" in desk.locator(".nice-padding").first.inner_text()
    desk.screenshot(path=SCREENSHOTS / "complaint-answered-desktop.png", full_page=True)

    # The citizen (this browser filed it, so it is theirs) reads the answer.
    page.reload()
    assert "دوباره بررسی و پذیرفته شد" in page.locator(".answer").inner_text()
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "complaint-answer-phone.png", full_page=True)

    # On another phone the code alone shows the status; the answer needs the one-time code
    # texted to the mobile given on the complaint.
    other = browser.new_context(viewport={"width": 390, "height": 844})
    other_violations = _watch_csp(other)
    phone = other.new_page()
    phone.goto(page.url)  # the complaint's page on the national portal
    assert phone.locator(".answer").count() == 0
    assert "۰۹۱۳***۶۶۵۵" in phone.locator("#proof-heading + p").inner_text()  # masked
    phone.get_by_role("button", name="ارسال کد").click()
    assert "پیامک شد" in phone.locator('[role="status"]').first.inner_text()
    assert _serious_violations(phone) == []
    phone.screenshot(path=SCREENSHOTS / "complaint-proof-phone.png", full_page=True)
    phone.get_by_label("کد ۶ رقمی پیامک").fill(harness._texted_code(MOBILE))
    phone.get_by_role("button", name="نمایش جزئیات").click()
    assert "دوباره بررسی و پذیرفته شد" in phone.locator(".answer").inner_text()
    assert _serious_violations(phone) == []
    assert citizen_violations == [] and staff_violations == [] and other_violations == []
    other.close()
    citizen.close()
    staff.close()
