"""Online requests: the generated form, complete-at-once checking, submission, receipt, tracking."""

import datetime
import re

import jdatetime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from service_requests.models import PendingUpload, RequestDocument, ServiceRequest
from service_requests.storage import private_storage
from service_requests.working_days import add_working_days, promised_date

from .conftest import PDF, PNG, form_url

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
JALALI_MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()
FATHER, MOTHER = "0084575948", "0499370899"


def _token(html: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


def _answers(**overrides):
    data = {
        "field_father_national_id": "۰۰۸۴۵۷۵۹۴۸",
        "field_mother_national_id": MOTHER,
        "field_mobile": "+98 912 123 4567",
        "field_child_name": "آرش",
    }
    data.update(overrides)
    return data


def test_working_days_skip_fridays_and_official_holidays():
    wednesday = datetime.date(2026, 11, 18)
    holiday = datetime.date(2026, 11, 21)  # a Saturday
    # Thu 19 (1), Fri 20 skipped, Sat 21 holiday skipped, Sun 22 (2), Mon 23 (3)
    assert add_working_days(wednesday, 3, {holiday}) == datetime.date(2026, 11, 23)


def test_the_form_is_generated_from_the_package(agency_client):
    html = agency_client.get(form_url()).content.decode()

    for label in (
        "کد ملی پدر",
        "کد ملی مادر",
        "تلفن همراه",
        "نام نوزاد",
        "گواهی ولادت بیمارستان",
        "تصویر کارت ملی پدر و مادر",
    ):
        assert label in html
    assert html.count('type="file"') == 2
    assert 'name="submission_token"' in html


def test_missing_documents_are_all_named_at_once_and_entries_kept(agency_client):
    token = _token(agency_client.get(form_url()).content.decode())

    response = agency_client.post(form_url(), {**_answers(), "submission_token": token})

    html = response.content.decode()
    assert response.status_code == 400
    assert "«گواهی ولادت بیمارستان» الزامی است" in html
    assert "«تصویر کارت ملی پدر و مادر» الزامی است" in html
    assert 'value="آرش"' in html
    assert not ServiceRequest.objects.exists()


def test_a_pdf_that_is_really_html_is_refused_and_good_uploads_are_kept(agency_client):
    token = _token(agency_client.get(form_url()).content.decode())
    fake = SimpleUploadedFile(
        "certificate.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    good = SimpleUploadedFile("ids.png", PNG, "image/png")

    first = agency_client.post(
        form_url(),
        {
            **_answers(field_mother_national_id="1234567890"),
            "submission_token": token,
            "document_hospital-birth-certificate": fake,
            "document_parents-id-cards": good,
        },
    )

    html = first.content.decode()
    assert first.status_code == 400
    assert "این پرونده نیست" in html  # «…» must be a PDF, JPG or PNG file; this file is not.
    assert "کد ملی معتبر نیست" in html
    assert PendingUpload.objects.filter(slot="parents-id-cards").exists()

    second = agency_client.post(
        form_url(),
        {
            **_answers(),
            "submission_token": token,
            "document_hospital-birth-certificate": SimpleUploadedFile(
                "c.pdf", PDF, "application/pdf"
            ),
        },
    )

    assert second.status_code == 302
    request = ServiceRequest.objects.get()
    assert sorted(RequestDocument.objects.values_list("slot", flat=True)) == [
        "hospital-birth-certificate",
        "parents-id-cards",
    ]
    assert request.national_id == FATHER and request.mobile == "09121234567"
    assert not PendingUpload.objects.exists()


def test_pressing_send_twice_gives_one_request_and_one_code(agency_client):
    token = _token(agency_client.get(form_url()).content.decode())

    def send():
        return agency_client.post(
            form_url(),
            {
                **_answers(),
                "submission_token": token,
                "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF),
                "document_parents-id-cards": SimpleUploadedFile("b.pdf", PDF),
            },
        )

    first, second = send(), send()

    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_storage_failure_mid_submission_leaves_no_request_and_no_files(
    agency_client, monkeypatch
):
    import uuid

    from django_tenants.utils import schema_context

    from catalog_pages.models import ServicePage
    from service_requests.services import Upload, submit_request
    from tenants.models import Agency

    agency = Agency.objects.get(slug="civil-registration")
    with schema_context(agency.schema_name):
        service = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
    uploads = [
        Upload(
            slot=slot,
            title=slot,
            file=SimpleUploadedFile(f"{slot}.pdf", PDF),
            kind="pdf",
            size=len(PDF),
            sha256="0" * 64,
        )
        for slot in ("hospital-birth-certificate", "parents-id-cards")
    ]
    from django.core.files.storage import FileSystemStorage

    saved = []
    real_save = FileSystemStorage.save

    def failing_save(storage, name, content, **kwargs):
        if saved:
            raise OSError("disk full")
        saved.append(real_save(storage, name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        submit_request(
            agency=agency, service=service, submission_token=uuid.uuid4(), data={}, uploads=uploads
        )

    assert not ServiceRequest.objects.exists()
    assert not RequestDocument.objects.exists()
    assert saved and not private_storage.exists(saved[0])


def test_receipt_shows_code_documents_and_promised_jalali_date(agency_client, client_for):
    token = _token(agency_client.get(form_url()).content.decode())
    response = agency_client.post(
        form_url(),
        {
            **_answers(),
            "submission_token": token,
            "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF),
            "document_parents-id-cards": SimpleUploadedFile("b.png", PNG),
        },
    )
    receipt = agency_client.get(response["Location"]).content.decode()
    request = ServiceRequest.objects.get()

    assert request.tracking_code[:4].translate(PERSIAN_DIGITS) in receipt
    assert "گواهی ولادت بیمارستان" in receipt and "تصویر کارت ملی پدر و مادر" in receipt
    # Due after the service's working days (Fridays and holidays skipped), in Jalali.
    with schema_context(request.agency.schema_name):
        duration = ServicePage.objects.get(
            translation_key=request.service_key, locale__language_code="fa"
        ).duration_days
    assert duration > 0
    expected = promised_date(timezone.localdate(request.submitted_at), duration)
    assert request.promised_on == expected
    shown = jdatetime.date.fromgregorian(date=expected)
    jalali = f"{shown.day} {JALALI_MONTHS[shown.month - 1]} {shown.year}".translate(PERSIAN_DIGITS)
    assert f"<dd>{jalali}</dd>" in receipt

    tracked = (
        client_for("localhost").get("/track/", {"code": request.tracking_code}).content.decode()
    )
    assert "ثبت ولادت و صدور شناسنامه" in tracked
    assert "ثبت شد" in tracked  # the status, in Persian
    assert (
        "0084575948" not in tracked and "آرش" not in tracked
    )  # the public status shows nothing personal


@pytest.mark.django_db
def test_tracking_explains_a_mistyped_code(client_for):
    from service_requests.tracking import code_for, key_from_secret

    code = code_for(5, key_from_secret("x"))
    mistyped = code[:-1] + str((int(code[-1]) + 1) % 10)
    html = client_for("localhost").get("/track/", {"code": mistyped}).content.decode()
    assert "رقم" in html and 'role="alert"' in html


@pytest.mark.django_db
def test_tracking_lookups_are_rate_limited(client_for):
    client = client_for("localhost")
    statuses = [client.get("/track/", {"code": "1"}).status_code for _ in range(31)]
    assert statuses[-1] == 429 and statuses[0] == 200
