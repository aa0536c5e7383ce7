"""SMS templates: national administrators edit the texts, an agency may write its own, every
message records the template version it was written from."""

import pytest
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from notifications import services as sms_services
from notifications.constants import SmsEvent
from notifications.events import EVENTS
from notifications.models import SmsMessage, SmsTemplate
from notifications.templating import check, render, sms_parts
from persian.dates import jalali
from service_requests import services
from tenants.constants import AgencyRole, NationalRole
from tenants.models import Agency

from .conftest import submit_sample_request

pytestmark = pytest.mark.django_db


def _national(event) -> SmsTemplate:
    return SmsTemplate.objects.get(event=event, agency_schema="")


def _last_message(request) -> SmsMessage:
    return request.sms_messages.order_by("-pk").first()


def _page(response) -> str:
    return response.content.decode()


@pytest.fixture
def agencies(setting):
    a = Agency.objects.get(slug="civil-registration")
    b = Agency.objects.get(slug="other-agency")
    return a, b


def test_every_event_has_a_persian_national_template_from_the_start():
    texts = dict(SmsTemplate.objects.filter(agency_schema="").values_list("event", "text"))

    assert set(texts) == set(SmsEvent.values) == set(EVENTS)
    assert texts["submitted"] == (
        "پنجره: درخواست «{service}» شما دریافت شد. کد رهگیری: {code}. موعد پاسخ: {date}."
    )
    for event, text in texts.items():
        assert check(event, text) == [], event
    assert "{otp}" in texts["one_time_code"]


def test_the_texts_citizens_get_are_todays_texts(setting):
    request = setting["request"]

    message = _last_message(request)

    assert message.text == (
        f"پنجره: درخواست «{request.service_title}» شما دریافت شد. "
        f"کد رهگیری: {request.tracking_code}. موعد پاسخ: {jalali(request.promised_on)}."
    )
    assert message.event == "submitted"
    assert message.template_version.version == 1
    assert message.template_version.template.agency_schema == ""


def test_a_national_administrator_edits_a_template_and_the_next_sms_uses_it(
    setting, national_admin_client
):
    template = _national(SmsEvent.SUBMITTED)
    page = national_admin_client.get(f"/admin/sms_templates/edit/{template.pk}/")
    assert page.status_code == 200
    html = _page(page)
    # The placeholders beside the field, with what they are, and a preview.
    assert "{service}" in html and "عنوان خدمت" in html
    assert "پیش‌نمایش با مقدارهای نمونه" in html and "notifications/sms-text.js" in html

    response = national_admin_client.post(
        f"/admin/sms_templates/edit/{template.pk}/",
        {"text": "پنجره: «{service}» ثبت شد. کد: {code}"},
    )

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.version == 2 and template.updated_by == "national"
    agency = Agency.objects.get(slug="civil-registration")
    second = submit_sample_request(agency)
    message = _last_message(second)
    assert message.text == f"پنجره: «{second.service_title}» ثبت شد. کد: {second.tracking_code}"
    assert (message.event, message.template_version.version) == ("submitted", 2)
    # The earlier message still points at the version it was written from.
    first = _last_message(setting["request"])
    assert first.template_version.version == 1
    assert first.template_version.text != template.text
    # The change is in the national audit log, and in the template's history.
    assert ModelLogEntry.objects.filter(
        object_id=str(template.pk), action="wagtail.edit", user__username="national"
    ).exists()
    history = national_admin_client.get(f"/admin/sms_templates/history/{template.pk}/")
    assert history.status_code == 200
    # The outbox shows which template version a message was written from.
    inspect = _page(national_admin_client.get(f"/admin/sms_outbox/inspect/{message.pk}/"))
    assert "درخواست دریافت شد #2" in inspect


def test_the_national_listing_shows_national_templates_and_no_agencys(
    agencies, national_admin_client, staff_client
):
    a, _b = agencies
    sms_services.override_sms_template(
        a.schema_name, SmsEvent.CLOSED, text="ویژه‌ی الف: {code} بسته شد."
    )

    listing = _page(national_admin_client.get("/admin/sms_templates/"))

    assert "یادآوری نوبت" in listing  # an event's name
    assert "ویژه‌ی الف" not in listing
    override = SmsTemplate.objects.get(agency_schema=a.schema_name)
    assert national_admin_client.get(f"/admin/sms_templates/edit/{override.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("پنجره: {code} {otp}", "این پیامک جای‌نگه‌دار {otp} ندارد"),
        ("پنجره: {code} {0}", "این پیامک جای‌نگه‌دار {0} ندارد"),
        ("پنجره: {code!r}", "این پیامک جای‌نگه‌دار {code!r} ندارد"),
        ("پنجره: درخواست شما دریافت شد.", "این پیامک باید {code} را داشته باشد"),
        ("پنجره: {code", "یک آکولاد باز شده و بسته نشده"),
        ("پنجره: code} {code}", "یک آکولاد باز شده و بسته نشده"),
        ("", "این فیلد لازم است"),
        ("{code} " + "الف" * 200, "بیش از ۴۸۰ نویسه مجاز نیست"),
    ],
)
def test_a_national_template_with_wrong_placeholders_is_refused_in_persian(
    national_admin_client, text, error
):
    template = _national(SmsEvent.ACCEPTED)
    before = template.text

    response = national_admin_client.post(
        f"/admin/sms_templates/edit/{template.pk}/", {"text": text}
    )

    assert response.status_code == 200
    assert error in _page(response)
    template.refresh_from_db()
    assert (template.text, template.version, template.versions.count()) == (before, 1, 1)


def test_the_one_time_code_must_carry_the_code(national_admin_client):
    template = _national(SmsEvent.ONE_TIME_CODE)

    response = national_admin_client.post(
        f"/admin/sms_templates/edit/{template.pk}/", {"text": "پنجره: رمز شما آماده است."}
    )

    assert "این پیامک باید {otp} را داشته باشد" in _page(response)
    template.refresh_from_db()
    assert template.version == 1


def test_an_agency_override_applies_to_that_agencys_requests_only(setting, agencies, staff_client):
    a, b = agencies
    admin_a = staff_client(a, AgencyRole.ADMINISTRATOR)
    page = admin_a.get("/admin/agency-sms-texts/accepted/")
    assert page.status_code == 200
    assert "پنجره: درخواست {code} پذیرفته شد" in _page(page)  # the national text, shown

    response = admin_a.post(
        "/admin/agency-sms-texts/accepted/",
        {"text": "ثبت احوال: درخواست {code} پذیرفته شد؛ پاسخ تا {date}."},
    )

    assert response.status_code == 302
    request = setting["request"]
    services.change_status(request, "accepted", actor="clerk")
    message = _last_message(request)
    assert message.text.startswith(f"ثبت احوال: درخواست {request.tracking_code} پذیرفته شد")
    assert message.template_version.template.agency_schema == a.schema_name
    assert (message.event, message.template_version.version) == ("accepted", 1)
    # Agency B's citizens still get the national text.
    other = sms_services.queue_event_sms(
        SmsEvent.ACCEPTED,
        "09351112233",
        {"code": "1405-B", "date": "۱ دی"},
        agency_schema=b.schema_name,
    )
    assert other.text == "پنجره: درخواست 1405-B پذیرفته شد. موعد پاسخ: ۱ دی."
    assert other.template_version.template.agency_schema == ""
    # The change is in agency A's own audit log.
    with schema_context(a.schema_name):
        entry = ModelLogEntry.objects.get(action="panjereh.sms_template.override")
        assert entry.data == {"event": "accepted", "version": 1}
    listing = _page(admin_a.get("/admin/agency-sms-texts/"))
    assert "ثبت احوال: درخواست {code}" in listing


def test_another_agencys_admin_neither_sees_nor_changes_the_override(agencies, staff_client):
    a, b = agencies
    admin_a = staff_client(a, AgencyRole.ADMINISTRATOR)
    admin_a.post("/admin/agency-sms-texts/closed/", {"text": "متن ویژه‌ی الف {code}"})
    admin_b = staff_client(b, AgencyRole.ADMINISTRATOR)

    for path in ("/admin/agency-sms-texts/", "/admin/agency-sms-texts/closed/"):
        response = admin_b.get(path)
        assert response.status_code == 200
        assert "ویژه‌ی الف" not in _page(response)
    # B writing its own text for the event makes B's row; A's stays as it was.
    admin_b.post("/admin/agency-sms-texts/closed/", {"text": "متن ب {code}"})
    back = admin_b.post("/admin/agency-sms-texts/closed/", {"use_national": "1"})
    assert back.status_code == 302, back.content.decode()[-3000:]
    own_a = SmsTemplate.objects.get(agency_schema=a.schema_name, event="closed")
    own_b = SmsTemplate.objects.get(agency_schema=b.schema_name, event="closed")
    assert own_a.text == "متن ویژه‌ی الف {code}" and own_a.version == 1
    assert own_b.text == "" and own_b.version == 2  # B went back to the national text
    message = sms_services.queue_event_sms(
        SmsEvent.CLOSED, "09351112233", {"code": "X"}, agency_schema=b.schema_name
    )
    assert message.text == "پنجره: درخواست X بسته شد."
    # The national screens are not there on an agency's host.
    assert admin_a.get("/admin/sms_templates/").status_code == 404


def test_an_invalid_agency_text_is_refused_and_nothing_is_saved(agencies, staff_client):
    a, _b = agencies
    admin_a = staff_client(a, AgencyRole.ADMINISTRATOR)

    response = admin_a.post("/admin/agency-sms-texts/visit/", {"text": "بیایید {when} {code}"})

    assert response.status_code == 400
    assert "این پیامک باید {place} را داشته باشد" in _page(response)
    assert not SmsTemplate.objects.filter(agency_schema=a.schema_name).exists()
    assert admin_a.get("/admin/agency-sms-texts/no-such-event/").status_code == 404


def test_the_preview_fills_in_sample_values_without_saving(agencies, staff_client):
    a, _b = agencies
    admin_a = staff_client(a, AgencyRole.ADMINISTRATOR)

    response = admin_a.post(
        "/admin/agency-sms-texts/step/", {"text": "{code}: گام «{step}»", "preview": "1"}
    )

    assert response.status_code == 200
    assert "1405-00001234: گام «بررسی مدارک»" in _page(response)
    assert not SmsTemplate.objects.filter(agency_schema=a.schema_name).exists()


def test_clerks_and_provincial_supervisors_cannot_edit_templates(
    agencies, staff_client, national_client
):
    a, _b = agencies
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    clerk = staff_client(a, AgencyRole.REQUEST_CLERK)
    # Wagtail answers a refused permission in its admin with a redirect to the dashboard.
    for path in ("/admin/agency-sms-texts/", "/admin/agency-sms-texts/closed/"):
        response = clerk.get(path)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    refused = clerk.post("/admin/agency-sms-texts/closed/", {"text": "{code}"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    template = _national(SmsEvent.CLOSED)

    listing = supervisor.get("/admin/sms_templates/")
    edit = supervisor.post(f"/admin/sms_templates/edit/{template.pk}/", {"text": "{code}"})

    assert (listing.status_code, listing["Location"]) == (302, "/admin/")
    assert edit.status_code == 302
    template.refresh_from_db()
    assert template.version == 1
    assert not SmsTemplate.objects.exclude(agency_schema="").exists()
    # An agency's screen does not exist on the national portal.
    assert supervisor.get("/admin/agency-sms-texts/").status_code == 404


def test_national_administrators_cannot_add_or_delete_templates(national_admin_client):
    template = _national(SmsEvent.CLOSED)

    for path in ("/admin/sms_templates/new/", f"/admin/sms_templates/delete/{template.pk}/"):
        response = national_admin_client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), path


@pytest.mark.parametrize("value", ["{otp}", "{0}", "{code}", "{", "}}{{", "%(code)s"])
def test_values_are_never_read_as_placeholders(setting, value):
    message = sms_services.queue_event_sms(
        SmsEvent.STEP, "09121234567", {"code": "1405-1", "step": value}
    )

    assert message.text == f"پنجره: درخواست 1405-1 به گام «{value}» رسید."


def test_a_step_named_with_braces_reaches_the_citizen_as_written(setting):
    request = setting["request"]
    services.change_status(request, "accepted", actor="clerk")

    services.record_step(request, step="بررسی {otp} و {0}", actor="clerk")

    assert _last_message(request).text == (
        f"پنجره: درخواست {request.tracking_code} به گام «بررسی {{otp}} و {{0}}» رسید."
    )


def test_sms_parts_are_counted_as_the_network_counts_them():
    assert sms_parts("") == (0, 0)
    assert sms_parts("الف" * 23 + "ب") == (70, 1)
    assert sms_parts("ب" * 71) == (71, 2)
    assert sms_parts("ب" * 135) == (135, 3)
    assert sms_parts("a" * 160) == (160, 1)
    assert sms_parts("a" * 161) == (161, 2)


def test_render_copies_values_once():
    assert render("{a}-{b}", {"a": "{b}", "b": "x"}) == "{b}-x"
    assert render("{a}", {}) == ""


def test_the_template_screens_are_in_persian(agencies, staff_client, national_admin_client):
    from notifications.events import PLACEHOLDERS

    from .test_admin_persian import english_runs

    a, _b = agencies
    template = _national(SmsEvent.VISIT)
    national_admin_client.post(
        f"/admin/sms_templates/edit/{template.pk}/",
        {"text": "پنجره: {code} را {when} به {place} بیاورید."},
    )
    # Placeholders are written in Latin ({complaint_code}: "complaint" and "code").
    data_words = {*PLACEHOLDERS, "complaint", "panjereh", "ir", "track", "national"}
    screens = [
        (national_admin_client, "/admin/sms_templates/"),
        (national_admin_client, f"/admin/sms_templates/edit/{template.pk}/"),
        (national_admin_client, f"/admin/sms_templates/history/{template.pk}/"),
    ]
    admin_a = staff_client(a, AgencyRole.ADMINISTRATOR, username="manager")
    admin_a.post("/admin/agency-sms-texts/visit/", {"text": "{code} {when} {place}"})
    data_words.add("manager")
    screens += [
        (admin_a, "/admin/agency-sms-texts/"),
        (admin_a, "/admin/agency-sms-texts/visit/"),
        (admin_a, "/admin/reports/site-history/"),
    ]
    problems = {}
    for client, url in screens:
        response = client.get(url)
        assert response.status_code == 200, url
        runs = english_runs(_page(response), data_words)
        if runs:
            problems[url] = runs
    assert problems == {}


def test_an_event_without_a_national_template_gets_its_default(db):
    SmsTemplate.objects.filter(event=SmsEvent.CLOSED).delete()

    message = sms_services.queue_event_sms(SmsEvent.CLOSED, "09121234567", {"code": "1405-9"})

    assert message.text == "پنجره: درخواست 1405-9 بسته شد."
    assert message.template_version.version == 1
    assert _national(SmsEvent.CLOSED).versions.count() == 1


def test_a_templated_sms_costs_few_queries(agencies, django_assert_max_num_queries, capsys):
    a, _b = agencies
    sms_services.override_sms_template(a.schema_name, SmsEvent.CLOSED, text="الف {code}")

    # queue_sms's own (the daily cap's lock and count, the message, Wagtail's reference
    # index, the job) and ours.
    with django_assert_max_num_queries(14) as queries:
        message = sms_services.queue_event_sms(
            SmsEvent.CLOSED, "09121234567", {"code": "1405-9"}, agency_schema=a.schema_name
        )

    assert message.text == "الف 1405-9"
    choosing = [
        q for q in queries.captured_queries if 'FROM "notifications_smstemplate' in q["sql"]
    ]
    assert len(choosing) == 1  # the agency's text or the national one, in one query
    with capsys.disabled():
        print(f"\nqueue_event_sms: {len(queries)} queries, {len(choosing)} to choose the text")
