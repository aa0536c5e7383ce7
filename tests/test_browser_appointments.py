"""Booking an appointment in a real browser, on a phone: the citizen proves ownership of a
request with the texted code, picks a free time on the Jalali calendar of the tracking
page, sees it confirmed and cancels it. Checked by axe; screenshots in var/screenshots/
(appointment-*.png)."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from . import test_browser as harness
from .test_browser import SCREENSHOTS, _serious_violations, _texted_code, _watch_csp

pytestmark = harness.pytestmark
_database_calls_beside_playwright = harness._database_calls_beside_playwright
catalogue = harness.catalogue
server = harness.server
browser = harness.browser

MOBILE = "09135554433"


@pytest.fixture(scope="module")
def booking(catalogue, django_db_blocker):
    """A committed request for the sample birth registration (a step in person) and a desk
    open Saturday to Thursday, 8 to 10; removed afterwards."""
    from django_tenants.utils import schema_context

    from appointments.models import Appointment, Desk, OpeningHours
    from catalog_pages.models import ServicePage
    from notifications.models import SmsMessage
    from service_requests.models import OwnershipCode, ServiceRequest
    from service_requests.services import _next_sequence, _tracking_key
    from service_requests.tracking import code_for

    with django_db_blocker.unblock():
        with schema_context(catalogue.schema_name):
            service = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        sequence = _next_sequence()
        found = ServiceRequest.objects.create(
            agency=catalogue,
            service_key=service.translation_key,
            service_slug=service.slug,
            service_title=service.title,
            level="hq",
            sequence=sequence,
            tracking_code=code_for(sequence, _tracking_key()),
            submission_token=uuid.uuid4(),
            status="submitted",
            mobile=MOBILE,
            submitted_at=timezone.now(),
            promised_on=timezone.localdate() + datetime.timedelta(days=10),
        )
        desk = Desk.objects.create(
            agency=catalogue, title="دفتر پیشخوان مرکزی", address="تهران، خیابان آزادی، پلاک ۱۰"
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(desk=desk, weekday=day, opens=datetime.time(8), closes=datetime.time(10))
            for day in range(6)
        )
        yield found
        connection.set_schema_to_public()
        Appointment.objects.filter(desk=desk).delete()
        Desk.objects.filter(pk=desk.pk).delete()
        OwnershipCode.objects.filter(subject_id=found.pk).delete()
        SmsMessage.objects.filter(request=found).delete()
        found.delete()


def test_the_citizen_books_a_slot_on_a_phone(browser, server, booking):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    portal = server.replace(f"//{server.split('//')[1].split('.')[0]}.", "//", 1)
    citizen = browser.new_context(viewport={"width": 390, "height": 844})
    violations = _watch_csp(citizen)
    page = citizen.new_page()
    code = booking.tracking_code

    page.goto(f"{portal}/track/?code={code}")
    assert page.locator("#appointment-heading").count() == 0  # not before the proof
    page.get_by_role("button", name="ارسال کد").click()
    page.fill('[name="otp"]', _texted_code(MOBILE))
    page.get_by_role("button", name="نمایش جزئیات").click()

    panel = page.locator("section.appointment")
    assert panel.locator("h3").inner_text() == "نوبت مراجعهٔ حضوری"
    assert "دفتر پیشخوان مرکزی" in panel.inner_text()
    first_time = panel.locator("button.appointment-time").first
    # The earliest time still ahead (today's first ones pass as the morning does), on the
    # desk's quarter hours between 8 and 10, in Persian digits.
    assert re.fullmatch("۰[۸۹]:(۰۰|۱۵|۳۰|۴۵)", first_time.inner_text())
    assert _serious_violations(page) == []
    panel.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "appointment-calendar-phone.png", full_page=True)

    first_time.click()
    status = page.locator('[role="status"]').first.inner_text()
    assert "نوبت شما ثبت شد" in status and "دفتر پیشخوان مرکزی" in status
    assert "نوبت شما:" in page.locator(".appointment-current").inner_text()
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "appointment-booked-phone.png", full_page=True)

    page.get_by_role("button", name="لغو نوبت").click()
    assert "لغو شد" in page.locator('[role="status"]').first.inner_text()
    assert page.locator(".appointment-current").count() == 0
    assert violations == []
    citizen.close()
