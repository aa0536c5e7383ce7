"""The citizen and the agency talk about a request; the answer is issued and can be verified."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from service_requests.models import ResponseDocument, ServiceRequest

from .conftest import PDF, PNG, make_pdf, prove_ownership

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


@pytest.fixture
def owner(setting, client_for):
    """The citizen's browser, having proved ownership with the code texted to the mobile."""
    portal = client_for("localhost")
    prove_ownership(portal, setting["request"])
    return portal


def _url(setting, suffix=""):
    return f"/admin/requests/{setting['request'].tracking_code}/{suffix}"


def test_the_citizen_answers_an_incomplete_request_with_files(setting, owner):
    code = setting["request"].tracking_code
    staff = setting["a"]
    staff.post(_url(setting, "status/"), {"status": "incomplete", "note": "کارت ملی پدر لازم است."})

    page = owner.get("/track/", {"code": code}).content.decode()
    assert "کارت ملی پدر لازم است." in page and "ارسال پاسخ" in page

    sent = owner.post(
        f"/track/{code}/messages/",
        {
            "body": "تصویر کارت ملی پدر پیوست شد.",
            "attachments": [
                SimpleUploadedFile("../../etc/کارت<پدر>.png", PNG),
                SimpleUploadedFile("نامه.pdf", PDF),
            ],
        },
    )
    assert sent.status_code == 302

    request = ServiceRequest.objects.get()
    assert request.status == "submitted"
    message = request.messages.get()
    assert sorted(message.attachments.values_list("title", flat=True)) == [
        "نامه.pdf",
        "کارتپدر.png",
    ]
    # Staff see the message and open its files; the other agency cannot.
    detail = staff.get(_url(setting)).content.decode()
    assert "تصویر کارت ملی پدر پیوست شد." in detail
    png = message.attachments.get(content_type="png")
    opened = staff.get(_url(setting, f"attachments/{png.pk}/"))
    assert b"".join(opened.streaming_content) == PNG
    assert setting["b"].get(_url(setting, f"attachments/{png.pk}/")).status_code == 404


def test_a_message_with_a_disguised_file_is_refused_and_nothing_is_sent(setting, owner):
    code = setting["request"].tracking_code
    response = owner.post(
        f"/track/{code}/messages/",
        {"body": "سلام", "attachments": [SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>")]},
    )

    assert response.status_code == 400
    assert "«a.pdf»" in response.content.decode()
    assert not ServiceRequest.objects.get().messages.exists()


def test_files_of_a_request_are_only_for_its_owner(setting, owner, client_for):
    code = setting["request"].tracking_code
    document = setting["request"].documents.get()
    stranger = client_for("localhost")

    mine = owner.get(f"/track/{code}/documents/{document.pk}/")
    assert b"".join(mine.streaming_content) == PDF
    assert stranger.get(f"/track/{code}/documents/{document.pk}/").status_code == 404
    assert (
        stranger.post(f"/track/{code}/messages/", {"body": "من صاحب درخواستم"}).status_code == 404
    )


def test_staff_extend_once_and_the_citizen_sees_the_new_date(setting, owner):
    staff = setting["a"]
    missing_reason = staff.post(_url(setting, "extend/"), {"days": "3", "reason": ""})
    assert missing_reason.status_code == 400

    staff.post(_url(setting, "extend/"), {"days": "3", "reason": "استعلام از دادگستری"})
    again = staff.get(_url(setting)).content.decode()

    assert "تمدید مهلت (یک بار)" not in again  # the form is gone after the one extension
    page = owner.get("/track/", {"code": setting["request"].tracking_code}).content.decode()
    assert "استعلام از دادگستری" in page


def test_the_answer_is_downloaded_by_the_citizen_and_verified_by_anyone(setting, owner, client_for):
    code = setting["request"].tracking_code
    staff = setting["a"]
    staff.post(_url(setting, "status/"), {"status": "accepted"})
    staff.post(_url(setting, "status/"), {"status": "in_progress"})
    answer = make_pdf(title="the agency's answer")
    staff.post(
        _url(setting, "answer/"),
        {"document": SimpleUploadedFile("پاسخ.pdf", answer), "note": "گواهی صادر شد."},
    )

    issued = ResponseDocument.objects.get()
    assert ServiceRequest.objects.get().status == "answered"
    page = owner.get("/track/", {"code": code}).content.decode()
    assert issued.verification_code in page and "<svg" in page  # the QR code
    downloaded = owner.get(f"/track/{code}/response/")
    assert b"".join(downloaded.streaming_content) == answer

    anyone = client_for("localhost")
    check = anyone.get(f"/verify/{issued.verification_code}/").content.decode()
    assert "ثبت احوال" in check and code not in check  # agency shown, tracking code masked
    genuine = anyone.post(
        f"/verify/{issued.verification_code}/", {"document": SimpleUploadedFile("x.pdf", answer)}
    ).content.decode()
    forged = anyone.post(
        f"/verify/{issued.verification_code}/",
        {"document": SimpleUploadedFile("x.pdf", make_pdf(title="the agency's forged answer"))},
    ).content.decode()
    assert "دقیقاً همان" in genuine and "دقیقاً همان" not in forged
    assert "هیچ" in anyone.get("/verify/", {"code": "ABCDEFGHJKLM"}).content.decode()


def test_inbox_filters_by_jalali_submission_dates(setting):
    request = setting["request"]
    ServiceRequest.objects.filter(pk=request.pk).update(
        submitted_at=datetime.datetime(2026, 3, 25, 10, 0, tzinfo=TEHRAN)  # 1405/01/05
    )
    staff = setting["a"]

    inside = staff.get(
        "/admin/requests/", {"submitted_from": "۱۴۰۵/۰۱/۰۱", "submitted_to": "1405/01/05"}
    )
    outside = staff.get("/admin/requests/", {"submitted_from": "1405/01/06"})
    reversed_range = staff.get(
        "/admin/requests/", {"submitted_from": "1405/02/01", "submitted_to": "1405/01/01"}
    )

    assert request.tracking_code in inside.content.decode()
    assert request.tracking_code not in outside.content.decode()
    assert "تاریخ اول" in reversed_range.content.decode()


def test_staff_record_package_steps_and_a_visit_tells_why_when_and_where(
    setting, owner, client_for
):
    code = setting["request"].tracking_code
    staff = setting["a"]
    staff.post(_url(setting, "status/"), {"status": "accepted"})

    staff.post(_url(setting, "step/"), {"step": "1"})  # «بررسی مدارک و ثبت واقعه»
    assert ServiceRequest.objects.get().status == "in_progress"

    refused = staff.post(_url(setting, "step/"), {"step": "2"})  # in person, but when?
    assert refused.status_code == 400 and "تاریخ و ساعت" in refused.content.decode()

    staff.post(
        _url(setting, "step/"),
        {
            "step": "2",
            "visit_date": "1420/01/15",
            "visit_time": "۰۹:۳۰",
            "visit_place": "دفتر ثبت احوال منطقه ۳",
            "note": "برای تحویل شناسنامه، اصل کارت ملی پدر را بیاورید.",
        },
    )

    public = client_for("localhost").get("/track/", {"code": code}).content.decode()
    mine = owner.get("/track/", {"code": code}).content.decode()
    assert "بررسی مدارک و ثبت واقعه" in public and "تحویل شناسنامه" in public
    assert "منطقه ۳" not in public  # where and why only to the owner
    assert "منطقه ۳" in mine and "اصل کارت ملی پدر" in mine and "۱۴۲۰" in mine
    texts = list(ServiceRequest.objects.get().sms_messages.values_list("text", flat=True))
    assert any("منطقه ۳" in text for text in texts)
