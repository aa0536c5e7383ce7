"""Read-only views of an agency's catalogue."""

from django_tenants.utils import schema_context
from wagtail.models import Locale

from tenants.models import Agency

from . import models
from .catalog_format import convert
from .catalog_format.validation import FORMAT


def export_catalogue(agency: Agency) -> dict:
    """The agency's published catalogue in the interchange format, in a stable order."""
    with schema_context(agency.schema_name):
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        home = models.AgencyHomePage.objects.get(locale=locales["fa"])
        en_home = home.get_translation_or_none(locales["en"])
        pages = (
            models.ServicePage.objects.live()
            .filter(locale=locales["fa"])
            .descendant_of(home)
            .order_by("path")
            .prefetch_related(*(relation for relation, _c in convert.CHILDREN.values()))
        )
        english = {
            page.translation_key: page
            for page in models.ServicePage.objects.filter(locale=locales["en"]).prefetch_related(
                *(relation for relation, _c in convert.CHILDREN.values())
            )
        }
        services = [
            convert.export_service(page, english.get(page.translation_key)) for page in pages
        ]
        return {
            "format": FORMAT,
            "agency": convert.export_agency(agency, home, en_home),
            "services": services,
        }
