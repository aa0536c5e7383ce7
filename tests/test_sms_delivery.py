"""Delivery: each SMS sent once, whatever fails or crashes; what became of it on the staff's
timeline; a daily cap per mobile number."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from notifications import services
from notifications.constants import DeliveryStatus
from notifications.gateways import MemoryGateway, SmsGateway
from notifications.models import SmsMessage
from notifications.tasks import poll_sms_delivery, reconcile_sending_sms, send_sms
from service_requests import services as request_services
from tenants import jobs

from .jobs_runner import job_rows, make_due, run_jobs

SEND = "notifications.tasks.send_sms"


@pytest.fixture(autouse=True)
def _fresh_gateway():
    MemoryGateway.reset()
    yield
    MemoryGateway.reset()


def _long_ago(message, **fields):
    """Move a message's times back (as if a worker had been gone that long)."""
    SmsMessage.objects.filter(pk=message.pk).update(**fields)


# --- With the request's transaction -------------------------------------------------------


def test_an_sms_and_its_job_roll_back_with_the_change_they_report(setting):
    request = setting["request"]
    before = SmsMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        request_services.change_status(request, "accepted", actor="clerk")
        assert SmsMessage.objects.count() == before + 1
        raise RuntimeError("the clerk's request failed afterwards")

    assert SmsMessage.objects.count() == before
    assert len(job_rows(task_name=SEND)) == before  # only the receipt's
    run_jobs()
    assert len(MemoryGateway.sent) == before


# --- Failures: temporary ones retried, permanent ones not ----------------------------------


@pytest.mark.django_db
def test_a_temporary_failure_is_retried_later_and_then_sent_once():
    MemoryGateway.fail_next = 2
    message = services.queue_sms("09121234567", "درخواست شما ثبت شد")
    run_jobs()
    message.refresh_from_db()
    (job,) = job_rows(task_name=SEND)
    assert (message.status, job.status, job.attempts) == ("queued", "todo", 1)
    assert job.scheduled_at > timezone.now()  # waits before trying again

    for _ in range(3):
        make_due()
        run_jobs()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 3)
    assert MemoryGateway.sent == [("09121234567", "درخواست شما ثبت شد")]
    assert job_rows(task_name=SEND)[0].status == "succeeded"


@pytest.mark.django_db
def test_a_permanent_failure_is_failed_at_once_and_never_retried():
    MemoryGateway.refuse_next = 1
    message = services.queue_sms("09121234567", "درخواست شما ثبت شد")
    run_jobs()
    make_due()
    run_jobs()

    message.refresh_from_db()
    (job,) = job_rows(task_name=SEND)
    assert (message.status, message.attempts) == ("failed", 1)
    assert "receptor refused" in message.last_error
    assert (job.status, job.attempts) == ("failed", 1)  # seen by national administrators
    assert MemoryGateway.calls == 1 and MemoryGateway.sent == []


# --- Once only -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_jobs_for_one_message_send_it_once():
    message = services.queue_sms("09121234567", "درخواست شما ثبت شد")
    jobs.defer(send_sms, message_id=message.pk)  # a second job, without the lock
    run_jobs()
    message.refresh_from_db()
    assert message.status == "sent"
    assert MemoryGateway.calls == 1 and len(MemoryGateway.sent) == 1
    assert {job.status for job in job_rows(task_name=SEND)} == {"succeeded"}


class SlowGateway(SmsGateway):
    """Holds the first send until the test lets it go; counts the sends it was asked for."""

    entered = threading.Event()
    release = threading.Event()
    calls = 0

    def send(self, mobile, text, *, local_id):
        SlowGateway.calls += 1
        SlowGateway.entered.set()
        assert SlowGateway.release.wait(10)
        return f"slow-{local_id}"


def _on_own_connection(work):
    """Run ``work`` on a thread of its own, so on a database connection of its own (in
    autocommit: what it writes is committed at once); returns its result."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return outcome["value"]


@pytest.mark.django_db
def test_two_workers_at_once_send_a_message_once(settings):
    """Two workers on their own connections, on committed data, both given the message."""
    settings.SMS_GATEWAY = "tests.test_sms_delivery.SlowGateway"
    SlowGateway.entered.clear()
    SlowGateway.release.clear()
    SlowGateway.calls = 0
    # Committed through a connection of its own (the test's is inside its transaction).
    pk = _on_own_connection(
        lambda: (
            SmsMessage.objects.create(mobile="09121234567", text="متن", queued_at=timezone.now()).pk
        )
    )
    results = {}

    def worker(name):
        results[name] = _on_own_connection(lambda: services.send_sms(pk))

    first = threading.Thread(target=worker, args=("first",))
    first.start()
    assert SlowGateway.entered.wait(10)  # the first has claimed it and is at the gateway
    second = threading.Thread(target=worker, args=("second",))
    second.start()
    second.join(10)
    SlowGateway.release.set()
    first.join(10)
    try:
        row = _on_own_connection(
            lambda: SmsMessage.objects.values_list("status", "provider_id", "attempts").get(pk=pk)
        )
    finally:
        _on_own_connection(lambda: SmsMessage.objects.filter(pk=pk).delete())
    assert results == {"first": True, "second": False}
    assert SlowGateway.calls == 1
    assert row == ("sent", f"slow-{pk}", 1)


def test_a_crash_after_the_gateway_accepted_is_reconciled_and_never_delivered_twice(
    setting, settings
):
    MemoryGateway.crash_next = 1
    message = SmsMessage.objects.get()
    run_jobs()  # the gateway takes it, then the worker "dies" before recording it
    message.refresh_from_db()
    assert message.status == "sending"
    assert len(MemoryGateway.sent) == 1

    # Its job run again (a stalled worker's job is retried) leaves it to the reconcile.
    jobs.defer(send_sms, message_id=message.pk, lock=f"sms:{message.pk}")
    run_jobs()
    assert reconcile_sending_sms(schema="public", timestamp=0) == {"sent": 0, "queued": 0}
    message.refresh_from_db()
    assert message.status == "sending"  # still within its grace period

    _long_ago(message, sending_since=timezone.now() - datetime.timedelta(minutes=10))
    assert reconcile_sending_sms(schema="public", timestamp=0) == {"sent": 1, "queued": 0}
    run_jobs()
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.provider_id == MemoryGateway.accepted[str(message.pk)]
    assert len(MemoryGateway.sent) == 1  # delivered once

    page = setting["a"].get(f"/admin/requests/{setting['request'].tracking_code}/")
    assert "ارسال شد" in page.content.decode()


@pytest.mark.django_db
def test_a_message_the_provider_never_got_is_queued_again_and_sent_once():
    message = services.queue_sms("09121234567", "درخواست شما ثبت شد")
    # A worker claimed it and died before reaching the gateway.
    SmsMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, sending_since=timezone.now() - datetime.timedelta(hours=1)
    )

    assert reconcile_sending_sms(schema="public", timestamp=0) == {"sent": 0, "queued": 1}
    message.refresh_from_db()
    assert message.status == "queued"
    run_jobs()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert MemoryGateway.sent == [("09121234567", "درخواست شما ثبت شد")]


# --- What became of it ---------------------------------------------------------------------


def test_delivery_reports_are_polled_and_shown_on_the_staff_timeline(setting):
    request = setting["request"]
    request_services.change_status(request, "accepted", actor="clerk")
    run_jobs()
    received, accepted = request.sms_messages.order_by("pk")
    MemoryGateway.delivery[received.provider_id] = DeliveryStatus.DELIVERED
    MemoryGateway.delivery[accepted.provider_id] = DeliveryStatus.UNDELIVERABLE

    assert poll_sms_delivery(schema="public", timestamp=0) == 2
    received.refresh_from_db()
    accepted.refresh_from_db()
    assert (received.status, accepted.status) == ("delivered", "undeliverable")
    assert received.delivered_at is not None

    page = setting["a"].get(f"/admin/requests/{request.tracking_code}/").content.decode()
    assert page.count("پیامک به شهروند") == 2
    assert "تحویل شد" in page and "تحویل نشد" in page
    assert "۱۴۰" in page  # the Jalali year, in Persian digits


@pytest.mark.django_db
def test_a_message_still_on_its_way_is_asked_again_later_and_not_after_a_day():
    message = services.queue_sms("09121234567", "درخواست شما ثبت شد")
    run_jobs()
    assert poll_sms_delivery(schema="public", timestamp=0) == 0
    message.refresh_from_db()
    assert (message.status, message.status_checked_at is not None) == ("sent", True)

    MemoryGateway.delivery[message.provider_id] = DeliveryStatus.DELIVERED
    assert poll_sms_delivery(schema="public", timestamp=0) == 0  # asked a moment ago
    _long_ago(
        message,
        sent_at=timezone.now() - datetime.timedelta(hours=25),
        status_checked_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert poll_sms_delivery(schema="public", timestamp=0) == 0  # a day old: not asked
    _long_ago(message, sent_at=timezone.now() - datetime.timedelta(hours=2))
    assert poll_sms_delivery(schema="public", timestamp=0) == 1
    message.refresh_from_db()
    assert message.status == "delivered"


# --- The daily cap -------------------------------------------------------------------------


@pytest.mark.django_db
def test_texts_over_the_daily_cap_of_a_number_are_not_sent_and_say_why(settings):
    settings.SMS_DAILY_CAP_PER_MOBILE = 3
    old = services.queue_sms("09121234567", "دیروز")
    _long_ago(old, queued_at=timezone.now() - datetime.timedelta(hours=25))
    within = [services.queue_sms("09121234567", f"پیام {n}") for n in range(3)]
    over = services.queue_sms("09121234567", "پیام چهارم")
    other = services.queue_sms("09351234567", "شماره‌ای دیگر")

    assert over.status == "failed" and over.attempts == 0
    assert "۳" in over.last_error and "۲۴" in over.last_error
    assert "ساعت" in over.last_error
    deferred = {job.args["message_id"] for job in job_rows(task_name=SEND)}
    assert over.pk not in deferred and other.pk in deferred
    run_jobs()
    assert sorted(text for _mobile, text in MemoryGateway.sent) == sorted(
        ["دیروز", "شماره‌ای دیگر", *[m.text for m in within]]
    )
    # A refused text does not count itself, but the number stays at its cap for the day.
    assert services.queue_sms("09121234567", "باز هم").status == "failed"


def test_the_outbox_of_national_administrators_shows_the_new_statuses(
    setting, national_admin_client
):
    run_jobs()
    listing = national_admin_client.get("/admin/sms_outbox/", {"status": "sent"})
    assert listing.status_code == 200
    assert "09121234567" in listing.content.decode()
    assert connection.schema_name == "public"


@pytest.mark.django_db
def test_messages_waiting_under_the_old_name_are_queued_after_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("notifications.migrations.0003_delivery")
    message = services.queue_sms("09121234567", "درخواست شما ثبت شد")
    SmsMessage.objects.filter(pk=message.pk).update(status="pending")
    migration.pending_to_queued(apps, None)
    message.refresh_from_db()
    assert message.status == "queued"
    run_jobs()
    message.refresh_from_db()
    assert message.status == "sent"
