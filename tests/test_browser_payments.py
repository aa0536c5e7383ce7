"""Paying a request's fees in a real browser, on a phone: from the request's receipt on the
agency's site to the portal's payment page, the sandbox gateway (approve), and back to the
payment receipt. Checked by axe; screenshots in var/screenshots/ (payment-*.png)."""

import uuid

import pytest
from django.db import connection

from . import test_browser as harness
from .test_browser import SCREENSHOTS, _serious_violations, _watch_csp

# The browser harness of test_browser.py: its fixtures, and its marks.
pytestmark = harness.pytestmark
_database_calls_beside_playwright = harness._database_calls_beside_playwright
catalogue = harness.catalogue
server = harness.server
browser = harness.browser


@pytest.fixture(scope="module")
def card_request(catalogue, django_db_blocker):
    """A committed request for the smart national id card (3,000,000 rials, payable
    online); its payments are removed afterwards (before the request)."""
    from django_tenants.utils import schema_context

    from catalog_pages.models import ServicePage
    from payments.models import Payment, PaymentEvent, SandboxTransaction
    from service_requests import services as request_services

    with django_db_blocker.unblock():
        with schema_context(catalogue.schema_name):
            service = ServicePage.objects.get(
                slug="smart-national-id-card", locale__language_code="fa"
            )
        found, _ = request_services.submit_request(
            agency=catalogue,
            service=service,
            submission_token=uuid.uuid4(),
            data={},
            uploads=[],
            national_id="0084575948",
            mobile="09121234567",
        )
        yield found, service
        connection.set_schema_to_public()
        payments = Payment.objects.filter(request=found)
        SandboxTransaction.objects.filter(order_id__in=payments.values("order_id")).delete()
        PaymentEvent.objects.filter(payment__in=payments).delete()
        payments.delete()


def test_the_citizen_pays_the_fees_in_the_sandbox_gateway_on_a_phone(browser, server, card_request):
    from payments.models import Payment

    found, service = card_request
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    violations = _watch_csp(phone)
    page = phone.new_page()

    # The receipt of the request, on the agency's site: the fee and the button to pay it.
    page.goto(f"{server}/apply/{service.pk}/done/{found.tracking_code}/")
    fees = page.locator(".payment-panel")
    assert "۳٬۰۰۰٬۰۰۰" in fees.inner_text() and "هزینه صدور کارت" in fees.inner_text()
    page.get_by_role("link", name="پرداخت هزینه‌ها").click()

    # The portal's payment page: the fee lines and the total in rials, Persian digits.
    assert f"/pay/{found.tracking_code}/" in page.url
    assert page.locator("h1").inner_text() == "پرداخت هزینه‌ها"
    assert "۳٬۰۰۰٬۰۰۰ ریال" in page.locator("table.fees tfoot").inner_text()
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "payment-pay-phone.png", full_page=True)
    page.get_by_role("button", name="پرداخت ۳٬۰۰۰٬۰۰۰ ریال").click()

    # The sandbox gateway: the amount, approve or decline.
    assert "/pay/sandbox/" in page.url
    assert page.locator("h1").inner_text() == "درگاه پرداخت آزمایشی"
    assert "۳٬۰۰۰٬۰۰۰ ریال" in page.locator(".facts__list").inner_text()
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "payment-sandbox-phone.png", full_page=True)
    page.get_by_role("button", name="تأیید پرداخت").click()

    # Back on the portal, verified with the gateway: the payment's receipt.
    assert "/pay/receipt/" in page.url
    assert page.locator("h1").inner_text() == "رسید پرداخت"
    receipt = page.locator(".receipt").inner_text()
    payment = Payment.objects.get(request=found)
    assert payment.status == "paid"
    assert "۳٬۰۰۰٬۰۰۰ ریال" in receipt
    assert payment.reference.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in receipt
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "payment-receipt-phone.png", full_page=True)
    assert violations == []
    phone.close()
