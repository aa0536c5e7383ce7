"""The demo's evaluation: periods, self-assessments, inspections and the agencies' answers.

The current and the previous Jalali half-year are opened. Every demo agency but the last
fills in the current period's self-assessment against the whole checklist, with a PDF
as evidence for its information packages; all but one submit it (the one left is a
draft), and one claims "met" for everything the platform measures, so the measured
figures contradict it and the national screen flags the disagreement. Four agencies are
inspected (by the national administrator, the provincial supervisor in Fars and the
inspector in Razavi Khorasan), each inspection with its findings and a photo, its written
result issued; one agency answered its findings. So the ranking has all four components
for several agencies. Everything goes through ``evaluation.services`` and is written once:
a second run changes nothing.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from evaluation import periods, selectors
from evaluation import services as evaluation
from evaluation.constants import ITEMS, THRESHOLDS, ItemStatus
from evaluation.models import Finding, Inspection
from tenants.schemas import in_public_schema

from .demo_requests import image_bytes, pdf_bytes, upload_for

# Agencies by slug: who inspects them (a national user name is filled in by the caller).
INSPECTED = {
    "mcls": "admin",
    "tamin": "admin",
    "khorasan-labour": "inspector",
    "shiraz": "supervisor",
}
DRAFT = "shiraz"  # its self-assessment is still being filled in
CONTRADICTED = "khorasan-labour"  # claims "met" where the figures say otherwise
ANSWERED = "tamin"  # answered its inspection's findings
NOT_ASSESSED = "nigc"  # has not started its self-assessment

EVIDENCE_ITEM = "e08_information_package"
NOTES = {
    ItemStatus.MET: "در همه خدمات دستگاه اجرا شده است.",
    ItemStatus.PARTLY: "در بخشی از خدمات اجرا شده و بقیه در برنامه سال جاری است.",
    ItemStatus.NOT_MET: "هنوز اجرا نشده است؛ اعتبار آن در بودجه سال آینده پیش‌بینی شده.",
    ItemStatus.NOT_APPLICABLE: "این دستگاه خدمت حضوری مرتبط ندارد.",
}
FINDINGS = {
    ItemStatus.MET: "در بازدید مشاهده شد و مطابق دستورالعمل است.",
    ItemStatus.PARTLY: "تا حدودی رعایت شده است؛ تابلوی راهنما ناقص بود.",
    ItemStatus.NOT_MET: "در زمان بازدید رعایت نشده بود؛ اصلاح آن ظرف یک ماه لازم است.",
}
# What an inspector looks at in a visit to the in-person desk (and two e-desk items).
INSPECTED_ITEMS = (
    "d01_space",
    "d02_hours",
    "d03_staff",
    "d04_guidance",
    "d05_intake",
    "d08_no_referral",
    "d10_rules_displayed",
    "d12_complaints",
    "e04_tracking_code",
    "e08_information_package",
)


def previous_half(year: int, half: int) -> tuple[int, int]:
    return (year, 1) if half == 2 else (year - 1, 2)


def seed_periods(actor: str):
    """The current and the previous half-year; returns (current, previous, created?)."""
    year, half = periods.half_of(timezone.localdate())
    current, made = evaluation.open_period(year, half, actor=actor)
    previous, made_before = evaluation.open_period(*previous_half(year, half), actor=actor)
    return current, previous, made or made_before


def _statuses(agency, period) -> dict[str, str]:
    """An answer for every item: what the measured figures bear out (the contradicted
    agency claims "met" for all of them), the others mostly met."""
    rng = random.Random(f"evaluation:{agency.slug}")  # noqa: S311 (demo data)
    figures = selectors.measured_figures(agency, period)
    statuses = {}
    for item in ITEMS:
        figure = figures.get(item.key)
        if agency.slug == CONTRADICTED and item.key in THRESHOLDS:
            statuses[item.key] = ItemStatus.MET
        elif figure is not None and figure.share is not None:
            statuses[item.key] = next(
                status
                for status in (ItemStatus.MET, ItemStatus.PARTLY, ItemStatus.NOT_MET)
                if selectors.disagreement(item.key, status, figure) is None
            )
        elif item.key == "d11_appointments" and rng.random() < 0.5:
            statuses[item.key] = ItemStatus.NOT_APPLICABLE
        else:
            statuses[item.key] = rng.choices(
                [ItemStatus.MET, ItemStatus.PARTLY, ItemStatus.NOT_MET], weights=[6, 3, 1]
            )[0]
    return statuses


def seed_assessment(agency, period, *, actor: str) -> bool:
    """The agency's self-assessment of ``period`` with one evidence file (once)."""
    if agency.slug == NOT_ASSESSED:
        return False
    found = selectors.assessment_of(agency, period)
    if found is not None and found.answers.exists():
        return False
    assessment = evaluation.assessment_for(agency, period)
    evidence = pdf_bytes(f"{agency.name_fa}: بسته اطلاعات خدمات")
    answers = {
        key: (
            status,
            NOTES[status],
            [upload_for("بسته اطلاعات خدمات.pdf", evidence, "pdf")] if key == EVIDENCE_ITEM else [],
        )
        for key, status in _statuses(agency, period).items()
    }
    assessment = evaluation.save_assessment(assessment, answers, actor=actor)
    if agency.slug != DRAFT:
        evaluation.submit_assessment(assessment, actor=actor)
    return True


def seed_inspection(agency, period, *, inspector, index: int) -> bool:
    """A visit to the agency's desk, its written result issued; one agency answered."""
    changed = False
    username = inspector.get_username()
    inspection = Inspection.objects.filter(agency=agency, period=period, inspector=username).first()
    if inspection is None:
        rng = random.Random(f"inspection:{agency.slug}")  # noqa: S311 (demo data)
        findings = {
            key: (status, FINDINGS[status])
            for key in INSPECTED_ITEMS
            for status in [
                rng.choices(
                    [ItemStatus.MET, ItemStatus.PARTLY, ItemStatus.NOT_MET], weights=[5, 3, 2]
                )[0]
            ]
        }
        findings["d10_rules_displayed"] = (ItemStatus.NOT_MET, FINDINGS[ItemStatus.NOT_MET])
        photo = image_bytes("png", seed=index + 7)
        visited_on = max(
            period.starts_on, timezone.localdate() - datetime.timedelta(days=9 + index)
        )
        inspection = evaluation.record_inspection(
            agency=agency,
            period=period,
            visited_on=visited_on,
            place=f"میز خدمت حضوری {agency.name_fa}",
            summary="بازدید سرزده از میز خدمت حضوری در ساعت اداری؛ با مسئول میز گفت‌وگو شد.",
            findings=findings,
            photos=[upload_for("میز خدمت.png", photo, "png")],
            inspector=username,
            inspector_name=inspector.get_full_name() or username,
        )
        changed = True
    if inspection.issued_at is None:
        inspection = evaluation.issue_result(inspection)
        changed = True
    if agency.slug == ANSWERED:
        to_answer = Finding.objects.filter(
            inspection=inspection,
            status__in=[ItemStatus.PARTLY, ItemStatus.NOT_MET],
            responded_at__isnull=True,
        )
        for finding in to_answer:
            evaluation.answer_finding(
                finding,
                response="اصلاح شد: تابلوی قوانین و راهنمای خدمات در سالن انتظار نصب شد.",
                corrected_on=timezone.localdate() - datetime.timedelta(days=2),
                actor="manager",
            )
            changed = True
    return changed


def seed_evaluation(agencies, *, admin_username: str) -> bool:
    """The periods, self-assessments and inspections of the demo agencies (once)."""
    with in_public_schema():
        current, _previous, changed = seed_periods(admin_username)
        users = get_user_model().objects
        for index, agency in enumerate(agencies):
            changed |= seed_assessment(agency, current, actor="manager")
            who = INSPECTED.get(agency.slug)
            if who is not None:
                inspector = users.get(username=admin_username if who == "admin" else who)
                changed |= seed_inspection(agency, current, inspector=inspector, index=index)
    return changed
