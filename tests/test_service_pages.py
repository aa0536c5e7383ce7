"""Service pages: the completeness rule, moderation workflow and what citizens see."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from catalog_pages.models import (
    AgencyHomePage,
    IncompletePackageError,
    ServiceDocument,
    ServiceFee,
    ServicePage,
    ServiceStep,
)
from catalog_pages.services import import_catalogue
from tenants.constants import AgencyRole

SAMPLE = (
    Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "sample-agency.json"
)
PASSWORD = "a-long-Passphrase-for-tests-42"


def _draft_service(**fields) -> ServicePage:
    home = AgencyHomePage.objects.get(locale__language_code="fa")
    page = ServicePage(
        title=fields.pop("title", "صدور مجوز"),
        slug=fields.pop("slug", "permit"),
        summary="صدور مجوز فعالیت",
        live=False,
        **fields,
    )
    home.add_child(instance=page)
    return page


def _complete(page: ServicePage) -> ServicePage:
    page.duration_days = 10
    page.complaint_procedure = "از طریق سامانه ۱۱۱"
    page.official_name = "علی رضایی"
    page.official_position = "مدیر کل"
    page.steps = [ServiceStep(title="ثبت درخواست")]
    page.documents = [ServiceDocument(slug="id-card", title="کارت ملی", formats=["pdf"])]
    page.fees = [ServiceFee(title="هزینه", amount_rials=500000)]
    return page


@pytest.fixture
def agency(onboard):
    return onboard(slug="permits", name_fa="سازمان مجوزها").agency


@pytest.mark.django_db
def test_publishing_an_incomplete_package_is_refused_naming_every_missing_part(agency):
    with schema_context(agency.schema_name):
        page = _draft_service()
        revision = page.save_revision()

        with pytest.raises(IncompletePackageError) as caught:
            revision.publish()

        message = " ".join(caught.value.messages)
        for part in ("مراحل", "مدارک", "مدت", "شکایت", "مسئول", "هزینه"):
            assert part in message, part
        page.refresh_from_db()
        assert not page.live


@pytest.mark.django_db
def test_confirmed_free_and_no_documents_count_as_complete(agency):
    with schema_context(agency.schema_name):
        page = _complete(_draft_service())
        page.documents = []
        page.fees = []
        page.no_documents_required = True
        page.is_free = True
        page.save_revision().publish()

        page.refresh_from_db()
        assert page.live
        assert page.completeness == 100


@pytest.mark.django_db
def test_editor_sees_what_is_missing_when_pressing_publish(agency, client_for):
    from tenants.services import create_user_in_schema

    create_user_in_schema(
        agency.schema_name, username="boss", password=PASSWORD, roles=[AgencyRole.REVIEWER]
    )
    client = client_for("permits.localhost")
    with schema_context(agency.schema_name):
        page = _draft_service()
        assert client.login(username="boss", password=PASSWORD)

    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "introduction": "",
            "audience": "citizen",
            "level": "hq",
            "delivery": "partial",
            "duration_days": "",
            "registry_code": "",
            "complaint_procedure": "",
            "official_name": "",
            "official_position": "",
            "official_phone": "",
            "official_email": "",
            "keywords": "",
            "other_ways_to_apply": "",
            "unavailable_reason": "",
            "details": streamfield([]),
            "steps": inline_formset(
                [{"title": "ثبت درخواست", "description": "", "responsible_unit": ""}]
            ),
            "documents": inline_formset([]),
            "fees": inline_formset([]),
            "laws": inline_formset([]),
            "inquiries": inline_formset([]),
            "faqs": inline_formset([]),
            "form_fields": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data["action-publish"] = "action-publish"

    response = client.post(f"/admin/pages/{page.pk}/edit/", data)

    html = response.content.decode()
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", "", html)
    missing = re.search(r"منتشر نمی‌شود: ([^.]*)\.", text)
    assert missing, "the editor is told why the service was not published"
    for part in ("مدت انجام", "روال رسیدگی به شکایت", "مسئول پاسخگو", "مدارک لازم", "هزینه‌ها"):
        assert part in missing[1], part
    # The step typed in this very form already counts: it is not listed as missing.
    assert "مراحل گردش کار" not in missing[1]
    with schema_context(agency.schema_name):
        page.refresh_from_db()
        assert not page.live


@pytest.mark.django_db
def test_moderation_workflow_approve_publishes_and_reject_does_not(agency):
    with schema_context(agency.schema_name):
        users = get_user_model().objects
        editor = users.create_user("editor", password=PASSWORD)
        editor.groups.add(Group.objects.get(name=AgencyRole.EDITOR))
        reviewer = users.create_user("reviewer", password=PASSWORD)
        reviewer.groups.add(Group.objects.get(name=AgencyRole.REVIEWER))

        approved = _complete(_draft_service(slug="approved"))
        approved.save_revision(user=editor)
        workflow = approved.get_workflow()
        assert workflow is not None, "every agency starts with a moderation workflow"
        workflow.start(approved, editor)
        state = approved.current_workflow_task_state
        state.task.specific.on_action(state, reviewer, "approve")
        approved.refresh_from_db()
        assert approved.live

        rejected = _complete(_draft_service(slug="rejected", title="رد شده"))
        rejected.save_revision(user=editor)
        workflow.start(rejected, editor)
        state = rejected.current_workflow_task_state
        state.task.specific.on_action(state, reviewer, "reject")
        rejected.refresh_from_db()
        assert not rejected.live
        assert rejected.workflow_states.get().status == "needs_changes"


@pytest.mark.django_db
def test_unavailable_service_needs_a_reason(agency):
    from django.core.exceptions import ValidationError

    with schema_context(agency.schema_name):
        page = _draft_service()
        page.unavailable = True
        with pytest.raises(ValidationError) as caught:
            page.full_clean()
        assert "unavailable_reason" in caught.value.message_dict


@pytest.mark.django_db
def test_service_page_shows_the_package_as_a_citizen_needs_it(client_for):
    import_catalogue(SAMPLE.read_bytes())

    response = client_for("civil-registration.localhost").get("/smart-national-id-card/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa" dir="rtl"' in html
    for fragment in ("صدور کارت هوشمند ملی", "اصل شناسنامه عکس‌دار", "استعلام و تأیید هویت", "۳۰"):
        assert fragment in html, fragment
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["@type"] == "GovernmentService"
    assert data["provider"]["name"] == "سازمان ثبت احوال کشور"
    assert data["offers"][0]["priceCurrency"] == "IRR"


@pytest.mark.django_db
def test_english_service_page_is_left_to_right_with_english_title(client_for):
    import_catalogue(SAMPLE.read_bytes())

    response = client_for("civil-registration.localhost").get("/en/smart-national-id-card/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en" dir="ltr"' in html
    assert "<h1>Smart national ID card issuance</h1>" in html


@pytest.mark.django_db
def test_unavailable_service_says_why_on_its_page(client_for):
    report = import_catalogue(SAMPLE.read_bytes())
    with schema_context(report.agency.schema_name):
        page = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        page.unavailable = True
        page.unavailable_reason = "سامانه در حال به‌روزرسانی است."
        page.save_revision().publish()

    html = client_for("civil-registration.localhost").get("/birth-registration/").content.decode()

    assert "سامانه در حال به‌روزرسانی است." in html
    assert 'role="alert"' in html


@pytest.mark.django_db
def test_agency_home_lists_its_published_services(client_for):
    import_catalogue(SAMPLE.read_bytes())

    html = client_for("civil-registration.localhost").get("/").content.decode()

    assert "صدور کارت هوشمند ملی" in html and "ثبت ولادت و صدور شناسنامه" in html
    assert (
        '<a href="tel:1515">۱۵۱۵</a>' in html
    )  # the call centre: dialled in ASCII, shown in Persian


@pytest.mark.django_db
def test_dashboard_shows_package_completeness_per_service_and_overall(agency, client_for):
    from tenants.services import create_user_in_schema

    create_user_in_schema(
        agency.schema_name, username="boss", password=PASSWORD, roles=[AgencyRole.EDITOR]
    )
    with schema_context(agency.schema_name):
        _complete(_draft_service(slug="done", title="کامل")).save_revision().publish()
        _draft_service(slug="todo", title="ناقص")
    client = client_for("permits.localhost")
    with schema_context(agency.schema_name):
        client.login(username="boss", password=PASSWORD)

    html = client.get("/admin/").content.decode()

    assert "کامل" in html and "ناقص" in html
    assert "۱۰۰٪" in html
    assert "۵۰" in html  # overall: (100 + 0) / 2


@pytest.mark.django_db
def test_admin_upload_reports_problems_with_paths_and_imports_valid_files(onboard, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenants.services import create_user_in_schema

    agency = onboard(slug="civil-registration", name_fa="سازمان ثبت احوال کشور").agency
    create_user_in_schema(
        agency.schema_name, username="boss", password=PASSWORD, roles=[AgencyRole.ADMINISTRATOR]
    )
    client = client_for("civil-registration.localhost")
    with schema_context(agency.schema_name):
        client.login(username="boss", password=PASSWORD)
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["services"][0]["delivery"] = "by_pigeon"

    bad = client.post(
        "/admin/catalogue/import/",
        {"file": SimpleUploadedFile("c.json", json.dumps(data).encode()), "dry_run": ""},
    ).content.decode()
    good = client.post(
        "/admin/catalogue/import/",
        {"file": SimpleUploadedFile("c.json", SAMPLE.read_bytes()), "dry_run": ""},
    )

    assert "$.services[0].delivery" in bad
    assert good.status_code == 200
    with schema_context(agency.schema_name):
        assert (
            ServicePage.objects.filter(
                live=True, locale=Locale.objects.get(language_code="fa")
            ).count()
            == 2
        )


@pytest.mark.django_db
def test_editors_translate_a_service_with_wagtail_localize_including_its_steps(agency):
    from wagtail_localize.models import StringSegment
    from wagtail_localize.operations import TranslationCreator

    with schema_context(agency.schema_name):
        boss = get_user_model().objects.create_user("boss", password=PASSWORD)
        boss.groups.add(Group.objects.get(name=AgencyRole.EDITOR))
        page = _complete(_draft_service())
        page.save_revision().publish()
        english = Locale.objects.get(language_code="en")

        TranslationCreator(boss, [english]).create_translations(page)

        translated = page.get_translation(english)
        assert translated.locale == english
        assert [step.title for step in translated.steps.all()] == ["ثبت درخواست"]
        # The step title is offered to translators as a segment of the page.
        assert StringSegment.objects.filter(string__data="ثبت درخواست").exists()


@pytest.mark.django_db
def test_admin_shows_exact_dates_in_the_jalali_calendar(agency, client_for):
    from tenants.services import create_user_in_schema

    create_user_in_schema(
        agency.schema_name, username="boss", password=PASSWORD, roles=[AgencyRole.EDITOR]
    )
    with schema_context(agency.schema_name):
        page = _complete(_draft_service())
        page.save_revision().publish()
    client = client_for("permits.localhost")
    with schema_context(agency.schema_name):
        client.login(username="boss", password=PASSWORD)

    html = client.get(f"/admin/pages/{page.get_parent().pk}/").content.decode()

    assert re.search(
        r'data-w-tooltip-content-value="[۰-۹]+ (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴',
        html,
    )
