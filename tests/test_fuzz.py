"""Fuzz every public GET and POST parameter: whatever is typed, nothing answers 5xx.

Against the test server (Django's test client, the real embedded PostgreSQL test
database), on the national portal (``localhost``) and on an agency's site
(``civil-registration.localhost``, the sample catalogue imported), Persian and
English (``/en/``). Values: digits of every script (superscripts, full-width,
Devanagari…), huge numbers, NUL and other control characters, very long and
arbitrary (surrogate-free) text, empty, and the real codes of a real request.
The client raises a view's exception, so a failure shows its traceback.
"""

import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_pages.models import ServicePage
from service_requests import services as request_services
from service_requests.constants import RequestStatus
from surveys import tokens as survey_tokens
from tenants.models import Agency
from tenants.services import create_editor_invitation

from .conftest import PDF, prove_ownership


def fuzz(examples: int):
    """Bounded: all the fuzz tests together take well under a minute."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


SCRIPTS = [
    "0123456789",
    "۰۱۲۳۴۵۶۷۸۹",  # Persian
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "０１２３４５６７８９",  # full-width
    "०१२३४५६७८९",  # Devanagari
    "⁰¹²³⁴⁵⁶⁷⁸⁹",  # superscript
    "₀₁₂₃₄₅₆₇₈₉",  # subscript
    "০১২৩৪৫৬৭৮৯",  # Bengali
    "๐๑๒๓๔๕๖๗๘๙",  # Thai
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
]
ALL_DIGITS = "".join(SCRIPTS)


def _in_script(text: str, script: str) -> str:
    return text.translate(str.maketrans("0123456789", script))


_numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.from_regex(r"[0-9]{1,16}", fullmatch=True),
)
VALUES = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.builds(_in_script, _numbers, st.sampled_from(SCRIPTS)),
    st.text(alphabet=ALL_DIGITS + "-/:.,+ ٬", max_size=30),
    st.builds(
        lambda n, script: _in_script("9" * n, script),
        st.integers(min_value=16, max_value=6000),
        st.sampled_from(SCRIPTS),
    ),
    st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=12), st.text(max_size=12)),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=12),
    st.builds(lambda s, n: (s * n)[:n], st.text(min_size=1, max_size=4), st.integers(200, 5000)),
    st.sampled_from(["1403/01/15", "۱۴۰۳/۱۲/۳۰", "1403-13-40", "0000/00/00", "9999/99/99"]),
    st.sampled_from(["09:30", "۰۹:۳۰", "24:00", "99:99", "0084575948", "09121234567"]),
)


@dataclass
class World:
    tracking_code: str
    answered_code: str
    verification_code: str
    document_pk: int
    national_id: str
    mobile: str
    page_ids: list
    invitation_token: str
    staff: Client
    request: object = None
    survey_token: str = ""
    # The owner's session proof, once made (see _claim_ownership).
    proved_session: list = field(default_factory=list)

    def known(self) -> list[str]:
        return [
            self.tracking_code,
            self.answered_code,
            self.verification_code,
            self.verification_code.lower(),
            str(self.document_pk),
            self.national_id,
            self.mobile,
            self.invitation_token,
            *map(str, self.page_ids),
        ]


@pytest.fixture
def world(setting, settings):
    settings.TRACK_LOOKUPS_PER_WINDOW = 10**9  # rate limiting must not hide the views
    settings.OWNERSHIP_CODE_RESEND_SECONDS = 0
    settings.OWNERSHIP_CODES_PER_MOBILE_HOUR = 10**9
    settings.OWNERSHIP_CODES_PER_CLIENT_HOUR = 10**9
    settings.OWNERSHIP_CODE_FAILURES_PER_CLIENT_HOUR = 10**9
    first = setting["request"]
    agency = Agency.objects.get(slug="civil-registration")
    with schema_context(agency.schema_name):
        service = ServicePage.objects.get(slug="birth-registration", locale__language_code="fa")
        page_ids = list(ServicePage.objects.live().values_list("pk", flat=True))
    second, _ = request_services.submit_request(
        agency=agency,
        service=service,
        submission_token=uuid.uuid4(),
        data={"child_name": "سارا"},
        uploads=[],
        national_id="0084575948",
        mobile="09121234567",
    )
    for status in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS):
        request_services.change_status(first, status, actor="clerk")
        request_services.change_status(second, status, actor="clerk")
    response = request_services.answer_request(
        second,
        document=request_services.Upload(
            slot="",
            title="پاسخ",
            file=SimpleUploadedFile("answer.pdf", PDF),
            kind="pdf",
            size=len(PDF),
            sha256="1" * 64,
        ),
        actor="clerk",
    )
    token = create_editor_invitation(agency).rstrip("/").rsplit("/", 1)[-1]
    return World(
        tracking_code=first.tracking_code,
        answered_code=second.tracking_code,
        verification_code=response.verification_code,
        document_pk=first.documents.first().pk,
        national_id="0084575948",
        mobile="09121234567",
        page_ids=page_ids,
        invitation_token=token,
        staff=setting["a"],
        request=first,
        survey_token=survey_tokens.token_for(second),
    )


def _value(data, world: World) -> str:
    return data.draw(st.one_of(VALUES, st.sampled_from(world.known())))


def _params(data, world: World, names) -> dict:
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    return {name: _value(data, world) for name in chosen}


def _segment(data, world: World) -> str:
    """A path segment: a known code or anything, percent-encoded (NUL and all)."""
    return quote(_value(data, world) or "x", safe="")


def _ok(response, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"


def _prefix(data) -> str:
    return data.draw(st.sampled_from(["", "/en"]))


# The national portal -------------------------------------------------------------------

SEARCH_PARAMS = ["q", "page", "agency", "level", "delivery", "audience", "province"]
NATIONAL_GET = {
    "/search/": [*SEARCH_PARAMS, "log"],
    "/search/open/": ["to", "log", "position"],
    "/track/": ["code"],
    "/verify/": ["code"],
    "/": ["page"],
}
API_GET = {
    "/api/v1/search": [*SEARCH_PARAMS, "limit", "offset"],
    "/api/v1/search/suggest": ["q"],
}


@fuzz(300)
@given(data=st.data())
def test_national_portal_get_parameters(world, client_for, data):
    client = client_for("localhost")
    if data.draw(st.booleans()):
        path, names = data.draw(st.sampled_from(sorted(NATIONAL_GET.items())))
        path = _prefix(data) + path
    else:
        path, names = data.draw(st.sampled_from(sorted(API_GET.items())))
    params = _params(data, world, names)
    _ok(client.get(path, params), f"GET {path} {params!r}")


def _claim_ownership(client, world, prefix: str) -> None:
    from service_requests.views import OWNED_SESSION_KEY

    if not world.proved_session:
        prove_ownership(client, world.request, prefix=prefix)
        world.proved_session.append(client.session[OWNED_SESSION_KEY])
        return
    session = client.session
    session[OWNED_SESSION_KEY] = world.proved_session[0]
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key


@fuzz(200)
@given(data=st.data())
def test_national_portal_paths_and_posts(world, client_for, data):
    client = client_for("localhost")
    prefix = _prefix(data)
    code = data.draw(st.one_of(st.just(world.tracking_code), st.just(_segment(data, world))))
    if data.draw(st.booleans()):  # the owner, proved in this session
        # Proved once through the texted code (the limits on codes would refuse the next
        # examples' asking); later examples carry that proof in their session as it is kept.
        _claim_ownership(client, world, prefix)
    pk = data.draw(
        st.one_of(st.just(world.document_pk), st.integers(min_value=0, max_value=10**30))
    )
    kind = data.draw(
        st.sampled_from(
            [
                "send-code",
                "prove",
                "reply",
                "document",
                "attachment",
                "response",
                "verify",
                "verify-post",
                "survey",
            ]
        )
    )
    if kind == "send-code":
        params = _params(data, world, ["code"])
        response = client.post(f"{prefix}/track/code/", params)
    elif kind == "prove":
        params = _params(data, world, ["code", "otp"])
        response = client.post(f"{prefix}/track/prove/", params)
    elif kind == "survey":
        params = _params(
            data, world, ["overall", "time_kept", "staff_conduct", "clarity", "comment"]
        )
        token = data.draw(st.one_of(st.just(world.survey_token), st.just(_segment(data, world))))
        response = client.post(f"{prefix}/survey/{token}/", params)
    elif kind == "reply":
        params = _params(data, world, ["body"])
        response = client.post(f"{prefix}/track/{code}/messages/", params)
    elif kind == "document":
        params = {}
        response = client.get(f"{prefix}/track/{code}/documents/{pk}/")
    elif kind == "attachment":
        params = {}
        response = client.get(f"{prefix}/track/{code}/attachments/{pk}/")
    elif kind == "response":
        params = {}
        response = client.get(f"{prefix}/track/{code}/response/")
    else:
        verification = data.draw(
            st.one_of(st.just(world.verification_code), st.just(_segment(data, world)))
        )
        params = _params(data, world, ["code"])
        path = f"{prefix}/verify/{verification}/"
        if kind == "verify":
            response = client.get(path, params)
        else:
            upload = SimpleUploadedFile("held.pdf", data.draw(st.binary(max_size=64)) or b"x")
            response = client.post(path, {**params, "document": upload})
    _ok(response, f"{kind} {code!r} {pk!r} {params!r}")


# An agency's site ----------------------------------------------------------------------

AGENCY = "civil-registration.localhost"
FORM_FIELDS = {
    "birth-registration": [
        "field_father_national_id",
        "field_mother_national_id",
        "field_mobile",
        "field_child_name",
    ],
    "smart-national-id-card": [
        "field_national_id",
        "field_mobile",
        "field_birth_date",
        "field_request_kind",
        "field_postal_code",
    ],
}


def _page(slug: str):
    agency = Agency.objects.get(slug="civil-registration")
    with schema_context(agency.schema_name):
        page = ServicePage.objects.get(slug=slug, locale__language_code="fa")
        return page.pk, [document.slug for document in page.documents.all()]


@fuzz(200)
@given(data=st.data())
def test_agency_request_form_posts(world, client_for, data):
    client = client_for(AGENCY)
    slug = data.draw(st.sampled_from(sorted(FORM_FIELDS)))
    page_id, document_slugs = _page(slug)
    fields = _params(data, world, [*FORM_FIELDS[slug], "submission_token"])
    for document in data.draw(st.lists(st.sampled_from(document_slugs), unique=True)):
        content = data.draw(st.sampled_from([PDF, b"", b"\x89PNG\r\n\x1a\n", b"<html>"]))
        fields[f"document_{document}"] = SimpleUploadedFile(
            data.draw(st.sampled_from(["a.pdf", "b.png", "c", "\u202eexe.pdf"])), content
        )
    where = data.draw(st.sampled_from([f"/apply/{page_id}/", f"/{slug}/apply/"]))
    path = _prefix(data) + where
    response = client.post(path, fields)
    _ok(response, f"POST {path} {fields!r}")


@fuzz(200)
@given(data=st.data())
def test_agency_pages_invitation_and_login(world, client_for, data):
    client = client_for(AGENCY)
    prefix = _prefix(data)
    kind = data.draw(
        st.sampled_from(
            ["service", "form", "receipt", "apply-id", "invitation", "invitation-post", "login"]
        )
    )
    params = {}
    if kind == "service":
        slug = data.draw(st.sampled_from([*FORM_FIELDS, _segment(data, world)]))
        params = _params(data, world, ["q", "page", "p"])
        response = client.get(f"{prefix}/{slug}/", params)
    elif kind == "form":
        params = _params(data, world, ["submission_token"])
        response = client.get(f"{prefix}/birth-registration/apply/", params)
    elif kind == "receipt":
        code = data.draw(st.one_of(st.just(world.tracking_code), st.just(_segment(data, world))))
        response = client.get(f"{prefix}/birth-registration/apply/done/{code}/")
    elif kind == "apply-id":
        page_id = data.draw(st.one_of(st.sampled_from(world.page_ids), st.integers(0, 10**30)))
        response = client.post(f"{prefix}/apply/{page_id}/", {})
    elif kind in ("invitation", "invitation-post"):
        token = data.draw(
            st.one_of(st.just(world.invitation_token), st.just(_segment(data, world)))
        )
        if kind == "invitation":
            response = client.get(f"/invitation/{token}/")
        else:
            params = _params(
                data,
                world,
                ["username", "first_name", "last_name", "email", "password1", "password2"],
            )
            response = client.post(f"/invitation/{token}/", params)
    else:
        params = _params(data, world, ["username", "password", "next"])
        if data.draw(st.booleans()):
            response = client.post("/admin/login/", params)
        else:
            response = client.get("/admin/login/", params)
    _ok(response, f"{kind} {params!r}")


# The agency's staff (inbox filters and workflow forms) ---------------------------------


@fuzz(150)
@given(data=st.data())
def test_staff_inbox_filters_and_forms(world, data):
    staff = world.staff
    code = data.draw(st.one_of(st.just(world.tracking_code), st.just(_segment(data, world))))
    kind = data.draw(st.sampled_from(["inbox", "detail", "extend", "step", "status", "message"]))
    if kind == "inbox":
        params = _params(
            data, world, ["status", "service", "overdue", "submitted_from", "submitted_to", "p"]
        )
        response = staff.get("/admin/requests/", params)
    elif kind == "detail":
        params = {}
        response = staff.get(f"/admin/requests/{code}/")
    elif kind == "extend":
        params = _params(data, world, ["days", "reason"])
        response = staff.post(f"/admin/requests/{code}/extend/", params)
    elif kind == "step":
        params = _params(data, world, ["step", "note", "visit_date", "visit_time", "visit_place"])
        response = staff.post(f"/admin/requests/{code}/step/", params)
    elif kind == "status":
        params = _params(data, world, ["status", "note"])
        response = staff.post(f"/admin/requests/{code}/status/", params)
    else:
        params = _params(data, world, ["body"])
        response = staff.post(f"/admin/requests/{code}/messages/", params)
    _ok(response, f"{kind} {code!r} {params!r}")
