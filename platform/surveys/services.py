"""Writes of the survey: the invitation when a request is closed, and the one response."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from service_requests.constants import RequestStatus
from tenants.links import portal_url

from . import notices, tokens
from .models import SurveyResponse


class SurveyRefused(ValueError):
    """This request cannot be rated (not closed)."""


# The survey lives on the national portal, whichever host closed the request.
PORTAL_URLCONF = "config.urls_public"


def survey_path(request) -> str:
    return reverse("survey", urlconf=PORTAL_URLCONF, kwargs={"token": tokens.token_for(request)})


def invite_on_close(sender, *, request, from_status, to_status, **kwargs) -> None:
    """service_requests' ``status_changed``: a closed request's citizen is invited by SMS
    (in the transaction of the change)."""
    if to_status != RequestStatus.CLOSED:
        return
    from django.utils import translation

    with translation.override("fa"):  # the link of the Persian portal
        path = survey_path(request)
    notices.tell_survey_invitation(request, portal_url(path))


def submit_survey(
    request,
    *,
    overall: int,
    time_kept: bool,
    staff_conduct: int,
    clarity: int,
    comment: str = "",
) -> tuple[SurveyResponse, bool]:
    """Record the citizen's answers; returns (response, created). A request has one
    response: a second submission (or one racing the first) returns the first."""
    if request.status != RequestStatus.CLOSED:
        raise SurveyRefused(_("Only a closed request can be rated."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                request=request,
                agency_id=request.agency_id,
                service_key=request.service_key,
                service_title=request.service_title,
                overall=overall,
                time_kept=time_kept,
                staff_conduct=staff_conduct,
                clarity=clarity,
                comment=comment.strip(),
                submitted_at=timezone.now(),
            ), True
    except IntegrityError:
        existing = SurveyResponse.objects.filter(request=request).first()
        if existing is None:
            raise
        return existing, False
