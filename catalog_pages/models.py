"""Page models of an agency's site (each agency's own schema)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class AgencyHomePage(Page):
    """The front page of an agency's site: who the agency is and what it offers.

    Created by onboarding, one per agency, directly under the tree root.
    """

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences on the agency's mission, shown under its name."),
    )
    body = RichTextField(_("about the agency"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("agency home page")
