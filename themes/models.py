"""Each agency's branding within the national design system (a Wagtail site setting)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .constants import AccentColour, accent_class


@register_setting(icon="image")
class AgencyBranding(BaseSiteSetting):
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        choices=AccentColour.choices,
        default=AccentColour.BLUE,
        help_text=_("Colours of the national design system, all readable with white text."),
    )

    panels = [FieldPanel("logo"), FieldPanel("accent_colour")]

    @property
    def accent_class(self) -> str:
        """The stylesheet's class for this accent (panjereh.css), e.g. ``accent-teal``:
        a class, not an inline style, so the Content Security Policy needs no 'unsafe-inline'."""
        return accent_class(self.accent_colour)

    class Meta:
        verbose_name = _("branding")
