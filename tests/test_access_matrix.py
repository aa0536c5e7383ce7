"""The tenant-isolation matrix: two agencies × every role × what each may reach.

Agency A ("civil-registration") and agency B ("other-agency") each have a request
with a document, a message attachment and an answer, SMS in the outbox and a
Wagtail document. Every role of A (and the citizens and national roles) asks for
A's resources, B's resources and the national screens, from A's host, B's host and
the national portal. Everything of B, and every national screen from an agency
host, is denied; A's resources answer exactly the roles that should have them.
Then every admin URL of an agency host is swept with B's identifiers in it: none
shows anything of B, none answers 5xx.
"""

import json
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from django.utils.functional import empty
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from catalog_pages.services import import_catalogue
from search.models import SynonymGroup
from service_requests import services as request_services
from service_requests.models import Holiday
from service_requests.storage import private_storage
from tenants.constants import AgencyRole, NationalRole
from tenants.services import create_user_in_schema

from .conftest import PASSWORD, SAMPLE, prove_ownership

pytestmark = pytest.mark.django_db

ALLOWED, DENIED = "allowed", "denied"
AGENCY_ROLES = list(AgencyRole)
CITIZEN_ROLES = ["anonymous", "citizen with a code", "citizen with proof"]
NATIONAL_ROLES = list(NationalRole)
ALL_ROLES = CITIZEN_ROLES + AGENCY_ROLES + NATIONAL_ROLES

CITIZENS = {
    "civil-registration": {"national_id": "0084575948", "mobile": "09121234567"},
    "other-agency": {"national_id": "0013542419", "mobile": "09351112233"},
}


def _pdf(marker: str) -> bytes:
    return f"%PDF-1.4\n% {marker}\n%%EOF\n".encode()


def _upload(slot: str, marker: str) -> request_services.Upload:
    content = _pdf(marker)
    return request_services.Upload(
        slot=slot,
        title=slot,
        file=SimpleUploadedFile(f"{slot}.pdf", content),
        kind="pdf",
        size=len(content),
        sha256="0" * 64,
    )


def _request_with_everything(agency, marker: str) -> dict:
    """A request of ``agency`` with a document, a message with a file and an answer."""
    with schema_context(agency.schema_name):
        service = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
    found, _ = request_services.submit_request(
        agency=agency,
        service=service,
        submission_token=uuid.uuid4(),
        data={"child_name": f"نام {marker}"},
        uploads=[_upload("hospital-birth-certificate", f"{marker}-document")],
        **CITIZENS[agency.slug],
    )
    request_services.change_status(found, "accepted", actor="clerk")
    request_services.change_status(found, "in_progress", actor="clerk")
    message = request_services.send_message(
        found,
        sender="agency",
        author="clerk",
        body=f"پیام {marker}",
        attachments=[_upload("note", f"{marker}-attachment")],
    )
    request_services.answer_request(
        found, document=_upload("answer", f"{marker}-answer"), actor="clerk"
    )
    with schema_context(agency.schema_name):
        from wagtail.documents.models import Document

        document = Document.objects.create(title=f"سند {marker}")
        document.file.save(f"{marker}-public.pdf", ContentFile(_pdf(f"{marker}-wagtail")))
    return {
        "request": found,
        "code": found.tracking_code,
        "document": found.documents.get().pk,
        "attachment": message.attachments.get().pk,
        "wagtail_document": (document.pk, document.filename),
        "markers": [
            f"{marker}-document",
            f"{marker}-attachment",
            f"{marker}-answer",
            f"نام {marker}",
            f"پیام {marker}",
            CITIZENS[agency.slug]["national_id"],
            CITIZENS[agency.slug]["mobile"],
            found.tracking_code,
        ],
    }


@pytest.fixture
def world(db, tmp_path, settings, client_for):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRACK_LOOKUPS_PER_WINDOW = 100_000
    private_storage._wrapped = empty
    a = import_catalogue(SAMPLE.read_bytes()).agency
    other = json.loads(SAMPLE.read_text(encoding="utf-8"))
    other["agency"].update(slug="other-agency", name={"fa": "سازمان دیگر"})
    b = import_catalogue(json.dumps(other).encode()).agency
    assert b is not None and b.slug == "other-agency"
    data = {"A": _request_with_everything(a, "AAA"), "B": _request_with_everything(b, "BBB")}
    Holiday.objects.create(date="2027-03-21", title="نوروز")
    SynonymGroup.objects.create(phrases="گواهینامه\nمدرک رانندگی")

    clients = {}  # role → (the host it signed in on, its client there)
    for role in AGENCY_ROLES:
        username = f"user-{AGENCY_ROLES.index(role)}"
        create_user_in_schema(a.schema_name, username=username, password=PASSWORD, roles=[role])
        client = client_for(a.hostname)
        with schema_context(a.schema_name):
            assert client.login(username=username, password=PASSWORD)
        clients[role] = (a.hostname, client)
    for role in NATIONAL_ROLES:
        username = f"national-{NATIONAL_ROLES.index(role)}"
        create_user_in_schema("public", username=username, password=PASSWORD, roles=[role])
        client = client_for("localhost")
        assert client.login(username=username, password=PASSWORD)
        clients[role] = ("localhost", client)
    clients["anonymous"] = ("localhost", client_for("localhost"))
    with_code = client_for("localhost")
    assert with_code.get("/track/", {"code": data["A"]["code"]}).status_code == 200
    clients["citizen with a code"] = ("localhost", with_code)
    owner = client_for("localhost")
    prove_ownership(owner, data["A"]["request"])
    clients["citizen with proof"] = ("localhost", owner)
    browsers = {}

    def browser(role, host):
        """The role's browser on ``host``: cookies are the host's own, as browsers keep them."""
        home, client = clients[role]
        if host == home:
            return client
        return browsers.setdefault((role, host), client_for(host))

    yield {"a": a, "b": b, "data": data, "browser": browser}
    private_storage._wrapped = empty


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _outcome(response) -> str:
    status = response.status_code
    assert status < 500, f"{response.request['PATH_INFO']} answered {status}"
    if status in (200, 400):  # 400: a form shown again with its errors, to someone allowed
        return ALLOWED
    if status == 302:
        location = response["Location"]
        # Wagtail answers "permission denied" by sending staff back to the dashboard.
        if "/login/" in location or location == "/admin/":
            return DENIED
        return ALLOWED
    return DENIED


def _ask(client, host: str, method: str, path: str, data=None):
    call = client.post if method == "POST" else client.get
    return call(path, data or {}, HTTP_HOST=host)


def _resources(world):
    """(name, host, method, path, data, roles allowed) for everything in the matrix."""
    a_host, b_host, portal = world["a"].hostname, world["b"].hostname, "localhost"
    A, B = world["data"]["A"], world["data"]["B"]
    clerk = {AgencyRole.REQUEST_CLERK}
    staff = set(AGENCY_ROLES)
    national = {NationalRole.ADMINISTRATOR}
    owner = {"citizen with proof"}
    everyone = set(ALL_ROLES)
    rows = [
        # A's admin, on A's host.
        ("A: dashboard", a_host, "GET", "/admin/", None, staff),
        ("A: inbox", a_host, "GET", "/admin/requests/", None, clerk),
        ("A: request", a_host, "GET", f"/admin/requests/{A['code']}/", None, clerk),
        (
            "A: request document",
            a_host,
            "GET",
            f"/admin/requests/{A['code']}/documents/{A['document']}/",
            None,
            clerk,
        ),
        (
            "A: message attachment",
            a_host,
            "GET",
            f"/admin/requests/{A['code']}/attachments/{A['attachment']}/",
            None,
            clerk,
        ),
        ("A: answer", a_host, "GET", f"/admin/requests/{A['code']}/response/", None, clerk),
        (
            "A: change status",
            a_host,
            "POST",
            f"/admin/requests/{A['code']}/status/",
            {"status": ""},
            clerk,
        ),
        ("A: message citizen", a_host, "POST", f"/admin/requests/{A['code']}/messages/", {}, clerk),
        (
            "A: catalogue import",
            a_host,
            "GET",
            "/admin/catalogue/import/",
            None,
            {AgencyRole.ADMINISTRATOR},
        ),
        (
            "A: catalogue export",
            a_host,
            "GET",
            "/admin/catalogue/export/",
            None,
            {AgencyRole.ADMINISTRATOR},
        ),
        ("A: users", a_host, "GET", "/admin/users/", None, {AgencyRole.ADMINISTRATOR}),
        (
            "A: survey results",
            a_host,
            "GET",
            "/admin/survey-results/",
            None,
            {AgencyRole.ADMINISTRATOR, AgencyRole.REPORT_VIEWER},
        ),
        (
            "A: management reports",
            a_host,
            "GET",
            "/admin/reports/",
            None,
            {AgencyRole.ADMINISTRATOR, AgencyRole.REPORT_VIEWER},
        ),
        (
            "A: new page",
            a_host,
            "GET",
            "/admin/pages/add/catalog_pages/servicepage/" + _home_id(world["a"]) + "/",
            None,
            {AgencyRole.EDITOR, AgencyRole.REVIEWER},
        ),
        # A's public site and the national portal.
        ("A: service page", a_host, "GET", "/birth-registration/", None, everyone),
        ("A: public status", portal, "GET", f"/track/?code={A['code']}", None, everyone),
        (
            "A: citizen's document",
            portal,
            "GET",
            f"/track/{A['code']}/documents/{A['document']}/",
            None,
            owner,
        ),
        (
            "A: citizen's attachment",
            portal,
            "GET",
            f"/track/{A['code']}/attachments/{A['attachment']}/",
            None,
            owner,
        ),
        ("A: citizen's answer", portal, "GET", f"/track/{A['code']}/response/", None, owner),
        ("A: citizen replies", portal, "POST", f"/track/{A['code']}/messages/", {}, owner),
        # B's everything, from A's host (A's staff are logged in there) and from B's host.
        ("B: request via A", a_host, "GET", f"/admin/requests/{B['code']}/", None, set()),
        (
            "B: document via A",
            a_host,
            "GET",
            f"/admin/requests/{B['code']}/documents/{B['document']}/",
            None,
            set(),
        ),
        (
            "B: attachment via A",
            a_host,
            "GET",
            f"/admin/requests/{B['code']}/attachments/{B['attachment']}/",
            None,
            set(),
        ),
        ("B: answer via A", a_host, "GET", f"/admin/requests/{B['code']}/response/", None, set()),
        (
            "B: status via A",
            a_host,
            "POST",
            f"/admin/requests/{B['code']}/status/",
            {"status": "rejected", "note": "x"},
            set(),
        ),
        ("B: inbox", b_host, "GET", "/admin/requests/", None, set()),
        ("B: request", b_host, "GET", f"/admin/requests/{B['code']}/", None, set()),
        ("B: dashboard", b_host, "GET", "/admin/", None, set()),
        ("B: users", b_host, "GET", "/admin/users/", None, set()),
        ("B: survey results", b_host, "GET", "/admin/survey-results/", None, set()),
        (
            "B: wagtail document via A",
            a_host,
            "GET",
            "/documents/{}/{}".format(*B["wagtail_document"]),
            None,
            set(),
        ),
        (
            "B: citizen's document",
            portal,
            "GET",
            f"/track/{B['code']}/documents/{B['document']}/",
            None,
            set(),
        ),
        ("B: citizen's answer", portal, "GET", f"/track/{B['code']}/response/", None, set()),
        ("B: citizen replies", portal, "POST", f"/track/{B['code']}/messages/", {}, set()),
        ("media of B", a_host, "GET", f"/media/{world['b'].schema_name}/documents/", None, set()),
    ]
    national_screens = [
        "/admin/sms_outbox/",
        "/admin/sms_received/",
        "/admin/sandbox_phone/",
        "/admin/official_holidays/",
        "/admin/official_holidays/new/",
        "/admin/search_synonyms/",
        "/admin/taxonomy_topics/",
        "/admin/taxonomy_life_events/new/",
        "/admin/agencies/onboard/",
        "/admin/supervisors/",
        "/admin/national-survey-results/",
    ]
    for path in national_screens:
        rows.append((f"national {path} via A", a_host, "GET", path, None, set()))
        rows.append((f"national {path}", portal, "GET", path, None, national))
    # Reports of the national portal (nothing to change in them): supervisors read them too.
    readers = {NationalRole.ADMINISTRATOR, NationalRole.PROVINCIAL_SUPERVISOR}
    for path in (
        "/admin/unanswered-searches/",
        "/admin/unanswered-searches/?export=csv",
        "/admin/agencies/",  # the registry: a supervisor reads their provinces' agencies
        "/admin/national-reports/",
    ):
        rows.append((f"national {path} via A", a_host, "GET", path, None, set()))
        rows.append((f"national {path}", portal, "GET", path, None, readers))
    rows.append(
        (
            "national: add a holiday via A",
            a_host,
            "POST",
            "/admin/official_holidays/new/",
            {"date": "2027-01-05", "title": "تعطیل ساختگی"},
            set(),
        )
    )
    rows.append(("national dashboard", portal, "GET", "/admin/", None, set(NATIONAL_ROLES)))
    rows.append(("search API", portal, "GET", "/api/v1/search?q=ولادت", None, everyone))
    return rows


def _home_id(agency) -> str:
    from catalog_pages.models import AgencyHomePage

    with schema_context(agency.schema_name):
        return str(AgencyHomePage.objects.get(locale__language_code="fa").pk)


def test_every_role_reaches_exactly_its_own_agencys_resources(world, capsys):
    b_markers = world["data"]["B"]["markers"]
    checked = 0
    wrong = []
    for name, host, method, path, data, allowed_roles in _resources(world):
        for role in ALL_ROLES:
            response = _ask(world["browser"](role, host), host, method, path, data)
            outcome = _outcome(response)
            expected = ALLOWED if role in allowed_roles else DENIED
            if outcome != expected:
                wrong.append(f"{role} → {name} ({method} {host}{path}): {response.status_code}")
            # B's data is the national screens' business on the portal, nobody else's.
            if not name.startswith("B") and not (
                host == "localhost" and name.startswith("national")
            ):
                body = _body(response)
                leaked = [marker for marker in b_markers if marker in body]
                if leaked:
                    wrong.append(f"{role} → {name}: shows agency B's {leaked}")
            checked += 1
    assert not Holiday.objects.filter(title="تعطیل ساختگی").exists()
    with capsys.disabled():
        print(f"\naccess matrix: {checked} (role, resource) pairs checked")
    assert not wrong, "\n".join(wrong)
    assert checked >= 400


def _admin_paths():
    """Every admin URL pattern of an agency host, with converters left to fill in."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, text)
            else:
                yield text

    for text in walk(get_resolver("config.urls_tenant").url_patterns):
        if text.startswith("admin/"):
            yield "/" + text.replace("^", "").replace("$", "").replace("\\Z", "")


_PUBLIC_MODELS = [
    ("service_requests", "servicerequest"),
    ("service_requests", "holiday"),
    ("notifications", "smsmessage"),
    ("notifications", "inboundsms"),
    ("notifications", "sandboxsms"),
    ("tenants", "agency"),
    ("service_search", "synonymgroup"),
    ("taxonomy", "topic"),
    ("taxonomy", "lifeevent"),
]


def _fill(path: str, b: dict) -> list[str]:
    """``path`` with agency B's identifiers (and public-schema models) in its converters."""
    models = _PUBLIC_MODELS if re.search(r"<(slug|str):(app_|content_type_app)", path) else [None]
    filled = []
    for model in models:
        text = path
        if model:
            text = re.sub(
                r"<(?:slug|str):(?:app_label|app_name|content_type_app_name)>", model[0], text
            )
            text = re.sub(r"<(?:slug|str):(?:model_name|content_type_model_name)>", model[1], text)
        text = re.sub(r"<str:code>", b["code"], text)
        text = re.sub(r"<(?:int:|str:)?[a-z_]*(?:pk|id)[a-z_]*>", str(b["document"]), text)
        text = re.sub(r"<[^>]+>", "x", text)
        if "(" not in text and "[" not in text:
            filled.append(text)
    return filled


def test_no_admin_url_of_an_agency_shows_another_agencys_data(world, capsys):
    b = world["data"]["B"]
    host = world["a"].hostname
    paths = sorted({filled for path in _admin_paths() for filled in _fill(path, b)})
    leaks = []
    for role in (AgencyRole.ADMINISTRATOR, AgencyRole.REQUEST_CLERK):
        client = world["browser"](role, host)
        for path in paths:
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code < 500, f"{role} GET {path}: {response.status_code}"
            body = _body(response)
            leaked = [marker for marker in b["markers"] if marker in body]
            if leaked:
                leaks.append(f"{role} GET {path}: {leaked}")
    with capsys.disabled():
        print(f"\nadmin sweep: {len(paths)} admin URLs × 2 roles on an agency host")
    assert not leaks, "\n".join(leaks)
    assert len(paths) > 150
