"""The times reports read off a request, computed from its status history.

Kept on the request (``accepted_at``, ``answered_at``, ``rejected_at``, ``paused_days``,
``answer_days``, ``promised_days``) by ``services`` at every status change, and filled for
old requests by migration 0010, with the same rules:

- accepted: the first acceptance; answered, rejected: when it was;
- paused: the working days spent waiting for the citizen (incomplete), every pause;
- answer days: working days from acceptance to the answer, minus the pauses after acceptance;
- promised days: working days from acceptance to the (final) promised date, minus the same
  pauses: the time the agency had, to read the answer days against.
"""

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone

from .constants import RequestStatus

DaysBetween = Callable[[datetime.date, datetime.date], int]


def report_times(
    changes: Iterable[tuple[str, datetime.datetime]],
    promised_on: datetime.date,
    days_between: DaysBetween,
) -> dict:
    """``changes``: the request's status changes (to_status, at), oldest first."""
    accepted_at = answered_at = rejected_at = paused_since = None
    paused = paused_after_acceptance = 0
    for to_status, at in changes:
        if paused_since is not None and to_status != RequestStatus.INCOMPLETE:
            waited = days_between(timezone.localdate(paused_since), timezone.localdate(at))
            paused += waited
            if accepted_at is not None:
                paused_after_acceptance += waited
            paused_since = None
        if to_status == RequestStatus.INCOMPLETE and paused_since is None:
            paused_since = at
        elif to_status == RequestStatus.ACCEPTED and accepted_at is None:
            accepted_at = at
        elif to_status == RequestStatus.ANSWERED and answered_at is None:
            answered_at = at
        elif to_status == RequestStatus.REJECTED and rejected_at is None:
            rejected_at = at
    answer_days = promised_days = None
    if answered_at is not None and accepted_at is not None:
        accepted_on = timezone.localdate(accepted_at)
        answer_days = max(
            days_between(accepted_on, timezone.localdate(answered_at)) - paused_after_acceptance, 0
        )
        promised_days = max(days_between(accepted_on, promised_on) - paused_after_acceptance, 0)
    return {
        "accepted_at": accepted_at,
        "answered_at": answered_at,
        "rejected_at": rejected_at,
        "paused_days": paused,
        "answer_days": answer_days,
        "promised_days": promised_days,
    }


REPORT_FIELDS = (
    "accepted_at",
    "answered_at",
    "rejected_at",
    "paused_days",
    "answer_days",
    "promised_days",
)
