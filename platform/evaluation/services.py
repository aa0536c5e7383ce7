"""Writes of the evaluation: periods, self-assessments, inspections and the agency's answers.

Every function is atomic and is the only way its rows change (views, jobs and
commands call these). Files are written to private storage inside the transaction
and removed again if it fails.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from persian.dates import to_persian_digits
from service_requests.storage import private_storage, removing_files_on_failure, save_private

from . import periods
from .constants import ITEMS_BY_KEY, MAX_EVIDENCE_PER_ITEM, MAX_PHOTOS, AssessmentStatus
from .models import (
    AssessmentAnswer,
    EvaluationPeriod,
    Evidence,
    Finding,
    Inspection,
    InspectionPhoto,
    SelfAssessment,
)


class EvaluationError(ValueError):
    """The step is not possible now; the message says why (in Persian)."""


# --- Periods ----------------------------------------------------------------------------------


def open_period(year: int, half: int, *, actor: str) -> tuple[EvaluationPeriod, bool]:
    """The period of that Jalali half-year, created if it did not exist (idempotent)."""
    starts_on, ends_on = periods.bounds(year, half)
    try:
        with transaction.atomic():
            return EvaluationPeriod.objects.get_or_create(
                year=year,
                half=half,
                defaults={"starts_on": starts_on, "ends_on": ends_on, "created_by": actor},
            )
    except IntegrityError:  # created at the same moment by someone else
        return EvaluationPeriod.objects.get(year=year, half=half), False


def open_current_period(*, actor: str = "system") -> tuple[EvaluationPeriod, bool]:
    """Today's half-year (the periodic job and the agency's screen both call this)."""
    return open_period(*periods.half_of(timezone.localdate()), actor=actor)


# --- Self-assessment --------------------------------------------------------------------------


def assessment_for(agency, period) -> SelfAssessment:
    """The agency's self-assessment of ``period``, started (empty) if there is none yet."""
    try:
        with transaction.atomic():
            found, _created = SelfAssessment.objects.get_or_create(agency=agency, period=period)
    except IntegrityError:
        found = SelfAssessment.objects.get(agency=agency, period=period)
    return found


def save_assessment(
    assessment: SelfAssessment, answers: dict, *, actor: str, remove_evidence=()
) -> SelfAssessment:
    """Record the agency's answers: ``{item key: (status, note, [checked uploads])}``, and
    remove the evidence files ``remove_evidence`` (ids; others' are ignored).

    Refused once submitted (a national administrator may reopen it)."""

    def work(written):
        locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status == AssessmentStatus.SUBMITTED:
            raise EvaluationError(
                _("This self-assessment was submitted and can no longer be changed.")
            )
        now = timezone.now()
        removed = Evidence.objects.filter(answer__assessment=locked, pk__in=list(remove_evidence))
        names = list(removed.values_list("file", flat=True))
        removed.delete()
        transaction.on_commit(lambda: [private_storage.delete(name) for name in names])
        for key, (status, note, uploads) in answers.items():
            if key not in ITEMS_BY_KEY:
                continue
            answer, _created = AssessmentAnswer.objects.update_or_create(
                assessment=locked, item_key=key, defaults={"status": status, "note": note}
            )
            if answer.evidence.count() + len(uploads) > MAX_EVIDENCE_PER_ITEM:
                raise EvaluationError(
                    _("Attach at most %(count)s files to one item.")
                    % {"count": to_persian_digits(MAX_EVIDENCE_PER_ITEM)}
                )
            for upload in uploads:
                name = f"{locked.agency.schema_name}/evaluation/{uuid.uuid4().hex}.{upload.kind}"
                Evidence.objects.create(
                    answer=answer,
                    title=upload.title,
                    file=save_private(name, upload.file, written),
                    content_type=upload.kind,
                    size=upload.size,
                    sha256=upload.sha256,
                    uploaded_by=actor,
                    uploaded_at=now,
                )
        locked.save(update_fields=["updated_at"])
        return locked

    return removing_files_on_failure(work)


def submit_assessment(assessment: SelfAssessment, *, actor: str) -> SelfAssessment:
    """Submit the self-assessment (once): every item must have a status."""
    with transaction.atomic():
        locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status == AssessmentStatus.SUBMITTED:
            raise EvaluationError(_("This self-assessment was already submitted."))
        answered = set(locked.answers.exclude(status="").values_list("item_key", flat=True))
        missing = [key for key in ITEMS_BY_KEY if key not in answered]
        if missing:
            raise EvaluationError(
                _("Choose a status for every item before submitting (%(count)s left).")
                % {"count": to_persian_digits(len(missing))}
            )
        locked.status = AssessmentStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.save()
        return locked


def reopen_assessment(assessment: SelfAssessment, *, actor: str) -> SelfAssessment:
    """A national administrator lets the agency change a submitted self-assessment."""
    with transaction.atomic():
        locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status != AssessmentStatus.SUBMITTED:
            raise EvaluationError(_("Only a submitted self-assessment can be reopened."))
        locked.status = AssessmentStatus.DRAFT
        locked.reopened_at = timezone.now()
        locked.reopened_by = actor
        locked.save()
        return locked


# --- Inspections ------------------------------------------------------------------------------


def record_inspection(
    *,
    agency,
    period,
    visited_on,
    place: str,
    summary: str,
    findings: dict,
    photos,
    inspector: str,
    inspector_name: str = "",
) -> Inspection:
    """Record a field visit: ``findings`` is ``{item key: (status, text)}`` (items left
    out were not inspected); ``photos`` are checked image uploads."""
    if not findings:
        raise EvaluationError(_("Record a finding for at least one item."))
    if len(photos) > MAX_PHOTOS:
        raise EvaluationError(
            _("Attach at most %(count)s photos.") % {"count": to_persian_digits(MAX_PHOTOS)}
        )
    if visited_on > timezone.localdate():
        raise EvaluationError(_("The visit's date cannot be in the future."))

    def work(written):
        inspection = Inspection.objects.create(
            agency=agency,
            period=period,
            visited_on=visited_on,
            place=place,
            summary=summary,
            inspector=inspector,
            inspector_name=inspector_name,
            recorded_at=timezone.now(),
        )
        Finding.objects.bulk_create(
            Finding(inspection=inspection, item_key=key, status=status, text=text)
            for key, (status, text) in findings.items()
            if key in ITEMS_BY_KEY
        )
        for upload in photos:
            name = f"{agency.schema_name}/inspections/{uuid.uuid4().hex}.{upload.kind}"
            InspectionPhoto.objects.create(
                inspection=inspection,
                title=upload.title,
                file=save_private(name, upload.file, written),
                content_type=upload.kind,
                size=upload.size,
                sha256=upload.sha256,
            )
        return inspection

    return removing_files_on_failure(work)


def issue_result(inspection: Inspection) -> Inspection:
    """Send the inspection's written result: from now on the agency sees it and answers."""
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.issued_at is not None:
            raise EvaluationError(_("The written result was already issued."))
        locked.issued_at = timezone.now()
        locked.save(update_fields=["issued_at"])
        return locked


def answer_finding(finding: Finding, *, response: str, corrected_on, actor: str) -> Finding:
    """The agency's answer to a finding: what it corrected, and when."""
    if not response.strip():
        raise EvaluationError(_("Write what was corrected."))
    if corrected_on is not None and corrected_on > timezone.localdate():
        raise EvaluationError(_("The correction's date cannot be in the future."))
    with transaction.atomic():
        locked = Finding.objects.select_for_update().select_related("inspection").get(pk=finding.pk)
        if locked.inspection.issued_at is None:
            raise EvaluationError(_("This inspection's result has not been issued yet."))
        locked.response = response.strip()
        locked.corrected_on = corrected_on
        locked.responded_at = timezone.now()
        locked.responded_by = actor
        locked.save()
        return locked


# --- Ranking weights ---------------------------------------------------------------------------


def set_weights(weights: dict[str, int], *, actor: str):
    """Set the ranking's weights (one row); returns (row, the weights before)."""
    from .constants import DEFAULT_WEIGHTS, MAX_WEIGHT, Component
    from .models import RankingWeights

    values = {component.value: weights[component.value] for component in Component}
    if any(value < 0 or value > MAX_WEIGHT for value in values.values()):
        raise EvaluationError(
            _("Each weight is a whole number from 0 to %(max)s.")
            % {"max": to_persian_digits(MAX_WEIGHT)}
        )
    if not any(values.values()):
        raise EvaluationError(_("At least one weight must be more than zero."))
    with transaction.atomic():
        row, _created = RankingWeights.objects.select_for_update().get_or_create(
            pk=1, defaults={str(key): value for key, value in DEFAULT_WEIGHTS.items()}
        )
        before = {key: getattr(row, key) for key in values}
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_by = actor
        row.updated_at = timezone.now()
        row.save()
    return row, before
