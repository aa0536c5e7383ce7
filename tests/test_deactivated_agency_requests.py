"""A deactivated agency takes no new request, but what was filed with it goes on: its staff
finish it in their admin, and its citizen still replies by SMS, is helped by the call
centre, verifies the answer issued and rates the service (one policy:
``service_requests.selectors.filed_requests``)."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from notifications.gateways import InboundSms as Received
from notifications.gateways import MemoryGateway
from service_requests.models import RequestMessage, ResponseDocument
from service_requests.tasks import receive_sms_replies
from service_requests.tracking import display
from surveys.models import SurveyResponse
from tenants import services as tenant_services
from tenants.constants import NationalRole

from .conftest import make_pdf
from .jobs_runner import run_jobs

pytestmark = pytest.mark.django_db

_LINK = re.compile(r"https?://\S+/survey/\S+/")


@pytest.fixture
def closed_agency(setting):
    """The sample request, texted its receipt, and then its agency deactivated."""
    run_jobs()
    found = setting["request"]
    tenant_services.set_agency_active(found.agency, active=False)
    MemoryGateway.reset()
    return setting


def _staff_url(found, suffix=""):
    return f"/admin/requests/{found.tracking_code}/{suffix}"


def _answer(setting) -> bytes:
    """The agency's clerk answers the request in their admin; returns the answer's file."""
    found, staff = setting["request"], setting["a"]
    for status in ("accepted", "in_progress"):
        assert staff.post(_staff_url(found, "status/"), {"status": status}).status_code == 302
    answer = make_pdf(title="the closed agency's answer")
    staff.post(
        _staff_url(found, "answer/"),
        {"document": SimpleUploadedFile("پاسخ.pdf", answer), "note": "گواهی صادر شد."},
    )
    return answer


def test_the_citizens_sms_reply_still_reaches_the_staff(closed_agency):
    found = closed_agency["request"]
    MemoryGateway.inbox = [
        Received(
            sender="+989121234567",
            text=f"درباره‌ی {display(found.tracking_code)} مدرک را فرستادم",
            received_at=timezone.now(),
            provider_id="deactivated-1",
        )
    ]

    assert receive_sms_replies(schema="public", timestamp=0) == {"matched": 1, "unmatched": 0}

    assert RequestMessage.objects.get(request=found).body.endswith("مدرک را فرستادم")
    page = closed_agency["a"].get(_staff_url(found)).content.decode()
    assert "مدرک را فرستادم" in page


def test_the_call_centre_still_finds_the_request_and_a_misheard_digit(
    closed_agency, national_client
):
    found = closed_agency["request"]
    operator = national_client(NationalRole.CALL_CENTRE_OPERATOR, username="operator")
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

    told = operator.get("/admin/call-centre/", {"code": display(found.tracking_code)})
    code = found.tracking_code
    misheard = code[:5] + str((int(code[5]) + 3) % 10) + code[6:]
    suggested = operator.get("/admin/call-centre/", {"code": misheard}).content.decode()

    assert found.service_title in told.content.decode()
    assert "درخواستی با این کد رهگیری وجود ندارد" not in told.content.decode()
    assert display(code).translate(persian) in suggested


def test_the_answer_issued_stays_verifiable(closed_agency, client_for):
    answer = _answer(closed_agency)
    issued = ResponseDocument.objects.get()
    anyone = client_for("localhost")

    check = anyone.get(f"/verify/{issued.verification_code}/").content.decode()
    genuine = anyone.post(
        f"/verify/{issued.verification_code}/", {"document": SimpleUploadedFile("x.pdf", answer)}
    ).content.decode()

    assert "ثبت احوال" in check and "هیچ سند پاسخی" not in check
    assert "دقیقاً همان" in genuine


def test_the_closed_request_is_still_rated(closed_agency):
    found = closed_agency["request"]
    _answer(closed_agency)
    closed_agency["a"].post(_staff_url(found, "status/"), {"status": "closed"})
    texts = found.sms_messages.order_by("pk").values_list("text", flat=True)
    (link,) = [match[0] for text in texts for match in [_LINK.search(text)] if match]
    path = urlsplit(link).path
    portal = Client(HTTP_HOST="localhost")

    assert "در مجموع چقدر از این خدمت راضی هستید؟" in portal.get(path).content.decode()
    sent = portal.post(
        path, {"overall": "4", "time_kept": "yes", "staff_conduct": "5", "clarity": "3"}
    )

    assert sent.status_code == 302
    assert SurveyResponse.objects.get().request_id == found.pk
