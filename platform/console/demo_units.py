"""Demo units: each demo agency's addresses (its catalogue's) become its HQ and field
units, and its services are delivered at them, so that the demo requests spread over
units and provinces and reports have something to split.

Idempotent: a unit is found by its name, and a service whose units are set is left alone.
"""

from django.db import transaction
from django.utils import translation
from django_tenants.utils import schema_context

from catalog_pages.models import AgencyAddress, ServicePage
from catalog_pages.units import Unit
from persian.text import normalize as normalise
from tenants.constants import Province, ServiceLevel

# Addresses whose title says they are the agency's headquarters.
HQ_WORDS = ("ستاد", "ساختمان مرکزی")


def _province_by_name() -> dict[str, str]:
    with translation.override("fa"):
        return {normalise(str(label)): value for value, label in Province.choices}


def _level(title: str, first: bool) -> str:
    headquarters = first or any(word in title for word in HQ_WORDS)
    return ServiceLevel.HQ if headquarters else ServiceLevel.FIELD


def seed_units(agency) -> int:
    """Create the agency's units from its addresses and place its online services at them;
    returns how many units were new."""
    provinces = _province_by_name()
    made = 0
    with schema_context(agency.schema_name), transaction.atomic():
        addresses = AgencyAddress.objects.filter(page__locale__language_code="fa").order_by(
            "sort_order", "pk"
        )
        units = []
        for position, address in enumerate(addresses):
            unit, created = Unit.objects.get_or_create(
                name=address.title,
                defaults={
                    "level": _level(address.title, position == 0),
                    "province": provinces.get(normalise(address.province), agency.province),
                    "city": address.city,
                    "address": address.address,
                    "phone": address.phone,
                    "desk_hours": address.opening_hours,
                },
            )
            units.append(unit)
            made += created
        if len(units) < 2:
            return made
        field = [unit for unit in units if unit.level == ServiceLevel.FIELD] or units
        services = (
            ServicePage.objects.live()
            .filter(locale__language_code="fa")
            .order_by("path")
            .specific()
        )
        for number, page in enumerate(services):
            # Every third service at every unit, the next at the field units only, the
            # third at the agency itself (no unit).
            wanted = (units, field, [])[number % 3]
            if not wanted or page.units.exists():
                continue
            page.units.set(wanted)
            page.save_revision().publish()
    return made
