"""The ranking (issue #16 part 7): scores from measured indices, inspections, surveys and
timeliness with the weights an administrator sets, ranked per category and province,
each agency's breakdown, the XLSX export; supervisors see only their provinces."""

import datetime
import io
import itertools
import uuid

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from evaluation import ranking, services
from evaluation.constants import Component, ItemStatus
from evaluation.models import Finding, Inspection
from service_requests.constants import RequestStatus
from service_requests.models import ServiceRequest, StatusChange
from surveys.models import SurveyResponse
from tenants.constants import AgencyKind, NationalRole, Province
from tenants.models import Agency, SupervisedProvince

from .test_roles import denied

TEHRAN = timezone.get_fixed_timezone(210)
_sequence = itertools.count(9 * 10**14 + 1)


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TEHRAN)


def _agency(slug, kind, province, **extra):
    return Agency.objects.create(
        schema_name=f"agency_{slug.replace('-', '_')}",
        slug=slug,
        name_fa=extra.pop("name_fa", f"دستگاه {slug}"),
        kind=kind,
        province=province,
        **extra,
    )


def _request(agency, status, *, answered_at=None, promised_on=datetime.date(2025, 11, 1)):
    """A request received on 1404/08/01 (2025-10-23), answered at ``answered_at``."""
    number = next(_sequence)
    request = ServiceRequest.objects.create(
        agency=agency,
        service_key=uuid.uuid4(),
        service_slug="rank",
        service_title="خدمت آزمایشی",
        level="hq",
        sequence=number,
        tracking_code=str(number)[-13:],
        submission_token=uuid.uuid4(),
        status=status,
        submitted_at=at(2025, 10, 23),
        promised_on=promised_on,
        answered_at=answered_at,  # as service_requests.services keeps it
    )
    if answered_at is not None:
        StatusChange.objects.create(
            request=request,
            from_status=RequestStatus.IN_PROGRESS,
            to_status=RequestStatus.ANSWERED,
            actor="clerk",
            at=answered_at,
        )
    return request


def _survey(request, overall):
    SurveyResponse.objects.create(
        request=request,
        agency=request.agency,
        service_key=request.service_key,
        service_title=request.service_title,
        overall=overall,
        time_kept=True,
        staff_conduct=overall,
        clarity=overall,
        submitted_at=at(2025, 11, 5),
    )


def _inspection(agency, period, statuses):
    found = Inspection.objects.create(
        agency=agency,
        period=period,
        visited_on=datetime.date(2025, 11, 10),
        inspector="inspector",
        recorded_at=at(2025, 11, 10),
        issued_at=at(2025, 11, 11),
    )
    for key, status in statuses.items():
        Finding.objects.create(inspection=found, item_key=key, status=status)


@pytest.fixture
def world(db):
    """Five agencies in 1404's second half (the only period of 1404 opened), weights
    at their defaults 40 / 30 / 15 / 15."""
    period, _created = services.open_period(1404, 2, actor="test")
    alborz = _agency("alborz", AgencyKind.MINISTRY, Province.TEHRAN, name_fa="وزارت البرز")
    # On time; answered 1404/08/11 01:00 Tehran, the day after its promised 1404/08/10
    # (still 1404/08/10 in UTC: late all the same); open past its date; rejected.
    on_time = _request(alborz, RequestStatus.ANSWERED, answered_at=at(2025, 10, 30))
    late = _request(alborz, RequestStatus.ANSWERED, answered_at=at(2025, 11, 2, 1))
    _request(alborz, RequestStatus.IN_PROGRESS)
    _request(alborz, RequestStatus.REJECTED)
    _survey(on_time, 5)
    _survey(late, 3)
    _inspection(alborz, period, {"d02_hours": ItemStatus.MET, "d13_amenities": ItemStatus.PARTLY})
    # Two agencies with the same figures: two requests answered on time, no surveys,
    # no inspection.
    twins = []
    for slug, province, name in (
        ("bam", Province.ISFAHAN, "وزارت بم"),
        ("dena", Province.TEHRAN, "وزارت دنا"),
    ):
        agency = _agency(slug, AgencyKind.MINISTRY, province, name_fa=name)
        for _ in range(2):
            _request(agency, RequestStatus.ANSWERED, answered_at=at(2025, 10, 25))
        twins.append(agency)
    # A municipality with an inspection only.
    city = _agency("caspian", AgencyKind.MUNICIPALITY, Province.TEHRAN, name_fa="شهرداری کاسپین")
    _inspection(city, period, {"d02_hours": ItemStatus.MET, "d13_amenities": ItemStatus.NOT_MET})
    # Inactive (left out however good) and one without any figure (not ranked).
    gone = _agency("gone", AgencyKind.MINISTRY, Province.TEHRAN, is_active=False)
    _request(gone, RequestStatus.ANSWERED, answered_at=at(2025, 10, 25))
    _agency("empty", AgencyKind.MINISTRY, Province.TEHRAN, name_fa="وزارت خالی")
    return {"period": period, "alborz": alborz, "bam": twins[0], "dena": twins[1], "city": city}


def _scores(user=None):
    agencies = Agency.objects.exclude(schema_name="public") if user is None else None
    agencies = ranking.rankable_agencies(user) if user is not None else agencies
    return {
        found.agency.slug: found
        for found in ranking.scores_for(agencies.filter(is_active=True), ranking.year_span(1404))
    }


def test_the_ranking_reproduces_the_hand_computed_example(world):
    scores = _scores()
    alborz = scores["alborz"]
    # Measured: receipts 4/4 with a promised date = 1, codes 4/4 = 1, answers delivered
    # electronically 0/2 = 0, surveys 2/2 = 1 → (1 + 1 + 0 + 1) / 4 = 0.75.
    # Inspection: met 1, partly 0.5 → 0.75. Surveys: mean (5 + 3) / 2 = 4 → (4 - 1) / 4
    # = 0.75. On time: 1 of 3 (one late, one open past its date; the rejected one left out).
    # Score: 0.40 × 0.75 + 0.30 × 0.75 + 0.15 × 0.75 + 0.15 × 1/3 = 0.6375 + 0.05 = 0.6875.
    assert [alborz.part(c).value for c in Component.values] == pytest.approx(
        [0.75, 0.75, 0.75, 1 / 3], abs=1e-12
    )
    assert alborz.score == pytest.approx(0.6875, abs=1e-12)
    assert alborz.score_text == "۶۸٫۸٪"
    assert alborz.part(Component.TIMELINESS).detail.startswith("۱ درخواست از ۳")
    # Bam: measured (1 + 1 + 0 + 0) / 4 = 0.5, on time 2/2 = 1; no surveys, no inspection:
    # (40 × 0.5 + 15 × 1) / (40 + 15) = 35 / 55 = 0.63636…
    assert scores["bam"].score == pytest.approx(35 / 55, abs=1e-12)
    assert scores["bam"].score_text == "۶۳٫۶٪"
    # Caspian: only its inspection, met 1 and not met 0 → 0.5.
    assert scores["caspian"].score == pytest.approx(0.5, abs=1e-12)
    assert scores["empty"].score is None


def test_a_missing_component_is_left_out_and_the_weights_renormalised(world):
    bam = _scores()["bam"]
    shares = {part.component: part.share for part in bam.parts}
    assert shares == {
        "measured": pytest.approx(40 / 55),
        "inspected": None,
        "satisfaction": None,
        "timeliness": pytest.approx(15 / 55),
    }
    assert [part.component for part in bam.missing] == ["inspected", "satisfaction"]
    # With the inspections' weight at zero, Caspian has nothing left to be scored on.
    services.set_weights(
        {"measured": 40, "inspected": 0, "satisfaction": 15, "timeliness": 15}, actor="test"
    )
    assert _scores()["caspian"].score is None


def test_ties_share_a_rank_and_inactive_agencies_are_left_out(world, national_admin_client):
    scores = list(_scores().values())
    (ministries,) = ranking.tables(scores, "kind", AgencyKind.MINISTRY)
    assert [(row.rank, row.agency.slug) for row in ministries.rows] == [
        (1, "alborz"),
        (2, "bam"),
        (2, "dena"),
    ]
    assert ministries.unscored == 1  # "empty"
    tehran = ranking.tables(scores, "province", Province.TEHRAN)[0]
    assert [(row.rank, row.agency.slug) for row in tehran.rows] == [
        (1, "alborz"),
        (2, "dena"),
        (3, "caspian"),
    ]
    html = national_admin_client.get("/admin/evaluation/ranking/?scope=year&year=1404").content
    html = html.decode()
    assert "وزارت البرز" in html and "شهرداری کاسپین" in html
    assert "دستگاه gone" not in html
    assert "۶۸٫۸٪" in html and "۶۳٫۶٪" in html
    assert "<svg" in html and '<title id="ranking-chart-title">' in html
    assert " style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    # The weights in force are shown.
    assert "شاخص‌های سنجیده: ۴۰" in html and "پاسخ به‌موقع: ۱۵" in html


def test_the_breakdown_shows_the_components_weights_and_figures(world, national_admin_client):
    html = national_admin_client.get(
        "/admin/evaluation/ranking/agency/bam/?scope=year&year=1404&by=kind"
    ).content.decode()
    assert "۶۳٫۶٪" in html
    assert "۷۲٫۷٪" in html  # 40 / 55 of the weight
    assert "۲۷٫۳٪" in html  # 15 / 55
    assert html.count("left out") == 0  # translated
    assert national_admin_client.get("/admin/evaluation/ranking/agency/gone/").status_code == 404


def test_a_supervisor_sees_only_the_agencies_of_their_province(world, national_client):
    from django.contrib.auth import get_user_model

    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR, username="isfahan-sup")
    user = get_user_model().objects.get(username="isfahan-sup")
    SupervisedProvince.objects.create(user=user, province=Province.ISFAHAN)
    assert set(_scores(user)) == {"bam"}
    html = supervisor.get("/admin/evaluation/ranking/?year=1404").content.decode()
    assert "وزارت بم" in html
    assert "وزارت البرز" not in html and "وزارت دنا" not in html
    assert supervisor.get("/admin/evaluation/ranking/agency/alborz/?year=1404").status_code == 404
    sheet = load_workbook(
        io.BytesIO(supervisor.get("/admin/evaluation/ranking/export.xlsx?year=1404").content)
    ).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["وزارت بم"]
    # They may not change the weights.
    assert denied(supervisor.get("/admin/evaluation/ranking/weights/"))
    assert denied(supervisor.post("/admin/evaluation/ranking/weights/", {"measured": "1"}))


def test_the_weights_form_refuses_bad_input_in_persian(world, national_admin_client):
    url = "/admin/evaluation/ranking/weights/"
    good = {"measured": "۵۰", "inspected": "20", "satisfaction": "20", "timeliness": "10"}
    for field, bad in (("measured", "-5"), ("inspected", "2.5"), ("satisfaction", "101")):
        response = national_admin_client.post(url, {**good, field: bad})
        assert response.status_code == 400
        assert "عددی درست از ۰ تا ۱۰۰" in response.content.decode()
    zero = national_admin_client.post(url, dict.fromkeys(good, "0"))
    assert zero.status_code == 400
    assert "دست‌کم یکی از وزن‌ها" in zero.content.decode()
    assert national_admin_client.post(url, {**good, "timeliness": ""}).status_code == 400
    assert ranking.weights_in_force() == {
        "measured": 40,
        "inspected": 30,
        "satisfaction": 15,
        "timeliness": 15,
    }
    saved = national_admin_client.post(url, good, follow=True)
    assert saved.status_code == 200
    assert ranking.weights_in_force() == {
        "measured": 50,
        "inspected": 20,
        "satisfaction": 20,
        "timeliness": 10,
    }
    entry = ModelLogEntry.objects.get(action="panjereh.evaluation.weights")
    assert entry.data["before"]["measured"] == 40 and entry.data["after"]["measured"] == 50
    # Alborz again: 0.5 × 0.75 + 0.2 × 0.75 + 0.2 × 0.75 + 0.1 × 1/3 = 0.675 + 0.0333… = 0.70833…
    assert _scores()["alborz"].score == pytest.approx(0.675 + 1 / 30, abs=1e-12)
    assert "وزن‌های رتبه‌بندی ذخیره شد" in saved.content.decode()
    page = national_admin_client.get("/admin/evaluation/ranking/?year=1404").content.decode()
    assert "۷۰٫۸٪" in page and "شاخص‌های سنجیده: ۵۰" in page


def test_the_xlsx_holds_the_ranked_rows_with_persian_headers(world, national_admin_client):
    response = national_admin_client.get(
        "/admin/evaluation/ranking/export.xlsx?scope=year&year=1404&by=kind"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("دسته", "رتبه", "دستگاه", "استان", "امتیاز")
    body = [(row[0], row[1], row[2], round(row[4], 4)) for row in rows[1:]]
    assert body == [
        ("وزارتخانه", 1, "وزارت البرز", 0.6875),
        ("وزارتخانه", 2, "وزارت بم", 0.6364),
        ("وزارتخانه", 2, "وزارت دنا", 0.6364),
        ("شهرداری", 1, "شهرداری کاسپین", 0.5),
    ]
    assert rows[1][5:] == pytest.approx((0.75, 0.75, 0.75, 1 / 3))
    assert rows[2][6] is None  # no inspection: an empty cell


def test_the_ranking_screens_are_all_persian(world, national_admin_client):
    from .test_admin_persian import english_runs

    screens = {
        "ranking": "/admin/evaluation/ranking/?year=1404",
        "by province": "/admin/evaluation/ranking/?year=1404&by=province",
        "breakdown": "/admin/evaluation/ranking/agency/alborz/?year=1404",
        "weights": "/admin/evaluation/ranking/weights/",
    }
    runs = {
        name: english_runs(national_admin_client.get(url).content.decode(), {"national", "XLSX"})
        for name, url in screens.items()
    }
    assert runs == dict.fromkeys(screens, [])


def test_long_tables_show_their_best_ten_and_the_whole_table_on_its_own(
    world, national_admin_client
):
    for number in range(11):
        city = _agency(
            f"town-{number}", AgencyKind.MUNICIPALITY, Province.FARS, name_fa=f"شهرداری {number}"
        )
        _inspection(city, world["period"], {"d02_hours": ItemStatus.MET})
    every = national_admin_client.get("/admin/evaluation/ranking/?year=1404").content.decode()
    assert every.count("/admin/evaluation/ranking/agency/town-") == 10  # 11 of 12 at 100%
    assert "همهٔ جدول شهرداری (۱۲ دستگاه)" in every
    one = national_admin_client.get(
        "/admin/evaluation/ranking/?year=1404&by=kind&of=municipality"
    ).content.decode()
    assert one.count("/admin/evaluation/ranking/agency/town-") == 11
    assert "وزارت البرز" not in one.split("<svg", 1)[1]  # the chart and table of one category


def test_the_batched_figures_equal_the_evaluation_screens_ones(world):
    """The ranking reads the measured indices and inspections of all agencies at once;
    they are those the evaluation's screens show one agency at a time."""
    from evaluation import selectors

    from .test_evaluation import _world as evaluation_world

    rich = _agency("rich", AgencyKind.ORGANIZATION, Province.FARS)
    evaluation_world(rich)  # services, messages, answers delivered, complaints
    agencies = [world["alborz"], world["bam"], world["city"], rich]
    ids = [agency.pk for agency in agencies]
    measured = ranking.measured_shares(ids, world["period"])
    inspected = ranking.inspected_shares(ids, world["period"])
    for agency in agencies:
        period = world["period"]
        one = selectors.index_scores(agency, period, selectors.assessment_of(agency, period))
        assert measured[agency.pk] == pytest.approx(one.measured), agency.slug
        assert inspected[agency.pk] == pytest.approx(one.inspected), agency.slug
    assert len(measured[rich.pk]) == 7  # every measured item has a figure there


def test_the_running_score_is_the_current_half_year_and_bad_filters_are_no_error(
    world, national_admin_client
):
    now = timezone.now()
    request = _request(
        world["bam"], RequestStatus.ANSWERED, answered_at=now, promised_on=timezone.localdate()
    )
    ServiceRequest.objects.filter(pk=request.pk).update(submitted_at=now)
    current, _created = services.open_current_period()
    running = {
        found.agency.slug: found
        for found in ranking.scores_for(
            Agency.objects.filter(slug__in=["bam", "alborz"]), ranking.running_span(current)
        )
    }
    # This half-year: one request, answered on its promised day; nothing else yet.
    assert running["bam"].part(Component.TIMELINESS).value == 1.0
    assert running["alborz"].score is None
    # The year 1404 does not count it: still 2 of 2.
    assert _scores()["bam"].part(Component.TIMELINESS).detail.startswith("۲ درخواست از ۲")
    html = national_admin_client.get("/admin/evaluation/ranking/?scope=running").content.decode()
    assert "وزارت بم" in html and "وزارت البرز" not in html.split("<svg", 1)[1].split("</svg>")[0]
    for query in ("year=abc", "year=99999999999", "by=x&of=y", "of=ministry&p=-1", "scope=z"):
        assert national_admin_client.get(f"/admin/evaluation/ranking/?{query}").status_code == 200
        export = national_admin_client.get(f"/admin/evaluation/ranking/export.xlsx?{query}")
        assert export.status_code == 200
    refused = national_admin_client.post(
        "/admin/evaluation/ranking/weights/",
        {"measured": "x", "inspected": "1", "satisfaction": "1", "timeliness": "1"},
    )
    assert 'aria-invalid="true"' in refused.content.decode()
