"""An agency's HQ and field units: where a service is delivered, the unit a citizen's
request goes to, a clerk sending it to another unit, and who manages the units."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from catalog_pages.models import ServicePage
from catalog_pages.units import Unit
from service_requests.models import ServiceRequest
from service_requests.storage import private_storage
from tenants.constants import AgencyRole, Province, ServiceLevel
from tenants.models import Agency

from .conftest import PDF, PNG, SAMPLE, form_url, submit_sample_request

MOTHER = "0499370899"


def _answers(token, **extra):
    return {
        "field_father_national_id": "۰۰۸۴۵۷۵۹۴۸",
        "field_mother_national_id": MOTHER,
        "field_mobile": "09121234567",
        "field_child_name": "آرش",
        "submission_token": token,
        "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF),
        "document_parents-id-cards": SimpleUploadedFile("b.png", PNG),
        **extra,
    }


def _token(html: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


def _deliver_at(agency, *units):
    """Create ``units`` (dicts) in the agency's schema; the birth registration is delivered
    at them. Returns the units."""
    with schema_context(agency.schema_name):
        made = [Unit.objects.create(**fields) for fields in units]
        page = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        page.units.set(made)
        page.save()
        return made


SHIRAZ = {
    "name": "ادارهٔ ثبت احوال شیراز",
    "level": ServiceLevel.FIELD,
    "province": Province.FARS,
    "city": "شیراز",
    "address": "خیابان زند، پلاک 12",
    "phone": "07132222222",
    "desk_hours": "شنبه تا چهارشنبه، 8 تا 14",
}
QOM = {
    "name": "ادارهٔ ثبت احوال قم",
    "level": ServiceLevel.FIELD,
    "province": Province.QOM,
    "city": "قم",
}
HQ = {"name": "ستاد مرکزی", "level": ServiceLevel.HQ, "province": Province.TEHRAN, "city": "تهران"}


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker):
    """The sample agency, imported once for the module (each test's own rows roll back)."""
    from django.db import connection
    from django_tenants.utils import schema_exists

    from catalog_pages.services import import_catalogue

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
def agency(sample, db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield Agency.objects.get(pk=sample.pk)
    private_storage._wrapped = empty


@pytest.fixture
def agency_client(agency, client_for):
    return client_for(agency.hostname)


def test_the_service_page_says_where_it_is_delivered(agency, agency_client):
    _deliver_at(agency, SHIRAZ, HQ)
    with schema_context(agency.schema_name):
        page = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        path = "/" + page.url_path.split("/", 2)[2]

    html = agency_client.get(path).content.decode()

    assert "محل ارائهٔ خدمت" in html
    assert "ادارهٔ ثبت احوال شیراز" in html and "ستاد مرکزی" in html
    assert "خیابان زند، پلاک ۱۲" in html  # Persian digits
    assert "شنبه تا چهارشنبه، ۸ تا ۱۴" in html
    assert "فارس" in html and "صفی" in html


def test_the_citizen_chooses_the_unit_and_the_request_records_it(agency, agency_client):
    shiraz, qom, _hq = _deliver_at(agency, SHIRAZ, QOM, HQ)

    form = agency_client.get(form_url()).content.decode()
    assert '<select name="unit"' in form
    assert '<optgroup label="فارس">' in form and '<optgroup label="قم">' in form
    # The English form offers the same units (they are set on the Persian page).
    with schema_context(agency.schema_name):
        english = ServicePage.objects.get(slug="birth-registration", locale__language_code="en")
    assert '<select name="unit"' in agency_client.get(f"/en/apply/{english.pk}/").content.decode()
    assert "ادارهٔ ثبت احوال شیراز، شیراز" in form

    missing = agency_client.post(form_url(), _answers(_token(form)))
    assert missing.status_code == 400
    assert "واحدی را که به درخواست شما رسیدگی می‌کند انتخاب کنید." in missing.content.decode()
    forged = agency_client.post(form_url(), _answers(_token(form), unit="999999"))
    assert forged.status_code == 400
    assert "یکی از واحدهای فهرست‌شده را انتخاب کنید." in forged.content.decode()
    assert not ServiceRequest.objects.exists()

    sent = agency_client.post(form_url(), _answers(_token(form), unit=str(shiraz.pk)))
    assert sent.status_code == 302
    request = ServiceRequest.objects.get()
    assert (request.unit_id, request.unit_name, request.province, request.level) == (
        shiraz.pk,
        "ادارهٔ ثبت احوال شیراز",
        "fars",
        "field",
    )


def test_one_unit_is_chosen_silently_and_none_means_the_agency(agency, agency_client):
    Agency.objects.filter(pk=agency.pk).update(province=Province.TEHRAN)
    agency.refresh_from_db()
    without = submit_sample_request(agency)
    assert (without.unit_id, without.unit_name, without.province) == (None, "", "tehran")

    (qom,) = _deliver_at(agency, QOM)
    form = agency_client.get(form_url()).content.decode()
    assert 'name="unit"' not in form
    agency_client.post(form_url(), _answers(_token(form)))
    request = ServiceRequest.objects.exclude(pk=without.pk).get()
    assert (request.unit_id, request.province, request.level) == (qom.pk, "qom", "field")


def test_a_clerk_sends_a_request_to_another_unit(agency, client_for, staff_client):
    shiraz, qom = _deliver_at(agency, SHIRAZ, QOM)
    request = submit_sample_request(agency)
    clerk = staff_client(agency, AgencyRole.REQUEST_CLERK, username="clerk-units")
    url = f"/admin/requests/{request.tracking_code}/"

    page = clerk.get(url).content.decode()
    assert "واحد رسیدگی‌کننده" in page and "خود دستگاه" in page
    assert "ارجاع به واحد دیگر" in page

    refused = clerk.post(f"{url}unit/", {"unit": "999999"})
    assert refused.status_code == 400
    assert "یکی از واحدهای دستگاه را انتخاب کنید." in refused.content.decode()

    done = clerk.post(f"{url}unit/", {"unit": str(qom.pk), "note": "محل سکونت متقاضی قم است"})
    assert done.status_code == 302
    request.refresh_from_db()
    assert (request.unit_id, request.unit_name, request.province) == (qom.pk, QOM["name"], "qom")
    shown = clerk.get(url).content.decode()
    assert re.search(r"<dt>واحد رسیدگی‌کننده</dt><dd>ادارهٔ ثبت احوال قم — قم \(", shown)
    with schema_context(agency.schema_name):
        entry = ModelLogEntry.objects.get(action="panjereh.request.reassign")
    assert entry.data["unit_to"] == QOM["name"]
    # The citizen sees where it went on the public tracking page.
    tracked = client_for("localhost").get("/track/", {"code": request.tracking_code})
    assert "ارجاع به ادارهٔ ثبت احوال قم" in tracked.content.decode()

    again = clerk.post(f"{url}unit/", {"unit": str(qom.pk)})
    assert again.status_code == 400
    assert "درخواست هم‌اکنون در همین واحد است." in again.content.decode()


def test_the_agency_administrator_manages_units_and_clerks_read_them(
    agency, staff_client, national_admin_client
):
    admin = staff_client(agency, AgencyRole.ADMINISTRATOR)
    clerk = staff_client(agency, AgencyRole.REQUEST_CLERK)

    added = admin.post(
        "/admin/units/new/",
        {
            "name": "دفتر پیشخوان کرج",
            "level": ServiceLevel.FIELD,
            "province": Province.ALBORZ,
            "city": "کرج",
            "address": "",
            "phone": "",
            "desk_hours": "",
        },
    )
    assert added.status_code == 302
    with schema_context(agency.schema_name):
        assert Unit.objects.filter(name="دفتر پیشخوان کرج").exists()
    assert "دفتر پیشخوان کرج" in clerk.get("/admin/units/").content.decode()
    assert clerk.get("/admin/units/new/").status_code in (302, 403)
    assert national_admin_client.get("/admin/units/").status_code == 404


def test_an_editor_places_a_service_at_units_in_the_page_editor(agency, staff_client):
    shiraz, _qom = _deliver_at(agency, SHIRAZ, QOM)
    with schema_context(agency.schema_name):
        page = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
    editor = staff_client(agency, AgencyRole.EDITOR)

    html = editor.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    assert "محل ارائه" in html
    assert f'name="units" value="{shiraz.pk}"' in html
    assert "ادارهٔ ثبت احوال شیراز (فارس، شیراز)" in html
    # Editors read the units; only the agency's administrator changes them.
    assert editor.get("/admin/units/").status_code == 200
    assert editor.get(f"/admin/units/edit/{shiraz.pk}/").status_code in (302, 403)
