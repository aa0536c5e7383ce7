"""The call centre: an operator reads a tracking code heard over the phone, catches a
misheard digit, tells the public status, and the next step once the caller proves to own it."""

import pytest
from django.utils import translation

from service_requests import callcentre, tracking
from service_requests import services as request_services
from service_requests.callcentre import ANSWERS_PER_REQUEST, one_slip_away
from service_requests.constants import RequestStatus
from service_requests.models import CallCentreLookup, ServiceRequest
from tenants.constants import AgencyRole, NationalRole

from .conftest import submit_sample_request

pytestmark = pytest.mark.django_db

URL = "/admin/call-centre/"
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def calls(setting, national_client):
    operator = national_client(NationalRole.CALL_CENTRE_OPERATOR, username="operator")
    others = [submit_sample_request(setting["request"].agency) for _ in range(3)]
    return {"request": setting["request"], "others": others, "operator": operator}


def _misheard(code: str, position: int = 5) -> str:
    digit = str((int(code[position]) + 3) % 10)
    return code[:position] + digit + code[position + 1 :]


def _shown(code: str) -> str:
    return tracking.display(code).translate(PERSIAN)


def test_a_misheard_digit_is_caught_and_the_right_code_suggested(calls):
    code = calls["request"].tracking_code
    heard = _misheard(code)

    response = calls["operator"].get(URL, {"code": heard})

    html = response.content.decode()
    assert response.status_code == 200
    assert "رقم کنترل" in html  # the check digit does not match
    assert _shown(code) in html
    existing = set(ServiceRequest.objects.values_list("tracking_code", flat=True))
    suggested = {candidate for candidate in one_slip_away(heard) if _shown(candidate) in html}
    # Only codes that exist are suggested, never the other well-formed candidates.
    assert suggested == {candidate for candidate in one_slip_away(heard) if candidate in existing}
    assert len(one_slip_away(heard)) > len(suggested)
    assert calls["request"].service_title not in html  # nothing told before a code is chosen


def test_two_swapped_digits_are_caught(calls):
    code = calls["request"].tracking_code
    position = next(i for i in range(12) if code[i] != code[i + 1])
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert not tracking.is_well_formed(swapped)

    html = calls["operator"].get(URL, {"code": swapped.translate(PERSIAN)}).content.decode()

    assert _shown(code) in html


def test_the_public_status_is_told_without_the_next_step(calls):
    found = calls["request"]
    request_services.change_status(
        found, "incomplete", actor="clerk", note="تصویر کارت ملی مادر خوانا نیست."
    )

    html = calls["operator"].get(URL, {"code": tracking.display(found.tracking_code)}).content
    html = html.decode()

    assert found.service_title in html
    with translation.override("fa"):
        assert str(RequestStatus.INCOMPLETE.label) in html  # the status, in Persian
    assert "تصویر کارت ملی مادر خوانا نیست." not in html
    assert 'name="national_id"' in html


def test_the_owner_question_unlocks_the_next_step(calls):
    found = calls["request"]
    request_services.change_status(
        found, "incomplete", actor="clerk", note="تصویر کارت ملی مادر خوانا نیست."
    )

    response = calls["operator"].post(
        URL, {"code": found.tracking_code, "national_id": "۰۰۸۴۵۷۵۹۴۸"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "تصویر کارت ملی مادر خوانا نیست." in html
    assert 'name="national_id"' not in html


def test_wrong_answers_are_refused_and_limited(calls):
    found = calls["request"]
    request_services.change_status(found, "incomplete", actor="clerk", note="یادداشت محرمانه")

    for _ in range(ANSWERS_PER_REQUEST):
        wrong = calls["operator"].post(
            URL, {"code": found.tracking_code, "national_id": "0013542419"}
        )
        assert wrong.status_code == 400
        assert "یادداشت محرمانه" not in wrong.content.decode()

    # Past the limit even the right answer is refused, for this request.
    limited = calls["operator"].post(
        URL, {"code": found.tracking_code, "national_id": "0084575948"}
    )
    assert limited.status_code == 429
    assert "یادداشت محرمانه" not in limited.content.decode()
    assert CallCentreLookup.objects.filter(outcome="wrong_answer").count() == ANSWERS_PER_REQUEST
    assert CallCentreLookup.objects.filter(outcome="limited").count() == 1


def test_every_lookup_is_in_the_audit_log(calls):
    code = calls["request"].tracking_code
    calls["operator"].get(URL, {"code": _misheard(code)})
    calls["operator"].get(URL, {"code": code})
    calls["operator"].get(URL, {"code": "123"})

    rows = list(CallCentreLookup.objects.order_by("pk").values_list("operator", "code", "outcome"))
    assert rows == [
        ("operator", _misheard(code), "misheard"),
        ("operator", code, "found"),
        ("operator", "123", "misheard"),
    ]


def test_a_code_that_does_not_exist_is_not_found(calls):
    code = calls["request"].tracking_code
    ServiceRequest.objects.filter(pk=calls["request"].pk).delete()

    html = calls["operator"].get(URL, {"code": code}).content.decode()

    assert "درخواستی با این کد رهگیری وجود ندارد" in html


def test_national_users_without_the_role_are_refused(calls, national_client):
    for role in (NationalRole.ADMINISTRATOR, NationalRole.PROVINCIAL_SUPERVISOR):
        refused = national_client(role).get(URL, {"code": calls["request"].tracking_code})
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert not CallCentreLookup.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(calls, client_for):
    response = client_for("localhost").get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_agency_hosts_have_no_call_centre(calls, staff_client):
    agency = calls["request"].agency
    for roles in ((AgencyRole.REQUEST_CLERK,), (AgencyRole.ADMINISTRATOR,)):
        assert staff_client(agency, *roles).get(URL).status_code == 404


def test_national_administrators_read_the_call_centre_log(calls, national_admin_client):
    code = calls["request"].tracking_code
    calls["operator"].get(URL, {"code": code})

    listing = national_admin_client.get("/admin/call_centre_log/")

    assert listing.status_code == 200
    html = listing.content.decode()
    assert code in html and "operator" in html
    assert national_admin_client.get("/admin/call_centre_log/new/").status_code in (302, 403, 404)
    assert CallCentreLookup.objects.count() == 1
    # The operators themselves do not read the log.
    assert calls["operator"].get("/admin/call_centre_log/").status_code == 302


def test_an_operators_look_ups_are_limited(calls, monkeypatch):
    monkeypatch.setattr(callcentre, "LOOKUPS_PER_OPERATOR", 2)
    code = calls["request"].tracking_code
    for _ in range(2):
        assert calls["operator"].get(URL, {"code": code}).status_code == 200

    refused = calls["operator"].get(URL, {"code": _misheard(code)})

    assert refused.status_code == 429
    assert _shown(code) not in refused.content.decode()  # no suggestions past the limit
    assert CallCentreLookup.objects.filter(outcome="limited").count() == 1
