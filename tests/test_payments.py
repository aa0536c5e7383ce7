"""Paying a request's fees: through the sandbox gateway (create, redirect, callback, verify,
settle), replayed and tampered callbacks, a callback that never comes, and the desk."""

import datetime
import uuid
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone, translation
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from catalog_pages.models import ServicePage
from payments.models import Payment, PaymentEvent, SandboxTransaction
from payments.tasks import reconcile_payments
from persian.dates import fa_digits, rials
from service_requests import services as request_services
from service_requests.models import ServiceRequest
from tenants.constants import AgencyRole

from .conftest import prove_ownership

FEE = 3_000_000  # the sample agency's smart card fee, payable online


def _citizen() -> Client:
    """A citizen's browser on the national portal."""
    return Client(HTTP_HOST="localhost")


def _fa_rials(amount):
    with translation.override("fa"):
        return rials(amount)


@pytest.fixture
def paid_service(setting):
    """``setting`` with a request for the smart national id card (a fee payable online)."""
    agency = setting["request"].agency
    with schema_context(agency.schema_name):
        service = ServicePage.objects.get(slug="smart-national-id-card", locale__language_code="fa")
    found, _ = request_services.submit_request(
        agency=agency,
        service=service,
        submission_token=uuid.uuid4(),
        data={},
        uploads=[],
        national_id="0084575948",
        mobile="09121234567",
    )
    return {**setting, "request": found, "free": setting["request"], "service": service}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _to_gateway(citizen: Client, found) -> str:
    """The citizen presses "pay": the path of the sandbox gateway's page they are sent to."""
    page = citizen.get(f"/pay/{found.tracking_code}/")
    assert page.status_code == 200
    assert _fa_rials(FEE) in page.content.decode()
    sent = citizen.post(f"/pay/{found.tracking_code}/")
    assert sent.status_code == 302 and "/pay/sandbox/" in sent.url
    return _path(sent.url)


def _decide(citizen: Client, gateway_path: str, decision: str) -> str:
    """On the sandbox gateway's page: the path of the callback it sends the citizen to."""
    page = citizen.get(gateway_path).content.decode()
    assert "درگاه پرداخت آزمایشی" in page and _fa_rials(FEE) in page
    back = citizen.post(gateway_path, {"decision": decision})
    assert back.status_code == 302 and "/pay/callback/" in back.url
    return _path(back.url)


def _accept(clerk: Client, found):
    return clerk.post(
        f"/admin/requests/{found.tracking_code}/status/", {"status": "accepted"}, follow=True
    )


def test_happy_path_pay_in_the_sandbox_then_the_request_can_be_accepted(paid_service):
    found, citizen = paid_service["request"], _citizen()

    callback = _decide(citizen, _to_gateway(citizen, found), "approve")
    landed = citizen.get(callback, follow=True)

    payment = Payment.objects.get()
    assert (payment.status, payment.amount_rials, payment.channel) == ("paid", FEE, "online")
    assert payment.lines == [{"title": "هزینه صدور کارت", "amount_rials": FEE}]
    assert SandboxTransaction.objects.get().settled  # verified server-side, then settled
    receipt = landed.content.decode()
    assert "رسید پرداخت" in receipt and _fa_rials(FEE) in receipt
    with translation.override("fa"):
        assert fa_digits(payment.reference) in receipt
    assert "هزینه صدور کارت" in receipt
    kinds = list(PaymentEvent.objects.values_list("kind", flat=True))
    assert kinds == ["created", "redirected", "callback", "verified"]

    accepted = _accept(paid_service["a"], found)
    assert ServiceRequest.objects.get(pk=found.pk).status == "accepted"
    assert "هزینه‌ها هنوز پرداخت نشده" not in accepted.content.decode()


def test_acceptance_is_refused_while_the_fees_are_unpaid(paid_service):
    found = paid_service["request"]

    refused = _accept(paid_service["a"], found)

    assert refused.status_code == 400
    assert "هزینه‌ها هنوز پرداخت نشده است" in refused.content.decode()
    assert ServiceRequest.objects.get(pk=found.pk).status == "submitted"
    # A free service is accepted as before.
    _accept(paid_service["a"], paid_service["free"])
    assert ServiceRequest.objects.get(pk=paid_service["free"].pk).status == "accepted"


def test_a_declined_payment_is_not_paid_and_the_citizen_can_try_again(paid_service):
    found, citizen = paid_service["request"], _citizen()

    callback = _decide(citizen, _to_gateway(citizen, found), "decline")
    landed = citizen.get(callback, follow=True).content.decode()

    assert Payment.objects.get().status == "declined"
    assert "پرداخت انجام نشد" in landed and "پرداخت هزینه‌ها" in landed
    assert _accept(paid_service["a"], found).status_code == 400
    # Trying again makes a second payment, which can succeed.
    citizen.get(_decide(citizen, _to_gateway(citizen, found), "approve"))
    assert sorted(Payment.objects.values_list("status", flat=True)) == ["declined", "paid"]


def test_a_replayed_callback_makes_one_payment(paid_service):
    found, citizen = paid_service["request"], _citizen()
    callback = _decide(citizen, _to_gateway(citizen, found), "approve")

    first = citizen.get(callback)
    again = _citizen().get(callback)
    posted = _citizen().post(callback.split("?")[0], dict(_query(callback)))

    assert first.status_code == again.status_code == posted.status_code == 302
    assert Payment.objects.count() == 1 and Payment.objects.get().status == "paid"
    assert PaymentEvent.objects.filter(kind="verified").count() == 1
    replays = PaymentEvent.objects.filter(kind="callback", refused=True)
    assert replays.count() == 2 and "replayed" in replays.first().reason
    # Paying again is refused: the fees are paid.
    refused = citizen.post(f"/pay/{found.tracking_code}/")
    assert refused.status_code == 409 and "پیش‌تر پرداخت شده" in refused.content.decode()
    assert Payment.objects.count() == 1


def _query(url):
    from urllib.parse import parse_qsl

    return parse_qsl(urlsplit(url).query)


def test_a_tampered_amount_is_refused_and_logged(paid_service):
    found, citizen = paid_service["request"], _citizen()
    callback = _decide(citizen, _to_gateway(citizen, found), "approve")
    tampered = callback.replace(f"amount={FEE}", "amount=1000")

    landed = citizen.get(tampered, follow=True).content.decode()

    payment = Payment.objects.get()
    assert payment.status == "redirected" and "رسید پرداخت" not in landed
    event = PaymentEvent.objects.get(refused=True)
    assert (event.kind, event.reason, event.data["amount"]) == (
        "callback",
        "amount mismatch",
        "1000",
    )
    # Another payment's token with this order id: refused too.
    other = callback.replace(f"token={payment.token}", "token=" + "0" * 32)
    citizen.get(other)
    assert PaymentEvent.objects.filter(refused=True, reason="token mismatch").count() == 1
    assert Payment.objects.get().status == "redirected"
    # The genuine callback still settles it.
    citizen.get(callback)
    assert Payment.objects.get().status == "paid"


def test_a_gateway_reporting_another_amount_is_refused(paid_service):
    found, citizen = paid_service["request"], _citizen()
    callback = _decide(citizen, _to_gateway(citizen, found), "approve")
    SandboxTransaction.objects.update(amount_rials=1000)  # what the gateway says it charged

    citizen.get(callback.replace(f"amount={FEE}", "amount=1000"))  # the callback agrees with it
    assert Payment.objects.get().status == "redirected"  # refused by our amount
    citizen.get(callback.replace(f"amount={FEE}&", ""))  # a callback without an amount

    payment = Payment.objects.get()
    assert payment.status == "failed"
    assert PaymentEvent.objects.filter(kind="refused", reason__startswith="verify:").exists()
    assert _accept(paid_service["a"], found).status_code == 400


def test_an_unknown_order_is_refused_with_a_clear_page(db):
    answer = _citizen().get("/pay/callback/?order_id=nope&token=x&status=OK")

    assert answer.status_code == 400 and "پرداخت پیدا نشد" in answer.content.decode()
    assert PaymentEvent.objects.get().reason == "unknown order id"


def test_a_callback_that_never_comes_is_reconciled_by_the_periodic_job(paid_service, settings):
    found, citizen = paid_service["request"], _citizen()
    gateway_page = _to_gateway(citizen, found)
    _decide(citizen, gateway_page, "approve")  # the citizen's phone dies here
    # Trying again from another phone resumes that payment: it cannot be paid twice.
    assert _to_gateway(_citizen(), found) == gateway_page
    assert Payment.objects.filter(status="redirected").count() == 1

    assert reconcile_payments(schema="public", timestamp=0) == {}  # too recent to ask
    Payment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=20))
    assert reconcile_payments(schema="public", timestamp=0) == {"paid": 1}
    assert Payment.objects.get().status == "paid"
    assert PaymentEvent.objects.filter(kind="verified").count() == 1
    _accept(paid_service["a"], found)
    assert ServiceRequest.objects.get(pk=found.pk).status == "accepted"


def test_a_payment_never_decided_at_the_gateway_expires_and_a_new_one_can_start(
    paid_service, settings
):
    found, citizen = paid_service["request"], _citizen()
    abandoned = _to_gateway(citizen, found)  # never decided at the gateway

    Payment.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=settings.PAYMENT_EXPIRE_MINUTES + 1)
    )
    assert reconcile_payments(schema="public", timestamp=0) == {"failed": 1}
    assert "approve" in _citizen().get(abandoned).content.decode()  # the gateway never heard back
    fresh = _to_gateway(citizen, found)
    assert fresh != abandoned
    citizen.get(_decide(citizen, fresh, "approve"))
    assert sorted(Payment.objects.values_list("status", flat=True)) == ["failed", "paid"]


def test_the_agencys_clerk_marks_the_fees_paid_at_the_desk(paid_service):
    found, clerk = paid_service["request"], paid_service["a"]
    page = clerk.get(f"/admin/requests/{found.tracking_code}/").content.decode()
    assert "هزینه‌ها هنوز پرداخت نشده است." in page and _fa_rials(FEE) in page

    marked = clerk.post(f"/admin/requests/{found.tracking_code}/fees-paid/", follow=True)

    payment = Payment.objects.get()
    assert (payment.status, payment.channel, payment.actor) == ("paid", "desk", "clerk")
    assert "پرداخت هزینه‌ها در پیشخوان ثبت شد." in marked.content.decode()
    with schema_context(found.agency.schema_name):
        entry = ModelLogEntry.objects.get(action="panjereh.request.fees_paid")
        assert (entry.object_id, entry.user.username) == (str(found.pk), "clerk")
    assert PaymentEvent.objects.get().kind == "desk"
    _accept(clerk, found)
    assert ServiceRequest.objects.get(pk=found.pk).status == "accepted"
    # A second mark is refused; still one payment.
    again = clerk.post(f"/admin/requests/{found.tracking_code}/fees-paid/", follow=True)
    assert "پیش‌تر پرداخت شده" in again.content.decode()
    assert Payment.objects.count() == 1


def test_another_agencys_clerk_cannot_mark_the_fees_paid(paid_service, staff_client):
    found = paid_service["request"]
    editor = staff_client(found.agency, AgencyRole.EDITOR)

    refused = paid_service["b"].post(f"/admin/requests/{found.tracking_code}/fees-paid/")
    not_a_clerk = editor.post(f"/admin/requests/{found.tracking_code}/fees-paid/")

    assert refused.status_code == 404
    assert (not_a_clerk.status_code, not_a_clerk.url) == (302, "/admin/")  # Wagtail: no access
    assert not Payment.objects.exists()
    assert "هزینه" not in paid_service["b"].get("/admin/requests/").content.decode()


def test_the_tracking_page_and_the_receipt_offer_to_pay(paid_service, client_for):
    found = paid_service["request"]
    owner = _citizen()

    before = owner.get(f"/track/?code={found.tracking_code}").content.decode()
    prove_ownership(owner, found)
    tracked = owner.get(f"/track/?code={found.tracking_code}").content.decode()

    assert "پرداخت هزینه‌ها" not in before
    assert f"/pay/{found.tracking_code}/" in tracked and _fa_rials(FEE) in tracked
    site = client_for(f"{found.agency.slug}.localhost")
    receipt = site.get(
        f"/apply/{paid_service['service'].pk}/done/{found.tracking_code}/"
    ).content.decode()
    assert f"pay/{found.tracking_code}/" in receipt and _fa_rials(FEE) in receipt
    # Once paid, the tracking page shows the payment and its receipt.
    owner.get(_decide(owner, _to_gateway(owner, found), "approve"))
    tracked = owner.get(f"/track/?code={found.tracking_code}").content.decode()
    assert "دیدن رسید پرداخت" in tracked


def test_a_free_request_has_nothing_to_pay(paid_service):
    free = paid_service["free"]

    page = _citizen().post(f"/pay/{free.tracking_code}/")

    assert page.status_code == 409
    assert "این درخواست هزینه‌ای برای پرداخت برخط ندارد." in page.content.decode()
    assert _citizen().get("/pay/0000000000000/").status_code == 404
    assert not Payment.objects.exists()


def test_pressing_pay_again_resumes_the_payment_at_the_gateway_so_fees_are_paid_once(
    paid_service,
):
    found, citizen = paid_service["request"], _citizen()

    first = _to_gateway(citizen, found)
    second = _to_gateway(_citizen(), found)  # another tab, or the back button

    assert second == first and Payment.objects.count() == 1
    citizen.get(_decide(citizen, first, "approve"))
    assert list(Payment.objects.values_list("status", flat=True)) == ["paid"]
    again = citizen.post(f"/pay/{found.tracking_code}/")
    assert again.status_code == 409 and "پرداخت شده" in again.content.decode()
