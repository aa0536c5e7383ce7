"""The ranking: the yearly input to the Shahid Rajaei festival (issue #16 part 7).

An agency's score is a weighted mean of four components, each 0..1:

* **measured indices**: the mean of the figures the platform measures itself per
  checklist item (``selectors.index_scores``: ``measured``);
* **inspections**: the mean of the issued inspections' findings per item (``inspected``);
* **citizens' satisfaction**: the mean overall satisfaction of the surveys (1..5) as
  ``(mean - 1) / 4``;
* **answers on time**: of the requests received, the share answered by their promised
  date (the day, Tehran time, of the first step to "answered" against ``promised_on``);
  open requests past ``promised_on`` count as late; rejected ones and open ones not yet
  due are left out.

A component without figures (no surveys, no inspection) is left out and the remaining
weights renormalised. The **yearly** score covers both half-years of a Jalali year:
surveys and requests of the whole year, the measured indices and inspections averaged
over the half-years that have them. The **running** score is the current half-year so
far. Ranks are per category (``AgencyKind``) or per province; equal scores (to the
tenth of a percent shown) share a rank. Inactive agencies are left out, and a national
user sees only the agencies of their provinces (``tenants.selectors.agencies_visible_to``).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from persian.dates import percent as persian_percent
from persian.dates import to_persian_digits
from service_requests.constants import OPEN_STATUSES
from service_requests.models import ServiceRequest
from surveys.selectors import responses_of
from tenants.constants import AgencyKind, Province
from tenants.selectors import agencies_visible_to

from . import periods, selectors
from .constants import DEFAULT_WEIGHTS, ITEMS_BY_KEY, STATUS_SCORES, Component, RankBy, Scope
from .models import EvaluationPeriod, Finding, RankingWeights

TOP = 10  # agencies in the chart


def percent(value: float | None) -> str:
    """0.875 → ۸۷٫۵٪ (— when there is no figure): scores to a tenth of a point."""
    return persian_percent(value, places=1)


# --- Weights -----------------------------------------------------------------------------------


def weights_in_force() -> dict[str, int]:
    """The weights set by national administrators, else the defaults."""
    row = RankingWeights.objects.filter(pk=1).first()
    if row is None:
        return {str(key): value for key, value in DEFAULT_WEIGHTS.items()}
    return {component.value: getattr(row, component.value) for component in Component}


def weights_row() -> RankingWeights | None:
    return RankingWeights.objects.filter(pk=1).first()


# --- The span scored ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    scope: str
    year: int
    periods: tuple  # EvaluationPeriod rows within it
    start: datetime.datetime
    end: datetime.datetime
    label: str


def year_span(year: int) -> Span:
    start, end = periods.year_moments(year)
    return Span(
        Scope.YEAR,
        year,
        tuple(EvaluationPeriod.objects.filter(year=year).order_by("half")),
        start,
        end,
        _("the year %(year)s") % {"year": to_persian_digits(year)},
    )


def running_span(period) -> Span:
    start, end = periods.moments(period)
    return Span(Scope.RUNNING, period.year, (period,), start, end, selectors.period_label(period))


def ranked_years() -> list[int]:
    return sorted(set(EvaluationPeriod.objects.values_list("year", flat=True)), reverse=True)


# --- Components --------------------------------------------------------------------------------


@dataclass
class Part:
    component: str
    label: str
    weight: int
    value: float | None = None
    detail: str = ""
    share: float | None = None  # the weight's share once renormalised (None: left out)

    @property
    def value_text(self) -> str:
        return percent(self.value)

    @property
    def share_text(self) -> str:
        return percent(self.share)


@dataclass
class AgencyScore:
    agency: object
    parts: list[Part]
    score: float | None = None
    rank: int | None = None
    items: list = field(default_factory=list)  # (period label, item label, measured, inspected)

    @property
    def score_text(self) -> str:
        return percent(self.score)

    @property
    def missing(self) -> list[Part]:
        return [part for part in self.parts if part.share is None]

    def part(self, component) -> Part:
        return next(part for part in self.parts if part.component == component)


def timeliness_figures(agency_ids, start, end, today=None) -> dict[int, dict]:
    """Per agency: requests received in [start, end) answered ``on_time``, answered
    ``late``, still open past their promised date (``overdue``); ``counted`` their sum."""
    today = today or timezone.localdate()
    rows = (
        ServiceRequest.objects.filter(
            agency_id__in=agency_ids, submitted_at__gte=start, submitted_at__lt=end
        )
        # answered_at: the first answer (service_requests.report_times keeps it).
        .annotate(answered_on=TruncDate("answered_at", tzinfo=timezone.get_current_timezone()))
        .values("agency_id")
        .annotate(
            on_time=Count("pk", filter=Q(answered_on__lte=F("promised_on"))),
            late=Count("pk", filter=Q(answered_on__gt=F("promised_on"))),
            overdue=Count(
                "pk",
                filter=Q(
                    answered_on__isnull=True,
                    status__in=OPEN_STATUSES,
                    promised_on__lt=today,
                ),
            ),
        )
    )
    found = {}
    for row in rows:
        row["counted"] = row["on_time"] + row["late"] + row["overdue"]
        found[row.pop("agency_id")] = row
    return found


def satisfaction_figures(agency_ids, start, end) -> dict[int, dict]:
    """Per agency: survey ``responses`` submitted in [start, end) and their ``mean``
    overall satisfaction (1..5)."""
    rows = (
        responses_of()
        .filter(agency_id__in=agency_ids, submitted_at__gte=start, submitted_at__lt=end)
        .values("agency_id")
        .annotate(responses=Count("pk"), mean=Avg("overall", output_field=FloatField()))
    )
    return {row.pop("agency_id"): row for row in rows}


def measured_shares(agency_ids, period) -> dict[int, dict[str, float]]:
    """``selectors.index_scores(agency, period).measured`` for many agencies at once."""
    return {
        pk: {key: count / total for key, (count, total) in counts.items()}
        for pk, counts in selectors.measured_counts(agency_ids, period).items()
    }


def inspected_shares(agency_ids, period) -> dict[int, dict[str, float]]:
    """``selectors.index_scores(agency, period).inspected`` for many agencies at once."""
    sums: dict[int, dict[str, list[float]]] = {pk: {} for pk in agency_ids}
    for agency_id, key, status in Finding.objects.filter(
        inspection__agency_id__in=agency_ids,
        inspection__period=period,
        inspection__issued_at__isnull=False,
    ).values_list("inspection__agency_id", "item_key", "status"):
        if status in STATUS_SCORES and key in ITEMS_BY_KEY:
            sums[agency_id].setdefault(key, []).append(STATUS_SCORES[status])
    return {
        pk: {key: sum(values) / len(values) for key, values in found.items()}
        for pk, found in sums.items()
    }


def _mean(values) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def _n(value) -> str:
    return to_persian_digits(value)


def _score(agency, weights, timeliness, satisfaction, indices) -> AgencyScore:
    labels = dict(Component.choices)
    parts = {
        component.value: Part(component.value, str(labels[component]), weights[component.value])
        for component in Component
    }
    measured_halves, inspected_halves, items = [], [], []
    for label, measured_of, inspected_of in indices:
        measured = measured_of[agency.pk]
        inspected = inspected_of[agency.pk]
        if measured:
            measured_halves.append((label, _mean(measured.values())))
        if inspected:
            inspected_halves.append((label, _mean(inspected.values())))
        for key in ITEMS_BY_KEY:
            if key in measured or key in inspected:
                items.append(
                    (
                        label,
                        ITEMS_BY_KEY[key].label,
                        percent(measured.get(key)),
                        percent(inspected.get(key)),
                    )
                )
    for component, halves, what in (
        (Component.MEASURED, measured_halves, _("the mean of the figures measured")),
        (Component.INSPECTED, inspected_halves, _("the mean of the issued inspections' findings")),
    ):
        part = parts[component.value]
        part.value = _mean(value for _label, value in halves)
        part.detail = (
            "؛ ".join(f"{label}: {percent(value)}" for label, value in halves) + f" ({what})"
            if halves
            else _("no figures in this span")
        )
    found = satisfaction.get(agency.pk)
    part = parts[Component.SATISFACTION.value]
    if found:
        part.value = (found["mean"] - 1) / 4
        part.detail = _("%(count)s survey responses, mean overall satisfaction %(mean)s of 5") % {
            "count": _n(found["responses"]),
            "mean": _n(f"{found['mean']:.2f}").replace(".", "٫"),
        }
    else:
        part.detail = _("no survey responses in this span")
    found = timeliness.get(agency.pk)
    part = parts[Component.TIMELINESS.value]
    if found and found["counted"]:
        part.value = found["on_time"] / found["counted"]
        part.detail = _(
            "%(on_time)s of %(counted)s requests answered by their promised date "
            "(%(late)s answered late, %(overdue)s still open past it)"
        ) % {key: _n(value) for key, value in found.items()}
    else:
        part.detail = _("no request answered or past its promised date in this span")

    result = AgencyScore(agency=agency, parts=list(parts.values()), items=items)
    counted = [part for part in result.parts if part.value is not None and part.weight > 0]
    total = sum(part.weight for part in counted)
    if total:
        for part in counted:
            part.share = part.weight / total
        result.score = sum(part.value * part.share for part in counted)
    return result


def rankable_agencies(user):
    """The active agencies ``user`` may see (their provinces only, unless national
    administrators)."""
    return agencies_visible_to(user).filter(is_active=True).exclude(schema_name="public")


def scores_for(agencies, span: Span) -> list[AgencyScore]:
    agencies = list(agencies)
    ids = [agency.pk for agency in agencies]
    weights = weights_in_force()
    timeliness = timeliness_figures(ids, span.start, span.end)
    satisfaction = satisfaction_figures(ids, span.start, span.end)
    indices = [
        (
            selectors.period_label(period),
            measured_shares(ids, period),
            inspected_shares(ids, period),
        )
        for period in span.periods
    ]
    return [_score(agency, weights, timeliness, satisfaction, indices) for agency in agencies]


def _tie_key(score: float) -> int:
    """Scores equal to the tenth of a percent shown share a rank."""
    return round(score * 1000)


def rank(scores: list[AgencyScore]) -> list[AgencyScore]:
    """The scored agencies best first, with competition ranks (1, 1, 3); agencies without
    any figure are left out."""
    scored = sorted(
        (found for found in scores if found.score is not None),
        key=lambda found: (-_tie_key(found.score), found.agency.name_fa),
    )
    ranked = []
    for position, found in enumerate(scored, start=1):
        if ranked and _tie_key(ranked[-1].score) == _tie_key(found.score):
            found = _with_rank(found, ranked[-1].rank)
        else:
            found = _with_rank(found, position)
        ranked.append(found)
    return ranked


def _with_rank(found: AgencyScore, rank_: int) -> AgencyScore:
    return AgencyScore(
        agency=found.agency, parts=found.parts, score=found.score, rank=rank_, items=found.items
    )


@dataclass
class Table:
    key: str
    label: str
    rows: list[AgencyScore]
    unscored: int = 0
    shown: list = field(default_factory=list)  # the rows on screen (a preview or a page)

    @property
    def more(self) -> int:
        return len(self.rows) - len(self.shown)


def _group_of(agency, by: str) -> str:
    return (agency.kind or AgencyKind.OTHER) if by == RankBy.KIND else (agency.province or "")


def group_choices(by: str) -> list[tuple[str, str]]:
    if by == RankBy.KIND:
        return [(value, str(label)) for value, label in AgencyKind.choices]
    return [(value, str(label)) for value, label in Province.choices] + [("", _("No province"))]


def tables(scores: list[AgencyScore], by: str, only: str | None = None) -> list[Table]:
    """One ranked table per category or province that has agencies (``only``: that one)."""
    found = []
    for key, label in group_choices(by):
        if only is not None and key != only:
            continue
        members = [score for score in scores if _group_of(score.agency, by) == key]
        if not members:
            continue
        ranked = rank(members)
        found.append(Table(key, label, ranked, unscored=len(members) - len(ranked)))
    return found


# --- The chart ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    name: str
    value: str
    name_y: int
    y: int
    text_y: int
    x: int
    width: int
    value_x: int


# Each agency on two lines: its name, then its bar (growing leftwards, RTL) and score,
# in a 400-unit wide drawing, legible when a phone shrinks it to its width.
CHART_WIDTH = 400
BAR_RIGHT = 392
BAR_SPACE = 300
ROW = 48


def chart_bars(ranked: list[AgencyScore], top: int = TOP) -> tuple[list[Bar], int]:
    """Horizontal bars of the ``top`` best agencies and the chart's height (server-side
    SVG: no script, no inline style)."""
    bars = []
    for index, found in enumerate(ranked[:top]):
        width = max(1, round(found.score * BAR_SPACE))
        top_y = 6 + index * ROW
        bars.append(
            Bar(
                name=found.agency.name_fa,
                value=found.score_text,
                name_y=top_y + 14,
                y=top_y + 20,
                text_y=top_y + 35,
                x=BAR_RIGHT - width,
                width=width,
                value_x=BAR_RIGHT - width - 6,
            )
        )
    return bars, 12 + len(bars) * ROW
