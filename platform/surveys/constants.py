from django.db import models
from django.utils.translation import gettext_lazy as _

# The free comment is at most this long.
COMMENT_MAX_LENGTH = 1000


class Score(models.IntegerChoices):
    """A 1–5 answer, each with its words (never a colour or a star alone)."""

    VERY_POOR = 1, _("Very poor")
    POOR = 2, _("Poor")
    FAIR = 3, _("Fair")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")
