"""The evaluation's checklist, as the texts word it, and its choices.

Two groups, each item with a stable key (stored with every answer and finding; never
renumber or reuse a key):

* the ten indices of the electronic desk, letter 439457 (1397/08/20), in its order;
* the in-person desk's requirements: directive 1538588 part ب (its three features and the
  desk staff's five duties), circular 7193 (items 1, 2 and 6), the letter's rule on
  visits in person, and the explainer's requirements that these do not already name.

Agencies assess themselves against the whole list each period; inspectors visit the
in-person desk against the same list (supervision statement: "self-report on the
designed forms and checklists, field visit, written result").
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


# An item's status as a number 0..1 (``selectors.index_scores``); not applicable: no number.
STATUS_SCORES = {ItemStatus.MET: 1.0, ItemStatus.PARTLY: 0.5, ItemStatus.NOT_MET: 0.0}


class Group(models.TextChoices):
    E_DESK = "e_desk", _("The electronic desk's ten indices (letter 439457)")
    IN_PERSON = (
        "in_person",
        _("The in-person desk's requirements (directive 1538588 part B, circular 7193)"),
    )


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    SUBMITTED = "submitted", _("Submitted")


class Half(models.IntegerChoices):
    """The directive's six-monthly report: Farvardin–Shahrivar and Mehr–Esfand."""

    FIRST = 1, _("First half")
    SECOND = 2, _("Second half")


@dataclass(frozen=True)
class Item:
    key: str
    group: str
    label: object  # lazy translation: the text's own wording in Persian
    source: object  # where the text says it


E_DESK_ITEMS = (
    Item(
        "e01_single_window",
        Group.E_DESK,
        _(
            "Every service the client asks for is offered through one single electronic "
            "window, so people do not wander between systems and are not asked for the "
            "same data again"
        ),
        _("Letter 439457, index 1"),
    ),
    Item(
        "e02_online_request",
        Group.E_DESK,
        _("Requests for the service are accepted electronically and their documents uploaded"),
        _("Letter 439457, index 2"),
    ),
    Item(
        "e03_receipt",
        Group.E_DESK,
        _(
            "An electronic receipt is given and the time the answer will be issued is set "
            "(when the service cannot be given at once on acceptance)"
        ),
        _("Letter 439457, index 3"),
    ),
    Item(
        "e04_tracking_code",
        Group.E_DESK,
        _("A unique tracking code is given electronically when the request is accepted"),
        _("Letter 439457, index 4"),
    ),
    Item(
        "e05_tracking",
        Group.E_DESK,
        _("The client can track the steps of the service's workflow electronically"),
        _("Letter 439457, index 5"),
    ),
    Item(
        "e06_electronic_answer",
        Group.E_DESK,
        _("The answer to the service is delivered to the client electronically"),
        _("Letter 439457, index 6"),
    ),
    Item(
        "e07_interaction",
        Group.E_DESK,
        _("Electronic interaction with the client during the service's steps"),
        _("Letter 439457, index 7"),
    ),
    Item(
        "e08_information_package",
        Group.E_DESK,
        _(
            "An electronic information package for the requested service, following the "
            "headings of the in-person desk's method (no. 32267)"
        ),
        _("Letter 439457, index 8"),
    ),
    Item(
        "e09_feedback",
        Group.E_DESK,
        _("The client's opinion is received electronically"),
        _("Letter 439457, index 9"),
    ),
    Item(
        "e10_reports",
        Group.E_DESK,
        _(
            "Analytic, comparative and management reports (services accepted, answered, mean "
            "time from acceptance to answer) by period and by HQ or field unit"
        ),
        _("Letter 439457, index 10"),
    ),
)

IN_PERSON_ITEMS = (
    Item(
        "d01_space",
        Group.IN_PERSON,
        _(
            "A suitable space for clients (on the ground floor, with a waiting area), so they "
            "get the service through the desk alone without going to the agency's units"
        ),
        _("Directive 1538588 part B; circular 7193 item 1"),
    ),
    Item(
        "d02_hours",
        Group.IN_PERSON,
        _("Services are given on every working day, throughout office hours, without a break"),
        _("Directive 1538588 part B"),
    ),
    Item(
        "d03_staff",
        Group.IN_PERSON,
        _(
            "Competent, skilled, responsive and trained staff who know the service's "
            "processes, in numbers that fit the clients and the work"
        ),
        _("Directive 1538588 part B"),
    ),
    Item(
        "d04_guidance",
        Group.IN_PERSON,
        _("Information and guidance to the client about how to receive the service"),
        _("Directive 1538588 part B, duty 1; circular 7193 item 2(a)"),
    ),
    Item(
        "d05_intake",
        Group.IN_PERSON,
        _(
            "Requests and documents are received in person when they cannot be sent "
            "electronically, all documents if possible in one step"
        ),
        _("Directive 1538588 part B, duty 2; circular 7193 item 2(b)"),
    ),
    Item(
        "d06_answer_time",
        Group.IN_PERSON,
        _(
            "The time the service will be given and its result are told when the request is received"
        ),
        _("Directive 1538588 part B, duty 3; circular 7193 item 2(c)"),
    ),
    Item(
        "d07_internal_workflow",
        Group.IN_PERSON,
        _("The desk starts the workflow in the agency's internal units and receives their results"),
        _("Directive 1538588 part B, duty 4; circular 7193 item 2(d)"),
    ),
    Item(
        "d08_no_referral",
        Group.IN_PERSON,
        _(
            "Clients are received only at the desk and sent to the agency's units only when "
            "necessary, after coordinating with them"
        ),
        _("Directive 1538588 part B, duty 5; letter 439457"),
    ),
    Item(
        "d09_visit_notice",
        Group.IN_PERSON,
        _(
            "When a step needs the client in person, the time, the reason and the documents "
            "needed are told electronically"
        ),
        _("Letter 439457"),
    ),
    Item(
        "d10_rules_displayed",
        Group.IN_PERSON,
        _(
            "The rules, regulations, workflow and duration of each duty are on display and "
            "available to clients"
        ),
        _("Circular 7193 item 6"),
    ),
    Item(
        "d11_appointments",
        Group.IN_PERSON,
        _("A suitable way to give clients appointments"),
        _("Explainer of the desk requirements, item 6"),
    ),
    Item(
        "d12_complaints",
        Group.IN_PERSON,
        _("Complaints and objections raised by clients are handled"),
        _("Explainer of the desk requirements, item 8"),
    ),
    Item(
        "d13_amenities",
        Group.IN_PERSON,
        _("Amenities at the desk (cooling, heating, drinking water, plants…)"),
        _("Explainer of the desk requirements, item 12"),
    ),
)

ITEMS = E_DESK_ITEMS + IN_PERSON_ITEMS
ITEMS_BY_KEY = {item.key: item for item in ITEMS}
GROUPS = ((Group.E_DESK, E_DESK_ITEMS), (Group.IN_PERSON, IN_PERSON_ITEMS))


@dataclass(frozen=True)
class Threshold:
    """Below ``met`` a claim of "met" disagrees with the figure; below ``partly`` a claim
    of "partly met" does. ``reason`` names the figure (a format string of ``share``,
    ``threshold`` and ``claim``)."""

    met: float
    partly: float
    reason: object


# The measured items and when a self-assessment disagrees with their figure.
THRESHOLDS = {
    "e02_online_request": Threshold(
        0.8,
        0.3,
        _(
            "«%(claim)s» was claimed, but only %(share)s of the published services have an "
            "online request form (at least %(threshold)s expected)."
        ),
    ),
    "e03_receipt": Threshold(
        0.95,
        0.5,
        _(
            "«%(claim)s» was claimed, but only %(share)s of the requests received had a "
            "promised answer date on their receipt (at least %(threshold)s expected)."
        ),
    ),
    "e04_tracking_code": Threshold(
        0.95,
        0.5,
        _(
            "«%(claim)s» was claimed, but only %(share)s of the requests received were given "
            "a tracking code (at least %(threshold)s expected)."
        ),
    ),
    "e06_electronic_answer": Threshold(
        0.8,
        0.3,
        _(
            "«%(claim)s» was claimed, but only %(share)s of the answers were delivered "
            "electronically (at least %(threshold)s expected)."
        ),
    ),
    "e07_interaction": Threshold(
        0.8,
        0.3,
        _(
            "«%(claim)s» was claimed, but the agency replied in only %(share)s of the "
            "conversations citizens started (at least %(threshold)s expected)."
        ),
    ),
    "e09_feedback": Threshold(
        0.1,
        0.02,
        _(
            "«%(claim)s» was claimed, but surveys were received for only %(share)s of the "
            "requests answered (at least %(threshold)s expected)."
        ),
    ),
    "d12_complaints": Threshold(
        0.8,
        0.3,
        _(
            "«%(claim)s» was claimed, but only %(share)s of the complaints received were "
            "answered or closed (at least %(threshold)s expected)."
        ),
    ),
}

# Evidence for one item: at most this many files (PDF, JPEG or PNG, each at most 10 MB).
MAX_EVIDENCE_PER_ITEM = 5
# Photos of one inspection (JPEG or PNG, each at most 10 MB; the attachment fields' limit).
MAX_PHOTOS = 5
MAX_NOTE = 2000


class CycleStep(models.TextChoices):
    """The supervision statement's cycle, per agency and period."""

    SELF_REPORT = "self_report", _("Self-report")
    FIELD_VISIT = "field_visit", _("Field visit")
    WRITTEN_RESULT = "written_result", _("Written result")
    CORRECTION = "correction", _("Correction")


# --- The ranking (the yearly input to the Shahid Rajaei festival) --------------------------------


class Component(models.TextChoices):
    """The four parts of an agency's score, each 0..1."""

    MEASURED = "measured", _("Measured indices")
    INSPECTED = "inspected", _("Inspections")
    SATISFACTION = "satisfaction", _("Citizens' satisfaction")
    TIMELINESS = "timeliness", _("Answers on time")


# The weights until a national administrator sets others (whole numbers; only their
# proportions count).
DEFAULT_WEIGHTS = {
    Component.MEASURED: 40,
    Component.INSPECTED: 30,
    Component.SATISFACTION: 15,
    Component.TIMELINESS: 15,
}
MAX_WEIGHT = 100


class Scope(models.TextChoices):
    YEAR = "year", _("Yearly score (both half-years)")
    RUNNING = "running", _("Running score (the current half-year so far)")


class RankBy(models.TextChoices):
    KIND = "kind", _("By category")
    PROVINCE = "province", _("By province")
