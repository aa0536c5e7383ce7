"""An agency's units: its headquarters (ستادی) and field offices (صفی): branches,
provincial and county offices. Rows of the agency's own schema, not tenants.

A service says where it is delivered (``ServicePage.units``; none: the agency itself);
a request records the unit that handles it (``ServiceRequest.unit_id``, ``unit_name``,
``province``, ``level``), so reports split HQ from field and by province."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.constants import Province, ServiceLevel


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(
        _("level"), max_length=8, choices=ServiceLevel.choices, default=ServiceLevel.FIELD
    )
    province = models.CharField(_("province"), max_length=32, choices=Province.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    desk_hours = models.TextField(
        _("desk hours"),
        blank=True,
        help_text=_("When the in-person desk is open, e.g. Saturday to Wednesday, 8 to 14."),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["level", "province", "city", "name"]

    def __str__(self) -> str:
        place = "، ".join(part for part in (self.get_province_display(), self.city) if part)
        return f"{self.name} ({place})" if place else self.name


def units_of(service):
    """The units a (live) service is delivered at, whichever translation is shown: they
    are set on the Persian page and hold for its translations too."""
    return units_in_order(
        Unit.objects.filter(services__translation_key=service.translation_key).distinct()
    )


def units_in_order(queryset):
    """Units as citizens choose among them: by province, city, then name."""
    return queryset.order_by("province", "city", "name")
