"""Walk-in intake at the desk: a clerk registers a citizen's request on their behalf, through
the online form's own path (code, receipt, SMS), and the request is counted apart."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from catalog_pages.models import ServicePage
from notifications.gateways import MemoryGateway
from notifications.models import SmsMessage
from service_requests import tracking
from service_requests.models import ServiceRequest
from service_requests.selectors import count_by_channel
from tenants.constants import AgencyRole

from .conftest import PDF, PNG, submit_sample_request
from .jobs_runner import run_jobs

pytestmark = pytest.mark.django_db

ANSWERS = {
    "field_father_national_id": "۰۰۸۴۵۷۵۹۴۸",
    "field_mother_national_id": "0499370899",
    "field_mobile": "09121234567",
    "field_child_name": "آرش",
}


def _desk_url(agency) -> str:
    with schema_context(agency.schema_name):
        page = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
    return f"/admin/desk/{page.pk}/"


def _token(html: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


@pytest.fixture
def desk(agency_client, staff_client):
    from tenants.models import Agency

    agency = Agency.objects.get(slug="civil-registration")
    clerk = staff_client(agency, AgencyRole.REQUEST_CLERK, username="desk-clerk")
    MemoryGateway.reset()
    return {"agency": agency, "clerk": clerk, "url": _desk_url(agency)}


def _register(desk, **extra):
    html = desk["clerk"].get(desk["url"]).content.decode()
    return desk["clerk"].post(
        desk["url"],
        {
            **ANSWERS,
            "submission_token": _token(html),
            "document_hospital-birth-certificate": SimpleUploadedFile(
                "scan.pdf", PDF, "application/pdf"
            ),
            "document_parents-id-cards": SimpleUploadedFile("ids.png", PNG, "image/png"),
            **extra,
        },
    )


def test_the_desk_lists_services_and_shows_the_generated_form(desk):
    listing = desk["clerk"].get("/admin/desk/")
    assert listing.status_code == 200
    assert desk["url"] in listing.content.decode()

    html = desk["clerk"].get(desk["url"]).content.decode()
    for label in ("کد ملی پدر", "نام نوزاد", "گواهی ولادت بیمارستان"):
        assert label in html
    assert html.count('type="file"') == 2


def test_a_walk_in_request_gets_a_code_a_receipt_and_an_sms_like_an_online_one(desk):
    response = _register(desk)

    assert response.status_code == 302
    found = ServiceRequest.objects.get()
    assert tracking.is_well_formed(found.tracking_code)
    assert found.channel == "desk" and found.registered_by == "desk-clerk"
    assert found.national_id == "0084575948" and found.mobile == "09121234567"
    assert found.documents.count() == 2

    receipt = desk["clerk"].get(response["Location"])
    html = receipt.content.decode()
    assert receipt.status_code == 200
    digits = found.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert digits[:4] in html and digits[8:] in html
    assert "data-print" in html  # the receipt's print button (and print styles)
    assert "گواهی ولادت بیمارستان" in html  # documents received

    text = SmsMessage.objects.get(request=found)
    run_jobs(queues=["sms"])
    assert [mobile for mobile, _ in MemoryGateway.sent] == ["09121234567"]
    assert text.event == "submitted"

    with schema_context(desk["agency"].schema_name):
        entry = ModelLogEntry.objects.get(action="panjereh.request.desk_intake")
        assert entry.user.username == "desk-clerk"
        assert entry.data["tracking_code"] == found.tracking_code


def test_the_same_token_twice_at_the_desk_gives_one_request(desk):
    html = desk["clerk"].get(desk["url"]).content.decode()
    token = _token(html)

    def send():
        return desk["clerk"].post(
            desk["url"],
            {
                **ANSWERS,
                "submission_token": token,
                "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF),
                "document_parents-id-cards": SimpleUploadedFile("b.pdf", PDF),
            },
        )

    assert send()["Location"] == send()["Location"]
    assert ServiceRequest.objects.count() == 1


def test_every_missing_document_is_named_at_once_at_the_desk(desk):
    html = desk["clerk"].get(desk["url"]).content.decode()
    response = desk["clerk"].post(desk["url"], {**ANSWERS, "submission_token": _token(html)})

    page = response.content.decode()
    assert response.status_code == 400
    assert "«گواهی ولادت بیمارستان» الزامی است" in page
    assert "«تصویر کارت ملی پدر و مادر» الزامی است" in page
    assert 'value="آرش"' in page
    assert not ServiceRequest.objects.exists()


def test_walk_in_and_online_requests_are_counted_apart(desk):
    submit_sample_request(desk["agency"])  # online
    _register(desk)

    assert count_by_channel(desk["agency"]) == {"online": 1, "desk": 1}
    assert count_by_channel() == {"online": 1, "desk": 1}


def test_the_inbox_filters_by_channel_and_the_request_page_shows_it(desk):
    online = submit_sample_request(desk["agency"])
    _register(desk)
    walk_in = ServiceRequest.objects.get(channel="desk")

    listed = desk["clerk"].get("/admin/requests/?channel=desk").content.decode()
    assert walk_in.tracking_code in listed and online.tracking_code not in listed
    listed = desk["clerk"].get("/admin/requests/?channel=online").content.decode()
    assert online.tracking_code in listed and walk_in.tracking_code not in listed

    page = desk["clerk"].get(f"/admin/requests/{walk_in.tracking_code}/").content.decode()
    assert "desk-clerk" in page


def test_another_agencys_staff_and_other_roles_are_refused(desk, onboard, staff_client):
    other = onboard(slug="other-desk").agency
    outsider = staff_client(other, AgencyRole.REQUEST_CLERK)
    # The page id belongs to the sample agency: on another agency's host it is not found.
    assert outsider.get(desk["url"]).status_code == 404
    editor = staff_client(desk["agency"], AgencyRole.EDITOR)
    # Wagtail turns a refusal into a way back to the admin's home, with a message.
    for refused in (
        editor.get("/admin/desk/"),
        editor.get(desk["url"]),
        editor.post(desk["url"], {**ANSWERS, "submission_token": str(uuid.uuid4())}),
    ):
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert not ServiceRequest.objects.exists()


def test_the_desk_does_not_exist_on_the_national_portal(desk, national_admin_client):
    assert national_admin_client.get("/admin/desk/").status_code == 404


def test_a_wrong_page_id_is_not_found(desk):
    assert desk["clerk"].get("/admin/desk/999999/").status_code == 404
