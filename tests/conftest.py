import io
import itertools
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.functional import empty
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from catalog_pages.services import import_catalogue
from notifications.gateways import MemoryGateway
from service_requests import services as request_services
from service_requests.storage import private_storage
from tenants import services
from tenants.constants import AgencyRole, NationalRole
from tenants.services import create_user_in_schema

from .committed import committed_agencies, forget_committed_cache, worlds

SAMPLE = (
    Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "sample-agency.json"
)
PASSWORD = "a-long-Passphrase-for-tests-42"


def make_pdf(pages: int = 1, title: str = "") -> bytes:
    """A real (blank) PDF: uploads are checked by parsing them."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image(kind: str = "png", size=(8, 8), color=(200, 30, 30)) -> bytes:
    """A real PNG or JPEG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format={"png": "PNG", "jpg": "JPEG"}[kind])
    return out.getvalue()


PDF = make_pdf()
PNG = make_image("png")
JPEG = make_image("jpg")

_numbers = itertools.count(1)


def pytest_configure(config):
    """Start (or reuse) the embedded PostgreSQL before pytest-django creates the test
    database; the settings only describe it (tenants.embedded_server)."""
    if config.option.help or config.option.version:
        return
    from tenants.embedded_server import ensure_embedded_server

    ensure_embedded_server()


@pytest.fixture(autouse=True)
def _public_schema_between_tests():
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()
    # A test that switched language (the English portal, say) leaves the next in Persian.
    translation.activate(settings.LANGUAGE_CODE)
    # Failures a test asked of the memory gateway and did not use up are not the next one's
    # (with two processes, the next may be a browser test whose code must be texted).
    MemoryGateway.fail_next = MemoryGateway.refuse_next = MemoryGateway.crash_next = 0


@pytest.fixture
def onboard(db):
    """Onboard an agency with a fresh slug; returns services.OnboardedAgency."""

    def _onboard(slug: str | None = None, name_fa: str | None = None, **kwargs):
        number = next(_numbers)
        return services.onboard_agency(
            slug=slug or f"agency-{number}",
            name_fa=name_fa or f"سازمان آزمایشی {number}",
            **kwargs,
        )

    return _onboard


@pytest.fixture
def client_for():
    """A test client whose requests go to the given host."""

    def _client(host: str) -> Client:
        return Client(HTTP_HOST=host)

    return _client


@worlds.register("sample", slugs=("civil-registration",))
def _sample_world(agencies):
    agency = import_catalogue(SAMPLE.read_bytes()).agency
    agencies.append(agency)
    return agency


@worlds.register("sample and another agency", slugs=("civil-registration", "other-agency"))
def _two_agencies_world(agencies):
    a = _sample_world(agencies)
    number = next(_numbers)
    b = services.onboard_agency(slug="other-agency", name_fa=f"سازمان آزمایشی {number}").agency
    agencies.append(b)
    for agency in (a, b):
        create_user_in_schema(
            agency.schema_name,
            username="clerk",
            password=PASSWORD,
            roles=[AgencyRole.REQUEST_CLERK],
        )
    return a, b


# Which committed world (tests/committed.py) a fixture of this file stands on.
_WORLD_OF_FIXTURE = {"setting": "sample and another agency", "agency_client": "sample"}
_THIS_FILE = Path(__file__).resolve()


def _world_of(item) -> str | None:
    """The world ``item`` stands on: through this file's fixtures only (a module may have a
    fixture of the same name of its own)."""
    definitions = getattr(item, "_fixtureinfo", None)
    definitions = definitions.name2fixturedefs if definitions else {}
    for name, world in _WORLD_OF_FIXTURE.items():
        found = definitions.get(name)
        if found and Path(found[-1].func.__code__.co_filename).resolve() == _THIS_FILE:
            return world
    return None


def pytest_collection_modifyitems(config, items):
    """Within each module, the tests standing on one world run one after another, so each
    world is built once per module at most (the modules keep their order)."""
    keys = [(getattr(item, "module", None), _world_of(item)) for item in items]
    first_seen: dict = {}
    for index, (module, world) in enumerate(keys):
        first_seen.setdefault((module, None), index)  # the module's own start
        first_seen.setdefault((module, world), index)
    order = sorted(
        range(len(items)),
        key=lambda i: (first_seen[keys[i][0], None], first_seen[keys[i]], i),
    )
    items[:] = [items[i] for i in order]


@pytest.fixture(scope="module", autouse=True)
def _no_world_after_the_module(request, django_db_blocker):
    """Each module starts without a world: its own committed fixtures (the demo, say) find
    the database as they always did."""
    yield
    if worlds.current is not None:
        worlds.ensure(None, django_db_blocker)
    if _test_database_ready():
        forget_committed_cache(django_db_blocker)
        left = committed_agencies(django_db_blocker)
        # Another module (in this process, in any order) would find them: fail here.
        assert not left, f"{request.module.__name__} left agencies committed: {left}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with nobody left on it when it is dropped.

    A connection opened inside Playwright's event loop (the browser tests' fixtures) is
    one Django cannot close from here; it kept the database in use, and dropping it
    failed with a warning at the end of the session."""
    yield
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()


def _test_database_ready() -> bool:
    return connection.settings_dict["NAME"].startswith("test_")


@pytest.fixture(autouse=True)
def _stand_on_its_world(request):
    """The committed world this test stands on, or none: built (or removed) before the
    test's own transaction reads anything. Tests without the database leave it as it is."""
    names = set(request.fixturenames)
    wanted = _world_of(request.node)
    if wanted is None and "catalogue" in names:
        return  # the browser tests' module fixture keeps its own world
    uses_db = names & {"db", "transactional_db"} or request.node.get_closest_marker("django_db")
    if wanted is None and not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    worlds.ensure(wanted, request.getfixturevalue("django_db_blocker"))


@pytest.fixture
def agency_client(db, client_for, tmp_path, settings):
    """The sample agency (civil registration) imported; a client on its site."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty  # re-read PRIVATE_MEDIA_ROOT
    yield client_for("civil-registration.localhost")
    private_storage._wrapped = empty


@pytest.fixture
def setting(db, tmp_path, settings, client_for):
    """A request submitted to the sample agency (civil registration, "a"), and logged-in
    staff clients of that agency and of another one ("b")."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    a, b = worlds.current.value
    submitted = submit_sample_request(a)
    clients = {}
    for agency in (a, b):
        client = client_for(f"{agency.slug}.localhost")
        with schema_context(agency.schema_name):
            assert client.login(username="clerk", password=PASSWORD)
        clients[agency.slug] = client
    MemoryGateway.reset()
    yield {"request": submitted, "a": clients["civil-registration"], "b": clients["other-agency"]}
    private_storage._wrapped = empty


@pytest.fixture
def national_client(db, client_for):
    """A client logged in on the national portal as a new user holding ``role``."""

    def _national(role=NationalRole.ADMINISTRATOR, *, username: str | None = None):
        username = username or f"national-{next(_numbers)}"
        create_user_in_schema("public", username=username, password=PASSWORD, roles=[role])
        client = client_for("localhost")
        assert client.login(username=username, password=PASSWORD)
        return client

    return _national


@pytest.fixture
def national_admin_client(national_client):
    """A national administrator (a role, not a superuser) logged in on the national portal."""
    return national_client(NationalRole.ADMINISTRATOR, username="national")


@pytest.fixture
def staff_client(client_for):
    """A client logged in on ``agency``'s site as a new user holding ``roles``."""

    def _staff(agency, *roles, username: str | None = None):
        username = username or f"staff-{next(_numbers)}"
        create_user_in_schema(agency.schema_name, username=username, password=PASSWORD, roles=roles)
        client = client_for(agency.hostname)
        with schema_context(agency.schema_name):
            assert client.login(username=username, password=PASSWORD)
        return client

    return _staff


def submit_sample_request(agency):
    """A citizen's birth registration (with its one required document) to ``agency``."""
    with schema_context(agency.schema_name):
        service = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
    submitted, _ = request_services.submit_request(
        agency=agency,
        service=service,
        submission_token=uuid.uuid4(),
        data={"child_name": "آرش"},
        uploads=[
            request_services.Upload(
                slot="hospital-birth-certificate",
                title="گواهی ولادت",
                file=SimpleUploadedFile("a.pdf", PDF),
                kind="pdf",
                size=len(PDF),
                sha256="0" * 64,
            )
        ],
        national_id="0084575948",
        mobile="09121234567",
    )
    return submitted


def form_url(service_slug: str = "birth-registration", agency_slug: str = "civil-registration"):
    """The request form of a service of the sample agency: ``/apply/<page id>/``."""
    from tenants.models import Agency

    agency = Agency.objects.get(slug=agency_slug)
    with schema_context(agency.schema_name):
        page = ServicePage.objects.get(slug=service_slug, locale__language_code="fa")
    return f"/apply/{page.pk}/"


_ONE_TIME_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


def sent_code(mobile: str = "09121234567") -> str:
    """The newest one-time code texted to ``mobile``: the SMS jobs are run, and the code is
    read from what the (memory) gateway was given, as the citizen reads it on their phone."""
    from persian.digits import to_ascii_digits

    from .jobs_runner import run_jobs

    run_jobs(queues=["sms"])
    for to, text in reversed(MemoryGateway.sent):
        found = _ONE_TIME_CODE.search(to_ascii_digits(text)) if to == mobile else None
        if found:
            return found[0]
    raise AssertionError(f"no one-time code was texted to {mobile}")


def prove_ownership(client: Client, request, *, prefix: str = ""):
    """Prove ownership of ``request`` in ``client``'s session, as a citizen does: ask for the
    code, read it from the SMS, type it. Returns the answer to the proof (a redirect)."""
    asked = client.post(f"{prefix}/track/code/", {"code": request.tracking_code})
    assert asked.status_code == 302, asked.content.decode()[:2000]
    proved = client.post(
        f"{prefix}/track/prove/",
        {"code": request.tracking_code, "otp": sent_code(request.mobile)},
    )
    assert proved.status_code == 302, proved.content.decode()[:2000]
    return proved


def prove_complaint(client: Client, complaint):
    """Prove ownership of ``complaint`` in ``client``'s session as a citizen does: ask for
    the code on its tracking page, read it from the SMS, type it. Returns the redirect."""
    asked = client.post("/complaints/track/code/", {"code": complaint.code})
    assert asked.status_code == 302, asked.content.decode()[:2000]
    proved = client.post(
        "/complaints/track/prove/",
        {"code": complaint.code, "otp": sent_code(complaint.mobile)},
    )
    assert proved.status_code == 302, proved.content.decode()[:2000]
    return proved
