"""The national console's agency registry: what national administrators and provincial
supervisors see, the service-desk representative, supervisors' provinces, and what
deactivating an agency hides from citizens (and what it keeps)."""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import empty
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from catalog_pages.models import AgencyHomePage, ServicePage
from catalog_pages.services import import_catalogue
from complaints import codes
from complaints.constants import ComplaintStatus
from complaints.models import Complaint
from console.models import DeskRepresentative, notice_cutoff, one_month_after
from persian.dates import fa_digits
from search.models import IndexedService
from service_requests.models import ServiceRequest
from service_requests.storage import private_storage
from tenants.constants import AgencyKind, NationalRole, Province
from tenants.models import Agency, SupervisedProvince

from .conftest import SAMPLE, form_url, submit_sample_request

KEY = codes.key_from_secret("registry-tests")


def _agency(slug, *, province="", kind=AgencyKind.ORGANIZATION, **fields):
    """A registry row only (no schema): enough for the console's listings."""
    return Agency.objects.create(
        schema_name=f"agency_{slug.replace('-', '_')}",
        slug=slug,
        name_fa=f"دستگاه {slug}",
        province=province,
        kind=kind,
        **fields,
    )


def _supervisor(national_client, *provinces, username="fars-supervisor"):
    client = national_client(NationalRole.PROVINCIAL_SUPERVISOR, username=username)
    user = get_user_model().objects.get(username=username)
    for province in provinces:
        SupervisedProvince.objects.create(user=user, province=province)
    return client


@pytest.fixture
def two_provinces(db):
    fars = _agency("shiraz-water", province=Province.FARS)
    qom = _agency("qom-water", province=Province.QOM)
    return fars, qom


def test_one_month_is_a_jalali_month():
    # 1403/06/31 + one month: Mehr has 30 days, so its last day.
    day = datetime.date(2024, 9, 21)  # 1403/06/31
    assert one_month_after(day) == datetime.date(2024, 10, 21)  # 1403/07/30
    assert notice_cutoff(datetime.date(2024, 10, 22)) == datetime.date(2024, 9, 22)


def test_a_provincial_supervisor_sees_only_their_province(two_provinces, national_client):
    fars, qom = two_provinces
    client = _supervisor(national_client, Province.FARS)

    listing = client.get("/admin/agencies/")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert fars.name_fa in html and qom.name_fa not in html
    assert "<p>۱ دستگاه</p>" in html  # the count, too, is only Fars
    # Not even by asking for Qom: the filter offers only Fars and refuses another province.
    asked = client.get("/admin/agencies/", {"province": Province.QOM}).content.decode()
    assert qom.name_fa not in asked
    assert f'value="{Province.QOM}"' not in html

    assert client.get(f"/admin/agencies/{fars.pk}/").status_code == 200
    assert client.get(f"/admin/agencies/{qom.pk}/").status_code == 404
    # Read only: no onboarding, no deactivation, no representative editing.
    assert "/toggle-active/" not in html and "/admin/agencies/onboard/" not in html
    client.post(f"/admin/agencies/{fars.pk}/toggle-active/")
    fars.refresh_from_db()
    assert fars.is_active
    assert client.post(f"/admin/agencies/{fars.pk}/", {"name": "x"}).status_code == 404
    assert not DeskRepresentative.objects.exists()


def test_a_supervisor_without_provinces_sees_nothing(two_provinces, national_client):
    client = _supervisor(national_client)
    html = client.get("/admin/agencies/").content.decode()
    assert "No agency" in html or "هیچ دستگاهی" in html
    for agency in two_provinces:
        assert agency.name_fa not in html


def _escalated(agency, number: int, *, request=None) -> Complaint:
    """A complaint about ``agency`` (and ``request``) escalated to the national level."""
    now = timezone.now()
    return Complaint.objects.create(
        agency=agency,
        request=request,
        sequence=number,
        submission_token=uuid.uuid4(),
        code=codes.code_for(number, KEY),
        name="شاکی",
        mobile="09121234567",
        text="پاسخ نداده‌اند",
        status=ComplaintStatus.ESCALATED,
        filed_at=now,
        due_on=now.date(),
        escalated_at=now,
    )


def test_escalated_complaints_are_limited_to_the_supervisors_provinces(
    two_provinces, national_client
):
    fars, qom = two_provinces
    for number, agency in enumerate((fars, qom), start=1):
        _escalated(agency, number)
    client = _supervisor(national_client, Province.FARS)
    fars_code, qom_code = codes.code_for(1, KEY), codes.code_for(2, KEY)

    html = client.get("/admin/escalated-complaints/").content.decode()
    assert fars_code in html and qom_code not in html
    asked = client.get("/admin/escalated-complaints/", {"province": Province.QOM}).content.decode()
    assert qom_code not in asked
    assert client.get(f"/admin/escalated-complaints/{fars_code}/").status_code == 200
    assert client.get(f"/admin/escalated-complaints/{qom_code}/").status_code == 404


def test_a_complaint_about_a_request_handled_in_the_province_is_the_supervisors_too(
    two_provinces, national_client, national_admin_client
):
    """A Qom agency's request handled by its unit in Fars: the complaint about it is the
    Fars supervisor's to see, in the list, when Fars is chosen, and on its own page."""
    fars, qom = two_provinces
    now = timezone.now()
    handled = ServiceRequest.objects.create(
        agency=qom,
        sequence=800003,
        tracking_code="T800000000003",
        service_key=uuid.uuid4(),
        service_slug="water-branch",
        service_title="انشعاب آب",
        level="field",
        province=Province.FARS,
        submission_token=uuid.uuid4(),
        submitted_at=now,
        promised_on=now.date(),
    )
    code = _escalated(qom, 3, request=handled).code
    supervisor = _supervisor(national_client, Province.FARS)

    def listed(client, **query):
        return code in client.get("/admin/escalated-complaints/", query).content.decode()

    assert listed(supervisor)
    assert listed(supervisor, province=Province.FARS)
    assert supervisor.get(f"/admin/escalated-complaints/{code}/").status_code == 200
    # The national administrator finds it under either province, and not under another.
    assert listed(national_admin_client, province=Province.FARS)
    assert listed(national_admin_client, province=Province.QOM)
    assert not listed(national_admin_client, province=Province.TEHRAN)


def test_the_registry_shows_status_services_and_filters(db, national_admin_client):
    active = _agency("tehran-roads", province=Province.TEHRAN, kind=AgencyKind.MINISTRY)
    inactive = _agency("closed-one", province=Province.QOM, is_active=False)
    waiting = _agency("child-office", province=Province.FARS, parent_slug="no-such-parent")
    for number in range(3):
        IndexedService.objects.create(
            agency=active,
            translation_key=f"00000000-0000-0000-0000-00000000000{number}",
            language="fa",
            service_slug=f"s{number}",
            title="خدمت",
            summary="",
            url=f"http://tehran-roads.localhost/s{number}/",
            level="hq",
            delivery="online",
        )

    html = national_admin_client.get("/admin/agencies/").content.decode()
    assert "<td>۳</td>" in html  # published services, in Persian digits
    assert "غیرفعال" in html and "در انتظار دستگاه مادر" in html

    def names(**query):
        page = national_admin_client.get("/admin/agencies/", query).content.decode()
        return {a.slug for a in (active, inactive, waiting) if a.name_fa in page}

    assert names(status="inactive") == {"closed-one"}
    assert names(status="active") == {"tehran-roads", "child-office"}
    assert names(status="waiting") == {"child-office"}
    assert names(kind=AgencyKind.MINISTRY) == {"tehran-roads"}
    assert names(province=Province.QOM) == {"closed-one"}
    # A nonsense filter is ignored, not an error.
    assert national_admin_client.get("/admin/agencies/", {"status": "\x00"}).status_code == 200


def test_the_registry_is_paginated(db, national_admin_client):
    Agency.objects.bulk_create(
        Agency(schema_name=f"agency_many_{n}", slug=f"many-{n}", name_fa=f"دستگاه {n}")
        for n in range(55)
    )
    first = national_admin_client.get("/admin/agencies/").content.decode()
    assert "صفحه ۱ از ۲" in first
    assert first.count('href="/admin/agencies/') - first.count("/onboard/") >= 50
    second = national_admin_client.get("/admin/agencies/", {"p": "2"}).content.decode()
    assert "صفحه ۲ از ۲" in second
    assert f"<p>{fa_digits(Agency.objects.count())} دستگاه</p>" in second


def test_an_overdue_representative_is_flagged_and_filtered(db, national_admin_client):
    late = _agency("late-agency")
    recent = _agency("recent-agency")
    named = _agency("named-agency")
    today = timezone.localdate()
    DeskRepresentative.objects.create(agency=late, notified_on=today - datetime.timedelta(days=45))
    DeskRepresentative.objects.create(agency=recent, notified_on=today - datetime.timedelta(days=5))
    DeskRepresentative.objects.create(
        agency=named,
        notified_on=today - datetime.timedelta(days=60),
        name="مریم احمدی",
        named_on=today - datetime.timedelta(days=20),
    )

    html = national_admin_client.get("/admin/agencies/").content.decode()
    assert html.count("overdue-representative") == 1
    assert "مریم احمدی" in html
    overdue = national_admin_client.get("/admin/agencies/", {"overdue": "on"}).content.decode()
    assert late.name_fa in overdue
    assert recent.name_fa not in overdue and named.name_fa not in overdue


def test_a_national_administrator_records_the_representative(db, national_admin_client):
    agency = _agency("rep-agency")
    url = f"/admin/agencies/{agency.pk}/"

    bad = national_admin_client.post(
        url, {"name": "", "notified_on": "۱۴۰۵/۱۳/۰۱", "named_on": "1405/09/01"}
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "خطا" in html or "معتبر" in html or "وجود ندارد" in html
    assert not DeskRepresentative.objects.exists()

    done = national_admin_client.post(
        url,
        {
            "name": "علی رضایی",
            "post": "معاون توسعه مدیریت",
            "phone": "۰۲۱۸۸۸۸۸۸۸۸",
            "email": "rezaei@example.ir",
            "notified_on": "۱۴۰۵/۰۸/۰۱",
            "named_on": "۱۴۰۵/۰۸/۲۰",
        },
    )
    assert done.status_code == 302
    representative = DeskRepresentative.objects.get(agency=agency)
    assert representative.name == "علی رضایی"
    assert representative.named_on == datetime.date(2026, 11, 11)  # 1405/08/20
    shown = national_admin_client.get(url).content.decode()
    assert "علی رضایی" in shown and "۲۰ آبان ۱۴۰۵" in shown
    assert ModelLogEntry.objects.filter(action="panjereh.agency.representative").count() == 1


def test_national_administrators_give_supervisors_their_provinces(
    db, national_admin_client, national_client
):
    supervisor_client = _supervisor(national_client, username="new-supervisor")
    _agency("yazd-agency", province=Province.YAZD)
    user = get_user_model().objects.get(username="new-supervisor")

    listing = national_admin_client.get("/admin/supervisors/").content.decode()
    assert "new-supervisor" in listing
    answer = national_admin_client.post(
        f"/admin/supervisors/{user.pk}/", {"provinces": [Province.YAZD, Province.FARS]}
    )
    assert answer.status_code == 302
    assert set(user.supervised_provinces.values_list("province", flat=True)) == {"yazd", "fars"}
    entry = ModelLogEntry.objects.get(action="panjereh.supervisor.provinces")
    assert entry.data["after"] == ["fars", "yazd"]
    assert "دستگاه yazd-agency" in supervisor_client.get("/admin/agencies/").content.decode()

    assert (
        national_admin_client.post(
            f"/admin/supervisors/{user.pk}/", {"provinces": ["atlantis"]}
        ).status_code
        == 400
    )
    # Only administrators manage supervisors; only supervisors are listed.
    assert supervisor_client.get("/admin/supervisors/").status_code in (302, 403)
    admin = get_user_model().objects.get(username="national")
    assert national_admin_client.get(f"/admin/supervisors/{admin.pk}/").status_code == 404


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker):
    """The sample agency imported and indexed (committed) once for the module; each
    test's own changes roll back."""
    from django.db import connection
    from django_tenants.utils import schema_exists

    assert connection.settings_dict["NAME"].startswith("test_"), "never the real database"
    with django_db_blocker.unblock():
        agency = import_catalogue(SAMPLE.read_bytes()).agency
        yield agency
        connection.set_schema_to_public()
        ServiceRequest.objects.filter(agency=agency).delete()
        ModelLogEntry.objects.filter(action__startswith="panjereh.").delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM public.procrastinate_jobs")
        Agency.objects.filter(pk=agency.pk).delete()
        if schema_exists(agency.schema_name):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{agency.schema_name}" CASCADE')


@pytest.fixture
def published_sample(sample, db, settings, tmp_path, client_for):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield client_for(sample.hostname)
    private_storage._wrapped = empty


def test_deactivation_hides_the_agency_everywhere_public_and_deletes_nothing(
    published_sample,
    client_for,
    national_admin_client,
    staff_client,
    django_capture_on_commit_callbacks,
):
    agency_client = published_sample
    agency = Agency.objects.get(slug="civil-registration")
    submitted = submit_sample_request(agency)
    with schema_context(agency.schema_name):
        page = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        page_path = page.url_path.split("/", 2)[2]
    apply_url = form_url()
    portal = client_for("localhost")

    def public_surfaces():
        home = portal.get("/").content.decode()
        agencies = portal.get("/agencies/").content.decode()
        services = portal.get("/services/").content.decode()
        found = portal.get("/api/v1/search", {"q": "ولادت"}).json()
        site = agency_client.get("/")
        return {
            "home": agency.name_fa in home,
            "agencies": agency.name_fa in agencies,
            "services": "ثبت ولادت" in services,
            "api": any("civil-registration" in str(hit) for hit in found.get("results", [])),
            "site": site.status_code,
            "page": agency_client.get(f"/{page_path}").status_code,
            "form": agency_client.get(apply_url).status_code,
        }

    before = public_surfaces()
    assert before == {
        "home": True,
        "agencies": True,
        "services": True,
        "api": True,
        "site": 200,
        "page": 200,
        "form": 200,
    }
    pages = ServicePage.objects.none()
    with schema_context(agency.schema_name):
        pages = ServicePage.objects.count()

    with django_capture_on_commit_callbacks(execute=True):  # the home's cache is forgotten
        national_admin_client.post(f"/admin/agencies/{agency.pk}/toggle-active/")
    agency.refresh_from_db()
    assert agency.is_active is False
    assert ModelLogEntry.objects.filter(action="panjereh.agency.deactivate").count() == 1

    assert public_surfaces() == {
        "home": False,
        "agencies": False,
        "services": False,
        "api": False,
        "site": 410,
        "page": 410,
        "form": 410,
    }
    gone = agency_client.get("/").content.decode()
    assert "پایگاه این دستگاه در دسترس نیست" in gone
    assert 'href="http://localhost/"' in gone
    # A new request cannot be sent either.
    assert agency_client.post(apply_url, {}).status_code == 410

    # Citizens still track what they filed; the agency's staff still reach their admin.
    tracked = portal.get("/track/", {"code": submitted.tracking_code}).content.decode()
    assert "ثبت ولادت و صدور شناسنامه" in tracked
    clerk = staff_client(agency, "کارشناس رسیدگی به درخواست‌ها")
    assert clerk.get(f"/admin/requests/{submitted.tracking_code}/").status_code == 200
    # ...but register no new request at the desk.
    desk = clerk.get(f"/admin/desk/{page.pk}/", follow=True)
    assert "هیچ درخواست تازه‌ای ثبت نمی‌شود" in desk.content.decode()

    # Nothing was deleted.
    with schema_context(agency.schema_name):
        assert ServicePage.objects.count() == pages
    assert IndexedService.objects.filter(agency=agency).exists()

    with django_capture_on_commit_callbacks(execute=True):
        national_admin_client.post(f"/admin/agencies/{agency.pk}/toggle-active/")
    assert ModelLogEntry.objects.filter(action="panjereh.agency.activate").count() == 1
    assert public_surfaces() == before


def test_the_agency_names_its_representative_on_its_home_page(
    published_sample, staff_client, national_admin_client
):
    agency = Agency.objects.get(slug="civil-registration")
    # The catalogue's home page named one: the registry has it, named the day it was published.
    record = DeskRepresentative.objects.get(agency=agency)
    assert (record.name, record.post, record.named_on) == (
        "مریم احمدی",
        "نماینده تام‌الاختیار میز خدمت",
        timezone.localdate(),
    )
    DeskRepresentative.objects.filter(pk=record.pk).update(named_on=datetime.date(2026, 11, 1))

    # The agency's administrator names another one in their admin, and publishes.
    with schema_context(agency.schema_name):
        home = AgencyHomePage.objects.get(locale__language_code="fa")
        home.representative_name = "حمید کریمی"
        home.representative_phone = "021-66160200"
        home.save_revision().publish()

    record.refresh_from_db()
    assert (record.name, record.phone) == ("حمید کریمی", "021-66160200")
    assert record.named_on == datetime.date(2026, 11, 1)  # the first naming's date stays
    listing = national_admin_client.get("/admin/agencies/").content.decode()
    assert "حمید کریمی" in listing and "۱۰ آبان ۱۴۰۵" in listing


def test_national_administrators_give_and_take_the_supervisor_role(db, national_admin_client):
    user = get_user_model().objects.create_user("tabriz-inspector", password="x" * 20)

    unknown = national_admin_client.post("/admin/supervisors/", {"username": "nobody"})
    assert unknown.status_code == 400
    assert "هیچ کاربر فعالی در پیشخوان ملی این نام کاربری را ندارد." in unknown.content.decode()

    given = national_admin_client.post("/admin/supervisors/", {"username": "tabriz-inspector"})
    assert given.status_code == 302 and given["Location"] == f"/admin/supervisors/{user.pk}/"
    assert user.groups.filter(name=NationalRole.PROVINCIAL_SUPERVISOR).exists()
    national_admin_client.post(
        f"/admin/supervisors/{user.pk}/", {"provinces": [Province.AZARBAIJAN_EAST]}
    )

    national_admin_client.post(f"/admin/supervisors/{user.pk}/revoke/")
    assert not user.groups.filter(name=NationalRole.PROVINCIAL_SUPERVISOR).exists()
    assert not SupervisedProvince.objects.filter(user=user).exists()
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"panjereh.supervisor.grant", "panjereh.supervisor.revoke"} <= actions


@pytest.mark.django_db
def test_the_national_site_history_opens_for_administrators_and_is_closed_to_supervisors(
    national_admin_client, national_client
):
    """It listed every province's audit entries to supervisors (and crashed for national
    roles: it asked about agency page types the public schema has no tables for)."""
    national_admin_client.post(
        "/admin/agencies/onboard/",
        {
            "name_fa": "سازمان قمی",
            "slug": "qom-office",
            "kind": "organization",
            "level": "hq",
            "province": "qom",
        },
    )
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR, username="fars-supervisor")
    SupervisedProvince.objects.create(
        user=get_user_model().objects.get(username="fars-supervisor"), province="fars"
    )

    history = national_admin_client.get("/admin/reports/site-history/")
    assert history.status_code == 200
    assert "سازمان قمی" in history.content.decode()
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
        refused = supervisor.get(url)  # sent back to the dashboard, as Wagtail refuses
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert "/admin/reports/site-history/" not in supervisor.get("/admin/").content.decode()
