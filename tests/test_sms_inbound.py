"""Citizens' SMS replies: polled from the provider, joined to their request's thread only when
they come from the request's own mobile number."""

import pytest
from django.utils import timezone

from notifications.gateways import InboundSms as Received
from notifications.gateways import MemoryGateway
from notifications.models import InboundSms
from service_requests.models import RequestMessage
from service_requests.tasks import receive_sms_replies
from service_requests.tracking import codes_in, display
from tenants.constants import NationalRole

from .jobs_runner import run_jobs

_ids = iter(range(9000, 99999))


def _reply(sender: str, text: str) -> Received:
    return Received(
        sender=sender, text=text, received_at=timezone.now(), provider_id=str(next(_ids))
    )


def _persian(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


@pytest.fixture
def texted(setting):
    """The sample request, its receipt SMS sent to 09121234567."""
    run_jobs()
    return setting


def _poll():
    return receive_sms_replies(schema="public", timestamp=0)


def test_a_reply_naming_the_code_from_the_requests_mobile_joins_its_thread(texted):
    request = texted["request"]
    written = _persian(display(request.tracking_code))  # "۱۲۳۴-۵۶۷۸-۹۰۱۲۳"
    MemoryGateway.inbox = [_reply("+989121234567", f"سلام، درباره‌ی {written} مدرک را فرستادم")]

    assert _poll() == {"matched": 1, "unmatched": 0}

    (message,) = RequestMessage.objects.filter(request=request)
    assert (message.sender, message.author) == ("citizen", "citizen")
    assert "مدرک را فرستادم" in message.body
    inbound = InboundSms.objects.get()
    assert (inbound.status, inbound.request_id, inbound.sender) == (
        "matched",
        request.pk,
        "09121234567",
    )
    page = texted["a"].get(f"/admin/requests/{request.tracking_code}/").content.decode()
    assert "مدرک را فرستادم" in page  # the staff read it in the thread


def test_a_reply_naming_the_code_from_another_mobile_joins_nothing(texted, national_client):
    request = texted["request"]
    MemoryGateway.inbox = [_reply("09351112233", f"پیگیری {request.tracking_code}")]

    assert _poll() == {"matched": 0, "unmatched": 1}

    assert not RequestMessage.objects.filter(request=request).exists()
    inbound = InboundSms.objects.get()
    assert (inbound.status, inbound.request_id) == ("unmatched", None)
    admin = national_client(NationalRole.ADMINISTRATOR)
    listing = admin.get("/admin/sms_received/").content.decode()
    assert "09351112233" in listing and "با هیچ درخواستی جور نشد" in listing
    assert admin.get(f"/admin/sms_received/edit/{inbound.pk}/").status_code == 302
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    assert supervisor.get("/admin/sms_received/").status_code == 302


def test_a_reply_without_a_code_answers_our_latest_text_to_that_mobile(texted):
    request = texted["request"]
    MemoryGateway.inbox = [
        _reply("09121234567", "ممنون، فردا می‌آیم"),
        _reply("09129998877", "این پیام از کیست؟"),  # we never texted this number
    ]

    assert _poll() == {"matched": 1, "unmatched": 1}

    (message,) = RequestMessage.objects.filter(request=request)
    assert message.body == "ممنون، فردا می‌آیم"
    assert set(InboundSms.objects.values_list("sender", "status")) == {
        ("09121234567", "matched"),
        ("09129998877", "unmatched"),
    }


def test_a_reply_given_twice_by_the_provider_joins_the_thread_once(texted):
    request = texted["request"]
    reply = _reply("09121234567", f"کد {request.tracking_code}")
    MemoryGateway.inbox = [reply]
    _poll()
    MemoryGateway.inbox = [reply]
    assert _poll() == {"matched": 0, "unmatched": 0}

    assert RequestMessage.objects.filter(request=request).count() == 1
    assert InboundSms.objects.count() == 1


def test_a_provider_that_cannot_be_reached_leaves_the_replies_for_the_next_tick(texted):
    MemoryGateway.fail_next = 1
    assert _poll() == {"matched": 0, "unmatched": 0}
    MemoryGateway.inbox = [_reply("09121234567", "سلام")]
    assert _poll() == {"matched": 1, "unmatched": 0}


def test_codes_are_found_in_any_digits_and_grouping(texted):
    code = texted["request"].tracking_code
    assert codes_in(f"کد من {_persian(code[:4])} {_persian(code[4:8])}-{code[8:]} است") == [code]
    assert codes_in(f"{display(code)} 09121234567") == [code]
    assert codes_in(f"{code[:-1]}{(int(code[-1]) + 1) % 10}") == []  # a typo: no code
    assert codes_in("") == []
