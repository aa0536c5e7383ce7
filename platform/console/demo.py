"""The demo: six agencies with full catalogues, a user for every role, and requests.

The agencies' catalogues are the files of ``demo/catalogues/`` (the interchange format,
imported by ``import_catalogue`` in the order of their names, parents first). Every agency
gets one user per role (the same user names everywhere, each in its own agency), the demo
administrator holds every role of every agency and is national administrator, and a
provincial supervisor works on the national portal; all share the demo password
(``DEMO_ADMIN_PASSWORD``). Then each agency receives citizens' requests in every status
(``console.demo_requests``) at its HQ and field units (``console.demo_units``), complaints and objections in every status
(``console.demo_complaints``), and their SMS a fate, with a few citizens' replies and one
agency's own SMS text (``console.demo_sms``); the evaluation's periods, self-assessments
and inspections (``console.demo_evaluation``), the package-compliance rows and the
reports' monthly rollups follow. Everything is idempotent: a second run changes nothing.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from catalog_pages.services import import_catalogue
from tenants import services
from tenants.constants import AgencyRole, NationalRole, Province
from tenants.models import Agency, SupervisedProvince
from tenants.schemas import in_public_schema

from .demo_complaints import seed_complaints
from .demo_evaluation import seed_evaluation
from .demo_representatives import seed_representative
from .demo_requests import seed_requests
from .demo_sms import latest_sms, seed_inbound_sms, settle_sms, write_agency_override
from .demo_units import seed_units

CATALOGUE_DIR = Path(settings.BASE_DIR) / "demo" / "catalogues"

# One user per role in every agency (users live in their agency's schema).
ROLE_USERS = {
    AgencyRole.ADMINISTRATOR: "manager",
    AgencyRole.EDITOR: "editor",
    AgencyRole.REVIEWER: "reviewer",
    AgencyRole.REQUEST_CLERK: "clerk",
    AgencyRole.COMPLAINT_HANDLER: "complaints",
    AgencyRole.REPORT_VIEWER: "reports",
}
SUPERVISOR = "supervisor"
INSPECTOR = "inspector"


class DemoError(RuntimeError):
    """A demo catalogue does not import."""


@dataclass
class Demo:
    agencies: list[Agency] = field(default_factory=list)
    # (where: "national" or an agency's slug, user name, role labels)
    users: list[tuple[str, str, list[str]]] = field(default_factory=list)
    requests_made: int = 0
    complaints_made: int = 0
    changed: bool = False


def catalogue_files() -> list[Path]:
    return sorted(CATALOGUE_DIR.glob("*.json"))


def _password_hash(username: str, password: str) -> str:
    """The demo password's hash: the one the demo administrator already has, if it still
    matches (no rewrite on a second run), else a new one (hashing once, not per user)."""
    with in_public_schema():
        user = get_user_model().objects.filter(username=username).first()
        if user is not None and user.check_password(password):
            return user.password
    return make_password(password)


SUPERVISED_PROVINCE = Province.FARS
INSPECTED_PROVINCE = Province.KHORASAN_RAZAVI


def seed_supervised_province(username: str, province: str = SUPERVISED_PROVINCE) -> bool:
    """The demo supervisor supervises Fars (the Shiraz municipality's province), the demo
    inspector Razavi Khorasan (the Mashhad labour office's)."""
    with in_public_schema():
        user = get_user_model().objects.get(username=username)
        _row, created = SupervisedProvince.objects.get_or_create(user=user, province=province)
    return created


def seed_demo(*, admin_username: str, admin_password: str, stdout=None) -> Demo:
    """Import the demo catalogues, create the demo users and requests (each once)."""
    demo = Demo()
    password_hash = _password_hash(admin_username, admin_password)
    files = catalogue_files()
    for index, path in enumerate(files):
        started = time.monotonic()
        report = import_catalogue(path.read_bytes())
        imported = time.monotonic()
        if not report.ok:
            raise DemoError(f"{path.name}: " + "; ".join(map(str, report.errors)))
        agency = report.agency
        demo.agencies.append(agency)
        changed = report.changed
        changed |= services.ensure_user_in_schema(
            agency.schema_name,
            username=admin_username,
            password_hash=password_hash,
            roles=list(AgencyRole),
        )
        for role, username in ROLE_USERS.items():
            changed |= services.ensure_user_in_schema(
                agency.schema_name, username=username, password_hash=password_hash, roles=[role]
            )
        users = time.monotonic()
        first_sms = latest_sms()
        changed |= write_agency_override(agency)
        changed |= bool(seed_units(agency))
        changed |= seed_representative(agency, index=index)
        made = seed_requests(agency, index=index)
        complaints = seed_complaints(agency, index=index)
        settle_sms(first_sms, seed=agency.slug)
        timing = (
            f"{time.monotonic() - started:.1f} s: catalogue {imported - started:.1f} s, "
            f"users {users - imported:.1f} s, requests and complaints "
            f"{time.monotonic() - users:.1f} s"
        )
        demo.requests_made += made
        demo.complaints_made += complaints
        demo.changed |= changed or bool(made) or bool(complaints)
        if stdout:
            count = len(report.created) + len(report.updated) + len(report.unchanged)
            if report.agency_created:
                what = f"onboarded, {count} services, {made} requests, {complaints} complaints"
            elif changed or made or complaints:
                what = (
                    f"updated ({len(report.created) + len(report.updated)} services), "
                    f"{made} new requests, {complaints} new complaints"
                )
            else:
                what = "up to date"
            stdout.write(
                f"  [{index + 1}/{len(files)}] {agency.slug}: {agency.name_fa}: {what} ({timing})"
            )
    for username, role in (
        (admin_username, NationalRole.ADMINISTRATOR),
        (SUPERVISOR, NationalRole.PROVINCIAL_SUPERVISOR),
        (INSPECTOR, NationalRole.INSPECTOR),
    ):
        demo.changed |= services.ensure_user_in_schema(
            "public", username=username, password_hash=password_hash, roles=[role]
        )
        demo.users.append(("national", username, [str(role)]))
    demo.changed |= seed_supervised_province(SUPERVISOR)
    demo.changed |= seed_supervised_province(INSPECTOR, INSPECTED_PROVINCE)
    demo.changed |= bool(seed_inbound_sms(demo.agencies))
    # The demo's requests are dated in the past: months already summed up are summed again.
    from reports import rollup

    rollup.rebuild()
    # The package-compliance rows (the import queues their refresh; the demo does it now).
    from compliance.services import refresh_agency_compliance

    started = time.monotonic()
    for agency in demo.agencies:
        refresh_agency_compliance(agency)
    demo.changed |= seed_evaluation(demo.agencies, admin_username=admin_username)
    if stdout:
        stdout.write(f"  compliance rows and evaluation: {time.monotonic() - started:.1f} s")
    demo.users.append(("agency", admin_username, [str(role) for role in AgencyRole]))
    demo.users += [("agency", username, [str(role)]) for role, username in ROLE_USERS.items()]
    return demo
