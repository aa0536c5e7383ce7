"""Every date in the agency's admin is Jalali, in Persian digits: listings, history, the
audit log, reports and their exports, filters, the page editor's status, the inbox.

A service of the sample agency was last edited and published on 1 December 2026,
09:00 UTC (12:30 in Tehran), which is 10 Azar 1405.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import Page, PageLogEntry

from catalog_pages.models import ServicePage
from tenants.constants import AgencyRole

from .test_admin_persian import agency, visible_texts  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
JALALI_DAY = "۱۰ آذر ۱۴۰۵"
GREGORIAN = re.compile(
    r"\b20\d\d\b|۲۰[۰-۹]{2}|December|November|دسامبر|نوامبر|ژانویه|فوریه|سپتامبر|اکتبر"
)


@pytest.fixture
def dated(agency, staff_client):  # noqa: F811 - the fixture imported above
    clients = {
        AgencyRole.EDITOR: staff_client(
            agency, AgencyRole.EDITOR, AgencyRole.REVIEWER, username="editor"
        ),
        AgencyRole.ADMINISTRATOR: staff_client(agency, AgencyRole.ADMINISTRATOR),
    }
    with schema_context(agency.schema_name):
        editor = get_user_model().objects.get(username="editor")
        service = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        service.save_revision(user=editor, log_action=True).publish(user=editor)
        service.refresh_from_db()
        Page.objects.filter(pk=service.pk).update(
            latest_revision_created_at=MOMENT,
            last_published_at=MOMENT,
            first_published_at=MOMENT,
            locked=True,
            locked_at=MOMENT,
            locked_by=editor,
        )
        service.latest_revision.__class__.objects.filter(pk=service.latest_revision.pk).update(
            created_at=MOMENT
        )
        PageLogEntry.objects.filter(page=service).update(timestamp=MOMENT)
        home = service.get_parent()
    return {"clients": clients, "service": service, "home": home}


def _visible(html: str) -> str:
    return "\n".join(visible_texts(html))


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_page_listing_shows_when_a_page_was_updated_in_jalali(dated):
    html = _get(dated["clients"][AgencyRole.EDITOR], f"/admin/pages/{dated['home'].pk}/")
    assert re.search(
        rf"<time [^>]*datetime=\"2026-12-01T12:30:00\+03:30\">\s*{JALALI_DAY}\s*<", html
    )
    # The tooltip: the time in Tehran, Persian digits.
    assert f"{JALALI_DAY}، ۱۲:۳۰ (" in html
    assert not GREGORIAN.search(_visible(html))


def test_the_page_history_and_the_audit_log_show_jalali_dates(dated):
    editor = dated["clients"][AgencyRole.EDITOR]
    history = _get(editor, f"/admin/pages/{dated['service'].pk}/history/")
    assert JALALI_DAY in _visible(history)
    assert not GREGORIAN.search(_visible(history))

    audit = _get(editor, "/admin/reports/site-history/")
    assert JALALI_DAY in _visible(audit)
    assert not GREGORIAN.search(_visible(audit))


def test_reports_show_jalali_dates_and_export_them(dated):
    editor = dated["clients"][AgencyRole.EDITOR]
    aging = _get(editor, "/admin/reports/aging-pages/")
    assert JALALI_DAY in _visible(aging)
    locked = _get(editor, "/admin/reports/locked/")
    assert f"{JALALI_DAY}، ۱۲:۳۰" in _visible(locked)
    for report in (aging, locked):
        assert not GREGORIAN.search(_visible(report))

    csv = b"".join(editor.get("/admin/reports/aging-pages/?export=csv").streaming_content)
    assert "۱۴۰۵/۰۹/۱۰ ۱۲:۳۰" in csv.decode()
    assert "2026-12-01" not in csv.decode()

    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = editor.get("/admin/reports/aging-pages/?export=xlsx")
    sheet = load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    assert "۱۴۰۵/۰۹/۱۰ ۱۲:۳۰" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_the_date_filter_names_its_dates_in_jalali(dated):
    html = _get(
        dated["clients"][AgencyRole.EDITOR],
        f"/admin/pages/{dated['home'].pk}/?latest_revision_created_at_from=2026-11-30",
    )
    chip = re.search(r'<ul class="w-active-filters">.*?</ul>', html, re.S)
    assert chip, "the active filter is shown"
    assert "۹ آذر ۱۴۰۵" in chip[0]


def test_the_editors_status_panel_counts_in_persian_digits(dated):
    html = _get(dated["clients"][AgencyRole.EDITOR], f"/admin/pages/{dated['service'].pk}/edit/")
    # The status side panel (opened with a click): "… days ago by editor".
    assert re.search(r"[۰-۹]+\s(روز|ساعت|دقیقه|هفته|ماه|سال)", html)
    assert not re.search(r"[0-9]+\s(روز|ساعت|دقیقه|هفته|ماه|سال)", html)
    # Its counts too: the page's languages and references.
    assert "در ۲ زبان" in html
    assert re.search(r"[۰-۹]+ بار ارجاع", html)


def test_a_date_the_jalali_calendar_cannot_show_is_shown_as_written_not_a_500(dated):
    editor = dated["clients"][AgencyRole.EDITOR]
    for far in ("0500-01-01", "9999-12-31"):
        response = editor.get(
            f"/admin/pages/{dated['home'].pk}/", {"latest_revision_created_at_from": far}
        )
        assert response.status_code == 200
        assert far in response.content.decode()


def test_a_date_column_of_a_national_listing_is_jalali(national_admin_client):
    from notifications.models import SmsMessage

    SmsMessage.objects.create(
        mobile="09121234567",
        text="متن",
        queued_at=datetime.datetime(2025, 3, 1, 10, 0, tzinfo=datetime.UTC),
    )

    page = national_admin_client.get("/admin/sms_outbox/").content.decode()

    assert "۱۴۰۳" in page and "2025" not in page
