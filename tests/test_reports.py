"""Management reports: exact figures on requests with known timestamps across Jalali
month boundaries (30 Esfand 1403 / 1 Farvardin 1404, the 31-day Farvardin) and a paused
interval; the national and agency screens, their exports and the official reports."""

import csv
import datetime
import io
import uuid
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import pytest

from reports import selectors
from reports.periods import Period
from service_requests import services as requests_services
from service_requests.constants import RequestStatus, Sender
from service_requests.models import Holiday, ResponseDocument, ServiceRequest

UTC = datetime.UTC
FARVARDIN_1404 = Period("month", 1404, 1)
ESFAND_1403 = Period("month", 1403, 12)
FAR_FUTURE = datetime.datetime(2030, 1, 1, tzinfo=UTC)


def at(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=UTC)


@contextmanager
def clock(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def submit(agency, when, *, duration, level="hq", unit_id=None, service_key=None):
    service = SimpleNamespace(
        translation_key=service_key or uuid.uuid4(),
        slug="service",
        title="خدمت آزمایشی",
        level=level,
        duration_days=duration,
    )
    with clock(when):
        request, _created = requests_services.submit_request(
            agency=agency, service=service, submission_token=uuid.uuid4(), data={}, uploads=[]
        )
    if unit_id is not None:
        ServiceRequest.objects.filter(pk=request.pk).update(unit_id=unit_id)
        request.unit_id = unit_id
    return request


def move(request, to_status, when, note=""):
    with clock(when):
        requests_services.change_status(request, to_status, actor="clerk", note=note or "—")


def answer(request, when):
    ResponseDocument.objects.create(
        request=request,
        file="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        verification_code=uuid.uuid4().hex[:16],
        issued_at=when,
        issued_by="clerk",
    )
    move(request, RequestStatus.ANSWERED, when)


def build_world(onboard):
    """Agency A (Tehran) with six requests, agency B (Isfahan) with one; Nowruz holidays."""
    for day in (21, 22, 23, 24):
        Holiday.objects.create(date=datetime.date(2025, 3, day), title="نوروز")
    a = onboard(name_fa="الف آزمایشی", province="tehran").agency
    b = onboard(name_fa="ب آزمایشی", province="isfahan").agency
    r = {}
    # R1: received 23:00 on 30 Esfand (Tehran), accepted 00:30 on 1 Farvardin, answered on
    # 6 Farvardin: 2 working days (the Nowruz holidays and a Friday between).
    r[1] = submit(a, at(2025, 3, 20, 19, 30), duration=5)
    move(r[1], RequestStatus.ACCEPTED, at(2025, 3, 20, 21, 0))
    move(r[1], RequestStatus.IN_PROGRESS, at(2025, 3, 22, 6, 0))
    answer(r[1], at(2025, 3, 26, 8, 0))
    # R2: accepted, waits three working days for the citizen, answered late.
    r[2] = submit(a, at(2025, 3, 25, 5, 0), duration=3)
    move(r[2], RequestStatus.ACCEPTED, at(2025, 3, 25, 6, 0))
    move(r[2], RequestStatus.INCOMPLETE, at(2025, 3, 26, 6, 0), note="مدرک کم است")
    with clock(at(2025, 3, 30, 6, 0)):
        requests_services.send_message(
            r[2], sender=Sender.CITIZEN, author="citizen", body="بفرمایید"
        )
    move(r[2], RequestStatus.ACCEPTED, at(2025, 3, 30, 7, 0))
    move(r[2], RequestStatus.IN_PROGRESS, at(2025, 3, 30, 8, 0))
    answer(r[2], at(2025, 4, 2, 6, 0))
    # R3: received and rejected in Esfand.
    r[3] = submit(a, at(2025, 3, 10, 6, 30), duration=5)
    move(r[3], RequestStatus.REJECTED, at(2025, 3, 11, 6, 30), note="خارج از صلاحیت")
    # R4: accepted in Esfand, never answered: overdue since 17 March.
    r[4] = submit(a, at(2025, 3, 15, 6, 30), duration=2)
    move(r[4], RequestStatus.ACCEPTED, at(2025, 3, 16, 6, 30))
    # R5: a field unit's, at 23:50 on 31 Farvardin; R6 ten minutes into 1 Ordibehesht.
    r[5] = submit(a, at(2025, 4, 20, 20, 20), duration=5, level="field", unit_id=7)
    r[6] = submit(a, at(2025, 4, 20, 20, 40), duration=5, level="field", unit_id=7)
    # R7: agency B's, answered in 4 working days of 10 promised.
    r[7] = submit(b, at(2025, 4, 1, 6, 0), duration=10)
    move(r[7], RequestStatus.ACCEPTED, at(2025, 4, 1, 7, 0))
    move(r[7], RequestStatus.IN_PROGRESS, at(2025, 4, 2, 7, 0))
    answer(r[7], at(2025, 4, 6, 6, 0))
    for request in r.values():
        request.refresh_from_db()
    return SimpleNamespace(a=a, b=b, r=r)


@pytest.fixture(scope="module")
def _committed_world(django_db_setup, django_db_blocker):
    """The world, made once for the module (tests only read it: their own writes roll
    back), and removed afterwards with its agencies' schemas."""
    from django.db import connection
    from django_tenants.utils import schema_exists
    from wagtail.models import ModelLogEntry

    from tenants.models import Agency
    from tenants.services import onboard_agency

    def onboard(*, name_fa, province):
        slug = {"tehran": "reports-a", "isfahan": "reports-b"}[province]
        return onboard_agency(slug=slug, name_fa=name_fa, province=province)

    with django_db_blocker.unblock():
        made = build_world(onboard)
        yield made
        connection.set_schema_to_public()
        ServiceRequest.objects.filter(agency__in=[made.a, made.b]).delete()
        Holiday.objects.filter(title="نوروز").delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM public.procrastinate_jobs")
        ModelLogEntry.objects.filter(action__startswith="panjereh.").delete()
        for agency in (made.a, made.b):
            Agency.objects.filter(pk=agency.pk).delete()
            if schema_exists(agency.schema_name):
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA "{agency.schema_name}" CASCADE')


@pytest.fixture
def world(_committed_world, db, settings, tmp_path):
    """The requests above; report files go to a private folder of the test's own."""
    from django.utils.functional import empty

    from service_requests.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty  # re-read PRIVATE_MEDIA_ROOT
    yield _committed_world
    private_storage._wrapped = empty


def test_jalali_periods_start_and_end_at_midnight_in_tehran():
    assert FARVARDIN_1404.start == at(2025, 3, 20, 20, 30)  # 00:00 on 1 Farvardin, Tehran
    assert FARVARDIN_1404.end == at(2025, 4, 20, 20, 30)  # Farvardin has 31 days
    assert ESFAND_1403.last_day == datetime.date(2025, 3, 20)  # 1403 is leap: 30 Esfand
    assert (ESFAND_1403.end - ESFAND_1403.start).days == 30
    assert Period("month", 1404, 12).last_day == datetime.date(2026, 3, 20)  # 29 days
    assert (Period("month", 1404, 12).end - Period("month", 1404, 12).start).days == 29
    assert Period("month", 1404, 7).start == at(2025, 9, 22, 20, 30)  # Mehr: 30-day months
    assert Period("quarter", 1404, 1).end == Period("month", 1404, 4).start
    assert Period("half", 1404, 2).start == Period("month", 1404, 7).start
    assert Period("year", 1403, 1).end == FARVARDIN_1404.start


@pytest.mark.django_db
def test_the_requests_keep_their_report_times(world):
    r = world.r
    assert r[1].answer_days == 2 and r[1].promised_days == 5 and r[1].paused_days == 0
    assert r[2].paused_days == 3
    assert r[2].accepted_at == at(2025, 3, 25, 6, 0)  # the first acceptance
    assert r[2].promised_on == datetime.date(2025, 4, 1)  # moved by the three days paused
    assert (r[2].answer_days, r[2].promised_days) == (4, 3)
    assert r[3].rejected_at == at(2025, 3, 11, 6, 30) and r[3].answer_days is None
    assert r[7].answer_days == 4 and r[7].promised_days == 10


@pytest.mark.django_db
def test_migration_0010_fills_old_requests_times_from_their_history(world):
    from importlib import import_module

    from django.apps import apps

    from service_requests.report_times import REPORT_FIELDS

    before = {
        pk: values
        for pk, *values in ServiceRequest.objects.values_list("pk", *REPORT_FIELDS).order_by("pk")
    }
    ServiceRequest.objects.update(
        accepted_at=None,
        answered_at=None,
        rejected_at=None,
        paused_days=0,
        answer_days=None,
        promised_days=None,
    )
    import_module("service_requests.migrations.0010_report_times").fill_report_times(apps, None)
    after = {
        pk: values
        for pk, *values in ServiceRequest.objects.values_list("pk", *REPORT_FIELDS).order_by("pk")
    }
    assert after == before


@pytest.mark.django_db
def test_a_month_s_figures_are_exact_across_the_nowruz_boundary(world):
    farvardin = selectors.summary(selectors.Filters(FARVARDIN_1404), now=FAR_FUTURE)
    assert farvardin["received"] == 3  # R2, R5 (23:50 on 31 Farvardin), R7
    assert farvardin["accepted"] == 3  # R1 (00:30 on 1 Farvardin), R2, R7
    assert farvardin["answered"] == 3
    assert farvardin["rejected"] == 0
    assert farvardin["pending"] == 2  # R4 and R5 at the end of Farvardin
    assert farvardin["overdue_open"] == 1 and farvardin["answered_late"] == 1
    assert farvardin["overdue"] == 2
    assert farvardin["mean_days"] == pytest.approx(10 / 3)
    assert farvardin["median_days"] == 4
    assert farvardin["mean_promised_days"] == pytest.approx(6)
    assert farvardin["on_time"] == 2

    esfand = selectors.summary(selectors.Filters(ESFAND_1403), now=FAR_FUTURE)
    assert (esfand["received"], esfand["accepted"], esfand["answered"]) == (3, 1, 0)
    assert (esfand["rejected"], esfand["pending"], esfand["overdue_open"]) == (1, 2, 1)
    assert esfand["mean_days"] is None and esfand["median_days"] is None

    year = selectors.summary(selectors.Filters(Period("year", 1404, 1)), now=FAR_FUTURE)
    assert year["received"] == 4  # R6 too (1 Ordibehesht); R1 was Esfand 1403's
    assert year["pending"] == 3  # R4, R5, R6 are still open


@pytest.mark.django_db
def test_filters_split_by_agency_province_level_unit_and_service(world):
    def received(**kwargs):
        filters = selectors.Filters(FARVARDIN_1404, **kwargs)
        return selectors.summary(filters, now=FAR_FUTURE)["received"]

    assert received(agency_id=world.a.pk) == 2
    assert received(agency_id=world.b.pk) == 1
    assert received(province="isfahan") == 1
    assert received(provinces=frozenset({"isfahan"})) == 1
    assert received(provinces=frozenset()) == 0
    assert received(level="field") == 1 and received(level="hq") == 2
    assert received(unit_id=7) == 1
    assert received(service_key=str(world.r[7].service_key)) == 1

    levels = {row["level"]: row for row in selectors.by_level(selectors.Filters(FARVARDIN_1404))}
    assert levels["hq"]["received"] == 2 and levels["field"]["received"] == 1

    ranked = selectors.by_agency(selectors.Filters(FARVARDIN_1404), now=FAR_FUTURE)
    assert [row["agency_id"] for row in ranked] == [world.b.pk, world.a.pk]
    assert ranked[0]["on_time_share"] == 1 and ranked[1]["on_time_share"] == 0.5

    months = selectors.trend(selectors.Filters(Period("quarter", 1404, 1)))
    assert [(m["received"], m["answered"]) for m in months] == [(3, 3), (1, 0), (0, 0)]


@pytest.mark.django_db
def test_complaints_are_counted_where_their_requests_are(world):
    """A complaint about a request counts where the request does (its unit's province and
    level); one about no request, in its agency's province and at no level or unit."""
    from complaints import codes
    from complaints.models import Complaint

    key = codes.key_from_secret("report-tests")
    ServiceRequest.objects.filter(pk=world.r[5].pk).update(province="fars")  # A's unit 7
    filed = at(2025, 4, 5, 6, 0)  # in Farvardin 1404
    about = [(world.a, world.r[5]), (world.a, world.r[1]), (world.b, None)]
    for number, (agency, request) in enumerate(about, start=700001):
        Complaint.objects.create(
            agency=agency,
            request=request,
            service_key=request.service_key if request else None,
            sequence=number,
            code=codes.code_for(number, key),
            submission_token=uuid.uuid4(),
            name="شاکی",
            mobile="09121234567",
            text="پاسخ نداده‌اند",
            filed_at=filed,
            due_on=filed.date(),
        )

    def filed_under(**kwargs):
        return selectors.complaints(selectors.Filters(FARVARDIN_1404, **kwargs))["filed"]

    assert filed_under() == 3
    assert filed_under(province="fars") == 1  # A is in Tehran; its unit 7 in Fars
    assert filed_under(provinces=frozenset({"fars"})) == 1
    assert filed_under(province="tehran") == 1
    assert filed_under(province="isfahan") == 1  # B's, about no request
    assert filed_under(level="field") == 1 and filed_under(level="hq") == 1
    assert filed_under(unit_id=7) == 1
    assert filed_under(agency_id=world.a.pk) == 2 and filed_under(agency_id=world.b.pk) == 1
    assert filed_under(service_key=str(world.r[1].service_key)) == 1
    assert filed_under(provinces=frozenset()) == 0


@pytest.mark.django_db
def test_the_monthly_summary_tables_give_the_figures_the_requests_give(world):
    from reports.models import BuiltMonth

    periods = [
        ESFAND_1403,
        FARVARDIN_1404,
        Period("quarter", 1404, 1),
        Period("year", 1404, 1),
    ]
    # "Now" in Ordibehesht 1404: Farvardin is closed (summed up), Ordibehesht is live.
    for now in (FAR_FUTURE, at(2025, 5, 1, 12, 0)):
        for period in periods:
            for extra in ({}, {"province": "tehran"}, {"level": "field"}):
                filters = selectors.Filters(period, **extra)
                assert selectors.uses_rollup(filters)
                for figures in (selectors.summary, selectors.by_level, selectors.by_agency):
                    rolled = figures(filters, now=now)
                    direct = figures(filters, now=now, rollup_allowed=False)
                    assert rolled == direct, (period, extra, figures.__name__, now)
                assert selectors.trend(filters, now=now) == selectors.trend(
                    filters, now=now, rollup_allowed=False
                )
    assert BuiltMonth.objects.filter(year=1404, month=1).exists()
    assert not BuiltMonth.objects.filter(year=1405).exists()  # never asked for


# --- The screens ---------------------------------------------------------------------

FARVARDIN_QUERY = "?kind=month&year=1404&number=1"
NATIONAL_URL = "/admin/national-reports/"
AGENCY_URL = "/admin/reports/"


# The sheets of a report's XLSX, in order, and the rows of its headline figures.
SUMMARY, TREND, LEVELS, RANKED = 0, 1, 2, 3
FIGURES = {
    "received": 2,
    "accepted": 3,
    "answered": 4,
    "rejected": 5,
    "pending": 6,
    "overdue": 7,
    "on_time": 8,
    "mean": 9,
    "median": 10,
    "promised": 11,
    "overdue_open": 12,
    "late": 13,
}


def sheet_rows(content: bytes, index: int) -> list[tuple]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    assert book.worksheets[index].sheet_view.rightToLeft
    return [tuple(row) for row in book.worksheets[index].iter_rows(values_only=True)]


def figure(rows, name):
    return rows[FIGURES[name]][1]


@pytest.mark.django_db
def test_the_national_dashboard_shows_figures_charts_and_exports(world, national_admin_client):
    page = national_admin_client.get(NATIONAL_URL + FARVARDIN_QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg class="report-chart" id="chart-trend" role="img"' in html
    assert '<title id="chart-ranking-title">' in html and "<desc" in html
    assert "الف آزمایشی" in html and "ب آزمایشی" in html
    assert "<script" not in html.split('id="charts-heading"')[1].split("</section>")[0]

    xlsx = national_admin_client.get(NATIONAL_URL + FARVARDIN_QUERY + "&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(xlsx.content, SUMMARY)
    assert figure(rows, "received") == 3 and figure(rows, "overdue") == 2
    assert figure(rows, "median") == 4 and figure(rows, "mean") == 3.3
    assert figure(rows, "on_time") == pytest.approx(66.7)
    ranked = sheet_rows(xlsx.content, RANKED)
    assert [row[:2] for row in ranked[2:]] == [(1, "ب آزمایشی"), (2, "الف آزمایشی")]
    assert [row[1:] for row in sheet_rows(xlsx.content, TREND)[2:]] == [(3, 3)]  # Farvardin

    response = national_admin_client.get(NATIONAL_URL + FARVARDIN_QUERY + "&format=csv")
    assert response.content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[1] for line in lines[4:6]] == ["3", "3"]  # received, accepted


@pytest.mark.django_db
def test_bad_filters_get_a_clear_error_not_a_500(world, national_admin_client):
    page = national_admin_client.get(NATIONAL_URL + "?kind=quarter&year=1404&number=9")
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()
    assert national_admin_client.get(NATIONAL_URL + "?kind=x&year=abc").status_code == 400


@pytest.mark.django_db
def test_a_provincial_supervisor_sees_only_their_province(world, national_client):
    from django.contrib.auth import get_user_model

    from tenants.constants import NationalRole
    from tenants.models import SupervisedProvince

    client = national_client(NationalRole.PROVINCIAL_SUPERVISOR, username="isfahan-supervisor")
    user = get_user_model().objects.get(username="isfahan-supervisor")
    SupervisedProvince.objects.create(user=user, province="isfahan")
    xlsx = client.get(NATIONAL_URL + FARVARDIN_QUERY + "&format=xlsx")
    assert figure(sheet_rows(xlsx.content, SUMMARY), "received") == 1
    ranked = sheet_rows(xlsx.content, RANKED)
    assert [row[1] for row in ranked[2:]] == ["ب آزمایشی"]
    # Agency A (Tehran) cannot even be chosen.
    other = client.get(NATIONAL_URL + FARVARDIN_QUERY + f"&agency={world.a.pk}")
    assert other.status_code == 400
    refused = national_client(NationalRole.CALL_CENTRE_OPERATOR).get(NATIONAL_URL)
    assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"


@pytest.mark.django_db
def test_an_agency_s_report_holds_its_own_requests_only(world, staff_client):
    from tenants.constants import AgencyRole

    viewer = staff_client(world.a, AgencyRole.REPORT_VIEWER)
    page = viewer.get(AGENCY_URL + FARVARDIN_QUERY)
    assert page.status_code == 200 and 'id="chart-levels"' in page.content.decode()
    xlsx = viewer.get(AGENCY_URL + FARVARDIN_QUERY + "&format=xlsx")
    rows = sheet_rows(xlsx.content, SUMMARY)
    assert figure(rows, "received") == 2 and figure(rows, "answered") == 2
    levels = sheet_rows(xlsx.content, LEVELS)
    assert [row[1] for row in levels[2:]] == [1, 1]  # field: R5; HQ: R2
    administrator = staff_client(world.b, AgencyRole.ADMINISTRATOR)
    rows = sheet_rows(
        administrator.get(AGENCY_URL + FARVARDIN_QUERY + "&format=xlsx").content,
        SUMMARY,
    )
    assert figure(rows, "received") == 1
    for role in (AgencyRole.REQUEST_CLERK, AgencyRole.EDITOR):
        # Wagtail sends a refused admin user back to the dashboard.
        refused = staff_client(world.a, role).get(AGENCY_URL + FARVARDIN_QUERY + "&format=xlsx")
        assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"


# --- The official reports ------------------------------------------------------------


def first_page_png(pdf: bytes, tmp_path):
    import shutil
    import subprocess

    from PIL import Image

    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    # Our own file, and pdftoppm from the system.
    subprocess.run(  # noqa: S603
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    return Image.open(next(tmp_path.glob("page*.png")))


@pytest.mark.django_db
def test_an_agency_s_official_reports_are_one_click_pdf_and_xlsx(world, staff_client, tmp_path):
    from tenants.constants import AgencyRole

    viewer = staff_client(world.a, AgencyRole.REPORT_VIEWER)
    pdf = viewer.post(
        "/admin/reports/official/circular/", {"year": "1404", "number": "1", "fmt": "pdf"}
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    page = first_page_png(pdf.content, tmp_path)
    assert page.width < page.height  # A4, portrait
    grey = page.convert("L")
    dark = sum(grey.histogram()[:128])
    assert dark > 2000  # text was drawn (Persian glyphs, tables), not a blank page
    import pypdf

    fonts = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0]["/Resources"]["/Font"].values()
    # In our Vazirmatn (shaped Persian), not a fallback such as DejaVu.
    assert any("Vazirmatn" in font["/BaseFont"] for font in fonts)
    from .test_browser import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.save(SCREENSHOTS / "report-circular-7193.png")

    xlsx = viewer.post(
        "/admin/reports/official/directive/", {"year": "1404", "number": "1", "fmt": "xlsx"}
    )
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    channels = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    assert "۱۵۳۸۵۸۸" in channels[0][0] and "الف آزمایشی" in channels[0][0]
    assert channels[2][1] == 3  # the first half of 1404: agency A's R2, R5, R6, all online
    headline = [tuple(row) for row in book.worksheets[1].iter_rows(values_only=True)]
    assert headline[FIGURES["received"]][1] == 3  # R2, R5 and R6 (agency A's only)

    circular = viewer.post(
        "/admin/reports/official/circular/", {"year": "1404", "number": "1", "fmt": "xlsx"}
    )
    duties = list(
        load_workbook(io.BytesIO(circular.content)).worksheets[0].iter_rows(values_only=True)
    )
    # Agency A in the first quarter of 1404: received R2, R5, R6; accepted and answered R1, R2;
    # R2 late; R4, R5, R6 open at its end.
    assert [row[1] for row in duties[2:]] == [3, 2, 2, 1, 3]


@pytest.mark.django_db
def test_the_national_summary_is_made_by_a_job_and_downloaded_by_its_requester(
    world, national_admin_client, national_client
):
    from reports.constants import ExportStatus
    from reports.models import Export
    from tenants.constants import NationalRole

    from .jobs_runner import run_jobs

    asked = national_admin_client.post(
        "/admin/reports/official/directive/",
        {"year": "1404", "number": "1", "fmt": "pdf"},
        HTTP_REFERER=NATIONAL_URL,
    )
    assert asked.status_code == 302
    export = Export.objects.get()
    assert export.status == ExportStatus.WAITING and export.params["agency_id"] is None
    run_jobs(queues=["reports"])
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    page = national_admin_client.get(NATIONAL_URL).content.decode()
    assert f"/admin/reports/exports/{export.pk}/" in page
    download = national_admin_client.get(f"/admin/reports/exports/{export.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    assert supervisor.get(f"/admin/reports/exports/{export.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_agency_s_year_xlsx_is_made_by_a_job_for_its_requester_only(world, staff_client):
    from openpyxl import load_workbook

    from reports.models import Export
    from tenants.constants import AgencyRole

    from .jobs_runner import run_jobs

    viewer = staff_client(world.a, AgencyRole.REPORT_VIEWER)
    asked = viewer.post("/admin/reports/export/", {"kind": "year", "year": "1404"})
    assert asked.status_code == 302
    run_jobs(queues=["reports"])
    export = Export.objects.get()
    assert export.schema == world.a.schema_name and export.params["agency_id"] == world.a.pk
    download = viewer.get(f"/admin/reports/exports/{export.pk}/")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    headline = list(book.worksheets[0].iter_rows(values_only=True))
    assert headline[FIGURES["received"]][1] == 3  # agency A in 1404: R2, R5, R6
    # Someone else of the same agency, or of another, cannot fetch it.
    colleague = staff_client(world.a, AgencyRole.ADMINISTRATOR)
    assert colleague.get(f"/admin/reports/exports/{export.pk}/").status_code == 404
    stranger = staff_client(world.b, AgencyRole.ADMINISTRATOR)
    assert stranger.get(f"/admin/reports/exports/{export.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_nightly_job_builds_the_month_that_has_just_ended(world):
    from reports import rollup
    from reports.models import BuiltMonth, MonthFigures

    assert rollup.build_last_month(now=at(2025, 4, 21, 1, 0)) == (1404, 1)
    assert BuiltMonth.objects.filter(year=1404, month=1).exists()
    assert (
        sum(MonthFigures.objects.filter(year=1404, month=1).values_list("received", flat=True)) == 3
    )
    assert rollup.build_last_month(now=at(2025, 3, 25, 1, 0)) == (1403, 12)
