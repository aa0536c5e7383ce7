"""Proof of ownership on the tracking page: a one-time code texted to the request's mobile.

The national code or mobile on a request opens nothing any more; the 6-digit code does,
for a few minutes, a few tries and once. Each attack an outsider could try is here:
guessing (one client across many codes, many clients on one code), replaying a used code,
a code of one request for another, and the timing of the comparison.
"""

import uuid
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client

from notifications.models import SmsMessage
from service_requests import ownership
from service_requests import services as request_services
from service_requests.models import OwnershipCode
from service_requests.tasks import mask_spent_ownership_codes

from .conftest import prove_ownership, sent_code

pytestmark = pytest.mark.django_db


def _client(address: str = "10.0.0.1") -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address)


def _ask(client, found):
    return client.post("/track/code/", {"code": found.tracking_code})


def _type(client, found, otp):
    return client.post("/track/prove/", {"code": found.tracking_code, "otp": otp})


def _document(client, found):
    return client.get(f"/track/{found.tracking_code}/documents/{found.documents.get().pk}/")


def _sees_the_thread(client, found) -> bool:
    return 'name="body"' in client.get("/track/", {"code": found.tracking_code}).content.decode()


def _age(seconds: int) -> None:
    """Every code was made ``seconds`` earlier (and expires that much earlier)."""
    OwnershipCode.objects.update(
        created_at=F("created_at") - timedelta(seconds=seconds),
        expires_at=F("expires_at") - timedelta(seconds=seconds),
    )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _second_request(setting, mobile="09121234567"):
    found = setting["request"]
    service = type(
        "Service",
        (),
        {
            "translation_key": found.service_key,
            "slug": found.service_slug,
            "title": found.service_title,
            "level": found.level,
            "duration_days": 5,
        },
    )
    other, _ = request_services.submit_request(
        agency=found.agency,
        service=service,
        submission_token=uuid.uuid4(),
        data={},
        uploads=[],
        national_id="0084575948",
        mobile=mobile,
    )
    return other


def test_the_page_shows_the_mobile_masked_and_the_national_code_or_mobile_open_nothing(setting):
    found = setting["request"]
    client = _client()

    page = client.get("/track/", {"code": found.tracking_code}).content.decode()
    assert "۰۹۱۲***۴۵۶۷" in page and "09121234567" not in page and "۰۹۱۲۱۲۳۴۵۶۷" not in page
    assert 'autocomplete="one-time-code"' in page

    for proof in ("0084575948", "۰۰۸۴۵۷۵۹۴۸", "09121234567"):
        refused = client.post(
            "/track/prove/", {"code": found.tracking_code, "proof": proof, "otp": proof}
        )
        assert refused.status_code == 400
        assert "کد ۶ رقمی" in refused.content.decode()
    assert _document(client, found).status_code == 404
    assert client.get(f"/track/{found.tracking_code}/response/").status_code == 404


def test_the_texted_code_opens_documents_and_the_thread_and_is_stored_only_hashed(setting):
    found = setting["request"]
    client = _client()

    asked = _ask(client, found)
    assert asked.status_code == 302
    notice = client.get(asked["Location"]).content.decode()
    assert "۰۹۱۲***۴۵۶۷" in notice and "۵ دقیقه" in notice
    code = sent_code()
    row = OwnershipCode.objects.get()
    assert code not in (row.code_hash, row.client, row.mobile) and len(row.code_hash) == 64
    assert row.code_hash == ownership.code_hash(found.pk, code)

    # Typed in Persian digits with a space, as a phone keyboard may give it.
    proved = _type(
        client, found, f"{code[:3]} {code[3:]}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    )
    assert proved.status_code == 302
    page = client.get(proved["Location"]).content.decode()
    assert "گواهی ولادت" in page and 'name="body"' in page  # documents and the thread
    assert _document(client, found).status_code == 200
    # Another browser still has to prove it.
    assert _document(_client("10.0.0.2"), found).status_code == 404


def test_a_code_expires_after_its_minutes(setting):
    found = setting["request"]
    client = _client()
    _ask(client, found)
    code = sent_code()
    _age(5 * 60)

    expired = _type(client, found, code)

    assert expired.status_code == 400
    assert "منقضی" in expired.content.decode() and "۵ دقیقه" in expired.content.decode()
    assert _document(client, found).status_code == 404


def test_five_wrong_tries_kill_the_code_and_a_new_one_is_needed(setting, settings):
    settings.OWNERSHIP_CODE_RESEND_SECONDS = 0
    found = setting["request"]
    client = _client()
    _ask(client, found)
    code = sent_code()

    answers = [_type(client, found, _wrong(code)).content.decode() for _ in range(5)]
    assert "۴ بار دیگر" in answers[0] and "۱ بار دیگر" in answers[3]
    dead = _type(client, found, code)  # the right code, too late

    assert dead.status_code == 400 and "دیگر کار نمی‌کند" in dead.content.decode()
    assert _document(client, found).status_code == 404
    _ask(client, found)
    prove = _type(client, found, sent_code())
    assert prove.status_code == 302


def test_many_clients_share_the_five_tries_of_one_code(setting):
    found = setting["request"]
    _ask(_client(), found)
    code = sent_code()

    for n in range(5):
        _type(_client(f"10.0.1.{n}"), found, _wrong(code))
    late = _client("10.0.1.99")

    assert _type(late, found, code).status_code == 400
    assert _document(late, found).status_code == 404


def test_codes_to_one_mobile_are_limited_per_minute_and_per_hour(setting):
    found = setting["request"]
    _ask(_client("10.0.2.1"), found)

    again = _ask(_client("10.0.2.2"), found)  # another connection, the same mobile
    assert again.status_code == 429
    assert "ثانیه" in again.content.decode() and 'role="alert"' in again.content.decode()
    assert OwnershipCode.objects.count() == 1

    for n in range(4):
        _age(61)
        assert _ask(_client(f"10.0.2.{n + 3}"), found).status_code == 302
    _age(61)
    sixth = _ask(_client("10.0.2.9"), found)
    assert sixth.status_code == 429 and "دقیقه" in sixth.content.decode()
    assert OwnershipCode.objects.count() == 5
    _age(3600)
    assert _ask(_client("10.0.2.10"), found).status_code == 302


def test_codes_asked_from_one_client_are_limited_per_hour(setting, settings):
    settings.OWNERSHIP_CODES_PER_CLIENT_HOUR = 2
    requests = [setting["request"]] + [
        _second_request(setting, mobile=f"0912000000{n}") for n in range(2)
    ]
    client = _client("10.0.3.1")

    assert [_ask(client, found).status_code for found in requests] == [302, 302, 429]
    refused = _ask(client, requests[2]).content.decode()
    assert "از اتصال شما" in refused and "دقیقه" in refused
    # Another client asks for that mobile's code freely.
    assert _ask(_client("10.0.3.2"), requests[2]).status_code == 302


def test_a_used_code_cannot_be_replayed(setting):
    found = setting["request"]
    owner = _client()
    _ask(owner, found)
    code = sent_code()
    assert _type(owner, found, code).status_code == 302

    thief = _client("10.0.4.1")
    replay = _type(thief, found, code)

    assert replay.status_code == 400 and "استفاده شده" in replay.content.decode()
    assert _document(thief, found).status_code == 404


def test_a_code_of_one_request_proves_nothing_about_another(setting):
    a = setting["request"]
    b = _second_request(setting)  # the same mobile
    client = _client()
    _ask(client, a)
    code = sent_code()

    assert _type(client, b, code).status_code == 400
    assert not _sees_the_thread(client, b)
    # Even were B to have a live code, A's code hashes differently for B.
    assert ownership.code_hash(a.pk, code) != ownership.code_hash(b.pk, code)


def test_only_the_newest_code_counts(setting, settings):
    settings.OWNERSHIP_CODE_RESEND_SECONDS = 0
    found = setting["request"]
    client = _client()
    _ask(client, found)
    first = sent_code()
    _ask(client, found)
    newest = sent_code()

    if first != newest:
        assert _type(client, found, first).status_code == 400
    assert _type(client, found, newest).status_code == 302


def test_one_client_guessing_across_codes_is_stopped(setting, settings):
    settings.OWNERSHIP_CODE_FAILURES_PER_CLIENT_HOUR = 3
    a, b = setting["request"], _second_request(setting, mobile="09120000009")
    guesser = _client("10.0.5.1")
    _ask(_client("10.0.5.2"), a)
    code_a = sent_code()
    _ask(_client("10.0.5.3"), b)
    code_b = sent_code("09120000009")

    for _ in range(2):
        _type(guesser, a, _wrong(code_a))
    _type(guesser, b, _wrong(code_b))
    stopped = _type(guesser, b, code_b)  # even a right guess, now

    assert stopped.status_code == 429 and "دقیقه" in stopped.content.decode()
    assert not _sees_the_thread(guesser, b)
    # The owner, on another connection, is not locked out by the guesser.
    assert _type(_client("10.0.5.3"), b, code_b).status_code == 302


def test_the_code_is_compared_in_constant_time_whatever_the_case(setting, monkeypatch):
    found = setting["request"]
    compared = []
    real = ownership.hmac.compare_digest

    def spy(a, b):
        compared.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(ownership.hmac, "compare_digest", spy)
    client = _client()
    _type(client, found, "123456")  # no code sent yet
    _type(client, found, "12")  # malformed
    _ask(client, found)
    code = sent_code()
    _type(client, found, _wrong(code))
    _type(client, found, code)

    # Every answer compared two 64-character hashes, never the code itself.
    assert compared == [(64, 64)] * 4


def test_the_sms_text_loses_the_code_once_it_is_no_use(setting, settings):
    settings.OWNERSHIP_CODE_RESEND_SECONDS = 0
    found = setting["request"]
    client = _client()
    _ask(client, found)
    code = sent_code()
    _type(client, found, code)

    # The periodic job (every minute) masks it.
    assert mask_spent_ownership_codes(schema="public", timestamp=0) == 1
    message = SmsMessage.objects.get(pk=OwnershipCode.objects.get().message_id)
    assert code not in message.text and "••••••" in message.text
    assert found.tracking_code in message.text  # the rest of the text is kept
    assert ownership.mask_spent_codes() == 0

    # An expired code that was never typed is masked too; a live one is not.
    _ask(client, found)
    live = sent_code()
    assert ownership.mask_spent_codes() == 0
    _age(301)
    assert ownership.mask_spent_codes() == 1
    assert not SmsMessage.objects.filter(text__contains=live).exists()


def test_a_request_without_a_mobile_says_so(setting):
    found = setting["request"]
    found.mobile = ""
    found.save(update_fields=["mobile"])
    client = _client()

    page = client.get("/track/", {"code": found.tracking_code}).content.decode()
    refused = _ask(client, found)

    assert "شماره همراهی ندارد" in page
    assert refused.status_code == 400 and "شماره همراهی ندارد" in refused.content.decode()
    assert not OwnershipCode.objects.exists()


def test_prove_ownership_helper_matches_what_a_citizen_does(setting):
    client = _client()
    proved = prove_ownership(client, setting["request"])
    assert "گواهی ولادت" in client.get(proved["Location"]).content.decode()
