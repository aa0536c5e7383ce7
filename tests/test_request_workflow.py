"""The request's life after submission: the clock, the one extension, messages, the answer, SMS."""

import datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from notifications.gateways import MemoryGateway
from notifications.models import SmsMessage
from service_requests import services
from service_requests.models import MessageAttachment, RequestMessage, ServiceRequest
from service_requests.storage import private_storage
from service_requests.working_days import promised_date

from .conftest import PDF
from .jobs_runner import job_rows, make_due, run_jobs


def _upload(name="answer.pdf", content=PDF, title="پاسخ"):
    return services.Upload(
        slot="",
        title=title,
        file=SimpleUploadedFile(name, content),
        kind="pdf",
        size=len(content),
        sha256="1" * 64,
    )


def _texts(request) -> list[str]:
    return list(request.sms_messages.order_by("pk").values_list("text", flat=True))


def test_waiting_for_the_citizen_pauses_the_clock(setting):
    request = setting["request"]
    due = request.promised_on
    services.change_status(request, "incomplete", actor="clerk", note="تصویر شناسنامه لازم است.")
    # The citizen takes a week to answer.
    week_ago = timezone.now() - datetime.timedelta(days=7)
    ServiceRequest.objects.filter(pk=request.pk).update(paused_since=week_ago)

    services.send_message(
        request, sender="citizen", author="citizen", body="پیوست شد.", attachments=[_upload()]
    )

    request.refresh_from_db()
    assert request.status == "submitted"  # back with the agency
    assert request.paused_since is None
    waited = 6  # seven days back, one of them a Friday
    assert request.promised_on == promised_date(due, waited)
    assert [(c.from_status, c.to_status, c.actor) for c in request.history.all()][-2:] == [
        ("submitted", "incomplete", "clerk"),
        ("incomplete", "submitted", "citizen"),
    ]
    assert request.history.last().promised_on == request.promised_on


def test_the_deadline_is_extended_once_with_a_reason_and_the_citizen_is_told(setting):
    request = setting["request"]
    due = request.promised_on

    with pytest.raises(services.TransitionError):
        services.extend_deadline(request, days=5, reason="  ", actor="clerk")
    with pytest.raises(services.TransitionError):
        services.extend_deadline(request, days=90, reason="استعلام", actor="clerk")
    services.extend_deadline(request, days=5, reason="استعلام از ثبت اسناد", actor="clerk")
    with pytest.raises(services.TransitionError, match="once|یک بار"):
        services.extend_deadline(request, days=2, reason="باز هم", actor="clerk")

    request.refresh_from_db()
    assert request.promised_on == promised_date(due, 5)
    change = request.history.last()
    assert (change.kind, change.note, change.promised_on) == (
        "extension",
        "استعلام از ثبت اسناد",
        request.promised_on,
    )
    from persian.dates import jalali

    assert jalali(request.promised_on) in _texts(request)[-1]


def test_answering_needs_the_response_document(setting):
    request = setting["request"]
    services.change_status(request, "accepted", actor="clerk")
    services.change_status(request, "in_progress", actor="clerk")

    with pytest.raises(services.TransitionError):
        services.change_status(request, "answered", actor="clerk")
    response = services.answer_request(request, document=_upload(), actor="clerk")

    request.refresh_from_db()
    assert request.status == "answered"
    assert len(response.verification_code) == 12
    assert private_storage.open(response.file.name).read() == PDF


def test_an_sms_is_queued_at_each_step_and_sent_by_the_worker(setting):
    request = setting["request"]
    services.change_status(request, "accepted", actor="clerk")
    services.send_message(
        request, sender="agency", author="clerk", body="لطفاً اصل مدرک را بیاورید."
    )

    texts = _texts(request)
    assert len(texts) == 3  # received, accepted, a message from the agency
    assert request.tracking_code in texts[0] and "ثبت ولادت" in texts[0]
    assert all(request.tracking_code in text for text in texts)
    assert MemoryGateway.sent == []  # nothing is sent inside the request
    # One job per message, deferred with it, in the agency's schema.
    sms_jobs = job_rows(task_name="notifications.tasks.send_sms", status="todo")
    assert len(sms_jobs) == 3

    run_jobs()

    assert [mobile for mobile, _text in MemoryGateway.sent] == ["09121234567"] * 3
    assert SmsMessage.objects.filter(status="sent").count() == 3
    assert {job.status for job in job_rows(task_name="notifications.tasks.send_sms")} == {
        "succeeded"
    }


def test_a_failed_sms_is_retried_later_and_finally_given_up(setting):
    MemoryGateway.fail_next = 100

    run_jobs()
    message = SmsMessage.objects.get()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "unavailable" in message.last_error
    (job,) = job_rows(task_name="notifications.tasks.send_sms")
    # Retried with a growing delay: 2 s, then 4 s, ...
    assert (job.status, job.attempts) == ("todo", 1)
    assert job.scheduled_at > timezone.now()
    run_jobs()
    assert SmsMessage.objects.get().attempts == 1  # not yet due

    delays = []
    for _ in range(40):
        make_due()
        run_jobs()
        job = job_rows(task_name="notifications.tasks.send_sms")[0]
        if job.status != "todo":
            break
        delays.append(round((job.scheduled_at - timezone.now()).total_seconds()))
    message.refresh_from_db()
    # Twenty-three tries (about twelve hours of waiting), then given up, and its job failed.
    assert (message.status, message.attempts) == ("failed", 23)
    assert (job.status, job.attempts) == ("failed", 23)
    assert delays == sorted(delays) and delays[-1] == 3600
    assert 11 * 3600 < sum(delays) + 2 < 13 * 3600


def test_a_step_that_is_rolled_back_sends_no_sms(setting):
    request = setting["request"]
    with pytest.raises(RuntimeError), transaction.atomic():
        services.change_status(request, "accepted", actor="clerk")
        raise RuntimeError("the staff member's request failed afterwards")

    assert len(_texts(request)) == 1  # only "received"


def test_a_message_whose_file_cannot_be_stored_leaves_nothing_behind(setting):
    request = setting["request"]
    real_save = private_storage.save
    calls = []

    def failing_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    with mock.patch.object(private_storage, "save", failing_save), pytest.raises(OSError):
        services.send_message(
            request,
            sender="citizen",
            author="citizen",
            body="دو فایل",
            attachments=[_upload("a.pdf"), _upload("b.pdf")],
        )

    assert not RequestMessage.objects.exists() and not MessageAttachment.objects.exists()
    assert not private_storage.exists(calls[0])


def test_national_administrators_see_the_sms_outbox_but_cannot_edit_it(
    setting, national_admin_client
):
    MemoryGateway.fail_next = 1
    run_jobs()
    client = national_admin_client

    listing = client.get("/admin/sms_outbox/").content.decode()
    message = SmsMessage.objects.get()

    assert "09121234567" in listing and "gateway unavailable" in listing
    # Wagtail turns a refused permission into a redirect to the dashboard.
    for path in (f"/admin/sms_outbox/edit/{message.pk}/", "/admin/sms_outbox/new/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), path
