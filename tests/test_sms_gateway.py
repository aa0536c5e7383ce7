"""The Kavenegar adapter against a local server speaking Kavenegar's API (no network), and
the sandbox gateway national administrators read."""

import datetime
import logging
import socket

import pytest

from notifications.constants import DeliveryStatus
from notifications.gateways import (
    KavenegarGateway,
    PermanentSmsError,
    SandboxGateway,
    TemporarySmsError,
)
from notifications.models import SandboxSms, SmsMessage
from notifications.services import queue_sms
from tenants.constants import AgencyRole, NationalRole

from .jobs_runner import run_jobs
from .kavenegar_fake import FakeKavenegar

KEY = "4A6F686E2D6B65792D6E657665722D73686F776E"


@pytest.fixture
def fake(settings):
    with FakeKavenegar(KEY) as server:
        settings.KAVENEGAR_API_KEY = KEY
        settings.KAVENEGAR_API_URL = server.url
        settings.KAVENEGAR_SENDER = "10004346"
        settings.KAVENEGAR_READ_TIMEOUT = 1
        settings.SMS_GATEWAY = "notifications.gateways.KavenegarGateway"
        yield server


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_send_carries_our_local_id_and_a_second_send_with_it_delivers_nothing(fake):
    gateway = KavenegarGateway()
    first = gateway.send("09121234567", "درخواست شما ثبت شد", local_id="41")
    again = gateway.send("09121234567", "درخواست شما ثبت شد", local_id="41")

    assert first == again == str(fake.by_local_id["41"])
    (message,) = fake.messages.values()
    assert message == {
        "receptor": "09121234567",
        "message": "درخواست شما ثبت شد",
        "sender": "10004346",
        "localid": "41",
        "date": message["date"],
    }
    assert fake.delivered["41"] == 1


def test_delivery_statuses_and_local_ids_are_read_in_kavenegars_codes(fake):
    gateway = KavenegarGateway()
    ids = [gateway.send("09121234567", f"متن {n}", local_id=str(n)) for n in range(4)]
    for provider_id, code in zip(ids, (10, 11, 4, 14), strict=True):
        fake.statuses[int(provider_id)] = code

    assert gateway.statuses([*ids, "999"]) == {
        ids[0]: DeliveryStatus.DELIVERED,
        ids[1]: DeliveryStatus.UNDELIVERABLE,
        ids[2]: DeliveryStatus.SENT,  # with the operator, not yet delivered
        ids[3]: DeliveryStatus.UNDELIVERABLE,  # blocked by the recipient
    }  # the unknown id (Kavenegar's 100) is left out
    assert gateway.find_by_local_id(["0", "2", "77"]) == {
        "0": (ids[0], DeliveryStatus.DELIVERED),
        "2": (ids[2], DeliveryStatus.SENT),
    }


def test_received_texts_come_once_with_their_sender_time_and_id(fake):
    fake.inbox = [
        {
            "messageid": 5001,
            "message": "۱۲۳۴-۵۶۷۸-۹۰۱۲۳ رسید",
            "sender": "09121234567",
            "receptor": "10004346",
            "date": 1764571200,
        }
    ]
    gateway = KavenegarGateway()
    (reply,) = gateway.receive()
    assert (reply.sender, reply.text, reply.provider_id) == (
        "09121234567",
        "۱۲۳۴-۵۶۷۸-۹۰۱۲۳ رسید",
        "5001",
    )
    assert reply.received_at == datetime.datetime(2025, 12, 1, 6, 40, tzinfo=datetime.UTC)
    assert gateway.receive() == []


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((411, "شماره گیرنده پیام معتبر نمی باشد"), PermanentSmsError),
        ((412, "ارسال کننده نامعتبر است"), PermanentSmsError),
        ((401, "حساب کاربری غیرفعال شده است"), PermanentSmsError),
        ((409, "سرور قادر به پاسخگوئی نیست"), TemporarySmsError),
        ((418, "اعتبار حساب شما کافی نیست"), TemporarySmsError),
        ((451, "فراخوانی بیش از حد"), TemporarySmsError),
        ((599, "a code nobody documented"), TemporarySmsError),
        ("garbage", TemporarySmsError),
        (("slow", 2), TemporarySmsError),
    ],
)
def test_kavenegar_errors_are_temporary_or_permanent(fake, answer, error):
    fake.script.append(answer)
    with pytest.raises(error):
        KavenegarGateway().send("09121234567", "متن", local_id="1")


def test_a_wrong_key_is_permanent(fake):
    with pytest.raises(PermanentSmsError, match="403"):
        KavenegarGateway(api_key="not-the-key").send("09121234567", "متن", local_id="1")


def test_no_answer_is_temporary(settings):
    settings.KAVENEGAR_API_KEY = KEY
    settings.KAVENEGAR_CONNECT_TIMEOUT = 1
    gateway = KavenegarGateway(base_url=f"http://127.0.0.1:{_closed_port()}/v1")
    with pytest.raises(TemporarySmsError) as raised:
        gateway.send("09121234567", "متن", local_id="1")
    assert "/sms/send.json" in str(raised.value) and KEY not in str(raised.value)


@pytest.mark.django_db
def test_the_api_key_never_reaches_a_log_an_error_or_the_admin(
    fake, settings, caplog, national_admin_client
):
    caplog.set_level(logging.DEBUG)
    # Kavenegar's own message echoes the key; then the server cannot be reached at all.
    fake.script.append((409, f"server busy, call /v1/{KEY}/sms/send.json later"))
    message = queue_sms("09121234567", "درخواست شما ثبت شد")
    run_jobs()
    message.refresh_from_db()
    assert message.status == "queued" and "409" in message.last_error
    assert KEY not in message.last_error

    settings.KAVENEGAR_API_URL = f"http://127.0.0.1:{_closed_port()}/v1"
    unreachable = queue_sms("09121234568", "درخواست شما ثبت شد")
    run_jobs()
    unreachable.refresh_from_db()
    assert "ConnectionError" in unreachable.last_error and "***" in unreachable.last_error
    assert KEY not in unreachable.last_error

    assert KEY not in caplog.text
    assert "/v1/***/sms/send.json" in caplog.text  # urllib3's request line, scrubbed
    for page in ("/admin/sms_outbox/", f"/admin/sms_outbox/inspect/{unreachable.pk}/"):
        response = national_admin_client.get(page)
        assert response.status_code == 200 and KEY not in response.content.decode()


# --- The sandbox: development's phone --------------------------------------------------


@pytest.mark.django_db
def test_the_sandbox_keeps_one_text_per_local_id_and_reports_it_delivered():
    gateway = SandboxGateway()
    first = gateway.send("09121234567", "کد پیگیری شما", local_id="7")
    assert gateway.send("09121234567", "کد پیگیری شما", local_id="7") == first
    assert SandboxSms.objects.count() == 1
    assert gateway.find_by_local_id(["7", "8"]) == {"7": (first, DeliveryStatus.DELIVERED)}
    assert gateway.statuses([first, "sandbox-999", "x"]) == {first: DeliveryStatus.DELIVERED}


@pytest.mark.django_db
def test_national_administrators_read_the_sandbox_phone_and_nobody_else(
    settings, national_admin_client, national_client, onboard, staff_client
):
    settings.SMS_GATEWAY = "notifications.gateways.SandboxGateway"
    queue_sms("09121234567", "درخواست شما با کد ۱۲۳۴ ثبت شد")
    run_jobs()
    assert SmsMessage.objects.get().status == "sent"

    listing = national_admin_client.get("/admin/sandbox_phone/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "09121234567" in page and "درخواست شما با کد ۱۲۳۴ ثبت شد" in page
    row = SandboxSms.objects.get()
    assert national_admin_client.get(f"/admin/sandbox_phone/edit/{row.pk}/").status_code == 302
    assert national_admin_client.get("/admin/sandbox_phone/new/").status_code == 302

    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    assert supervisor.get("/admin/sandbox_phone/").status_code == 302  # to the dashboard
    agency_admin = staff_client(onboard().agency, AgencyRole.ADMINISTRATOR)
    assert agency_admin.get("/admin/sandbox_phone/").status_code == 404


def test_a_deployment_without_a_kavenegar_key_is_warned_that_no_sms_reach_phones(settings):
    from django.core import checks

    settings.SMS_GATEWAY = "notifications.gateways.SandboxGateway"
    warned = [m.id for m in checks.run_checks(include_deployment_checks=True)]
    settings.SMS_GATEWAY = "notifications.gateways.KavenegarGateway"
    calm = [m.id for m in checks.run_checks(include_deployment_checks=True)]

    assert "notifications.W001" in warned and "notifications.W001" not in calm
