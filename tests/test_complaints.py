"""Complaints and objections: filed by a request's owner or from a service page, with their
own codes; handled by the agency's complaint handlers only; escalated to the national level
when unanswered past their deadline; an SMS at every step."""

import datetime
import re
import uuid
from html import unescape
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints import codes, services
from complaints.models import Complaint
from complaints.tasks import escalate_overdue_complaints
from notifications.models import SmsMessage
from service_requests import tracking
from tenants import jobs
from tenants.constants import AgencyRole, NationalRole
from tenants.models import Agency

from .conftest import PDF, prove_complaint, prove_ownership, sent_code
from .jobs_runner import run_jobs
from .test_roles import denied, menu_labels

MOBILE = "09121234567"  # the sample request's mobile
TEXT = "کارمند باجه بدون توضیح پرونده را پس داد و گفت فردا بیایید."


def _sms_texts(mobile=MOBILE) -> list[str]:
    return list(
        SmsMessage.objects.filter(mobile=mobile).order_by("pk").values_list("text", flat=True)
    )


def _owner(setting, client_for) -> Client:
    """A browser that proved, on the tracking page, that it owns the sample request."""
    portal = client_for("localhost")
    prove_ownership(portal, setting["request"])
    return portal


def _file(portal: Client, url: str, **fields):
    data = {
        "kind": "complaint",
        "name": "مریم احمدی",
        "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
        "text": TEXT,
        "token": str(uuid.uuid4()),
        **fields,
    }
    return portal.post(url, data)


def _filed(setting, client_for, **fields) -> tuple[Complaint, Client]:
    portal = _owner(setting, client_for)
    response = _file(
        portal, f"/complaints/new/?request={setting['request'].tracking_code}", **fields
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Complaint.objects.get(), portal


def test_only_the_requests_owner_may_complain_about_it_and_gets_the_code_on_screen_and_by_sms(
    setting, client_for
):
    found = setting["request"]
    stranger = client_for("localhost")

    refused = stranger.get(f"/complaints/new/?request={found.tracking_code}")
    refused_post = _file(stranger, f"/complaints/new/?request={found.tracking_code}")
    portal = _owner(setting, client_for)
    tracking_page = portal.get(f"/track/?code={found.tracking_code}").content.decode()
    link = re.search(r'href="(/complaints/new/\?request=\d+)"', tracking_page).group(1)
    form = portal.get(link).content.decode()
    sent = _file(portal, link, kind="objection")
    shown = portal.get(sent["Location"]).content.decode()

    # A stranger with the code is sent to prove ownership first; nothing is filed.
    assert refused.status_code == 403 and refused_post.status_code == 403
    assert f"/track/?code={found.tracking_code}" in refused.content.decode()
    assert "شکایت یا اعتراض دربارهٔ این درخواست" in tracking_page
    assert found.tracking_code in form and "ثبت ولادت" in form
    complaint = Complaint.objects.get()
    assert (complaint.request, complaint.agency, complaint.kind) == (
        found,
        found.agency,
        "objection",
    )
    assert complaint.service_title.startswith("ثبت ولادت") and complaint.mobile == MOBILE
    assert len(complaint.code) == 12 and complaint.code != found.tracking_code
    # The code on screen (grouped, as a citizen reads it) and in the SMS (as phones copy it).
    assert codes.display(complaint.code) in shown and TEXT in shown
    assert complaint.code in _sms_texts()[-1] and "ثبت شد" in _sms_texts()[-1]
    # Ten working days to answer, on the Iranian calendar.
    assert complaint.due_on > complaint.filed_at.date() + datetime.timedelta(days=10)


def test_a_complaint_about_a_service_from_its_page(setting, client_for):
    page = client_for("civil-registration.localhost").get("/birth-registration/").content.decode()
    link = unescape(re.search(r'href="([^"]*/complaints/new/\?agency=[^"]+)"', page).group(1))
    parts = urlsplit(link)
    portal = client_for("localhost")

    form = portal.get(f"{parts.path}?{parts.query}").content.decode()
    sent = _file(portal, f"{parts.path}?{parts.query}", mobile="09351112233")
    followed = portal.get(sent["Location"]).content.decode()

    assert "شکایت یا اعتراض" in page and parts.netloc == "localhost"
    assert "ثبت ولادت" in form and "سازمان ثبت احوال کشور" in form
    complaint = Complaint.objects.get()
    assert complaint.request is None and complaint.agency.slug == "civil-registration"
    assert complaint.service_slug == "birth-registration"
    assert codes.display(complaint.code) in followed
    assert complaint.code in _sms_texts("09351112233")[-1]


def test_pressing_send_twice_files_one_complaint(setting, client_for):
    portal = _owner(setting, client_for)
    url = f"/complaints/new/?request={setting['request'].tracking_code}"
    token = str(uuid.uuid4())

    first = _file(portal, url, token=token)
    second = _file(portal, url, token=token)

    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1


def test_a_bad_file_is_named_and_nothing_else_is_lost(setting, client_for):
    portal = _owner(setting, client_for)
    url = f"/complaints/new/?request={setting['request'].tracking_code}"
    token = str(uuid.uuid4())
    texts_before = len(_sms_texts())

    response = _file(
        portal,
        url,
        token=token,
        attachments=[
            SimpleUploadedFile("رسید.pdf", b"this is not a PDF at all"),
            SimpleUploadedFile("نامه.pdf", PDF),
        ],
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert "«رسید.pdf» پرونده‌ی PDF، JPEG یا PNG نیست." in html
    assert TEXT in html and "مریم احمدی" in html and token in html  # nothing typed is lost
    assert "فایل‌هایی را که پذیرفته نشد دوباره پیوست کنید" in html
    assert "نامه.pdf" in html and "نگه داشته شدند" in html  # the good file is kept
    assert not Complaint.objects.exists() and len(_sms_texts()) == texts_before

    # Sent again without attaching anything: the kept file is on the complaint.
    sent = _file(portal, url, token=token)
    assert sent.status_code == 302
    complaint = Complaint.objects.get()
    kept = complaint.files.get()
    assert (kept.party, kept.content_type, kept.size) == ("citizen", "pdf", len(PDF))
    body = portal.get(f"/complaints/{complaint.code}/files/{kept.pk}/")
    assert b"".join(body.streaming_content) == PDF
    from service_requests.models import PendingUpload

    assert not PendingUpload.objects.filter(token=token).exists()


def test_a_handler_reviews_and_answers_and_each_step_is_texted(setting, client_for, staff_client):
    complaint, portal = _filed(setting, client_for)
    agency = complaint.agency
    handler = staff_client(agency, AgencyRole.COMPLAINT_HANDLER)
    complaint_url = f"/admin/complaints/{complaint.code}/"

    listing = handler.get("/admin/complaints/").content.decode()
    detail = handler.get(complaint_url).content.decode()
    reviewed = handler.post(complaint_url + "status/", {"status": "in_review"})
    answered = handler.post(
        complaint_url + "answer/",
        {
            "text": "پرونده بررسی شد؛ کارمند تذکر گرفت و درخواست شما امروز پذیرفته شد.",
            "document": SimpleUploadedFile("answer.pdf", PDF),
        },
    )
    citizen_view = portal.get(f"/complaints/track/?code={complaint.code}").content.decode()

    assert complaint.code in listing and TEXT in detail
    assert reviewed.status_code == 302 and answered.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.answered_from == "agency"
    assert [change.to_status for change in complaint.history.all()] == [
        "received",
        "in_review",
        "answered",
    ]
    assert complaint.history.last().actor == handler_username(handler, agency)
    texts = _sms_texts()
    assert "در حال بررسی" in texts[-2] and complaint.code in texts[-2]
    assert "پاسخ داده شد" in texts[-1] and complaint.code in texts[-1]
    assert "درخواست شما امروز پذیرفته شد" in citizen_view
    answer_file = complaint.files.get(party="agency")
    assert f"/complaints/{complaint.code}/files/{answer_file.pk}/" in citizen_view
    # Another browser with only the code sees the status, not the answer or what was written.
    other = (
        client_for("localhost").get(f"/complaints/track/?code={complaint.code}").content.decode()
    )
    assert "پاسخ داده شد" in other and "امروز پذیرفته شد" not in other and TEXT not in other
    assert (
        client_for("localhost")
        .get(f"/complaints/{complaint.code}/files/{answer_file.pk}/")
        .status_code
        == 404
    )


def handler_username(client, agency) -> str:
    from django_tenants.utils import schema_context

    with schema_context(agency.schema_name):
        from django.contrib.auth import get_user_model

        session_user = client.session["_auth_user_id"]
        return get_user_model().objects.get(pk=session_user).get_username()


def test_another_agencys_handler_and_a_request_clerk_are_refused(setting, client_for, staff_client):
    complaint, _portal = _filed(setting, client_for)
    other = staff_client(Agency.objects.get(slug="other-agency"), AgencyRole.COMPLAINT_HANDLER)
    clerk = setting["a"]  # a request clerk of the complaint's own agency
    url = f"/admin/complaints/{complaint.code}/"

    assert complaint.code not in other.get("/admin/complaints/").content.decode()
    assert other.get(url).status_code == 404
    assert other.post(url + "answer/", {"text": "نه"}).status_code == 404
    assert denied(clerk.get("/admin/complaints/"))
    assert denied(clerk.get(url)) and TEXT not in clerk.get(url, follow=True).content.decode()
    assert denied(clerk.post(url + "status/", {"status": "closed", "note": "x"}))
    assert "شکایت" not in menu_labels(clerk)
    # The national screens do not exist on an agency's host.
    assert other.get("/admin/escalated-complaints/").status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_the_agency_administrator_handles_complaints_too(setting, client_for, staff_client):
    complaint, _portal = _filed(setting, client_for)
    manager = staff_client(complaint.agency, AgencyRole.ADMINISTRATOR)
    handler = staff_client(complaint.agency, AgencyRole.COMPLAINT_HANDLER)

    assert complaint.code in manager.get("/admin/complaints/").content.decode()
    assert "شکایت" in menu_labels(manager) and "شکایت" in menu_labels(handler)


def test_unanswered_past_the_deadline_escalates_to_the_national_level(
    setting, client_for, staff_client, national_client, national_admin_client
):
    from django.contrib.auth import get_user_model

    from tenants.models import Agency, SupervisedProvince

    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR, username="tehran-supervisor")
    SupervisedProvince.objects.create(
        user=get_user_model().objects.get(username="tehran-supervisor"), province="tehran"
    )
    Agency.objects.filter(slug="civil-registration").update(province="tehran")
    complaint, portal = _filed(setting, client_for)
    Complaint.objects.filter(pk=complaint.pk).update(due_on=datetime.date(2020, 1, 1))
    fresh, _created = services.file_complaint(
        agency=complaint.agency,
        kind="complaint",
        name="علی",
        mobile="09351112233",
        text="هنوز وقت دارد",
        submission_token=uuid.uuid4(),
    )

    jobs.defer(escalate_overdue_complaints, schema="public", timestamp=0)
    run_jobs(queues=["maintenance"])

    complaint.refresh_from_db()
    fresh.refresh_from_db()
    assert complaint.status == "escalated" and complaint.escalated_at is not None
    assert fresh.status == "received"  # still within its deadline
    assert "ناظران ملی" in _sms_texts()[-1] and complaint.code in _sms_texts()[-1]

    # The national administrator sees it, answers it; the agency can no longer answer it.
    listing = national_admin_client.get("/admin/escalated-complaints/").content.decode()
    assert complaint.code in listing and fresh.code not in listing
    handler = staff_client(complaint.agency, AgencyRole.COMPLAINT_HANDLER)
    late = handler.post(f"/admin/complaints/{complaint.code}/answer/", {"text": "دیر"})
    assert late.status_code == 400
    assert complaint.code in supervisor.get("/admin/escalated-complaints/").content.decode()
    assert denied(
        supervisor.post(f"/admin/escalated-complaints/{complaint.code}/answer/", {"text": "نه"})
    )
    assert (
        "escalated-complaints/" + complaint.code + "/answer/"
        not in supervisor.get(f"/admin/escalated-complaints/{complaint.code}/").content.decode()
    )
    answered = national_admin_client.post(
        f"/admin/escalated-complaints/{complaint.code}/answer/",
        {"text": "به دستگاه تذکر داده شد و درخواست شما در اولویت است."},
    )
    assert answered.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.answered_from == "national"
    assert (
        "در اولویت است" in portal.get(f"/complaints/track/?code={complaint.code}").content.decode()
    )
    # On an agency's host the national screens do not exist.
    assert handler.get("/admin/escalated-complaints/").status_code == 404


def test_the_national_administrator_can_send_it_back_with_a_new_deadline(
    setting, client_for, national_admin_client
):
    complaint, _portal = _filed(setting, client_for)
    Complaint.objects.filter(pk=complaint.pk).update(due_on=datetime.date(2020, 1, 1))
    assert services.escalate_overdue() == 1

    refused = national_admin_client.post(
        f"/admin/escalated-complaints/{complaint.code}/return/", {"note": ""}
    )
    returned = national_admin_client.post(
        f"/admin/escalated-complaints/{complaint.code}/return/",
        {"note": "ظرف مهلت جدید پاسخ دهید."},
    )

    assert refused.status_code == 400
    assert returned.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "in_review" and complaint.due_on > datetime.date(2020, 1, 1)
    assert "بازگردانده شد" in _sms_texts()[-1]


def test_a_mistyped_complaint_code_is_caught(setting, client_for):
    complaint, _portal = _filed(setting, client_for)
    code = complaint.code
    typo = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    swapped = code[:5] + code[6] + code[5] + code[7:]
    portal = client_for("localhost")

    wrong = portal.get("/complaints/track/", {"code": typo}).content.decode()
    a_request_code = portal.get(
        "/complaints/track/", {"code": setting["request"].tracking_code}
    ).content.decode()
    right = portal.get("/complaints/track/", {"code": codes.display(code)}).content.decode()

    assert not codes.is_well_formed(typo)
    assert code[5] == code[6] or not codes.is_well_formed(swapped)
    assert "۱۲ رقم" in wrong and 'role="alert"' in wrong
    assert "کد رهگیری یک درخواست" in a_request_code
    assert "ثبت ولادت" in right
    # Complaint and request codes can never be taken for one another.
    assert not tracking.is_well_formed(code)
    assert not codes.is_well_formed(setting["request"].tracking_code)


def test_complaint_codes_are_unique_checked_and_start_with_7():
    key = codes.key_from_secret("test")
    made = {codes.code_for(sequence, key) for sequence in range(1, 20_001)}

    assert len(made) == 20_000
    assert all(len(code) == 12 and code[0] == "7" and codes.is_well_formed(code) for code in made)
    assert all(codes.sequence_of(codes.code_for(n, key), key) == n for n in (1, 99, 12345))
    # Another key (requests' is derived apart) gives other codes.
    assert codes.code_for(1, key) != codes.code_for(1, codes.key_from_secret("other"))


@pytest.mark.django_db
def test_the_complaint_form_without_context_asks_for_the_agency(onboard, client_for):
    agency = onboard(name_fa="سازمان نمونه شکایت").agency
    portal = client_for("localhost")

    form = portal.get("/complaints/new/").content.decode()
    missing = portal.post("/complaints/new/", {"kind": "complaint"})
    unknown = portal.get("/complaints/new/?agency=no-such-agency")
    sent = _file(portal, "/complaints/new/", agency=agency.slug, mobile="09351112233")

    assert "سازمان نمونه شکایت" in form
    assert missing.status_code == 400
    assert unknown.status_code == 404
    assert sent.status_code == 302
    assert Complaint.objects.get().agency == agency


_ODD = st.one_of(
    st.text(max_size=40),
    st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=12), st.text(max_size=12)),
    st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹０１２３⁰¹²³-", max_size=30),
    st.just("9" * 5000),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_whatever_is_typed_the_complaint_pages_never_answer_5xx(setting, client_for, data):
    portal = client_for("localhost")
    value = data.draw(_ODD)
    responses = [
        portal.get("/complaints/new/", {"request": value}),
        portal.get("/complaints/new/", {"agency": value, "service": value}),
        portal.get("/complaints/new/", {"agency": "civil-registration", "service": value}),
        portal.get("/complaints/track/", {"code": value}),
        portal.post("/complaints/track/code/", {"code": value}),
        portal.post("/complaints/track/prove/", {"code": value, "otp": value}),
        portal.post(
            "/complaints/new/?agency=civil-registration",
            {"kind": value, "name": value, "mobile": value, "text": value, "token": value},
        ),
        portal.get(f"/complaints/{quote(value, safe='')}/files/1/"),
        portal.get("/admin/escalated-complaints/", {"province": value, "p": value}),
    ]
    assert all(response.status_code < 500 for response in responses)


# Proof of ownership on the complaint's page: the one-time code texted to its mobile, as on
# a request's tracking page (the same codes, limits and masking: service_requests.ownership).

OTHER_MOBILE = "09351112233"


def _browser(address: str = "10.1.0.1") -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address)


def _about_the_agency(setting, *, mobile=OTHER_MOBILE, files=()) -> Complaint:
    """A complaint about the sample agency, filed from another browser (not about a request)."""
    before = set(Complaint.objects.values_list("pk", flat=True))
    sent = _file(
        _browser("10.1.9.9"),
        "/complaints/new/?agency=civil-registration",
        mobile=mobile,
        attachments=list(files),
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    return Complaint.objects.exclude(pk__in=before).get()


def _ask(client, complaint):
    return client.post("/complaints/track/code/", {"code": complaint.code})


def _type(client, complaint, otp):
    return client.post("/complaints/track/prove/", {"code": complaint.code, "otp": otp})


def _sees_it(client, complaint) -> bool:
    return TEXT in client.get("/complaints/track/", {"code": complaint.code}).content.decode()


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_mobile_alone_no_longer_opens_a_complaint_the_texted_code_does(setting):
    complaint = _about_the_agency(
        setting, files=[SimpleUploadedFile("نامه.pdf", PDF, content_type="application/pdf")]
    )
    letter = complaint.files.get()
    stranger = _browser()

    page = stranger.get("/complaints/track/", {"code": complaint.code}).content.decode()
    tried = [
        stranger.post(
            "/complaints/track/prove/", {"code": complaint.code, "proof": mobile, "otp": mobile}
        )
        for mobile in (OTHER_MOBILE, "۰۹۳۵۱۱۱۲۲۳۳", "+989351112233")
    ]

    assert "۰۹۳۵***۲۲۳۳" in page and OTHER_MOBILE not in page and "۰۹۳۵۱۱۱۲۲۳۳" not in page
    assert 'autocomplete="one-time-code"' in page and TEXT not in page
    assert all(answer.status_code == 400 for answer in tried)
    assert all("کد ۶ رقمی" in answer.content.decode() for answer in tried)
    assert not _sees_it(stranger, complaint)
    assert stranger.get(f"/complaints/{complaint.code}/files/{letter.pk}/").status_code == 404

    # The owner asks for the code, reads it in the SMS and types it (Persian digits).
    owner = _browser("10.1.0.2")
    asked = _ask(owner, complaint)
    notice = owner.get(asked["Location"]).content.decode()
    code = sent_code(OTHER_MOBILE)
    sms = [text for text in _sms_texts(OTHER_MOBILE) if code in text][-1]
    proved = _type(owner, complaint, code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))

    assert asked.status_code == 302 and "۰۹۳۵***۲۲۳۳" in notice and "۵ دقیقه" in notice
    assert complaint.code in sms  # the SMS says which complaint the code opens
    assert proved.status_code == 302
    assert _sees_it(owner, complaint)
    body = owner.get(f"/complaints/{complaint.code}/files/{letter.pk}/")
    assert b"".join(body.streaming_content) == PDF
    # The stranger's browser still has to prove it.
    assert not _sees_it(stranger, complaint)


def test_a_code_for_one_complaint_does_not_open_another(setting):
    a = _about_the_agency(setting)
    b = _about_the_agency(setting)  # the same mobile
    client = _browser()
    _ask(client, a)
    code = sent_code(OTHER_MOBILE)

    refused = _type(client, b, code)

    assert refused.status_code == 400 and "برای این شکایت فرستاده نشده" in refused.content.decode()
    assert not _sees_it(client, b) and not _sees_it(client, a)
    assert _type(client, a, code).status_code == 302
    assert _sees_it(client, a) and not _sees_it(client, b)


def test_a_requests_code_does_not_open_a_complaint_nor_the_reverse(setting, settings):
    settings.OWNERSHIP_CODE_RESEND_SECONDS = 0
    found = setting["request"]
    complaint = _about_the_agency(setting, mobile=MOBILE)  # the request's mobile too
    client = _browser()

    assert client.post("/track/code/", {"code": found.tracking_code}).status_code == 302
    request_code = sent_code(MOBILE)
    assert _type(client, complaint, request_code).status_code == 400
    assert not _sees_it(client, complaint)

    assert _ask(client, complaint).status_code == 302
    complaint_code = sent_code(MOBILE)
    wrong_page = client.post("/track/prove/", {"code": found.tracking_code, "otp": complaint_code})
    if complaint_code != request_code:
        assert wrong_page.status_code == 400
    assert (
        'name="body"' not in client.get("/track/", {"code": found.tracking_code}).content.decode()
    )
    # Proving the complaint opens the complaint only.
    assert _type(client, complaint, complaint_code).status_code == 302
    assert _sees_it(client, complaint)
    assert (
        'name="body"' not in client.get("/track/", {"code": found.tracking_code}).content.decode()
    )


def test_the_owner_of_a_request_sees_its_complaints_without_a_second_code(
    setting, client_for, settings
):
    settings.OWNERSHIP_CODE_RESEND_SECONDS = 0
    complaint, _filer = _filed(setting, client_for)
    owner = _browser("10.1.0.3")
    proved_request_only = _browser("10.1.0.4")

    assert not _sees_it(owner, complaint)
    prove_ownership(owner, setting["request"])
    prove_complaint(proved_request_only, complaint)

    assert _sees_it(owner, complaint)
    # Proving the complaint does not open the request it is about.
    thread = proved_request_only.get("/track/", {"code": setting["request"].tracking_code})
    assert 'name="body"' not in thread.content.decode() and _sees_it(proved_request_only, complaint)


def test_complaint_codes_expire_and_have_five_tries(setting, settings):
    settings.OWNERSHIP_CODE_RESEND_SECONDS = 0
    from django.db.models import F

    from service_requests.models import OwnershipCode

    complaint = _about_the_agency(setting)
    client = _browser()
    _ask(client, complaint)
    code = sent_code(OTHER_MOBILE)
    OwnershipCode.objects.update(expires_at=F("created_at"))

    expired = _type(client, complaint, code)
    assert expired.status_code == 400 and "منقضی" in expired.content.decode()

    _ask(client, complaint)
    code = sent_code(OTHER_MOBILE)
    answers = [_type(client, complaint, _wrong(code)).content.decode() for _ in range(5)]
    dead = _type(client, complaint, code)

    assert "۴ بار دیگر" in answers[0]
    assert dead.status_code == 400 and "دیگر کار نمی‌کند" in dead.content.decode()
    assert not _sees_it(client, complaint)
    # A used code cannot be replayed by anyone else.
    _ask(client, complaint)
    code = sent_code(OTHER_MOBILE)
    assert _type(client, complaint, code).status_code == 302
    replay = _type(_browser("10.1.0.5"), complaint, code)
    assert replay.status_code == 400 and "استفاده شده" in replay.content.decode()


def test_complaint_and_request_codes_share_the_limits_of_a_mobile_and_a_client(setting, settings):
    found = setting["request"]
    complaint = _about_the_agency(setting, mobile=MOBILE)
    assert (
        _browser("10.1.1.1").post("/track/code/", {"code": found.tracking_code}).status_code == 302
    )

    # The same mobile, a minute later at the earliest, whichever page asks.
    again = _ask(_browser("10.1.1.2"), complaint)
    assert again.status_code == 429
    assert "ثانیه" in again.content.decode() and 'role="alert"' in again.content.decode()

    # Codes asked for from one connection, and wrong codes typed from it.
    settings.OWNERSHIP_CODE_RESEND_SECONDS = 0
    settings.OWNERSHIP_CODES_PER_CLIENT_HOUR = 2
    settings.OWNERSHIP_CODE_FAILURES_PER_CLIENT_HOUR = 2
    asker = _browser("10.1.2.1")
    assert asker.post("/track/code/", {"code": found.tracking_code}).status_code == 302
    assert _ask(asker, complaint).status_code == 302
    refused = _ask(asker, complaint)
    assert refused.status_code == 429 and "از اتصال شما" in refused.content.decode()

    code = sent_code(MOBILE)
    guesser = _browser("10.1.3.1")
    guesser.post("/track/prove/", {"code": found.tracking_code, "otp": _wrong(code)})
    _type(guesser, complaint, _wrong(code))
    stopped = _type(guesser, complaint, code)  # even the right code, now
    assert stopped.status_code == 429 and not _sees_it(guesser, complaint)
    # The owner, on another connection, is not locked out.
    assert _type(_browser("10.1.3.2"), complaint, code).status_code == 302


def test_a_complaints_spent_code_is_masked_in_the_outbox(setting):
    from service_requests import ownership
    from service_requests.models import OwnershipCode

    complaint = _about_the_agency(setting)
    client = _browser()
    _ask(client, complaint)
    code = sent_code(OTHER_MOBILE)
    _type(client, complaint, code)

    assert ownership.mask_spent_codes() == 1
    message = SmsMessage.objects.get(pk=OwnershipCode.objects.get().message_id)
    assert code not in message.text and "••••••" in message.text
    assert complaint.code in message.text


def test_whatever_is_typed_as_the_one_time_code_no_complaint_page_answers_5xx(setting):
    complaint = _about_the_agency(setting)
    client = _browser()
    _ask(client, complaint)
    for typed in ("", "\x00", "۱۲۳", "9" * 5000, "１２３４５６", "¹²³⁴⁵⁶", "12-34-56"):
        answer = _type(client, complaint, typed)
        assert answer.status_code == 400 and 'role="alert"' in answer.content.decode()
