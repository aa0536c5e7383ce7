"""Jalali date inputs in the admin: typed in any digits, stored Gregorian (UTC)."""

import datetime

import pytest
from django import forms
from django.utils import translation
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from tenants.constants import AgencyRole
from themes.widgets import JalaliDateInput, JalaliDateTimeInput, parse_jalali

from .test_admin_persian import agency  # noqa: F401 - a fixture


class _Form(forms.Form):
    day = forms.DateField(widget=JalaliDateInput)
    moment = forms.DateTimeField(widget=JalaliDateTimeInput, required=False)


@pytest.mark.parametrize(
    "typed", ["۱۴۰۵/۰۹/۱۰", "1405/9/10", "١٤٠٥/٠٩/١٠", " ۱۴۰۵-۰۹-۱۰ ", "1405.09.10", "2026-12-01"]
)
def test_a_jalali_date_in_any_digits_is_the_gregorian_day(typed):
    form = _Form({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 12, 1)


def test_a_jalali_date_and_time_is_tehran_time_stored_utc(settings):
    with translation.override("fa"):
        form = _Form({"day": "۱۴۰۵/۰۱/۰۱", "moment": "۱۴۰۵/۰۹/۱۰ ۱۲:۳۰"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 3, 21)
    assert form.cleaned_data["moment"] == datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("typed", ["۱۴۰۵/۱۳/۰۱", "۱۴۰۴/۱۲/۳۰", "فردا", "۱۴۰۵/۰۹"])
def test_a_date_that_does_not_exist_is_refused_in_persian(typed):
    # 1404 is not a leap year: Esfand has 29 days.
    with translation.override("fa"):
        form = _Form({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == ["یک تاریخ معتبر وارد کنید."]


def test_leap_esfand_has_thirty_days():
    assert parse_jalali("۱۴۰۳/۱۲/۳۰") == datetime.date(2025, 3, 20)
    assert parse_jalali("۱۴۰۴/۱۲/۳۰") is None


def test_the_input_shows_stored_dates_in_jalali_persian_digits():
    with translation.override("fa"):
        html = str(_Form(initial={"day": datetime.date(2026, 12, 1)})["day"])
        moment = JalaliDateTimeInput().format_value(
            datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
        )
    assert 'value="۱۴۰۵/۰۹/۱۰"' in html
    assert "data-jalali-picker" in html and "انتخاب تاریخ" in html
    assert moment == "۱۴۰۵/۰۹/۱۰ ۱۲:۳۰"


@pytest.mark.django_db
def test_the_page_editor_schedules_with_jalali_dates(agency, staff_client):  # noqa: F811
    client = staff_client(agency, AgencyRole.EDITOR, AgencyRole.REVIEWER)
    with schema_context(agency.schema_name):
        service = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
    html = client.get(f"/admin/pages/{service.pk}/edit/").content.decode()
    go_live = html[html.index('name="go_live_at"') - 400 :]
    assert "data-jalali-picker" in go_live[:600]
    assert "initDateTimeChooser" not in html
    assert "jalali-picker.js" in html
    # The listing's date filter too.
    listing = client.get(f"/admin/pages/{service.get_parent().pk}/").content.decode()
    assert "data-jalali-picker" in listing and "jalali-picker.js" in listing


@pytest.mark.django_db
def test_admin_model_forms_say_how_to_write_a_jalali_date():
    from django.forms import modelform_factory
    from wagtail.admin.forms import WagtailAdminModelForm

    from service_requests.models import Holiday

    form_class = modelform_factory(Holiday, form=WagtailAdminModelForm, fields=["date", "title"])
    with translation.override("fa"):
        wrong = form_class({"date": "۱۴۰۴/۱۲/۳۰", "title": "نوروز"})
        assert not wrong.is_valid()
        assert wrong.errors["date"] == ["تاریخ را مانند ۱۴۰۳/۰۱/۱۵ وارد کنید."]
        right = form_class({"date": "۱۴۰۵/۰۱/۰۱", "title": "نوروز"})
        assert right.is_valid(), right.errors
    assert right.cleaned_data["date"] == datetime.date(2026, 3, 21)
    assert isinstance(form_class().fields["date"].widget, JalaliDateInput)
