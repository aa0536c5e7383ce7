"""Reading the evaluation: what the platform measures itself, the self-assessment, the
inspections, the supervision cycle and the scores per index.

Agency screens read evaluation rows only through the functions taking an ``agency``
here (``assessment_of``, ``issued_inspections_of``, ``issued_inspection_of``,
``finding_of``), which filter by agency in one place.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.translation import gettext as _

from complaints.constants import ComplaintStatus
from complaints.models import Complaint
from persian.dates import percent, to_persian_digits
from search.models import IndexedService
from service_requests.constants import RequestStatus, Sender
from service_requests.models import RequestMessage, ServiceRequest
from surveys.models import SurveyResponse
from tenants.selectors import agencies_visible_to

from . import periods
from .constants import (
    ITEMS,
    ITEMS_BY_KEY,
    STATUS_SCORES,
    THRESHOLDS,
    AssessmentStatus,
    CycleStep,
    ItemStatus,
)
from .models import EvaluationPeriod, Evidence, Finding, Inspection, InspectionPhoto, SelfAssessment

ANSWERED = (RequestStatus.ANSWERED, RequestStatus.CLOSED)
HANDLED_COMPLAINTS = (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)
NEEDS_CORRECTION = (ItemStatus.PARTLY, ItemStatus.NOT_MET)


def all_periods():
    return EvaluationPeriod.objects.all()


def period_by_id(pk) -> EvaluationPeriod | None:
    return EvaluationPeriod.objects.filter(pk=pk).first()


def period_label(period) -> str:
    half = _("first half") if period.half == 1 else _("second half")
    return _("%(half)s of %(year)s") % {"half": half, "year": to_persian_digits(period.year)}


# --- Measured figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """What the platform measured for one item in one period: ``count`` of ``total``."""

    key: str
    count: int
    total: int
    description: str

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None


def measured_figures(agency, period) -> dict[str, Figure]:
    """The figures the platform measures itself for ``agency`` in ``period``.

    Requests are those received in the period; answers, surveys and messages those of
    these requests; services those published now (the search index holds today's)."""
    start, end = periods.moments(period)
    services = IndexedService.objects.filter(agency_id=agency.pk, unavailable=False)
    published = services.values("translation_key").distinct().count()
    with_form = services.exclude(apply_url="").values("translation_key").distinct().count()

    received = ServiceRequest.objects.filter(
        agency_id=agency.pk, submitted_at__gte=start, submitted_at__lt=end
    )
    total = received.count()
    promised = received.filter(promised_on__isnull=False).count()
    coded = received.exclude(tracking_code="").count()
    answered = received.filter(status__in=ANSWERED)
    answered_count = answered.count()
    delivered = answered.filter(response__isnull=False).count()
    surveyed = SurveyResponse.objects.filter(request__in=answered).count()

    def sent_by(sender):
        return Exists(
            RequestMessage.objects.filter(
                request=OuterRef("pk"), sender=sender, sent_at__gte=start, sent_at__lt=end
            )
        )

    conversations = ServiceRequest.objects.filter(agency_id=agency.pk).filter(
        sent_by(Sender.CITIZEN)
    )
    conversation_count = conversations.count()
    replied = conversations.filter(sent_by(Sender.AGENCY)).count()

    complaints = Complaint.objects.filter(
        agency_id=agency.pk, filed_at__gte=start, filed_at__lt=end
    )
    complaint_count = complaints.count()
    handled = complaints.filter(status__in=HANDLED_COMPLAINTS).count()

    def figure(key, count, of, description):
        return Figure(key, count, of, description)

    n = to_persian_digits
    return {
        "e02_online_request": figure(
            "e02_online_request",
            with_form,
            published,
            _("%(count)s of %(total)s published services have an online request form")
            % {"count": n(with_form), "total": n(published)},
        ),
        "e03_receipt": figure(
            "e03_receipt",
            promised,
            total,
            _("%(count)s of %(total)s receipts carry a promised answer date")
            % {"count": n(promised), "total": n(total)},
        ),
        "e04_tracking_code": figure(
            "e04_tracking_code",
            coded,
            total,
            _("%(count)s tracking codes issued for %(total)s requests received")
            % {"count": n(coded), "total": n(total)},
        ),
        "e06_electronic_answer": figure(
            "e06_electronic_answer",
            delivered,
            answered_count,
            _("%(count)s of %(total)s answers delivered electronically")
            % {"count": n(delivered), "total": n(answered_count)},
        ),
        "e07_interaction": figure(
            "e07_interaction",
            replied,
            conversation_count,
            _("the agency replied in %(count)s of %(total)s conversations citizens started")
            % {"count": n(replied), "total": n(conversation_count)},
        ),
        "e09_feedback": figure(
            "e09_feedback",
            surveyed,
            answered_count,
            _("%(count)s surveys received for %(total)s requests answered")
            % {"count": n(surveyed), "total": n(answered_count)},
        ),
        "d12_complaints": figure(
            "d12_complaints",
            handled,
            complaint_count,
            _("%(count)s of %(total)s complaints received were answered or closed")
            % {"count": n(handled), "total": n(complaint_count)},
        ),
    }


def disagreement(key: str, status: str, figure: Figure | None) -> str | None:
    """Why the claimed ``status`` disagrees with what was measured (None: it does not)."""
    threshold = THRESHOLDS.get(key)
    if threshold is None or figure is None or figure.share is None:
        return None
    if status == ItemStatus.MET:
        limit = threshold.met
    elif status == ItemStatus.PARTLY:
        limit = threshold.partly
    else:
        return None
    if figure.share >= limit:
        return None
    return str(threshold.reason) % {
        "claim": ItemStatus(status).label,
        "share": percent(figure.share),
        "threshold": percent(limit),
    }


# --- The self-assessment -----------------------------------------------------------------------


def assessment_of(agency, period) -> SelfAssessment | None:
    """The agency's self-assessment of ``period`` (None if not started)."""
    return SelfAssessment.objects.filter(agency_id=agency.pk, period=period).first()


def evidence_of(agency, pk) -> Evidence | None:
    return (
        Evidence.objects.select_related("answer__assessment")
        .filter(pk=pk, answer__assessment__agency_id=agency.pk)
        .first()
    )


def evidence_visible_to(user, pk) -> Evidence | None:
    """Evidence of an agency the national ``user`` may see (their provinces only)."""
    return Evidence.objects.filter(
        pk=pk, answer__assessment__agency__in=agencies_visible_to(user)
    ).first()


@dataclass
class Row:
    """One checklist item as a screen shows it."""

    item: object
    status: str = ""
    note: str = ""
    evidence: list = field(default_factory=list)
    figure: Figure | None = None
    flag: str | None = None
    finding: object = None
    scores: tuple | None = None  # measured, self-assessed, inspected (0..1 or None)

    @property
    def score_texts(self) -> list[str]:
        return [percent(score) for score in self.scores or ()]

    @property
    def status_label(self) -> str:
        return str(ItemStatus(self.status).label) if self.status else ""


def checklist_rows(agency, period, assessment, scores=None) -> list[Row]:
    """Every item with the agency's answer, its evidence, the measured figure and the flag
    (and, given ``index_scores``, its three numbers)."""
    figures = measured_figures(agency, period)
    answers = {}
    if assessment is not None:
        answers = {
            answer.item_key: answer for answer in assessment.answers.prefetch_related("evidence")
        }
    rows = []
    for item in ITEMS:
        answer = answers.get(item.key)
        status = answer.status if answer else ""
        figure = figures.get(item.key)
        rows.append(
            Row(
                item=item,
                status=status,
                note=answer.note if answer else "",
                evidence=list(answer.evidence.all()) if answer else [],
                figure=figure,
                flag=disagreement(item.key, status, figure),
                scores=None
                if scores is None
                else tuple(
                    source.get(item.key)
                    for source in (scores.measured, scores.self_assessed, scores.inspected)
                ),
            )
        )
    return rows


# --- Inspections ------------------------------------------------------------------------------


def inspections_in(agency, period):
    """Every inspection of the agency in the period (national screens)."""
    return Inspection.objects.filter(agency_id=agency.pk, period=period)


def issued_inspections_of(agency):
    """The inspections whose written result the agency has received."""
    return Inspection.objects.filter(agency_id=agency.pk, issued_at__isnull=False).select_related(
        "period"
    )


def issued_inspection_of(agency, pk) -> Inspection | None:
    return issued_inspections_of(agency).filter(pk=pk).first()


def inspection_visible_to(user, pk) -> Inspection | None:
    """An inspection of an agency the national ``user`` may see (their provinces only)."""
    return (
        Inspection.objects.select_related("agency", "period")
        .filter(pk=pk, agency__in=agencies_visible_to(user))
        .first()
    )


def finding_of(inspection, pk) -> Finding | None:
    return inspection.findings.filter(pk=pk).first()


def photo_of(inspection, pk) -> InspectionPhoto | None:
    return inspection.photos.filter(pk=pk).first()


def finding_rows(inspection) -> list[Row]:
    """The inspection's findings in the checklist's order."""
    found = {finding.item_key: finding for finding in inspection.findings.all()}
    return [
        Row(item=item, status=found[item.key].status, finding=found[item.key])
        for item in ITEMS
        if item.key in found
    ]


# --- The supervision cycle ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    step: str
    label: object
    done: bool
    at: object = None  # a date or datetime
    note: str = ""


def cycle(agency, period) -> list[Step]:
    """Self-report → field visit → written result → correction, for one agency and period."""
    return cycles([agency], period)[agency.pk]


def cycles(agencies, period) -> dict[int, list[Step]]:
    """The cycle of each of ``agencies`` (a page of a listing) in three queries."""
    ids = [agency.pk for agency in agencies]
    assessments = {
        found.agency_id: found
        for found in SelfAssessment.objects.filter(agency_id__in=ids, period=period)
    }
    inspections: dict[int, list[Inspection]] = {}
    for found in Inspection.objects.filter(agency_id__in=ids, period=period):
        inspections.setdefault(found.agency_id, []).append(found)
    corrections = {
        row["inspection__agency_id"]: row
        for row in Finding.objects.filter(
            inspection__agency_id__in=ids,
            inspection__period=period,
            inspection__issued_at__isnull=False,
            status__in=NEEDS_CORRECTION,
        )
        .values("inspection__agency_id")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(responded_at__isnull=False)),
            last=Max("responded_at"),
        )
    }
    return {
        pk: _steps(
            assessments.get(pk),
            inspections.get(pk, []),
            corrections.get(pk, {"total": 0, "answered": 0, "last": None}),
        )
        for pk in ids
    }


def _steps(assessment, inspections, correction) -> list[Step]:
    issued = [found for found in inspections if found.issued_at is not None]
    to_correct_count, answered_count = correction["total"], correction["answered"]
    submitted = assessment is not None and assessment.status == AssessmentStatus.SUBMITTED
    if submitted:
        self_note = ""
    elif assessment is not None:
        self_note = _("being filled in")
    else:
        self_note = _("not started")
    if not issued:
        correction_note = ""
    elif to_correct_count == 0:
        correction_note = _("nothing to correct")
    else:
        correction_note = _("%(count)s of %(total)s findings answered") % {
            "count": to_persian_digits(answered_count),
            "total": to_persian_digits(to_correct_count),
        }
    return [
        Step(
            CycleStep.SELF_REPORT,
            CycleStep.SELF_REPORT.label,
            submitted,
            assessment.submitted_at if submitted else None,
            self_note,
        ),
        Step(
            CycleStep.FIELD_VISIT,
            CycleStep.FIELD_VISIT.label,
            bool(inspections),
            max((found.visited_on for found in inspections), default=None),
        ),
        Step(
            CycleStep.WRITTEN_RESULT,
            CycleStep.WRITTEN_RESULT.label,
            bool(issued),
            max((found.issued_at for found in issued), default=None),
        ),
        Step(
            CycleStep.CORRECTION,
            CycleStep.CORRECTION.label,
            bool(issued) and answered_count == to_correct_count,
            correction["last"],
            correction_note,
        ),
    ]


def current_step(steps: list[Step]) -> str | None:
    """The first step not done yet (None: the cycle is complete)."""
    return next((step.step for step in steps if not step.done), None)


# --- Scores for the ranking ---------------------------------------------------------------------


@dataclass(frozen=True)
class IndexScores:
    """Numbers 0..1 per item key, by source. An item without a number (not measured, not
    answered, not applicable, not inspected) is absent from that source's dict."""

    measured: dict[str, float]
    self_assessed: dict[str, float]
    inspected: dict[str, float]


def index_scores(agency, period) -> IndexScores:
    """The measured figures, the self-assessment and the inspections' outcome per item.

    Inspections count only once their written result is issued; several in one period
    are averaged. A draft self-assessment counts as given (the cycle says whether it was
    submitted)."""
    measured = {
        key: figure.share
        for key, figure in measured_figures(agency, period).items()
        if figure.share is not None
    }
    assessment = assessment_of(agency, period)
    self_assessed = {}
    if assessment is not None:
        for key, status in assessment.answers.values_list("item_key", "status"):
            if status in STATUS_SCORES and key in ITEMS_BY_KEY:
                self_assessed[key] = STATUS_SCORES[status]
    sums: dict[str, list[float]] = {}
    for key, status in Finding.objects.filter(
        inspection__agency_id=agency.pk,
        inspection__period=period,
        inspection__issued_at__isnull=False,
    ).values_list("item_key", "status"):
        if status in STATUS_SCORES and key in ITEMS_BY_KEY:
            sums.setdefault(key, []).append(STATUS_SCORES[status])
    inspected = {key: sum(values) / len(values) for key, values in sums.items()}
    return IndexScores(measured=measured, self_assessed=self_assessed, inspected=inspected)


# --- National overview -------------------------------------------------------------------------


def agencies_for(user, *, province: str = ""):
    agencies = agencies_visible_to(user)
    if province:
        agencies = agencies.filter(province=province)
    return agencies
