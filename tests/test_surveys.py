"""The satisfaction survey: invited when a request is closed (SMS link and tracking page),
answered once per request (also under two posts at once), results for the agency's own
administrators and report viewers, and for national administrators across agencies."""

import re
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from notifications.gateways import MemoryGateway
from service_requests import services as request_services
from service_requests.models import ServiceRequest
from surveys import selectors, tokens, views
from surveys.models import SurveyResponse
from surveys.services import submit_survey
from tenants.constants import AgencyRole, NationalRole
from tenants.models import Agency

from .conftest import PDF, prove_ownership
from .jobs_runner import run_jobs

pytestmark = pytest.mark.django_db

ANSWERS = {"overall": "4", "time_kept": "yes", "staff_conduct": "5", "clarity": "3"}
_LINK = re.compile(r"https?://\S+/survey/\S+/")


def _close(found):
    request_services.change_status(found, "accepted", actor="clerk")
    request_services.change_status(found, "in_progress", actor="clerk")
    request_services.answer_request(
        found,
        document=request_services.Upload(
            slot="",
            title="پاسخ",
            file=SimpleUploadedFile("answer.pdf", PDF),
            kind="pdf",
            size=len(PDF),
            sha256="1" * 64,
        ),
        actor="clerk",
    )
    request_services.change_status(found, "closed", actor="clerk")
    return found


def _invitation_path(found) -> str:
    texts = found.sms_messages.order_by("pk").values_list("text", flat=True)
    links = [match[0] for text in texts for match in [_LINK.search(text)] if match]
    assert len(links) == 1, list(texts)
    return urlsplit(links[0]).path


def _portal() -> Client:
    return Client(HTTP_HOST="localhost")


def test_closing_a_request_texts_a_survey_link_that_opens_the_questionnaire(setting):
    found = _close(setting["request"])
    path = _invitation_path(found)
    run_jobs(queues=["sms"])
    assert any(path in text for _to, text in MemoryGateway.sent)  # it reached the phone

    page = _portal().get(path)  # no one-time code needed
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("<fieldset") == 4 and body.count("<legend>") == 4
    assert "در مجموع چقدر از این خدمت راضی هستید؟" in body and "خیلی خوب" in body
    assert 'type="radio"' in body and "<label for=" in body
    assert found.service_title in body

    sent = _portal().post(path, {**ANSWERS, "comment": "  برخورد خوبی داشتند.  "})
    assert sent.status_code == 302
    response = SurveyResponse.objects.get()
    assert (response.overall, response.time_kept, response.staff_conduct, response.clarity) == (
        4,
        True,
        5,
        3,
    )
    assert response.comment == "برخورد خوبی داشتند."
    assert response.agency_id == found.agency_id and response.service_key == found.service_key
    thanks = _portal().get(path).content.decode()
    assert "پاسخ داده شد" in thanks


def test_only_closing_invites(setting):
    found = setting["request"]
    request_services.change_status(found, "rejected", actor="clerk", note="مدارک ناقص است.")
    assert not any(_LINK.search(text) for text in found.sms_messages.values_list("text", flat=True))


def test_a_request_is_rated_once(setting):
    found = _close(setting["request"])
    path = _invitation_path(found)
    assert _portal().post(path, ANSWERS).status_code == 302

    second = _portal().post(path, {**ANSWERS, "overall": "1"}, follow=True)

    # Sent back to the questionnaire's address, which says it was answered.
    assert second.redirect_chain == [(path, 302)]
    assert "یک بار ارزیابی" in second.content.decode()
    assert SurveyResponse.objects.get().overall == 4
    again, created = submit_survey(found, overall=1, time_kept=False, staff_conduct=1, clarity=1)
    assert not created and again.overall == 4


def _in_a_thread(work):
    """Run ``work`` on a connection of its own (committed at once, outside the test's)."""
    out = {}

    def run():
        try:
            out["value"] = work()
        except BaseException as error:  # reported in the test's thread
            out["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if "error" in out:
        raise out["error"]
    return out.get("value")


def test_two_posts_at_once_make_one_response(db):
    slug = f"race-{uuid.uuid4().hex[:8]}"

    def create():
        agency = Agency.objects.create(schema_name=f"agency_{slug}", slug=slug, name_fa="مسابقه")
        return ServiceRequest.objects.create(
            agency=agency,
            service_key=uuid.uuid4(),
            service_slug="race",
            service_title="خدمت آزمایشی",
            level="hq",
            sequence=10**15 + int(time.time() * 1000) % 10**9,
            tracking_code=str(uuid.uuid4().int)[:13],
            submission_token=uuid.uuid4(),
            status="closed",
            submitted_at=timezone.now(),
            promised_on=timezone.localdate(),
        )

    found = _in_a_thread(create)
    path = f"/survey/{tokens.token_for(found)}/"
    barrier = threading.Barrier(2)
    statuses = []

    def post(overall):
        def work():
            barrier.wait(10)
            return _portal().post(path, {**ANSWERS, "overall": overall}).status_code

        return work

    try:
        threads = [
            threading.Thread(target=lambda o=o: statuses.append(_in_a_thread(post(o))))
            for o in ("2", "5")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        rows = _in_a_thread(
            lambda: list(SurveyResponse.objects.filter(request_id=found.pk).values("overall"))
        )
        assert sorted(statuses) == [302, 302]  # each told "thank you" (or "already answered")
        assert len(rows) == 1
    finally:

        def clean():
            SurveyResponse.objects.filter(request_id=found.pk).delete()
            ServiceRequest.objects.filter(pk=found.pk).delete()
            Agency.objects.filter(slug=slug).delete()

        _in_a_thread(clean)


def test_a_forged_expired_unknown_or_open_request_link_gets_a_clear_message(setting, monkeypatch):
    found = setting["request"]
    client = _portal()

    forged = client.get(f"/survey/{found.pk}:1abcde:forged/")
    assert forged.status_code == 404 and "معتبر نیست" in forged.content.decode()
    assert client.get("/survey/%00%ff/").status_code == 404
    not_closed = client.get(f"/survey/{tokens.token_for(found)}/")
    assert not_closed.status_code == 409 and "هنوز بسته نشده" in not_closed.content.decode()
    assert client.post(f"/survey/{tokens.token_for(found)}/", ANSWERS).status_code == 409
    unknown = client.get(f"/survey/{tokens.token_for(ServiceRequest(pk=10**12))}/")
    assert unknown.status_code == 404

    _close(found)
    month_ago = time.time() - 31 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: month_ago)
    old = tokens.token_for(found)
    monkeypatch.undo()
    expired = client.get(f"/survey/{old}/")
    assert expired.status_code == 410
    assert "منقضی" in expired.content.decode() and "۳۰ روز" in expired.content.decode()
    assert not SurveyResponse.objects.exists()


def test_missing_or_impossible_answers_are_explained_in_persian(setting):
    path = _invitation_path(_close(setting["request"]))

    missing = _portal().post(path, {"overall": "9", "comment": "x" * 1001})

    body = missing.content.decode()
    assert missing.status_code == 400
    assert "یکی از پاسخ‌ها را برگزینید." in body  # time kept, conduct, clarity
    assert "یکی از پاسخ‌های داده‌شده را برگزینید." in body  # 9 of 5
    assert "حداکثر ۱۰۰۰ نویسه" in body and "۱۰۰۱" in body
    assert 'aria-describedby="overall-error"' in body
    assert not SurveyResponse.objects.exists()


def test_the_tracking_page_invites_the_owner_once_ownership_is_proved(setting):
    found = _close(setting["request"])
    anonymous = _portal().get("/track/", {"code": found.tracking_code}).content.decode()
    assert "ارزیابی خدمت" not in anonymous

    owner = _portal()
    prove_ownership(owner, found)
    page = owner.get("/track/", {"code": found.tracking_code}).content.decode()
    link = re.search(r'href="(/survey/[^"]+/)"', page)[1]
    assert "ارزیابی خدمت" in page
    assert owner.post(link, ANSWERS).status_code == 302
    after = owner.get("/track/", {"code": found.tracking_code}).content.decode()
    assert "ارزیابی کردید" in after and 'href="/survey/' not in after


def _rate(found, **answers):
    values = {"overall": 4, "time_kept": True, "staff_conduct": 5, "clarity": 3, **answers}
    ServiceRequest.objects.filter(pk=found.pk).update(status="closed")
    found.refresh_from_db()
    return submit_survey(found, **values)[0]


def _another_request(setting, *, agency=None, service_title=None):
    found = setting["request"]
    other = ServiceRequest.objects.get(pk=found.pk)
    other.pk = None
    other.agency = agency or found.agency
    other.sequence = found.sequence + 1000 + ServiceRequest.objects.count()
    other.tracking_code = str(10**12 + other.sequence)[:13]
    other.submission_token = uuid.uuid4()
    if service_title:
        other.service_key = uuid.uuid4()
        other.service_title = service_title
    other.save()
    return other


def test_results_per_service_and_agency_count_means_and_the_share_of_time_kept(setting):
    b = Agency.objects.get(slug="other-agency")
    _rate(setting["request"], overall=5, time_kept=True)
    _rate(_another_request(setting), overall=2, time_kept=False, clarity=5)
    _rate(_another_request(setting, service_title="خدمت دیگر"), overall=3)
    _rate(_another_request(setting, agency=b), overall=1, staff_conduct=1)
    a = setting["request"].agency

    rows = {row["service_title"]: row for row in selectors.results_by_service(a)}
    birth = rows[setting["request"].service_title]
    assert (birth["responses"], birth["overall"], birth["time_kept_share"]) == (2, 3.5, 0.5)
    assert birth["clarity"] == 4.0 and rows["خدمت دیگر"]["responses"] == 1
    agencies = {row["agency_id"]: row for row in selectors.results_by_agency()}
    assert agencies[a.pk]["responses"] == 3 and agencies[b.pk]["staff_conduct"] == 1.0
    assert selectors.summary(a)["responses"] == 3
    assert selectors.closed_requests_count(a) == 3


def test_the_agency_sees_its_own_results_and_only_its_administrators_and_report_viewers(
    setting, staff_client, national_client
):
    a = setting["request"].agency
    b = Agency.objects.get(slug="other-agency")
    _rate(setting["request"], overall=5)
    _rate(_another_request(setting, agency=b, service_title="خدمت ب"), overall=1)
    national = national_client(NationalRole.ADMINISTRATOR)
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)

    for role in (AgencyRole.ADMINISTRATOR, AgencyRole.REPORT_VIEWER):
        page = staff_client(a, role).get("/admin/survey-results/")
        body = page.content.decode()
        assert page.status_code == 200, role
        assert setting["request"].service_title in body and "۵.۰" in body
        assert "خدمت ب" not in body  # the other agency's service
    for role in (AgencyRole.REQUEST_CLERK, AgencyRole.EDITOR, AgencyRole.COMPLAINT_HANDLER):
        denied = staff_client(a, role).get("/admin/survey-results/")
        assert denied.status_code in (302, 403), role
        assert setting["request"].service_title not in denied.content.decode()
    # B's administrator sees B's only; the national portal has no agency screen.
    b_page = staff_client(b, AgencyRole.ADMINISTRATOR).get("/admin/survey-results/")
    assert "خدمت ب" in b_page.content.decode()
    assert setting["request"].service_title not in b_page.content.decode()
    assert national.get("/admin/survey-results/").status_code == 404

    overview = national.get("/admin/national-survey-results/").content.decode()
    assert a.name_fa in overview and b.name_fa in overview
    per_service = national.get("/admin/national-survey-results/", {"by": "service"})
    assert "خدمت ب" in per_service.content.decode()
    denied = supervisor.get("/admin/national-survey-results/")
    assert denied.status_code in (302, 403) and b.name_fa not in denied.content.decode()
    on_agency_host = staff_client(a, AgencyRole.ADMINISTRATOR)
    assert on_agency_host.get("/admin/national-survey-results/").status_code == 404


def test_the_results_screen_has_an_empty_state_and_pages(setting, staff_client, monkeypatch):
    a = setting["request"].agency
    admin = staff_client(a, AgencyRole.ADMINISTRATOR)
    empty = admin.get("/admin/survey-results/").content.decode()
    assert "هنوز هیچ شهروندی به نظرسنجی پاسخ نداده است" in empty

    _rate(setting["request"])
    _rate(_another_request(setting, service_title="خدمت دوم"))
    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 1)
    first = admin.get("/admin/survey-results/").content.decode()
    second = admin.get("/admin/survey-results/", {"p": "۲"}).content.decode()
    assert 'rel="next"' in first and "صفحه ۱ از ۲" in first
    assert 'rel="prev"' in second
    assert admin.get("/admin/survey-results/", {"p": "x" * 500}).status_code == 200
