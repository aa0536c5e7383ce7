"""The demo that `make run` seeds: six agencies with full catalogues, a user for every role,
and requests in every status with a history; a second seed changes nothing."""

import json
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.functional import empty
from django_tenants.utils import schema_context

from catalog_pages.catalog_format.validation import parse, validate
from catalog_pages.models import ServicePage
from complaints.constants import ComplaintKind, ComplaintStatus
from complaints.models import Complaint, ComplaintChange, ComplaintFile
from console.demo import ROLE_USERS, SUPERVISOR, catalogue_files, seed_demo
from notifications.constants import InboundStatus, SmsEvent, SmsStatus
from notifications.models import InboundSms, SandboxSms, SmsMessage, SmsTemplate
from persian.validators import is_valid_national_id
from service_requests.constants import ChangeKind, RequestStatus, Sender
from service_requests.models import (
    RequestMessage,
    ResponseDocument,
    ServiceRequest,
    StatusChange,
)
from service_requests.storage import private_storage
from tenants.constants import AgencyRole
from tenants.models import Agency

TOPICS = {
    "identity-civil",
    "health",
    "education",
    "business",
    "housing-construction",
    "transport-vehicles",
    "employment-insurance",
    "taxes-finance",
    "justice-police",
    "welfare",
    "agriculture",
    "utilities",
    "municipal-services",
}
LIFE_EVENTS = {
    "birth",
    "marriage",
    "death",
    "starting-school",
    "military-service",
    "first-job",
    "starting-business",
    "buying-home",
    "buying-vehicle",
    "retirement",
    "moving-home",
    "travel-abroad",
}
PASSWORD = settings.DEMO_ADMIN_PASSWORD
ADMIN = settings.DEMO_ADMIN_USERNAME


def test_every_demo_catalogue_is_valid_and_complete():
    files = catalogue_files()
    assert len(files) >= 6
    codes = []
    for path in files:
        data, problems = parse(path.read_bytes())
        assert not problems, (path.name, problems)
        errors, warnings = validate(data)
        assert (errors, warnings) == ([], []), path.name
        assert len(data["services"]) >= 8, path.name
        for service in data["services"]:
            where = f"{path.name}: {service['slug']}"
            assert service["title"].get("en"), where
            assert set(service["topics"]) <= TOPICS and service["topics"], where
            assert set(service.get("life_events", [])) <= LIFE_EVENTS, where
            for part in ("steps", "laws", "faqs", "inquiries", "fees", "documents"):
                assert part in service, (where, part)
            for part in ("steps", "laws", "faqs", "inquiries"):
                assert service[part], (where, part)
            codes.append(service["registry_code"])
    assert len(codes) == len(set(codes)), "registry codes are unique"


class Echo:
    def write(self, line):
        print(line)


def _counts() -> dict:
    counts = {
        "agencies": Agency.objects.count(),
        "requests": ServiceRequest.objects.count(),
        "history": StatusChange.objects.count(),
        "messages": RequestMessage.objects.count(),
        "answers": ResponseDocument.objects.count(),
        "sms": SmsMessage.objects.count(),
        "sms_statuses": sorted(SmsMessage.objects.values_list("pk", "status")),
        "complaints": sorted(Complaint.objects.values_list("code", "status", "filed_at", "due_on")),
        "complaint_history": ComplaintChange.objects.count(),
        "inbound": InboundSms.objects.count(),
        "sandbox": SandboxSms.objects.count(),
        "sms_templates": sorted(
            SmsTemplate.objects.values_list("event", "agency_schema", "version")
        ),
        "request_dates": sorted(
            ServiceRequest.objects.values_list("submitted_at", "promised_on", "status")
        ),
    }
    from compliance.models import ServiceCompliance
    from evaluation.models import (
        EvaluationPeriod,
        Evidence,
        Finding,
        Inspection,
        InspectionPhoto,
        SelfAssessment,
    )

    counts["evaluation"] = (
        sorted(EvaluationPeriod.objects.values_list("year", "half")),
        list(
            SelfAssessment.objects.order_by("pk").values_list("agency_id", "status", "submitted_at")
        ),
        Evidence.objects.count(),
        list(Inspection.objects.order_by("pk").values_list("agency_id", "inspector", "issued_at")),
        list(Finding.objects.order_by("pk").values_list("item_key", "status", "responded_at")),
        InspectionPhoto.objects.count(),
    )
    counts["compliance"] = sorted(
        ServiceCompliance.objects.values_list("agency_id", "translation_key", "score")
    )
    from django.contrib.auth import get_user_model

    for agency in Agency.objects.exclude(schema_name="public"):
        with schema_context(agency.schema_name):
            counts[agency.slug] = (
                ServicePage.objects.live().count(),
                get_user_model().objects.count(),
            )
    with schema_context("public"):
        counts["national_users"] = get_user_model().objects.count()
    return counts


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded twice in one transaction, rolled back after this module's tests."""
    assert connection.settings_dict["NAME"].startswith("test_"), "never the real database"
    with (
        django_db_blocker.unblock(),
        override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private")),
    ):
        private_storage._wrapped = empty
        with transaction.atomic():
            started = time.monotonic()
            first = seed_demo(admin_username=ADMIN, admin_password=PASSWORD, stdout=Echo())
            first_seconds = time.monotonic() - started
            before = _counts()
            started = time.monotonic()
            second = seed_demo(admin_username=ADMIN, admin_password=PASSWORD, stdout=Echo())
            second_seconds = time.monotonic() - started
            after = _counts()
            print(f"\ndemo seeded in {first_seconds:.1f} s, again in {second_seconds:.1f} s")
            yield {
                "first": first,
                "second": second,
                "before": before,
                "after": after,
                "times": (first_seconds, second_seconds),
            }
            connection.set_schema_to_public()
            transaction.set_rollback(True)
        private_storage._wrapped = empty


def test_six_agencies_of_five_kinds_with_complete_services(demo, db):
    agencies = demo["first"].agencies
    assert len(agencies) >= 6
    assert len({agency.kind for agency in agencies}) >= 5
    provincial = [agency for agency in agencies if agency.kind == "provincial_office"]
    assert provincial and provincial[0].parent.kind == "ministry"
    seen = {"delivery": set(), "level": set(), "audience": set(), "free": set()}
    for agency in agencies:
        with schema_context(agency.schema_name):
            pages = list(ServicePage.objects.live().filter(locale__language_code="fa").specific())
            assert len(pages) >= 8, agency.slug
            for page in pages:
                where = f"{agency.slug}/{page.slug}"
                assert page.package_gaps() == [], where
                for relation in ("steps", "laws", "faqs", "inquiries"):
                    assert getattr(page, relation).exists(), (where, relation)
                assert page.registry_code and page.topics, where
                if page.accepts_online_requests:
                    assert (
                        page.form_fields.exists()
                        and page.documents.exists()
                        or (page.no_documents_required)
                    ), where
                assert page.get_translations().filter(locale__language_code="en").exists()
                seen["delivery"].add(page.delivery)
                seen["level"].add(page.level)
                seen["audience"].add(page.audience)
                seen["free"].add(page.is_free)
            assert any(step.in_person for page in pages for step in page.steps.all())
    assert seen == {
        "delivery": {"full", "partial", "in_person"},
        "level": {"hq", "field"},
        "audience": {"citizen", "business", "government_staff"},
        "free": {True, False},
    }


def test_requests_in_every_status_with_a_conversation_and_a_history(demo, db):
    requests = ServiceRequest.objects.all()
    for agency in demo["first"].agencies:
        statuses = set(requests.filter(agency=agency).values_list("status", flat=True))
        assert statuses == set(RequestStatus.values), agency.slug
    for request in requests:
        assert is_valid_national_id(request.national_id), request.data
        assert request.mobile.startswith("09") and len(request.mobile) == 11
        assert request.data["full_name"]
    with_documents = requests.filter(documents__isnull=False).distinct().count()
    assert with_documents >= 0.8 * requests.count()
    senders = set(RequestMessage.objects.values_list("sender", flat=True))
    assert senders == {Sender.CITIZEN, Sender.AGENCY}
    assert RequestMessage.objects.filter(attachments__isnull=False).exists()
    answered = requests.filter(status__in=[RequestStatus.ANSWERED, RequestStatus.CLOSED])
    assert all(ResponseDocument.objects.filter(request=r).exists() for r in answered)
    assert StatusChange.objects.filter(kind=ChangeKind.EXTENSION).exists()
    assert StatusChange.objects.filter(kind=ChangeKind.STEP, visit_at__isnull=False).exists()
    assert (
        requests.filter(status=RequestStatus.INCOMPLETE, paused_since__isnull=False).count()
        == requests.filter(status=RequestStatus.INCOMPLETE).count()
    )
    assert requests.filter(status=RequestStatus.REJECTED, history__note__contains="شرایط").exists()
    # A history over the last weeks, some of it overdue.
    now = timezone.now()
    oldest = requests.order_by("submitted_at").first().submitted_at
    assert (now - oldest).days >= 28
    assert requests.filter(submitted_at__gte=now - timezone.timedelta(days=1)).exists()
    assert requests.filter(
        status__in=[RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS],
        promised_on__lt=timezone.localdate(),
    ).exists()
    for change in StatusChange.objects.all():
        assert change.at <= now
    # Every step the citizen hears of is in the SMS outbox, to be sent by the job worker.
    assert SmsMessage.objects.count() >= StatusChange.objects.filter(kind=ChangeKind.STATUS).count()
    complaint_events = [e for e in SmsEvent.values if e.startswith("complaint_")]
    assert (
        not SmsMessage.objects.filter(request__isnull=True)
        .exclude(event__in=complaint_events)
        .exists()
    )
    # The reports' times follow the dated history (not the moment the demo was seeded).
    for request in answered:
        assert request.accepted_at <= request.answered_at < now, request.tracking_code
        answer = request.history.filter(to_status=RequestStatus.ANSWERED).first()
        assert request.answered_at == answer.at, request.tracking_code
        assert request.answer_days is not None and request.promised_days is not None
    assert not requests.filter(status=RequestStatus.REJECTED, rejected_at__isnull=True).exists()
    # Each agency's closed request was rated: its survey results are not empty.
    from surveys.models import SurveyResponse

    for agency in demo["first"].agencies:
        assert SurveyResponse.objects.filter(agency=agency).exists(), agency.slug


def test_every_role_logs_in_to_its_agency_admin(demo, db, client_for):
    agencies = demo["first"].agencies
    for agency in agencies[:2]:
        with schema_context(agency.schema_name):
            codes = list(
                ServiceRequest.objects.filter(agency=agency).values_list("tracking_code", flat=True)
            )
        for role, username in ROLE_USERS.items():
            client = client_for(agency.hostname)
            with schema_context(agency.schema_name):
                assert client.login(username=username, password=PASSWORD), (agency, username)
            assert client.get("/admin/").status_code == 200, (agency.slug, username)
            inbox = client.get("/admin/requests/")
            if role == AgencyRole.REQUEST_CLERK:
                html = inbox.content.decode()
                assert inbox.status_code == 200
                assert sum(code in html for code in codes) >= 5
            else:
                assert inbox.status_code in (302, 403, 404), (agency.slug, username)
    for username in (ADMIN, SUPERVISOR):
        client = client_for(settings.BASE_DOMAIN)
        with schema_context("public"):
            assert client.login(username=username, password=PASSWORD)
        assert client.get("/admin/").status_code == 200
    table = demo["first"].users
    assert {user for _where, user, _roles in table} >= {ADMIN, SUPERVISOR, *ROLE_USERS.values()}


def test_a_second_seed_changes_nothing_and_is_quick(demo, db):
    assert demo["second"].requests_made == 0
    assert not demo["second"].changed  # every catalogue re-imported as "unchanged"
    assert demo["after"] == demo["before"]
    first, second = demo["times"]
    assert second < first / 2
    print(json.dumps({"first_seed_s": round(first, 1), "second_seed_s": round(second, 1)}))


@pytest.mark.django_db
def test_the_demo_is_never_seeded_where_its_sms_would_reach_real_phones(monkeypatch):
    from django.core.management import CommandError, call_command

    before = (Agency.objects.count(), SmsMessage.objects.count())
    with override_settings(SMS_GATEWAY="notifications.gateways.KavenegarGateway"):
        with pytest.raises(CommandError, match="Kavenegar"):
            call_command("seed_demo")
    monkeypatch.setenv("DATABASE_URL", "postgres://elsewhere/panjereh")
    with pytest.raises(CommandError, match="--on-database-url"):
        call_command("seed_demo")
    assert (Agency.objects.count(), SmsMessage.objects.count()) == before


def test_complaints_in_every_status_with_their_history_and_texts(demo, db):
    today = timezone.localdate()
    now = timezone.now()
    for agency in demo["first"].agencies:
        complaints = Complaint.objects.filter(agency=agency)
        assert set(complaints.values_list("status", flat=True)) == set(ComplaintStatus.values)
        assert set(complaints.values_list("kind", flat=True)) == set(ComplaintKind.values)
        for complaint in complaints:
            history = list(complaint.history.order_by("at", "pk"))
            assert history[0].at == complaint.filed_at <= now
            assert [c.to_status for c in history][-1] == complaint.status
            assert all(c.at <= now for c in history)
            # Every step the citizen hears of was texted, from the complaint's templates.
            texts = SmsMessage.objects.filter(
                mobile=complaint.mobile, event__startswith="complaint_"
            )
            assert texts.count() >= len(history), complaint.code
            assert all(complaint.code in sms.text for sms in texts)
        answered = complaints.get(status=ComplaintStatus.ANSWERED)
        assert answered.answer and answered.answered_by == "complaints"
        escalated = complaints.get(status=ComplaintStatus.ESCALATED)
        assert (
            escalated.due_on
            < today
            < timezone.localdate(escalated.escalated_at) + timezone.timedelta(days=60)
        )
        assert timezone.localdate(escalated.escalated_at) > escalated.due_on
        assert escalated.history.filter(to_status=ComplaintStatus.ESCALATED, actor="system")
        objection = complaints.get(kind=ComplaintKind.OBJECTION)
        assert objection.request.status == RequestStatus.REJECTED
        assert objection.mobile == objection.request.mobile
        for open_one in complaints.filter(status__in=["received", "in_review"]):
            assert open_one.due_on >= today  # the periodic job does not escalate them yet
        assert ComplaintFile.objects.filter(complaint__agency=agency, party="citizen").exists()
    filed = Complaint.objects.order_by("filed_at")
    assert (now - filed.first().filed_at).days >= 25
    assert (now - filed.last().filed_at).days <= 1


def test_sms_in_every_delivery_status_as_the_outbox_shows_them(demo, db):
    from procrastinate.contrib.django.models import ProcrastinateJob

    statuses = set(SmsMessage.objects.values_list("status", flat=True))
    assert statuses >= {"queued", "sent", "delivered", "undeliverable", "failed"}
    for agency in demo["first"].agencies:
        ours = SmsMessage.objects.filter(request__agency=agency)
        assert ours.filter(status=SmsStatus.DELIVERED).exists(), agency.slug
    # What the sandbox "sent" is on its phone, one copy per local id.
    reached = SmsMessage.objects.filter(status__in=["sent", "delivered", "undeliverable"])
    assert SandboxSms.objects.count() == reached.count()
    for sms in reached[:20]:
        copy = SandboxSms.objects.get(local_id=sms.local_id)
        assert sms.provider_id == f"sandbox-{copy.pk}" and copy.text == sms.text
    # A given-up text is not sent by the worker later; a waiting one waits for its retry.
    failed = SmsMessage.objects.filter(status=SmsStatus.FAILED)
    assert all(sms.last_error for sms in failed)
    todo = ProcrastinateJob.objects.filter(status="todo", task_name__endswith="send_sms")
    locks = set(todo.values_list("lock", flat=True))
    assert not locks & {f"sms:{sms.pk}" for sms in failed}
    waiting = SmsMessage.objects.filter(status=SmsStatus.QUEUED)
    assert {f"sms:{sms.pk}" for sms in waiting} <= locks
    assert todo.filter(scheduled_at__gt=timezone.now()).exists()


def _logged_in(client_for, host, schema, username):
    client = client_for(host)
    with schema_context(schema):
        assert client.login(username=username, password=PASSWORD), (host, username)
    return client


def test_every_new_screen_has_rows_to_show(demo, db, client_for):
    agencies = demo["first"].agencies
    for agency in agencies:
        codes = list(Complaint.objects.filter(agency=agency).values_list("code", flat=True))
        client = _logged_in(client_for, agency.hostname, agency.schema_name, "complaints")
        html = client.get("/admin/complaints/").content.decode()
        assert sum(code in html for code in codes) == len(codes), agency.slug
        escalated = Complaint.objects.get(agency=agency, status=ComplaintStatus.ESCALATED)
        detail = client.get(f"/admin/complaints/{escalated.code}/")
        assert detail.status_code == 200 and escalated.text[:30] in detail.content.decode()
    national = _logged_in(client_for, settings.BASE_DOMAIN, "public", ADMIN)
    html = national.get("/admin/escalated-complaints/").content.decode()
    escalated = Complaint.objects.filter(status=ComplaintStatus.ESCALATED)
    assert escalated.count() >= len(agencies)
    assert all(complaint.code in html for complaint in escalated)
    # SMS received: the citizen's reply joined its request; the others are kept.
    inbound = InboundSms.objects.all()
    assert set(inbound.values_list("status", flat=True)) == {
        InboundStatus.MATCHED,
        InboundStatus.UNMATCHED,
    }
    matched = inbound.get(status=InboundStatus.MATCHED)
    assert RequestMessage.objects.filter(
        request=matched.request, sender=Sender.CITIZEN, body=matched.text
    ).exists()
    html = national.get("/admin/sms_received/").content.decode()
    assert all(sender in html for sender in inbound.values_list("sender", flat=True))
    html = national.get("/admin/sandbox_phone/").content.decode()
    assert SandboxSms.objects.exists() and SandboxSms.objects.first().mobile in html
    html = national.get("/admin/sms_outbox/?status=failed").content.decode()
    assert SmsMessage.objects.filter(status=SmsStatus.FAILED).first().mobile in html
    # One agency has its own text of the "received" SMS; its requests were written from it.
    tamin = next(agency for agency in agencies if agency.slug == "tamin")
    own = SmsTemplate.objects.get(agency_schema=tamin.schema_name, event=SmsEvent.SUBMITTED)
    assert own.updated_by == "manager"
    manager = _logged_in(client_for, tamin.hostname, tamin.schema_name, "manager")
    html = manager.get("/admin/agency-sms-texts/").content.decode()
    assert "تأمین اجتماعی: درخواست" in html
    received = SmsMessage.objects.filter(request__agency=tamin, event=SmsEvent.SUBMITTED)
    assert received.exists()
    assert all(sms.template_version.template_id == own.pk for sms in received)
    assert all(sms.text.startswith("تأمین اجتماعی:") for sms in received)


def test_requests_are_spread_over_hq_and_field_units_in_several_provinces(demo, db):
    from catalog_pages.units import Unit
    from console.models import DeskRepresentative
    from service_requests.models import ServiceRequest
    from tenants.models import SupervisedProvince

    for agency in demo["first"].agencies:
        with schema_context(agency.schema_name):
            units = list(Unit.objects.all())
            delivered = ServicePage.objects.filter(units__isnull=False).distinct().count()
        assert len(units) >= 2, agency.slug
        assert any(unit.level == "hq" for unit in units), agency.slug
        assert delivered >= 2, agency.slug
    placed = ServiceRequest.objects.exclude(unit_id=None)
    assert placed.values("agency", "unit_id").distinct().count() >= 12
    assert placed.values("province").distinct().count() >= 5
    assert set(placed.values_list("level", flat=True)) == {"hq", "field"}
    assert DeskRepresentative.objects.count() == len(demo["first"].agencies)
    overdue = [row for row in DeskRepresentative.objects.all() if row.is_overdue()]
    assert len(overdue) == 1
    assert SupervisedProvince.objects.filter(user__username="supervisor", province="fars").exists()


def test_the_national_administration_screens_have_demo_rows(demo, db, client_for):
    """Reports, the ranking, package compliance and the evaluation, as their users see them."""
    from django.utils import translation
    from django.utils.translation import gettext

    from compliance.models import ServiceCompliance
    from console.demo import INSPECTOR
    from evaluation import ranking, selectors
    from evaluation.constants import AssessmentStatus, Component
    from evaluation.models import EvaluationPeriod, Evidence, Finding, Inspection, SelfAssessment
    from evaluation.periods import half_of

    agencies = {agency.slug: agency for agency in demo["first"].agencies}
    year, half = half_of(timezone.localdate())
    current = EvaluationPeriod.objects.get(year=year, half=half)
    assert EvaluationPeriod.objects.filter(
        year=year if half == 2 else year - 1, half=1 if half == 2 else 2
    ).exists()
    with translation.override("fa"):
        empty_states = {
            key: gettext(text)
            for key, text in {
                "reports": "No requests in this period.",
                "ranking": "No agency to rank.",
                "agencies": "No agency to show.",
                "inspections": "No inspection in this period yet.",
                "issued": "No inspection result has been sent to the agency yet.",
                "flag": "Disagrees with the measured figure",
            }.items()
        }
    national = _logged_in(client_for, settings.BASE_DOMAIN, "public", ADMIN)

    # The reports' dashboard: every agency with its figures from the backdated requests.
    html = national.get("/admin/national-reports/").content.decode()
    assert empty_states["reports"] not in html
    assert sum(agency.name_fa in html for agency in agencies.values()) >= 5

    # The ranking: several agencies scored on all four components.
    html = national.get("/admin/evaluation/ranking/").content.decode()
    assert empty_states["ranking"] not in html
    assert all(agency.name_fa in html for agency in agencies.values())
    scores = ranking.scores_for(list(agencies.values()), ranking.running_span(current))
    complete = [score for score in scores if not score.missing]
    assert len(complete) >= 3, [(s.agency.slug, [p.component for p in s.missing]) for s in scores]
    tamin = next(score for score in scores if score.agency.slug == "tamin")
    html = national.get("/admin/evaluation/ranking/agency/tamin/?scope=running").content.decode()
    assert tamin.score_text in html
    for component in Component:
        assert tamin.part(component).value_text in html

    # Package compliance: a row for every live service of every agency.
    html = national.get("/admin/compliance/").content.decode()
    assert all(
        ServiceCompliance.objects.filter(agency=agency).count() >= 8 for agency in agencies.values()
    )
    assert sum(agency.name_fa in html for agency in agencies.values()) >= 5

    # The evaluation: self-assessments submitted, one draft, one contradicted by the figures.
    assessments = SelfAssessment.objects.filter(period=current)
    assert assessments.filter(status=AssessmentStatus.SUBMITTED).count() >= 3
    assert assessments.get(agency=agencies["shiraz"]).status == AssessmentStatus.DRAFT
    assert not assessments.filter(agency=agencies["nigc"]).exists()
    assert (
        Evidence.objects.filter(answer__assessment__period=current).count() == assessments.count()
    )
    html = national.get("/admin/evaluation/").content.decode()
    assert empty_states["agencies"] not in html
    assert all(agency.name_fa in html for agency in agencies.values())
    contradicted = national.get(f"/admin/evaluation/{current.pk}/khorasan-labour/")
    html = contradicted.content.decode()
    assert contradicted.status_code == 200 and empty_states["flag"] in html
    assert empty_states["inspections"] not in html
    agreeing = national.get(f"/admin/evaluation/{current.pk}/mcls/").content.decode()
    assert empty_states["flag"] not in agreeing

    # Inspections by the supervisor (Fars) and the inspector (Razavi Khorasan), each in theirs.
    inspections = Inspection.objects.filter(period=current, issued_at__isnull=False)
    assert {i.agency.slug for i in inspections} == {"mcls", "tamin", "khorasan-labour", "shiraz"}
    assert all(i.photos.count() == 1 and i.findings.count() >= 8 for i in inspections)
    for username, slug, other in (
        (SUPERVISOR, "shiraz", "mcls"),
        (INSPECTOR, "khorasan-labour", "tamin"),
    ):
        client = _logged_in(client_for, settings.BASE_DOMAIN, "public", username)
        mine = inspections.get(agency__slug=slug)
        assert mine.inspector == username
        page = client.get(f"/admin/evaluation/inspections/{mine.pk}/")
        assert page.status_code == 200 and mine.findings.first().text in page.content.decode()
        theirs = inspections.get(agency__slug=other)
        assert client.get(f"/admin/evaluation/inspections/{theirs.pk}/").status_code == 404
        html = client.get("/admin/evaluation/").content.decode()
        assert agencies[slug].name_fa in html and agencies[other].name_fa not in html

    # In the agency's admin: its self-assessment, the inspection's result and its answers.
    agency = agencies["tamin"]
    manager = _logged_in(client_for, agency.hostname, agency.schema_name, "manager")
    html = manager.get("/admin/self-assessment/").content.decode()
    assert empty_states["issued"] not in html
    page = manager.get(f"/admin/self-assessment/{current.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "بسته اطلاعات خدمات.pdf" in html
    inspection = inspections.get(agency=agency)
    html = manager.get(f"/admin/self-assessment/inspections/{inspection.pk}/").content.decode()
    answered = Finding.objects.filter(inspection=inspection, responded_at__isnull=False)
    assert answered.exists() and answered.first().response in html
    assert selectors.finding_rows(inspection)
