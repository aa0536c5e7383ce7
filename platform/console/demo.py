"""Demo agencies with realistic Persian content, for ``make run`` and screenshots."""

from django_tenants.utils import schema_context

from catalog_pages.catalog_format.validation import SCHEMA_PATH
from catalog_pages.models import AgencyHomePage
from catalog_pages.services import import_catalogue
from tenants import services
from tenants.constants import AgencyKind, AgencyRole, NationalRole, Province, ServiceLevel
from tenants.models import Agency

DEMO_AGENCIES = [
    {
        "slug": "tax",
        "name_fa": "سازمان امور مالیاتی کشور",
        "name_en": "Iranian National Tax Administration",
        "kind": AgencyKind.ORGANIZATION,
        "introduction": "وصول مالیات‌های مستقیم و ارزش افزوده و ارائه خدمات مالیاتی به مؤدیان.",
    },
    {
        "slug": "post",
        "name_fa": "شرکت ملی پست جمهوری اسلامی ایران",
        "name_en": "Iran Post",
        "kind": AgencyKind.PUBLIC_COMPANY,
        "introduction": "ارائه خدمات پستی، مرسولات و کد پستی در سراسر کشور.",
    },
    {
        "slug": "isfahan-housing",
        "name_fa": "اداره کل راه و شهرسازی استان اصفهان",
        "name_en": "Isfahan Roads and Urban Development Directorate",
        "kind": AgencyKind.PROVINCIAL_OFFICE,
        "province": Province.ISFAHAN,
        "level": ServiceLevel.FIELD,
        "introduction": "صدور مجوزها و ارائه خدمات مسکن و شهرسازی در استان اصفهان.",
    },
]


def seed_demo(*, admin_username: str, admin_password: str, stdout=None) -> list[Agency]:
    """Onboard the demo agencies (once) and give the demo user every role of every
    agency and the national administrator's role (roles, never a superuser)."""
    # One agency with a full catalogue: the sample of the interchange format.
    report = import_catalogue(SCHEMA_PATH.with_name("sample-agency.json").read_bytes())
    if not report.ok:
        raise RuntimeError("; ".join(map(str, report.errors)))
    if stdout and report.changed:
        stdout.write(f"  imported the catalogue of {report.agency.name_fa}")
    agencies = [report.agency]
    services.create_user_in_schema(
        report.agency.schema_name,
        username=admin_username,
        password=admin_password,
        roles=list(AgencyRole),
    )
    for spec in DEMO_AGENCIES:
        spec = dict(spec)
        introduction = spec.pop("introduction")
        agency = Agency.objects.filter(slug=spec["slug"]).first()
        if agency is None:
            agency = services.onboard_agency(**spec).agency
            with schema_context(agency.schema_name):
                AgencyHomePage.objects.update(introduction=introduction)
            if stdout:
                stdout.write(f"  onboarded {agency.name_fa} ({agency.slug})")
        services.create_user_in_schema(
            agency.schema_name,
            username=admin_username,
            password=admin_password,
            roles=list(AgencyRole),
        )
        agencies.append(agency)
    services.create_user_in_schema(
        "public",
        username=admin_username,
        password=admin_password,
        roles=[NationalRole.ADMINISTRATOR],
    )
    return agencies
