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


def measured_counts(agency_ids, period) -> dict[int, dict[str, tuple[int, int]]]:
    """What the platform measures itself of each of ``agency_ids`` in ``period``: per
    checklist item, (count, of how many), in six grouped queries (an item with nothing to
    count is missing).

    Requests are those received in the period; answers, surveys and messages those of
    these requests; services those published now (the search index holds today's)."""
    start, end = periods.moments(period)
    found: dict[int, dict[str, tuple[int, int]]] = {pk: {} for pk in agency_ids}

    def put(rows, key, count, total):
        for row in rows:
            if row[total]:
                found[row["agency_id"]][key] = (row[count], row[total])

    put(
        IndexedService.objects.filter(agency_id__in=agency_ids, unavailable=False)
        .values("agency_id")
        .annotate(
            published=Count("translation_key", distinct=True),
            with_form=Count("translation_key", distinct=True, filter=~Q(apply_url="")),
        ),
        "e02_online_request",
        "with_form",
        "published",
    )
    received = list(
        ServiceRequest.objects.filter(
            agency_id__in=agency_ids, submitted_at__gte=start, submitted_at__lt=end
        )
        .values("agency_id")
        .annotate(
            total=Count("pk"),
            promised=Count("pk", filter=Q(promised_on__isnull=False)),
            coded=Count("pk", filter=~Q(tracking_code="")),
            answered=Count("pk", filter=Q(status__in=ANSWERED)),
            delivered=Count("pk", filter=Q(status__in=ANSWERED, response__isnull=False)),
        )
    )
    put(received, "e03_receipt", "promised", "total")
    put(received, "e04_tracking_code", "coded", "total")
    put(received, "e06_electronic_answer", "delivered", "answered")
    surveyed = dict(
        SurveyResponse.objects.filter(
            request__agency_id__in=agency_ids,
            request__submitted_at__gte=start,
            request__submitted_at__lt=end,
            request__status__in=ANSWERED,
        )
        .values("request__agency_id")
        .annotate(count=Count("pk"))
        .values_list("request__agency_id", "count")
    )
    put(
        [{**row, "surveyed": surveyed.get(row["agency_id"], 0)} for row in received],
        "e09_feedback",
        "surveyed",
        "answered",
    )

    def sent_by(sender):
        return Exists(
            RequestMessage.objects.filter(
                request=OuterRef("pk"), sender=sender, sent_at__gte=start, sent_at__lt=end
            )
        )

    put(
        ServiceRequest.objects.filter(agency_id__in=agency_ids)
        .annotate(citizen=sent_by(Sender.CITIZEN), agency_replied=sent_by(Sender.AGENCY))
        .filter(citizen=True)
        .values("agency_id")
        .annotate(total=Count("pk"), replied=Count("pk", filter=Q(agency_replied=True))),
        "e07_interaction",
        "replied",
        "total",
    )
    put(
        Complaint.objects.filter(agency_id__in=agency_ids, filed_at__gte=start, filed_at__lt=end)
        .values("agency_id")
        .annotate(
            total=Count("pk"),
            handled=Count("pk", filter=Q(status__in=HANDLED_COMPLAINTS)),
        ),
        "d12_complaints",
        "handled",
        "total",
    )
    return found


def _descriptions() -> dict[str, str]:
    return {
        "e02_online_request": _(
            "%(count)s of %(total)s published services have an online request form"
        ),
        "e03_receipt": _("%(count)s of %(total)s receipts carry a promised answer date"),
        "e04_tracking_code": _("%(count)s tracking codes issued for %(total)s requests received"),
        "e06_electronic_answer": _("%(count)s of %(total)s answers delivered electronically"),
        "e07_interaction": _(
            "the agency replied in %(count)s of %(total)s conversations citizens started"
        ),
        "e09_feedback": _("%(count)s surveys received for %(total)s requests answered"),
        "d12_complaints": _("%(count)s of %(total)s complaints received were answered or closed"),
    }


def measured_figures(agency, period) -> dict[str, Figure]:
    """The figures the platform measures itself for ``agency`` in ``period``
    (``measured_counts``), each with what it counted ("0 of 0" when there was nothing)."""
    counts = measured_counts([agency.pk], period)[agency.pk]
    figures = {}
    for key, description in _descriptions().items():
        count, total = counts.get(key, (0, 0))
        shown = {"count": to_persian_digits(count), "total": to_persian_digits(total)}
        figures[key] = Figure(key, count, total, description % shown)
    return figures


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
    (and, given ``index_scores``, its three numbers and the figures they were made of)."""
    figures = measured_figures(agency, period) if scores is None else scores.figures
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
    """The cycle of each of ``agencies`` (a page of a listing) in ``period``, by agency id,
    in three queries."""
    ids = [agency.pk for agency in agencies]
    return _cycles("agency_id", ids, period=period)


def cycles_of(agency, periods) -> dict[int, list[Step]]:
    """``agency``'s cycle in each of ``periods``, by period id, in three queries."""
    ids = [period.pk for period in periods]
    return _cycles("period_id", ids, agency_id=agency.pk)


def _cycles(by: str, keys: list, **fixed) -> dict:
    """The cycles of the self-assessments and inspections whose ``by`` (``agency_id`` or
    ``period_id``) is one of ``keys`` and whose other fields are ``fixed``, by ``by``."""
    where = {f"{by}__in": keys, **fixed}
    assessments = {getattr(found, by): found for found in SelfAssessment.objects.filter(**where)}
    inspections: dict[int, list[Inspection]] = {}
    for found in Inspection.objects.filter(**where):
        inspections.setdefault(getattr(found, by), []).append(found)
    corrections = {
        row[f"inspection__{by}"]: row
        for row in Finding.objects.filter(
            **{f"inspection__{name}": value for name, value in where.items()},
            inspection__issued_at__isnull=False,
            status__in=NEEDS_CORRECTION,
        )
        .values(f"inspection__{by}")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(responded_at__isnull=False)),
            last=Max("responded_at"),
        )
    }
    return {
        key: _steps(
            assessments.get(key),
            inspections.get(key, []),
            corrections.get(key, {"total": 0, "answered": 0, "last": None}),
        )
        for key in keys
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
    # What ``measured`` was made of (``measured_figures``).
    figures: dict[str, Figure] = field(default_factory=dict)


def index_scores(agency, period, assessment) -> IndexScores:
    """The measured figures, the self-assessment (``assessment``, if any) and the
    inspections' outcome per item.

    Inspections count only once their written result is issued; several in one period
    are averaged. A draft self-assessment counts as given (the cycle says whether it was
    submitted)."""
    figures = measured_figures(agency, period)
    measured = {key: figure.share for key, figure in figures.items() if figure.share is not None}
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
    return IndexScores(
        measured=measured, self_assessed=self_assessed, inspected=inspected, figures=figures
    )


# --- National overview -------------------------------------------------------------------------


def agencies_for(user, *, province: str = ""):
    agencies = agencies_visible_to(user)
    if province:
        agencies = agencies.filter(province=province)
    return agencies
