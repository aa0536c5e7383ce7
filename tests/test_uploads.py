"""Uploads in public: the size of what is sent, what a file really is, what is kept and for whom,
and files never outliving (or missing from) their rows."""

import io
import re
import struct
import uuid
import zlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db import DatabaseError
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image

from catalog_pages.models import ServiceDocument, ServicePage
from service_requests import services
from service_requests import uploads as upload_checks
from service_requests.models import (
    MessageAttachment,
    PendingUpload,
    RequestDocument,
    RequestMessage,
    ResponseDocument,
    ServiceRequest,
)
from service_requests.storage import private_storage
from tenants.models import Agency

from .conftest import JPEG, PDF, PNG, form_url, make_image, make_pdf, prove_ownership

MB = 1024 * 1024
FAKE_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + b"<html>not an image</html>" * 4


# --- helpers ----------------------------------------------------------------------------


class EndlessBody:
    """A WSGI input that never ends (a file part that goes on and on), counting what is read.

    It fails the test outright once more than ``fail_after`` bytes were read."""

    def __init__(self, head: bytes = b"", fail_after: int = 8 * MB):
        self.head = head
        self.read_bytes = 0
        self.fail_after = fail_after

    def read(self, size=-1):
        if size is None or size < 0:
            size = 64 * 1024
        if self.read_bytes > self.fail_after:
            raise AssertionError(f"{self.read_bytes} bytes of the body were read")
        start = self.read_bytes
        chunk = self.head[start : start + size] if start < len(self.head) else b""
        chunk += b"0" * (size - len(chunk))
        self.read_bytes += size
        return chunk

    readline = read


def _multipart_head(field: str, filename: str, first_bytes: bytes) -> bytes:
    return (
        b"--BOUNDARY\r\n"
        + f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'.encode()
        + b"Content-Type: application/pdf\r\n\r\n"
        + first_bytes
    )


def _post_endless(client: Client, path: str, body: EndlessBody, announced: int):
    return client.generic(
        "POST",
        path,
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=BOUNDARY",
        CONTENT_LENGTH=str(announced),
        **{"wsgi.input": body},
    )


def _page():
    agency = Agency.objects.get(slug="civil-registration")
    with schema_context(agency.schema_name):
        return ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")


def _submit_url() -> str:
    return f"/apply/{_page().pk}/"


def _stored_files(settings) -> list[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _token(client: Client) -> str:
    html = client.get(form_url()).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


def _answers(**overrides):
    data = {
        "field_father_national_id": "0084575948",
        "field_mother_national_id": "0499370899",
        "field_mobile": "09121234567",
        "field_child_name": "آرش",
    }
    data.update(overrides)
    return data


@pytest.fixture
def stored_bytes(monkeypatch):
    """How many bytes of uploaded files reached Django's storing upload handlers."""
    received = {"bytes": 0}
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        real = handler.receive_data_chunk

        def counting(self, raw_data, start, real=real):
            received["bytes"] += len(raw_data)
            return real(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    return received


def _png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG header announcing ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def _encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _refusal(content: bytes):
    """Why ``inspect`` refuses ``content`` (None if it accepts it)."""
    try:
        upload_checks.inspect(SimpleUploadedFile("x", content))
    except Exception as error:  # noqa: BLE001 — the starting code raised nothing
        return getattr(error, "problem", repr(error))
    return None


# --- 1. the size of the whole request -----------------------------------------------------


def test_a_body_announced_over_the_limit_is_refused_before_it_is_read(agency_client, settings):
    """Before CSRF (which reads the form) or anything else: 413, not one byte read."""
    settings.MAX_REQUEST_BYTES = 60 * MB
    strict = Client(HTTP_HOST="civil-registration.localhost", enforce_csrf_checks=True)
    body = EndlessBody(fail_after=0)

    response = _post_endless(strict, _submit_url(), body, announced=200 * MB)

    assert response.status_code == 413
    html = response.content.decode()
    assert "۶۰ مگابایت" in html and 'lang="fa"' in html
    assert body.read_bytes == 0

    portal = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    body = EndlessBody(fail_after=0)
    assert _post_endless(portal, "/track/1/messages/", body, 200 * MB).status_code == 413
    assert body.read_bytes == 0


def test_a_body_larger_than_the_limit_is_stopped_while_it_streams(
    agency_client, settings, monkeypatch
):
    """Should the early refusal not see the size (a front end that does not pass the length
    on, a lie), the upload handler still stops reading at the limit and nothing is kept."""
    settings.MAX_REQUEST_BYTES = 1 * MB
    monkeypatch.setattr(upload_checks, "_announced_length", lambda request: 0)
    body = EndlessBody(_multipart_head("document_parents-id-cards", "ids.pdf", b"%PDF-1.4\n"))

    response = _post_endless(agency_client, _submit_url(), body, announced=200 * MB)

    assert response.status_code == 413
    assert body.read_bytes < 2 * MB
    assert not PendingUpload.objects.exists()
    assert _stored_files(settings) == []

    # A view without limits of its own, whose form the CSRF middleware reads: the same.
    portal = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    portal.cookies["csrftoken"] = "a" * 32  # so the middleware goes on to read the form
    body = EndlessBody(_multipart_head("proof", "x.pdf", b"%PDF-1.4\n"))
    assert _post_endless(portal, "/track/prove/", body, announced=200 * MB).status_code == 413
    assert body.read_bytes < 2 * MB


def test_a_normal_form_still_goes_through_with_csrf_checked(agency_client):
    strict = Client(HTTP_HOST="civil-registration.localhost", enforce_csrf_checks=True)
    html = strict.get(form_url()).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    form = {
        **_answers(),
        "submission_token": token,
        "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF),
        "document_parents-id-cards": SimpleUploadedFile("b.jpg", JPEG),
    }

    refused = strict.post(_submit_url(), form)  # no CSRF token: still refused
    form["document_hospital-birth-certificate"].seek(0)
    form["document_parents-id-cards"].seek(0)
    sent = strict.post(_submit_url(), {**form, "csrfmiddlewaretoken": csrf})

    assert refused.status_code == 403
    assert sent.status_code == 302 and ServiceRequest.objects.count() == 1


# --- 2. each document's own limit, while it streams -----------------------------------------


def test_a_document_over_its_limit_is_cut_off_and_the_whole_form_still_reported(
    agency_client, stored_bytes
):
    agency = Agency.objects.get(slug="civil-registration")
    with schema_context(agency.schema_name):
        ServiceDocument.objects.filter(slug="hospital-birth-certificate").update(
            max_size_mb=Decimal("0.05")
        )
    big = make_pdf(title="x" * 400_000)  # a real PDF of about 400 KB; the slot takes 50 KB
    strict = Client(HTTP_HOST="civil-registration.localhost", enforce_csrf_checks=True)
    html = strict.get(form_url()).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]

    response = strict.post(
        _submit_url(),
        {
            **_answers(field_mother_national_id="1234567890"),
            "csrfmiddlewaretoken": csrf,
            "submission_token": token,
            "document_hospital-birth-certificate": SimpleUploadedFile("big.pdf", big),
            "not-a-slot": SimpleUploadedFile("junk.pdf", big),  # never stored either
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "حجم «گواهی ولادت بیمارستان» حداکثر ۰.۰۵ مگابایت است." in page  # its own limit
    assert "«تصویر کارت ملی پدر و مادر» الزامی است" in page  # and the rest, at once
    assert "کد ملی معتبر نیست" in page
    assert stored_bytes["bytes"] <= 50 * 1024 + 64 * 1024  # not read into a file past its limit
    assert not PendingUpload.objects.exists()


def test_message_attachments_and_answers_are_cut_off_at_their_limit(setting, client_for):
    from .test_request_conversation import _url

    code = setting["request"].tracking_code
    owner = client_for("localhost")
    prove_ownership(owner, setting["request"])
    big = b"%PDF-1.4\n" + b"0" * (11 * MB)

    received = {"bytes": 0}
    real = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        received["bytes"] += len(raw_data)
        return real(self, raw_data, start)

    TemporaryFileUploadHandler.receive_data_chunk = counting
    try:
        sent = owner.post(
            f"/track/{code}/messages/",
            {"body": "پیوست", "attachments": [SimpleUploadedFile("big.pdf", big)]},
        )
        citizen_bytes, received["bytes"] = received["bytes"], 0
        setting["a"].post(_url(setting, "status/"), {"status": "accepted"})
        setting["a"].post(_url(setting, "status/"), {"status": "in_progress"})
        answered = setting["a"].post(
            _url(setting, "answer/"), {"document": SimpleUploadedFile("answer.pdf", big)}
        )
        staff_bytes = received["bytes"]
    finally:
        TemporaryFileUploadHandler.receive_data_chunk = real

    assert sent.status_code == 400
    assert "حجم «big.pdf» بیش از ۱۰ مگابایت است." in sent.content.decode()  # Persian digits
    assert citizen_bytes <= 10 * MB + 64 * 1024
    assert not RequestMessage.objects.exists()
    assert answered.status_code == 400 and not ResponseDocument.objects.exists()
    assert staff_bytes <= 10 * MB + 64 * 1024


# --- 3. files are what they say, by parsing them ------------------------------------------


def test_real_pdfs_and_images_pass_and_their_kind_is_found_by_content():
    for content, kind in ((PDF, "pdf"), (PNG, "png"), (JPEG, "jpg"), (make_pdf(pages=3), "pdf")):
        inspected = upload_checks.inspect(SimpleUploadedFile("named.wrongly", content))
        assert inspected.kind == kind and inspected.size == len(content)
    # Locked for changes only (no password to open it): staff can read it.
    assert upload_checks.inspect(SimpleUploadedFile("x.pdf", _encrypted_pdf(""))).kind == "pdf"


def test_files_that_only_begin_like_a_pdf_or_image_are_refused():
    assert _refusal(FAKE_PDF) == "format"
    assert _refusal(b"%PDF-1.4\n%%EOF\n") == "format"  # no pages
    assert _refusal(FAKE_PNG) == "format"
    assert _refusal(b"\xff\xd8\xff\xe0" + b"<html></html>" * 8) == "format"
    assert _refusal(PNG[:-20]) == "format"  # cut short
    assert _refusal(_encrypted_pdf("secret")) == "password"
    assert _refusal(_png_claiming(100_000, 100_000)) == "pixels"  # a decompression bomb
    with pytest.warns(Image.DecompressionBombWarning):
        assert _refusal(_png_claiming(10_000, 10_000)) == "pixels"  # over Pillow's limit


def test_a_pdf_that_goes_on_as_html_is_refused_everywhere(setting, client_for):
    from .test_request_conversation import _url

    agency_client = client_for("civil-registration.localhost")
    token = _token(agency_client)
    form = agency_client.post(
        form_url(),
        {
            **_answers(),
            "submission_token": token,
            "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", FAKE_PDF),
            "document_parents-id-cards": SimpleUploadedFile("b.png", FAKE_PNG),
        },
    )
    assert form.status_code == 400
    page = form.content.decode()
    assert "«گواهی ولادت بیمارستان» باید پرونده" in page
    assert "«تصویر کارت ملی پدر و مادر» باید پرونده" in page
    assert not PendingUpload.objects.exists()

    code = setting["request"].tracking_code
    owner = client_for("localhost")
    prove_ownership(owner, setting["request"])
    message = owner.post(
        f"/track/{code}/messages/",
        {"body": "سلام", "attachments": [SimpleUploadedFile("نامه.pdf", FAKE_PDF)]},
    )
    assert message.status_code == 400 and "«نامه.pdf» پرونده‌ی PDF" in message.content.decode()

    locked = owner.post(
        f"/track/{code}/messages/",
        {"body": "سلام", "attachments": [SimpleUploadedFile("قفل.pdf", _encrypted_pdf("pw"))]},
    )
    assert locked.status_code == 400 and "گذرواژه" in locked.content.decode()

    staff = setting["a"]
    staff.post(_url(setting, "status/"), {"status": "accepted"})
    staff.post(_url(setting, "status/"), {"status": "in_progress"})
    answered = staff.post(
        _url(setting, "answer/"), {"document": SimpleUploadedFile("p.pdf", FAKE_PDF)}
    )
    assert answered.status_code == 400 and not ResponseDocument.objects.exists()


def test_verification_parses_the_file_it_compares(setting, client_for):
    from .test_request_conversation import _url

    staff = setting["a"]
    staff.post(_url(setting, "status/"), {"status": "accepted"})
    staff.post(_url(setting, "status/"), {"status": "in_progress"})
    staff.post(_url(setting, "answer/"), {"document": SimpleUploadedFile("p.pdf", PDF)})
    issued = ResponseDocument.objects.get()

    page = (
        client_for("localhost")
        .post(
            f"/verify/{issued.verification_code}/",
            {"document": SimpleUploadedFile("x.pdf", FAKE_PDF)},
        )
        .content.decode()
    )

    assert "«x.pdf» پرونده‌ی PDF" in page and "دقیقاً همان" not in page


# --- 4. what one client may have kept -------------------------------------------------------


def _fail_with_ids(client: Client, token: str, content: bytes = PNG, **files):
    """A form with one good document (the parents' ID cards) and a wrong national code."""
    return client.post(
        form_url(),
        {
            **_answers(field_mother_national_id="1234567890"),
            "submission_token": token,
            "document_parents-id-cards": SimpleUploadedFile("ids.png", content),
            **files,
        },
    )


def test_kept_uploads_are_limited_per_client(agency_client, settings, client_for):
    settings.PENDING_UPLOADS_PER_CLIENT = 2
    responses = [_fail_with_ids(agency_client, _token(agency_client)) for _ in range(3)]

    assert [response.status_code for response in responses] == [400, 400, 400]
    assert PendingUpload.objects.count() == 2
    third = responses[2].content.decode()
    assert "دوباره پیوست کنید" in third  # not kept: attach it again when sending
    assert "کد ملی معتبر نیست" in third  # the rest of the form is still reported
    assert len(_stored_files(settings)) == 2

    elsewhere = Client(HTTP_HOST="civil-registration.localhost", REMOTE_ADDR="198.51.100.7")
    _fail_with_ids(elsewhere, _token(elsewhere))
    assert PendingUpload.objects.count() == 3
    assert PendingUpload.objects.filter(client="198.51.100.7").count() == 1


def test_kept_upload_bytes_are_limited_per_client(agency_client, settings):
    settings.PENDING_UPLOAD_BYTES_PER_CLIENT = len(PNG) + len(PDF) + 10
    first = _fail_with_ids(
        agency_client,
        _token(agency_client),
        **{"document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF)},
    )
    second = _fail_with_ids(agency_client, _token(agency_client))

    assert first.status_code == second.status_code == 400
    assert PendingUpload.objects.count() == 2
    assert "دوباره پیوست کنید" in second.content.decode()


def test_a_file_not_kept_is_asked_for_again_and_the_request_can_still_be_sent(
    agency_client, settings
):
    settings.PENDING_UPLOADS_PER_CLIENT = 0
    token = _token(agency_client)
    _fail_with_ids(agency_client, token)

    sent = agency_client.post(
        form_url(),
        {
            **_answers(),
            "submission_token": token,
            "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF),
            "document_parents-id-cards": SimpleUploadedFile("ids.png", PNG),
        },
    )
    assert sent.status_code == 302 and RequestDocument.objects.count() == 2


# --- 5. a re-upload replaces -----------------------------------------------------------------


def test_a_reupload_replaces_the_kept_file(
    agency_client, settings, django_capture_on_commit_callbacks
):
    token = _token(agency_client)
    with django_capture_on_commit_callbacks(execute=True):
        _fail_with_ids(agency_client, token)
    first = PendingUpload.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        _fail_with_ids(agency_client, token, content=make_image("png", color=(0, 0, 255)))

    second = PendingUpload.objects.get()
    assert second.file.name != first.file.name
    assert not private_storage.exists(first.file.name)
    assert private_storage.exists(second.file.name)
    assert _stored_files(settings) == [second.file.name]


# --- 6. a file and its row: together or not at all ---------------------------------------------


class _FailsAfterFirstRead(io.BytesIO):
    def __init__(self, content: bytes):
        super().__init__(content)
        self.reads = 0

    def read(self, size=-1):
        self.reads += 1
        if self.reads > 1:
            raise OSError("disk full")
        return super().read(16)


class BreaksWhileWritten(SimpleUploadedFile):
    """A file whose second read fails: the disk fills up, the client goes away."""

    def __init__(self, name: str, content: bytes):
        super().__init__(name, content)
        self.file = _FailsAfterFirstRead(content)


def _upload(content=PDF, kind="pdf", file=None):
    return services.Upload(
        slot="hospital-birth-certificate",
        title="گواهی",
        file=file or SimpleUploadedFile("a.pdf", content),
        kind=kind,
        size=len(content),
        sha256="0" * 64,
    )


def test_a_kept_upload_whose_row_fails_leaves_no_file(agency_client, settings, monkeypatch):
    agency = Agency.objects.get(slug="civil-registration")
    inspected = upload_checks.inspect(SimpleUploadedFile("a.pdf", PDF))

    def failing_save(self, *args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(PendingUpload, "save", failing_save)
    with pytest.raises(DatabaseError):
        services.keep_pending_upload(
            agency,
            uuid.uuid4(),
            "hospital-birth-certificate",
            SimpleUploadedFile("a.pdf", PDF),
            inspected,
        )

    assert _stored_files(settings) == []


def test_a_kept_upload_whose_write_fails_leaves_no_row_and_no_part_file(agency_client, settings):
    agency = Agency.objects.get(slug="civil-registration")
    inspected = upload_checks.inspect(SimpleUploadedFile("a.pdf", PDF))

    with pytest.raises(OSError, match="disk full"):
        services.keep_pending_upload(
            agency, uuid.uuid4(), "x", BreaksWhileWritten("a.pdf", PDF), inspected
        )

    assert not PendingUpload.objects.exists()
    assert _stored_files(settings) == []


def test_a_storage_failure_while_keeping_tells_the_citizen_instead_of_failing(
    agency_client, settings, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    def failing_save(storage, name, content, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    response = _fail_with_ids(agency_client, _token(agency_client))

    assert response.status_code == 400 and "دوباره پیوست کنید" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_documents_messages_and_answers_written_in_part_leave_nothing(setting, settings):
    request = setting["request"]
    before = _stored_files(settings)
    agency = Agency.objects.get(slug="civil-registration")

    with pytest.raises(OSError):
        services.submit_request(
            agency=agency,
            service=_page(),
            submission_token=uuid.uuid4(),
            data={},
            uploads=[_upload(file=BreaksWhileWritten("a.pdf", PDF))],
        )
    with pytest.raises(OSError):
        services.send_message(
            request,
            sender="citizen",
            author="citizen",
            body="پیوست",
            attachments=[_upload(), _upload(file=BreaksWhileWritten("b.pdf", PDF))],
        )
    services.change_status(request, "accepted", actor="clerk")
    services.change_status(request, "in_progress", actor="clerk")
    with pytest.raises(OSError):
        services.answer_request(
            request, document=_upload(file=BreaksWhileWritten("p.pdf", PDF)), actor="clerk"
        )

    assert _stored_files(settings) == before
    assert ServiceRequest.objects.count() == 1 and RequestDocument.objects.count() == 1
    assert not RequestMessage.objects.exists() and not MessageAttachment.objects.exists()
    assert not ResponseDocument.objects.exists()


def test_messages_and_answers_whose_rows_fail_leave_no_files(setting, settings, monkeypatch):
    request = setting["request"]
    before = _stored_files(settings)
    real_attachment_save = MessageAttachment.save
    saved = []

    def second_attachment_fails(self, *args, **kwargs):
        if saved:
            raise DatabaseError("connection lost")
        saved.append(self)
        return real_attachment_save(self, *args, **kwargs)

    monkeypatch.setattr(MessageAttachment, "save", second_attachment_fails)
    with pytest.raises(DatabaseError):
        services.send_message(
            request,
            sender="agency",
            author="clerk",
            body="پیوست",
            attachments=[_upload(), _upload(content=PNG, kind="png")],
        )

    def failing_save(self, *args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(ResponseDocument, "save", failing_save)
    services.change_status(request, "accepted", actor="clerk")
    services.change_status(request, "in_progress", actor="clerk")
    with pytest.raises(DatabaseError):
        services.answer_request(request, document=_upload(), actor="clerk")

    assert _stored_files(settings) == before
    assert not RequestMessage.objects.exists() and not MessageAttachment.objects.exists()
