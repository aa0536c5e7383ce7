"""The evaluation (issue #16 parts 5 and 6): periods, the agency's self-assessment with
evidence, the figures Panjereh measures itself and the claims that disagree with them,
field inspections by province, the agency's answers and the supervision cycle."""

import datetime
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from complaints.models import Complaint
from evaluation import selectors, services
from evaluation.constants import ITEMS, ItemStatus
from evaluation.models import Inspection, SelfAssessment
from search.models import IndexedService
from service_requests.models import RequestMessage, ResponseDocument, ServiceRequest
from service_requests.storage import private_storage
from surveys.models import SurveyResponse
from tenants.constants import AgencyRole, NationalRole, Province
from tenants.models import SupervisedProvince

from .conftest import JPEG, PDF, PNG
from .test_admin_persian import english_runs
from .test_roles import denied

TEHRAN = timezone.get_fixed_timezone(210)


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    from django.utils.functional import empty

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture
def period(db):
    # 1404/07/01 – 1404/12/29 (2025-09-23 – 2026-03-20): a non-leap Esfand.
    found, _created = services.open_period(1404, 2, actor="test")
    return found


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=TEHRAN)


def every_item(status=ItemStatus.MET, **overrides) -> dict:
    data = {}
    for item in ITEMS:
        data[f"status-{item.key}"] = overrides.get(item.key, status)
        data[f"note-{item.key}"] = ""
    return data


def page(response) -> str:
    return response.content.decode()


# --- Periods ----------------------------------------------------------------------------------


def test_periods_are_jalali_half_years_opened_once(db):
    first, created = services.open_period(1403, 2, actor="test")
    assert created
    # 1403 is a leap year: Esfand has 30 days.
    assert (first.starts_on, first.ends_on) == (
        datetime.date(2024, 9, 22),
        datetime.date(2025, 3, 20),
    )
    again, created = services.open_period(1403, 2, actor="other")
    assert (again.pk, created) == (first.pk, False)
    spring, _ = services.open_period(1405, 1, actor="test")
    assert (spring.starts_on, spring.ends_on) == (
        datetime.date(2026, 3, 21),
        datetime.date(2026, 9, 22),
    )
    assert selectors.period_label(spring) == "نیمهٔ نخست ۱۴۰۵"


def test_the_national_administrator_opens_a_period_and_bad_years_are_refused(
    national_admin_client, national_client
):
    refused = national_admin_client.post(
        "/admin/evaluation/periods/", {"year": "۱۳۰۰", "half": "1"}, follow=True
    )
    assert refused.status_code == 200
    assert "سالی میان ۱۳۹۰ و ۱۴۷۹" in page(refused)
    opened = national_admin_client.post(
        "/admin/evaluation/periods/", {"year": "۱۴۰۴", "half": "2"}, follow=True
    )
    assert "نیمهٔ دوم ۱۴۰۴" in page(opened)
    supervisor = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    assert denied(supervisor.post("/admin/evaluation/periods/", {"year": "1404", "half": "1"}))
    assert not selectors.all_periods().filter(half=1).exists()


def test_the_periodic_job_opens_todays_half_year(db):
    from evaluation.tasks import open_evaluation_period
    from tenants import jobs

    from .jobs_runner import run_jobs

    jobs.defer(open_evaluation_period, schema="public", timestamp=0)
    run_jobs(queues=["maintenance"])
    today = selectors.all_periods().get()
    assert today.starts_on <= timezone.localdate() <= today.ends_on


# --- The self-assessment -----------------------------------------------------------------------


def test_the_agency_administrator_fills_in_submits_and_a_national_administrator_reopens(
    onboard, staff_client, national_admin_client, period
):
    agency = onboard(province=Province.TEHRAN).agency
    manager = staff_client(agency, AgencyRole.ADMINISTRATOR)
    listing = page(manager.get("/admin/self-assessment/"))
    assert "نیمهٔ دوم ۱۴۰۴" in listing
    url = f"/admin/self-assessment/{period.pk}/"
    form = page(manager.get(url))
    assert "<fieldset" in form and "<legend>" in form
    assert "یک پنجرهٔ واحد الکترونیکی" in form  # index 1 in the letter's words

    # A draft with a note and evidence; a text file passed off as a PDF is refused by name.
    data = every_item(status="")
    data["status-e01_single_window"] = ItemStatus.MET
    data["note-e01_single_window"] = "همه خدمات در پنجره"
    data["evidence-e01_single_window"] = SimpleUploadedFile("نامه.pdf", b"not a pdf")
    refused = manager.post(url, {**data, "save": "1"})
    assert refused.status_code == 400
    assert "«نامه.pdf»" in page(refused)
    data["evidence-e01_single_window"] = SimpleUploadedFile("نامه.pdf", PDF)
    saved = manager.post(url, {**data, "save": "1"}, follow=True)
    assert "خوداظهاری ذخیره شد" in page(saved)
    assessment = SelfAssessment.objects.get(agency=agency, period=period)
    evidence = assessment.answers.get(item_key="e01_single_window").evidence.get()
    assert manager.get(f"/admin/self-assessment/evidence/{evidence.pk}/").status_code == 200

    # Submitting needs every item's status (what was typed is kept as the draft).
    del data["evidence-e01_single_window"]
    incomplete = manager.post(url, {**data, "submit": "1"})
    assert incomplete.status_code == 400
    assert "(۲۲ مورد مانده)" in page(incomplete)
    submitted = manager.post(url, {**every_item(), "submit": "1"}, follow=True)
    assert "خوداظهاری ارسال شد" in page(submitted)
    again = manager.post(url, {**every_item(ItemStatus.NOT_MET), "save": "1"})
    assert again.status_code == 400
    assert "دیگر تغییر نمی‌کند" in page(again)
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert assessment.answers.filter(status=ItemStatus.MET).count() == len(ITEMS)
    assert "ارسال خوداظهاری" not in page(manager.get(url))  # read-only now

    national_url = f"/admin/evaluation/{period.pk}/{agency.slug}/"
    assert "بازگشایی برای دستگاه" in page(national_admin_client.get(national_url))
    assert (
        national_admin_client.get(f"/admin/evaluation/evidence/{evidence.pk}/").status_code == 200
    )
    national_admin_client.post(f"{national_url}reopen/")
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.reopened_by == "national"
    assert manager.post(url, {**every_item(ItemStatus.PARTLY), "save": "1"}).status_code == 302

    with schema_context(agency.schema_name):
        actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"panjereh.evaluation.save", "panjereh.evaluation.submit"} <= actions
    with schema_context("public"):
        assert ModelLogEntry.objects.filter(action="panjereh.evaluation.reopen").exists()


def test_other_agencies_staff_and_the_wrong_host_are_refused(
    onboard, staff_client, client_for, national_client, period, django_capture_on_commit_callbacks
):
    a = onboard().agency
    b = onboard().agency
    manager = staff_client(a, AgencyRole.ADMINISTRATOR)
    manager.post(
        f"/admin/self-assessment/{period.pk}/",
        {**every_item(), "evidence-d01_space": SimpleUploadedFile("x.png", PNG), "save": "1"},
    )
    evidence = SelfAssessment.objects.get(agency=a).answers.get(item_key="d01_space").evidence.get()
    other = staff_client(b, AgencyRole.ADMINISTRATOR)
    assert other.get(f"/admin/self-assessment/evidence/{evidence.pk}/").status_code == 404
    assert "x.png" not in page(other.get(f"/admin/self-assessment/{period.pk}/"))
    # Ticking "remove" with another agency's file id removes nothing of theirs.
    other.post(f"/admin/self-assessment/{period.pk}/", {"remove": [evidence.pk], "save": "1"})
    assert private_storage.exists(evidence.file.name)
    assert SelfAssessment.objects.get(agency=a).answers.get(item_key="d01_space").evidence.exists()
    # Their own administrator removes it: the row and the stored file go.
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            f"/admin/self-assessment/{period.pk}/",
            {**every_item(), "remove": [str(evidence.pk), "x"], "save": "1"},
        )
    assert not private_storage.exists(evidence.file.name)
    assert (
        not SelfAssessment.objects.get(agency=a).answers.get(item_key="d01_space").evidence.exists()
    )
    clerk = staff_client(a, AgencyRole.REQUEST_CLERK)
    assert denied(clerk.get("/admin/self-assessment/"))
    assert denied(clerk.get(f"/admin/self-assessment/evidence/{evidence.pk}/"))
    # National screens do not exist on an agency's host, agency screens not on the portal.
    assert manager.get("/admin/evaluation/").status_code == 404
    connection.set_schema_to_public()  # the agency's requests left their schema active
    national = national_client(NationalRole.ADMINISTRATOR)
    assert national.get("/admin/self-assessment/").status_code == 404
    operator = national_client(NationalRole.CALL_CENTRE_OPERATOR)
    assert denied(operator.get("/admin/evaluation/"))


# --- Measured figures --------------------------------------------------------------------------

_sequence = iter(range(9_100_000, 9_200_000))


def _request(agency, submitted_at, status="submitted"):
    number = next(_sequence)
    return ServiceRequest.objects.create(
        agency=agency,
        service_key=uuid.uuid4(),
        service_slug="s",
        service_title="خدمت",
        level="hq",
        sequence=number,
        tracking_code=f"9{number:012d}",
        submission_token=uuid.uuid4(),
        status=status,
        submitted_at=submitted_at,
        promised_on=submitted_at.date() + datetime.timedelta(days=10),
    )


def _world(agency):
    """4 requests in 1404's second half (and one after it), answers, messages, a survey,
    complaints and published services, with known figures."""
    r1 = _request(agency, at(2025, 10, 15), "answered")
    _request(agency, at(2025, 11, 1), "closed")
    r3 = _request(agency, at(2026, 3, 20, 23), "answered")  # 1404/12/29 23:00, Tehran
    r4 = _request(agency, at(2025, 9, 23, 0))  # 1404/07/01 00:00
    r5 = _request(agency, at(2026, 3, 21, 0), "answered")  # 1405/01/01: the next period
    for found in (r1, r5):
        ResponseDocument.objects.create(
            request=found,
            file="x.pdf",
            content_type="pdf",
            size=1,
            sha256="0" * 64,
            verification_code=uuid.uuid4().hex[:16],
            issued_at=found.submitted_at,
            issued_by="clerk",
        )
    RequestMessage.objects.bulk_create(
        [
            RequestMessage(
                request=r1, sender="citizen", author="citizen", body="?", sent_at=at(2025, 10, 16)
            ),
            RequestMessage(
                request=r1, sender="agency", author="clerk", body="!", sent_at=at(2025, 10, 17)
            ),
            RequestMessage(
                request=r3,
                sender="citizen",
                author="citizen",
                body="?",
                sent_at=at(2026, 3, 20, 23),
            ),
            RequestMessage(
                request=r3, sender="agency", author="clerk", body="!", sent_at=at(2026, 4, 1)
            ),
            RequestMessage(
                request=r4, sender="citizen", author="citizen", body="?", sent_at=at(2025, 9, 24)
            ),
        ]
    )
    SurveyResponse.objects.create(
        request=r1,
        agency=agency,
        service_key=r1.service_key,
        service_title="خدمت",
        overall=5,
        time_kept=True,
        staff_conduct=5,
        clarity=5,
        submitted_at=at(2025, 10, 20),
    )
    for number, status in enumerate(("answered", "received")):
        Complaint.objects.create(
            agency=agency,
            sequence=9_300_000 + number + agency.pk * 10,
            code=f"7{agency.pk:05d}{number:05d}",
            submission_token=uuid.uuid4(),
            name="شهروند",
            mobile="09121234567",
            text="شکایت",
            status=status,
            filed_at=at(2025, 12, 1),
            due_on=datetime.date(2025, 12, 15),
        )
    services_ = []
    for key, language, apply_url, unavailable in (
        ("11111111-1111-1111-1111-111111111111", "fa", "https://a/apply/1/", False),
        ("11111111-1111-1111-1111-111111111111", "en", "https://a/apply/1/", False),
        ("22222222-2222-2222-2222-222222222222", "fa", "", False),
        ("33333333-3333-3333-3333-333333333333", "fa", "https://a/apply/3/", True),
    ):
        services_.append(
            IndexedService(
                agency=agency,
                translation_key=key,
                language=language,
                service_slug=key[:8],
                title="خدمت",
                summary="",
                url=f"https://a/{key}/{language}/",
                level="hq",
                delivery="online",
                audience="citizens",
                apply_url=apply_url,
                unavailable=unavailable,
                title_terms="خدمت",
            )
        )
    IndexedService.objects.bulk_create(services_)


def test_measured_figures_count_the_period_only(onboard, period):
    agency = onboard().agency
    _world(agency)
    figures = selectors.measured_figures(agency, period)
    counts = {key: (figure.count, figure.total) for key, figure in figures.items()}
    assert counts == {
        "e02_online_request": (1, 2),
        "e03_receipt": (4, 4),
        "e04_tracking_code": (4, 4),
        "e06_electronic_answer": (1, 3),
        "e07_interaction": (1, 3),
        "e09_feedback": (1, 3),
        "d12_complaints": (1, 2),
    }
    assert (
        figures["e06_electronic_answer"].description
        == "۱ پاسخ از ۳ پاسخ به صورت الکترونیکی تحویل شد"
    )


def test_a_claim_the_figures_contradict_is_flagged_with_the_reason(
    onboard, staff_client, national_admin_client, period
):
    agency = onboard().agency
    _world(agency)
    manager = staff_client(agency, AgencyRole.ADMINISTRATOR)
    url = f"/admin/self-assessment/{period.pk}/"
    manager.post(url, {**every_item(), "status-e09_feedback": ItemStatus.PARTLY, "save": "1"})
    shown = page(manager.get(url))
    reason = (
        "«تحقق کامل» اعلام شده، اما تنها ۳۳٪ پاسخ‌ها به صورت الکترونیکی تحویل شده است "
        "(دست‌کم ۸۰٪ انتظار می‌رود)."
    )
    assert reason in shown
    assert "تنها ۵۰٪ از خدمات منتشرشده" in shown  # online forms: 1 of 2
    # 1 survey for 3 answers (33%) is above the 10% a "met" claim needs: no flag.
    feedback = selectors.measured_figures(agency, period)["e09_feedback"]
    assert selectors.disagreement("e09_feedback", ItemStatus.MET, feedback) is None
    national = page(national_admin_client.get(f"/admin/evaluation/{period.pk}/{agency.slug}/"))
    assert reason in national
    # Its row of the scores per index: measured 33%, declared met (100%), not inspected.
    assert re.search(
        r'href="#item-e06_electronic_answer">[^<]*</a></th>\s*<td>۳۳٪</td><td>۱۰۰٪</td><td>—</td>',
        national,
    )
    rows = {
        row.item.key: row
        for row in selectors.checklist_rows(
            agency, period, SelfAssessment.objects.get(agency=agency)
        )
    }
    assert rows["e03_receipt"].flag is None  # 4 of 4 receipts: "met" agrees
    assert rows["e01_single_window"].flag is None  # not measured
    assert rows["e06_electronic_answer"].flag == reason


def test_the_evaluation_screens_read_each_figure_once_whatever_the_number_of_periods(
    onboard, staff_client, national_admin_client, period
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agency = onboard().agency
    _world(agency)
    manager = staff_client(agency, AgencyRole.ADMINISTRATOR)

    def queries(client, url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    queries(manager, "/admin/self-assessment/")  # what the first request caches
    one_period = len(queries(manager, "/admin/self-assessment/"))
    for year in (1402, 1403):
        for half in (1, 2):
            services.open_period(year, half, actor="test")
    five_periods = queries(manager, "/admin/self-assessment/")
    listing = page(manager.get("/admin/self-assessment/"))

    assert len(five_periods) == one_period  # the cycles of every period in three queries
    assert "نیمهٔ نخست ۱۴۰۲" in listing and "نیمهٔ دوم ۱۴۰۴" in listing
    # The national screen of one agency counts its services once (for the measured
    # figures, the scores per index and the checklist alike).
    national = queries(national_admin_client, f"/admin/evaluation/{period.pk}/{agency.slug}/")
    table = f'"{IndexedService._meta.db_table}"'
    assert sum(table in sql for sql in national) == 1


# --- Inspections -------------------------------------------------------------------------------


def _supervisor(national_client, province, role=NationalRole.PROVINCIAL_SUPERVISOR):
    from django.contrib.auth import get_user_model

    username = f"supervisor-{province}-{role.name.lower()}"
    client = national_client(role, username=username)
    SupervisedProvince.objects.create(
        user=get_user_model().objects.get(username=username), province=province
    )
    return client


def test_a_supervisor_inspects_agencies_of_their_province_only(onboard, national_client, period):
    tehran = onboard(province=Province.TEHRAN).agency
    fars = onboard(province=Province.FARS).agency
    supervisor = _supervisor(national_client, Province.TEHRAN)
    listing = page(supervisor.get(f"/admin/evaluation/?period={period.pk}"))
    assert tehran.name_fa in listing and fars.name_fa not in listing

    url = f"/admin/evaluation/{period.pk}/{tehran.slug}/inspect/"
    data = {
        "visited_on": "۱۴۰۴/۰۸/۱۰",
        "place": "میز خدمت ساختمان مرکزی",
        "summary": "بازدید بی‌اطلاع قبلی",
        "status-d01_space": ItemStatus.MET,
        "status-d02_hours": ItemStatus.NOT_MET,
        "finding-d02_hours": "میز ساعت ۱۲ بسته بود",
        "finding-d03_staff": "بدون وضعیت",
        "photos": [SimpleUploadedFile("نامه.pdf", PDF)],
    }
    refused = supervisor.post(url, data)
    assert refused.status_code == 400
    shown = page(refused)
    assert "«نامه.pdf» عکس JPEG یا PNG نیست." in shown
    assert "برای موردی که دربارهٔ آن نوشته‌اید، یافته را برگزینید." in shown
    assert not Inspection.objects.exists()
    data["photos"] = [SimpleUploadedFile("desk.jpg", JPEG)]
    data["finding-d03_staff"] = ""
    recorded = supervisor.post(url, data)
    assert recorded.status_code == 302
    inspection = Inspection.objects.get()
    assert (inspection.agency, inspection.visited_on) == (tehran, datetime.date(2025, 11, 1))
    assert sorted(inspection.findings.values_list("item_key", "status")) == [
        ("d01_space", "met"),
        ("d02_hours", "not_met"),
    ]
    photo = inspection.photos.get()
    assert (
        supervisor.get(
            f"/admin/evaluation/inspections/{inspection.pk}/photos/{photo.pk}/"
        ).status_code
        == 200
    )

    # Another province's supervisor and inspector: nothing of Tehran's.
    shiraz = _supervisor(national_client, Province.FARS)
    assert shiraz.get(url).status_code == 404
    assert shiraz.post(url, data).status_code == 404
    assert shiraz.get(f"/admin/evaluation/inspections/{inspection.pk}/").status_code == 404
    assert shiraz.get(f"/admin/evaluation/{period.pk}/{tehran.slug}/").status_code == 404
    inspector = _supervisor(national_client, Province.FARS, NationalRole.INSPECTOR)
    assert inspector.get(url).status_code == 404
    assert inspector.get(f"/admin/evaluation/{period.pk}/{fars.slug}/inspect/").status_code == 200
    assert Inspection.objects.count() == 1


def test_the_agency_answers_the_written_result_and_the_cycle_follows(
    onboard, staff_client, national_admin_client, period
):
    agency = onboard().agency
    manager = staff_client(agency, AgencyRole.ADMINISTRATOR, username="manager")
    national_url = f"/admin/evaluation/{period.pk}/{agency.slug}/"

    def steps():
        return [step.done for step in selectors.cycle(agency, period)]

    assert steps() == [False, False, False, False]
    manager.post(f"/admin/self-assessment/{period.pk}/", {**every_item(), "submit": "1"})
    assert steps() == [True, False, False, False]

    national_admin_client.post(
        f"{national_url}inspect/",
        {
            "visited_on": "1404/09/01",
            "status-d02_hours": ItemStatus.PARTLY,
            "finding-d02_hours": "نیمی از روز بسته",
            "status-d13_amenities": ItemStatus.MET,
        },
    )
    inspection = Inspection.objects.get()
    assert steps() == [True, True, False, False]
    # Not issued yet: the agency does not see it.
    agency_url = f"/admin/self-assessment/inspections/{inspection.pk}/"
    assert manager.get(agency_url).status_code == 404
    national_admin_client.post(f"/admin/evaluation/inspections/{inspection.pk}/issue/")
    assert steps() == [True, True, True, False]
    shown = page(manager.get(agency_url))
    assert "نیمی از روز بسته" in shown
    assert "پاسخ به یافته" in shown
    assert "۰ از ۱ یافته پاسخ داده شد" in page(manager.get(f"/admin/self-assessment/{period.pk}/"))

    finding = inspection.findings.get(item_key="d02_hours")
    answer_url = f"{agency_url}findings/{finding.pk}/"
    future = manager.post(
        answer_url,
        {
            f"f{finding.pk}-response": "ساعت کار اصلاح شد",
            f"f{finding.pk}-corrected_on": "1499/01/01",
        },
    )
    assert future.status_code == 400
    answered = manager.post(
        answer_url,
        {
            f"f{finding.pk}-response": "ساعت کار اصلاح شد",
            f"f{finding.pk}-corrected_on": "۱۴۰۴/۰۹/۱۵",
        },
    )
    assert answered.status_code == 302
    finding.refresh_from_db()
    assert finding.corrected_on == datetime.date(2025, 12, 6)
    assert steps() == [True, True, True, True]
    national = page(national_admin_client.get(national_url))
    assert "۱ از ۱ یافته پاسخ داده شد" in national
    assert "ساعت کار اصلاح شد" in page(
        national_admin_client.get(f"/admin/evaluation/inspections/{inspection.pk}/")
    )
    assert "۱ از ۱ یافته پاسخ داده شد" in page(manager.get(f"/admin/self-assessment/{period.pk}/"))

    # Every screen of the cycle speaks Persian (user names are data).
    screens = {
        "agency index": manager.get("/admin/self-assessment/"),
        "agency assessment": manager.get(f"/admin/self-assessment/{period.pk}/"),
        "agency inspection": manager.get(agency_url),
    }
    connection.set_schema_to_public()
    screens.update(
        {
            "national index": national_admin_client.get(f"/admin/evaluation/?period={period.pk}"),
            "national agency": national_admin_client.get(national_url),
            "national inspect": national_admin_client.get(f"{national_url}inspect/"),
            "national inspection": national_admin_client.get(
                f"/admin/evaluation/inspections/{inspection.pk}/"
            ),
        }
    )
    data = {"national", "manager"}
    runs = {
        name: english_runs(response.content.decode(), data) for name, response in screens.items()
    }
    assert runs == dict.fromkeys(screens, [])

    # Another agency's administrator cannot read or answer it.
    other = staff_client(onboard().agency, AgencyRole.ADMINISTRATOR)
    assert other.get(agency_url).status_code == 404
    assert other.post(answer_url, {f"f{finding.pk}-response": "x"}).status_code == 404

    scores = selectors.index_scores(agency, period, selectors.assessment_of(agency, period))
    assert scores.inspected == {"d02_hours": 0.5, "d13_amenities": 1.0}
    assert scores.self_assessed == {item.key: 1.0 for item in ITEMS}
    assert scores.measured == {}  # no requests, complaints or services in this agency


def test_index_scores_leave_out_what_is_not_applicable_or_not_measured(onboard, period):
    agency = onboard().agency
    _world(agency)
    assessment = services.assessment_for(agency, period)
    services.save_assessment(
        assessment,
        {
            "e01_single_window": (ItemStatus.PARTLY, "", []),
            "e02_online_request": (ItemStatus.NOT_MET, "", []),
            "d13_amenities": (ItemStatus.NOT_APPLICABLE, "", []),
        },
        actor="test",
    )
    scores = selectors.index_scores(agency, period, selectors.assessment_of(agency, period))
    assert scores.self_assessed == {"e01_single_window": 0.5, "e02_online_request": 0.0}
    assert scores.measured == {
        "e02_online_request": 0.5,
        "e03_receipt": 1.0,
        "e04_tracking_code": 1.0,
        "e06_electronic_answer": pytest.approx(1 / 3),
        "e07_interaction": pytest.approx(1 / 3),
        "e09_feedback": pytest.approx(1 / 3),
        "d12_complaints": 0.5,
    }
    assert scores.inspected == {}


def test_whatever_is_typed_the_evaluation_screens_never_answer_5xx(
    onboard, staff_client, national_admin_client, period
):
    agency = onboard().agency
    manager = staff_client(agency, AgencyRole.ADMINISTRATOR)
    url = f"/admin/self-assessment/{period.pk}/"
    bad = manager.post(
        url, {**every_item(), "status-e01_single_window": "best", "note-d01_space": "x" * 3000}
    )
    assert bad.status_code == 400
    assert "best از گزینه‌های موجود نیست" in page(bad)
    assert not SelfAssessment.objects.filter(agency=agency).exists()
    huge = "9" * 30
    for path in (
        f"/admin/self-assessment/{huge}/",
        "/admin/self-assessment/999999999999999999/",
        "/admin/self-assessment/evidence/999999999999999999/",
        "/admin/self-assessment/inspections/999999999999999999/",
    ):
        assert manager.get(path).status_code == 404, path
    connection.set_schema_to_public()
    for value in ("abc", "-1", "۱۲", huge, "'"):
        response = national_admin_client.get(
            "/admin/evaluation/", {"period": value, "province": value, "p": value}
        )
        assert response.status_code == 200, value
    assert (
        national_admin_client.get(f"/admin/evaluation/{period.pk}/no-such-agency/").status_code
        == 404
    )
    inspect = national_admin_client.post(
        f"/admin/evaluation/{period.pk}/{agency.slug}/inspect/",
        {"visited_on": "1404/13/40", "status-d01_space": "met"},
    )
    assert inspect.status_code == 400
    assert "چنین تاریخی در تقویم وجود ندارد." in page(inspect)
    nothing = national_admin_client.post(
        f"/admin/evaluation/{period.pk}/{agency.slug}/inspect/", {"visited_on": "1404/08/01"}
    )
    assert nothing.status_code == 400
    assert "دست‌کم برای یک مورد یافته ثبت کنید." in page(nothing)
    assert not Inspection.objects.exists()
