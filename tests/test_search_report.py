"""«جست‌وجوهای بی‌نتیجه»: national roles see what citizens look for and do not find."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from search.models import QueryLog
from search.selectors import unanswered_queries
from tenants.constants import AgencyRole, NationalRole

pytestmark = pytest.mark.django_db

URL = "/admin/unanswered-searches/"
TEHRAN = ZoneInfo("Asia/Tehran")
# Saturday 30 Aban 1405 (21 November 2026), 00:00 in Tehran: a week of the report.
WEEK = datetime(2026, 11, 21, tzinfo=TEHRAN)


def _table(page: str) -> str:
    """The report's own table (the admin has others, e.g. its keyboard shortcuts)."""
    if '<table class="listing">' not in page:
        return ""
    start = page.index('<table class="listing">')
    return page[start : page.index("</table>", start)]


def _log(query: str, when: datetime, *, results: int = 0, clicked: int | None = None):
    log = QueryLog.objects.create(query=query, language="fa", result_count=results)
    QueryLog.objects.filter(pk=log.pk).update(created_at=when, clicked_position=clicked)


@pytest.fixture
def logs(db):
    monday = WEEK + timedelta(days=2, hours=10)
    # One query, two spellings (Arabic letters; Persian letters and spaces): found nothing.
    _log("كارت ملي", monday)
    _log("كارت ملي", monday)
    _log(" کارت  ملی ", monday)
    # Found, but opened only once in four searches.
    for clicked in (1, None, None, None):
        _log("گذرنامه", monday, results=3, clicked=clicked)
    # Found and opened every time: nothing to report.
    _log("مالیات", monday, results=5, clicked=2)
    _log("مالیات", monday, results=5, clicked=1)
    # Friday 23:30 in Tehran is still this week; Saturday 00:30 is the next one.
    _log("جواز کسب", WEEK + timedelta(days=6, hours=23, minutes=30))
    _log("ازدواج", WEEK + timedelta(days=7, minutes=30))
    _log("طلاق", WEEK - timedelta(minutes=30))


def test_queries_without_a_result_or_a_click_are_grouped_by_their_normalised_text(logs):
    rows = unanswered_queries(WEEK.date())

    assert [(row.query, row.searches, row.without_result, row.without_click) for row in rows] == [
        ("كارت ملي", 3, 3, 3),
        ("گذرنامه", 4, 0, 3),
        ("جواز کسب", 1, 1, 1),
    ]
    assert rows[1].share_without_click == 75


def test_the_report_shows_the_week_in_jalali_with_persian_counts(logs, national_admin_client):
    # Any day of the week shows the week that contains it.
    response = national_admin_client.get(URL, {"week": "2026-11-24"})
    page = response.content.decode()

    assert response.status_code == 200
    assert "جست‌وجوهای بی‌نتیجه" in page and "هفتهٔ ۳۰ آبان ۱۴۰۵" in page
    assert '<option value="2026-11-21" selected>هفتهٔ ۳۰ آبان ۱۴۰۵</option>' in page
    assert "در این هفته: ۱۰ جست‌وجو، ۴ بی‌نتیجه، ۷ بدون باز کردن نتیجه." in page
    body = _table(page)
    assert body.index("كارت ملي") < body.index("گذرنامه") < body.index("جواز کسب")
    assert "<td>۴</td>" in body and "۷۵٪" in body and "۱۰۰٪" in body
    assert "مالیات" not in body and "ازدواج" not in body and "طلاق" not in body

    next_week = national_admin_client.get(URL, {"week": "2026-11-28"}).content.decode()
    assert "ازدواج" in next_week and "كارت ملي" not in next_week


def test_a_week_without_searches_and_a_wrong_week_are_said_so(logs, national_admin_client):
    empty = national_admin_client.get(URL, {"week": "2025-01-04"}).content.decode()
    wrong = national_admin_client.get(URL, {"week": "2026-13-45"})
    future = national_admin_client.get(URL, {"week": "2099-01-01"})

    assert "در این هفته کسی در درگاه جست‌وجو نکرده است." in empty
    assert _table(empty) == ""
    assert wrong.status_code == 200
    assert "تاریخ هفته درست نیست؛ هفتهٔ جاری نمایش داده می‌شود." in wrong.content.decode()
    assert future.status_code == 200
    assert "آن هفته هنوز نرسیده است" in future.content.decode()
    # Days the Jalali calendar (or date arithmetic) cannot reach: said so, never a 500.
    for ancient in ("0001-01-01", "0600-01-01"):
        response = national_admin_client.get(URL, {"week": ancient})
        assert response.status_code == 200
        assert "تاریخ هفته درست نیست" in response.content.decode()


def test_the_report_downloads_as_csv_safe_for_spreadsheets(logs, national_admin_client):
    _log('=HYPERLINK("http://evil.example")', WEEK + timedelta(days=1))

    response = national_admin_client.get(URL, {"week": "2026-11-21", "export": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="unanswered-searches-2026-11-21.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == [
        "عبارت جست‌وجو",
        "جست‌وجوها",
        "بی‌نتیجه",
        "بدون باز کردن نتیجه",
        "سهم بدون باز کردن نتیجه (درصد)",
    ]
    assert ["گذرنامه", "4", "0", "3", "75"] in rows
    assert ['\'=HYPERLINK("http://evil.example")', "1", "1", "1", "100"] in rows


def test_a_long_report_is_paged(db, national_admin_client):
    for n in range(60):
        _log(f"پرسش {n}", WEEK + timedelta(days=1))

    first = national_admin_client.get(URL, {"week": "2026-11-21"}).content.decode()
    second = national_admin_client.get(URL, {"week": "2026-11-21", "p": "۲"}).content.decode()

    assert "صفحه ۱ از ۲" in first and _table(first).count("<tr>") == 51  # the heading and 50 rows
    assert "صفحه ۲ از ۲" in second and _table(second).count("<tr>") == 11
    assert 'href="?week=2026-11-21&amp;p=1" rel="prev"' in second


def test_a_provincial_supervisor_may_read_the_report(logs, national_client):
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)

    response = supervisor.get(URL, {"week": "2026-11-21"})

    assert response.status_code == 200 and "گذرنامه" in response.content.decode()
    assert 'method="post"' not in response.content.decode()  # nothing to change there
    assert URL in supervisor.get("/admin/").content.decode()  # in the Reports menu


def test_the_report_is_in_the_national_admins_menu(national_admin_client):
    assert URL in national_admin_client.get("/admin/").content.decode()


def test_agency_staff_and_anonymous_citizens_never_see_the_report(
    logs, onboard, staff_client, client_for
):
    agency = onboard(slug="behzisti").agency
    boss = staff_client(agency, AgencyRole.ADMINISTRATOR, AgencyRole.REPORT_VIEWER)

    assert boss.get(URL, {"week": "2026-11-21"}).status_code == 404
    assert boss.get(URL, {"week": "2026-11-21", "export": "csv"}).status_code == 404
    assert URL not in boss.get("/admin/").content.decode()
    anonymous = client_for("localhost").get(URL)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    csv_anonymous = client_for("localhost").get(URL, {"export": "csv"})
    assert csv_anonymous.status_code == 302
