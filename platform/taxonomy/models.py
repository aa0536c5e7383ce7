"""The national lists of topics and life events (public schema).

National administrators keep them; agencies tag their services with their slugs
(the catalogue format's ``topics`` and ``life_events``), and the portal groups
services by them. Slugs are stable identifiers: catalogues refer to them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from persian.text import in_page_language

from .constants import SLUG_MAX_LENGTH


class ListEntry(models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        help_text=_("Latin letters, digits and hyphens; catalogues refer to it, so keep it."),
    )
    name_fa = models.CharField(_("name (Persian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_fa = models.CharField(_("short description (Persian)"), max_length=300, blank=True)
    description_en = models.CharField(_("short description (English)"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0, db_index=True)
    is_active = models.BooleanField(
        _("shown on the portal"),
        default=True,
        help_text=_("A hidden entry stays known to catalogues but is not offered to citizens."),
    )

    sort_order_field = "sort_order"

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name_fa

    @property
    def name(self) -> str:
        """The name in the language of the page being shown (Persian by default)."""
        return in_page_language(self.name_fa, self.name_en)

    @property
    def description(self) -> str:
        """The description in the page's language; none rather than one in another."""
        return in_page_language(self.description_fa, self.description_en, fallback=False)


class Topic(ListEntry):
    """A subject services are about: health, education, taxes…"""

    class Meta(ListEntry.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class LifeEvent(ListEntry):
    """A moment of a person's life that needs services: a birth, a marriage, retirement…"""

    class Meta(ListEntry.Meta):
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
