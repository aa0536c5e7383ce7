"""Survey responses (public schema): one per request, enforced by the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from service_requests.models import ServiceRequest
from tenants.models import Agency

from .constants import COMMENT_MAX_LENGTH, Score

_SCORE_FIELDS = ("overall", "staff_conduct", "clarity")


class SurveyResponse(models.Model):
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="survey_response"
    )
    # Copied from the request: results are grouped by agency and service.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    service_key = models.UUIDField()
    service_title = models.CharField(max_length=255)
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"), choices=Score.choices)
    time_kept = models.BooleanField(_("promised time kept"))
    staff_conduct = models.PositiveSmallIntegerField(_("staff conduct"), choices=Score.choices)
    clarity = models.PositiveSmallIntegerField(_("clarity of information"), choices=Score.choices)
    comment = models.CharField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                name=f"survey_{field}_1_to_5",
            )
            for field in _SCORE_FIELDS
        ]
        indexes = [models.Index(fields=["agency", "service_key"], name="survey_by_service")]
        permissions = [("view_survey_results", _("Can see the satisfaction survey's results"))]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.overall}"
