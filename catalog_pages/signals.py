"""Every new agency starts with its home page and its Wagtail site."""

from django.conf import settings
from django.dispatch import receiver
from wagtail.models import Locale, Page, Site

from tenants.models import Agency
from tenants.signals import agency_schema_created

from .models import AgencyHomePage


@receiver(agency_schema_created, sender=Agency)
def create_agency_site(sender, agency, **kwargs) -> None:
    """The agency's home page (Persian) and its Wagtail site, in the agency's schema."""
    home = AgencyHomePage(
        title=agency.name_fa,
        slug="home",
        locale=Locale.objects.get(language_code=settings.LANGUAGE_CODE),
    )
    Page.get_first_root_node().add_child(instance=home)
    Site.objects.create(
        hostname=agency.hostname,
        port=80,
        root_page=home,
        is_default_site=True,
        site_name=agency.name_fa,
    )
