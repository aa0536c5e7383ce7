"""The call centre's screen (national portal, call-centre operators only).

A caller reads their tracking code over the phone. A misheard digit or two digits
swapped break the Damm check digit, so the screen says so and offers the existing
codes one such slip away (every candidate made here, looked up in one query; a code
that does not exist is never shown). The public status is what the tracking page
shows anyone with the code; the next step (the agency's note, what is missing, an
in-person visit) only after the caller gives the national code on the request,
compared in constant time and limited per operator and per request. Every look-up
and every answer is written to the call centre's audit log (``CallCentreLookup``).
"""

import hmac

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from persian.dates import fa_digits
from persian.digits import to_ascii_digits
from tenants import limits
from tenants.constants import NationalRole
from tenants.guards import national_only

from . import tracking
from .constants import OPEN_STATUSES, ChangeKind, LookupOutcome, RequestStatus
from .models import CallCentreLookup, ServiceRequest
from .selectors import filed_requests

OPERATORS = (NationalRole.CALL_CENTRE_OPERATOR,)
# Owner questions: at most this many per operator, and per request, in a window.
ANSWERS_PER_OPERATOR = 20
ANSWERS_PER_REQUEST = 3
ANSWER_WINDOW_SECONDS = 3600
# Look-ups (each may list existing codes) per operator in the same window.
LOOKUPS_PER_OPERATOR = 300


def one_slip_away(code: str) -> list[str]:
    """The well-formed codes one substitution or one swap of adjacent digits from ``code``
    (13 ASCII digits), in a stable order."""
    candidates = []
    for position, digit in enumerate(code):
        for other in "0123456789":
            if other != digit:
                candidates.append(code[:position] + other + code[position + 1 :])
    for position in range(len(code) - 1):
        if code[position] != code[position + 1]:
            candidates.append(
                code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            )
    seen = set()
    return [
        candidate
        for candidate in candidates
        if tracking.is_well_formed(candidate) and not (candidate in seen or seen.add(candidate))
    ]


def existing_near(code: str) -> list[ServiceRequest]:
    """The existing requests whose code is one slip from ``code``."""
    candidates = one_slip_away(code)
    if not candidates:
        return []
    return list(
        filed_requests()
        .select_related("agency")
        .filter(tracking_code__in=candidates)
        .order_by("tracking_code")
    )


def _find(code: str) -> ServiceRequest | None:
    return filed_requests().select_related("agency").filter(tracking_code=code).first()


def _record(request, code: str, outcome: str, found=None) -> None:
    CallCentreLookup.objects.create(
        operator_id=request.user.pk,
        operator=request.user.get_username(),
        code=code[:40],
        request=found,
        outcome=outcome,
    )


def next_step(found: ServiceRequest) -> dict:
    """What the owner hears: the latest step and its note, what is missing, a visit."""
    history = list(found.history.all())
    latest = history[-1] if history else None
    missing = ""
    if found.status == RequestStatus.INCOMPLETE:
        asked = [
            change
            for change in history
            if change.kind == ChangeKind.STATUS and change.to_status == RequestStatus.INCOMPLETE
        ]
        missing = asked[-1].note if asked else ""
    visits = [change for change in history if change.visit_at is not None]
    return {
        "latest": latest,
        "missing": missing,
        "visit": visits[-1] if visits else None,
        "open": found.status in OPEN_STATUSES,
    }


def _limited(request, found: ServiceRequest) -> bool:
    by_operator = limits.too_many(
        "call-centre-answers-operator",
        str(request.user.pk),
        limit=ANSWERS_PER_OPERATOR,
        window_seconds=ANSWER_WINDOW_SECONDS,
    )
    by_request = limits.too_many(
        "call-centre-answers-request",
        str(found.pk),
        limit=ANSWERS_PER_REQUEST,
        window_seconds=ANSWER_WINDOW_SECONDS,
    )
    return by_operator or by_request


def _answer_matches(found: ServiceRequest, typed: str) -> bool:
    answer = "".join(ch for ch in to_ascii_digits(typed or "") if ch in "0123456789")[:10]
    # Compared in constant time (both sides as bytes of the same kind).
    return bool(found.national_id) and hmac.compare_digest(
        answer.encode(), found.national_id.encode()
    )


@national_only(roles=OPERATORS)
@require_http_methods(["GET", "POST"])
def call_centre(request):
    source = request.POST if request.method == "POST" else request.GET
    typed = source.get("code", "").strip()[:40]
    context = {"typed": typed}
    status = 200
    if typed:
        code = tracking.normalise(typed)
        if limits.too_many(
            "call-centre-lookups",
            str(request.user.pk),
            limit=LOOKUPS_PER_OPERATOR,
            window_seconds=ANSWER_WINDOW_SECONDS,
        ):
            _record(request, code, LookupOutcome.LIMITED)
            context["error"] = _("Too many look-ups by you this hour; try again later.")
            status = 429
        elif len(code) != tracking.LENGTH:
            context["error"] = _(
                "A tracking code has 13 digits; %(count)s were heard. Ask the caller to read it again."
            ) % {"count": fa_digits(len(code))}
            _record(request, code, LookupOutcome.MISHEARD)
        elif not tracking.is_well_formed(code):
            near = existing_near(code)
            context["error"] = _(
                "The check digit does not match: a digit was misheard or two were swapped."
            )
            context["suggestions"] = [
                {"code": row.tracking_code, "display": tracking.display(row.tracking_code)}
                for row in near
            ]
            _record(request, code, LookupOutcome.MISHEARD)
        else:
            found = _find(code)
            if found is None:
                context["error"] = _("No request has this tracking code.")
                _record(request, code, LookupOutcome.NOT_FOUND)
            else:
                context["found"] = found
                context["code_display"] = tracking.display(code)
                context["history"] = found.history.all()
                context["can_ask"] = bool(found.national_id)
                if request.method == "POST":
                    status = _ask_owner(request, found, context)
                else:
                    _record(request, code, LookupOutcome.FOUND, found)
    return render(request, "service_requests/call_centre.html", context, status=status)


def _ask_owner(request, found: ServiceRequest, context: dict) -> int:
    if _limited(request, found):
        _record(request, found.tracking_code, LookupOutcome.LIMITED, found)
        context["answer_error"] = _(
            "Too many answers were tried for this request (or by you); try again in an hour."
        )
        return 429
    if not _answer_matches(found, request.POST.get("national_id", "")):
        _record(request, found.tracking_code, LookupOutcome.WRONG_ANSWER, found)
        context["answer_error"] = _(
            "That is not the national code on the request. Nothing more can be told."
        )
        return 400
    _record(request, found.tracking_code, LookupOutcome.ANSWERED, found)
    context["owner"] = True
    context["next"] = next_step(found)
    return 200
