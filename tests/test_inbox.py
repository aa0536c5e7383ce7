"""Agency staff work through their own requests only, and every step is recorded."""

import datetime

import pytest

from service_requests import services
from service_requests.models import ServiceRequest

from .conftest import PDF, prove_ownership


def test_staff_see_their_agency_requests_with_documents(setting):
    code = setting["request"].tracking_code

    listing = setting["a"].get("/admin/requests/").content.decode()
    detail = setting["a"].get(f"/admin/requests/{code}/").content.decode()
    document_url = f"/admin/requests/{code}/documents/{setting['request'].documents.get().pk}/"
    document = setting["a"].get(document_url)

    assert code in listing and "ثبت ولادت" in listing
    assert "آرش" in detail
    assert document.status_code == 200 and b"".join(document.streaming_content) == PDF


def test_another_agency_cannot_see_them_even_by_guessing_urls(setting):
    code = setting["request"].tracking_code
    document_pk = setting["request"].documents.get().pk

    assert code not in setting["b"].get("/admin/requests/").content.decode()
    assert setting["b"].get(f"/admin/requests/{code}/").status_code == 404
    assert setting["b"].get(f"/admin/requests/{code}/documents/{document_pk}/").status_code == 404
    assert (
        setting["b"].post(f"/admin/requests/{code}/status/", {"status": "accepted"}).status_code
        == 404
    )
    assert ServiceRequest.objects.get().status == "submitted"


def test_each_step_is_recorded_with_who_and_why(setting):
    code = setting["request"].tracking_code
    client = setting["a"]

    client.post(f"/admin/requests/{code}/status/", {"status": "accepted"})
    client.post(f"/admin/requests/{code}/status/", {"status": "in_progress"})
    refused = client.post(
        f"/admin/requests/{code}/status/", {"status": "rejected", "note": ""}, follow=True
    )

    request = ServiceRequest.objects.get()
    assert request.status == "in_progress"
    assert [(c.from_status, c.to_status, c.actor) for c in request.history.all()] == [
        ("", "submitted", "citizen"),
        ("submitted", "accepted", "clerk"),
        ("accepted", "in_progress", "clerk"),
    ]
    # Rejecting needs a reason: the form says so, and nothing changed.
    assert "بنویسید چه چیزی کم است یا چرا درخواست رد می‌شود: شهروند آن را می‌بیند." in (
        refused.content.decode()
    )


def test_impossible_transitions_are_refused(setting):
    with pytest.raises(services.TransitionError):
        services.change_status(setting["request"], "closed", actor="clerk")


def test_overdue_requests_are_highlighted_and_filterable(setting):
    ServiceRequest.objects.update(promised_on=datetime.date(2020, 1, 1))

    html = setting["a"].get("/admin/requests/", {"overdue": "on"}).content.decode()

    assert 'class="overdue"' in html and setting["request"].tracking_code in html


@pytest.mark.django_db
def test_national_administrators_keep_the_official_holidays(national_admin_client):
    from service_requests.models import Holiday

    client = national_admin_client

    response = client.post(
        "/admin/official_holidays/new/", {"date": "2027-03-21", "title": "نوروز"}
    )

    assert response.status_code == 302
    assert Holiday.objects.get().title == "نوروز"


def test_the_citizen_sees_the_agency_notes_only_with_proof_of_ownership(setting, client_for):
    code = setting["request"].tracking_code
    services.change_status(
        setting["request"], "incomplete", actor="clerk", note="تصویر کارت ملی مادر خوانا نیست."
    )
    portal = client_for("localhost")

    public = portal.get("/track/", {"code": code}).content.decode()
    # The national code or mobile on the request proves nothing any more: only the SMS code.
    for guess in ("0084575948", "09121234567", "000000"):
        wrong = portal.post("/track/prove/", {"code": code, "otp": guess, "proof": guess})
        assert wrong.status_code == 400 and 'role="alert"' in wrong.content.decode()
        assert "خوانا نیست" not in wrong.content.decode()
    proved = prove_ownership(portal, setting["request"])
    owner = portal.get(proved["Location"]).content.decode()

    assert "خوانا نیست" not in public
    assert "خوانا نیست" in owner and "گواهی ولادت" in owner
    # Another browser (no proof in its session) still sees only the public status.
    assert "خوانا نیست" not in client_for("localhost").get(proved["Location"]).content.decode()
