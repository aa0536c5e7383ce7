"""A citizen's view in a real browser: Debian's Chromium driven by Playwright, checked by axe.

The pages are served by granian, as in production, from the test database, in
which the sample catalogue is committed (tests/committed.py: the "browser" world).
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .committed import worlds
from .conftest import make_pdf
from .fixtures.servers import free_port, start_granian

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (
    Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "sample-agency.json"
)
CHROMIUM = "/usr/bin/chromium"
STAFF_PASSWORD = "a-long-Passphrase-for-tests-42"  # noqa: S105 - a test account
SCREENSHOTS = Path(os.environ.get("PANJEREH_SCREENSHOT_DIR", ROOT / "var" / "screenshots"))

pytestmark = [
    pytest.mark.browser,
    # Also makes pytest-django set up the test database when this module runs alone
    # (it only does for sessions with a database-marked test).
    pytest.mark.django_db,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module", autouse=True)
def _database_calls_beside_playwright():
    """Playwright's sync API keeps an event loop running in this thread, so Django
    takes the test transaction's own database calls for async ones: allow them here."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@worlds.register("browser", slugs=("civil-registration",), commit_hooks=True)
def _browser_world(agencies):
    """The sample agency, indexed, with a request clerk and an editor."""
    from catalog_pages.services import import_catalogue
    from tenants.constants import AgencyRole
    from tenants.services import create_user_in_schema

    report = import_catalogue(SAMPLE.read_bytes())
    assert report.ok, report.errors
    agencies.append(report.agency)
    for username, role in (("clerk", AgencyRole.REQUEST_CLERK), ("editor", AgencyRole.EDITOR)):
        create_user_in_schema(
            report.agency.schema_name, username=username, password=STAFF_PASSWORD, roles=[role]
        )
    return report.agency


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """The sample agency, committed so another process can serve it (tests/committed.py:
    removed after the module)."""
    from wagtail.models import ModelLogEntry

    assert connection.settings_dict["NAME"].startswith("test_"), "never the real database"
    agency = worlds.ensure("browser", django_db_blocker)
    # The module's fixtures (the server's clean-up too) reach the database while it lasts.
    with django_db_blocker.unblock():
        yield agency
        connection.set_schema_to_public()
        from service_requests.models import ServiceRequest

        ServiceRequest.objects.filter(agency=agency).delete()
        # The server committed cache entries, rate counters and search logs: later tests
        # start without them.
        from django.core.cache import caches

        from search.models import QueryLog
        from tenants.models import RateCounter

        caches["default"].clear()
        RateCounter.objects.all().delete()
        # ...and the jobs it deferred (the SMS of the requests it took).
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM public.procrastinate_jobs WHERE id > %s", [worlds.current.last_job]
            )
        QueryLog.objects.all().delete()
        ModelLogEntry.objects.filter(action__startswith="panjereh.").delete()


SERVER_APPLICATION_NAME = "panjereh-browser-test-server"


@pytest.fixture(scope="module")
def server(catalogue):
    port = free_port()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "PANJEREH_DATABASE_NAME": database["NAME"],
        "PUBLIC_PORT": str(port),
        # libpq names the server's connections, so that only they are ended afterwards.
        "PGAPPNAME": SERVER_APPLICATION_NAME,
    }
    try:
        process = start_granian(port, env)
    except RuntimeError as error:
        pytest.fail(str(error))
    yield f"http://{catalogue.slug}.{settings.BASE_DOMAIN}:{port}"
    process.terminate()
    process.wait(timeout=20)
    # granian's worker may still hold a connection for a moment: end it, so the test
    # database can be dropped at the end of the session. Only the server's: with
    # Playwright's event loop in this thread, the fixtures' own connection may be another
    # than ``connection`` here, and ending it broke the next module's fixtures.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SERVER_APPLICATION_NAME],
        )


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Every violation the page reports: Chromium's console message and the DOM event.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`securitypolicyviolation: ${event.violatedDirective} blocked `
        + `${event.blockedURI || "inline"} in ${event.sourceFile}:${event.lineNumber}`);
});
"""


def _watch_csp(context) -> list[str]:
    """Collect the Content Security Policy violations of every page of ``context``."""
    violations: list[str] = []
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    context.on(
        "console",
        lambda message: (
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")
            if "Content Security Policy" in message.text
            or "securitypolicyviolation" in message.text
            else None
        ),
    )
    return violations


def _policies(response) -> list[str]:
    return [
        value
        for name, value in (
            (header["name"], header["value"]) for header in response.headers_array()
        )
        if name.lower() == "content-security-policy"
    ]


def _policy_directives(policy: str) -> set[str]:
    return {part.strip() for part in policy.split(";") if part.strip()}


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize(
    ("width", "height", "label"), [(390, 844, "phone"), (1280, 900, "desktop")]
)
def test_service_page_in_persian_is_rtl_accessible_and_described_for_machines(
    browser, server, width, height, label
):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server}/smart-national-id-card/")

    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "fa"
    assert page.locator("h1").inner_text() == "صدور کارت هوشمند ملی"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The Jalali "last updated" date: a Persian month name and Persian digits.
    meta = page.locator(".meta").inner_text()
    assert any(
        month in meta
        for month in (
            "فروردین",
            "اردیبهشت",
            "خرداد",
            "تیر",
            "مرداد",
            "شهریور",
            "مهر",
            "آبان",
            "آذر",
            "دی",
            "بهمن",
            "اسفند",
        )
    )
    assert any(digit in meta for digit in "۰۱۲۳۴۵۶۷۸۹")
    structured = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert structured["@type"] == "GovernmentService"
    assert _serious_violations(page) == []

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"service-{label}.png", full_page=True)
    page.goto(f"{server}/")
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / f"agency-home-{label}.png", full_page=True)
    page.close()


def test_language_switch_turns_the_service_page_english_and_ltr(browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/smart-national-id-card/")

    page.get_by_role("link", name="English").click()

    assert page.url.endswith("/en/smart-national-id-card/")
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.locator("h1").inner_text() == "Smart national ID card issuance"
    assert _serious_violations(page) == []
    page.close()


def test_search_box_suggests_service_titles_as_the_citizen_types(browser, server):
    portal = server.replace(f"//{server.split('//')[1].split('.')[0]}.", "//", 1)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{portal}/")

    page.get_by_label("به چه خدمتی نیاز دارید؟").press_sequentially("کارت هوش", delay=30)

    options = page.locator("#search-suggestions option")
    options.first.wait_for(state="attached", timeout=5000)
    assert "صدور کارت هوشمند ملی" in [
        options.nth(i).get_attribute("value") for i in range(options.count())
    ]
    page.close()


def _pdf(text: str) -> dict:
    return {
        "name": f"{text}.pdf",
        "mimeType": "application/pdf",
        "buffer": make_pdf(title=text),
    }


def test_a_citizen_applies_and_an_agency_answers(browser, server):
    """From the agency's home page to the answer in the citizen's hands, in a real browser."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    portal = server.replace(f"//{server.split('//')[1].split('.')[0]}.", "//", 1)
    citizen = browser.new_context(viewport={"width": 390, "height": 844})
    citizen_violations = _watch_csp(citizen)
    page = citizen.new_page()

    # Search-free navigation: agency home → service → apply.
    page.goto(f"{server}/")
    page.get_by_role("link", name="ثبت ولادت").first.click()
    page.get_by_role("link", name="درخواست برخط").click()

    # Two mistakes: a father's national code that fails its check digit, a missing document.
    page.fill('[name="field_father_national_id"]', "1234567890")
    page.fill('[name="field_mother_national_id"]', "۰۰۸۴۵۷۵۹۴۸")
    page.fill('[name="field_mobile"]', "۰۹۱۲۱۲۳۴۵۶۷")
    page.fill('[name="field_child_name"]', "آرش")
    page.set_input_files('[name="document_hospital-birth-certificate"]', _pdf("hospital"))
    page.get_by_role("button", name="ارسال درخواست").click()

    errors = page.locator("#errors li")
    assert errors.count() == 2
    assert "کد ملی پدر" in errors.nth(0).inner_text()
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "request-form-errors-phone.png", full_page=True)

    # Fix both; the hospital certificate is kept and need not be attached again.
    page.fill('[name="field_father_national_id"]', "0499370899")
    page.set_input_files('[name="document_parents-id-cards"]', _pdf("parents"))
    page.get_by_role("button", name="ارسال درخواست").click()

    assert re.search(r"/apply/[0-9]+/done/[0-9]{13}/$", page.url), page.url
    code = "".join(
        str("۰۱۲۳۴۵۶۷۸۹".index(ch)) if ch in "۰۱۲۳۴۵۶۷۸۹" else ch
        for ch in page.locator(".receipt__code").inner_text()
        if ch not in "-"
    )
    assert len(code) == 13
    assert page.locator("svg.qr").count() == 1
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "request-receipt-phone.png", full_page=True)
    # "Print or save as PDF" opens the print dialogue (a script file, no onclick).
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="چاپ یا ذخیره به‌صورت PDF").click()
    assert page.evaluate("window.printed === true")
    # The printed receipt is the code, facts and QR code only.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="چاپ یا ذخیره به‌صورت PDF").is_visible()
    assert page.locator(".receipt__code").is_visible()
    receipt_pdf = page.pdf(format="A4")
    assert receipt_pdf.startswith(b"%PDF") and len(receipt_pdf) > 10_000
    (SCREENSHOTS / "request-receipt.pdf").write_bytes(receipt_pdf)
    page.emulate_media(media="screen")

    page.goto(f"{portal}/track/?code={code}")
    assert "ثبت شد" in page.locator(".facts__list > div").nth(1).inner_text()  # the status

    # The agency's clerk: inbox → accept → work on it → answer with a document.
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_violations = _watch_csp(staff)
    desk = staff.new_page()
    desk.goto(f"{server}/admin/login/")
    desk.fill('[name="username"]', "clerk")
    desk.fill('[name="password"]', STAFF_PASSWORD)
    desk.locator('button[type="submit"]').first.click()
    desk.goto(f"{server}/admin/requests/")
    assert code in desk.locator("table.listing").inner_text()
    desk.screenshot(path=SCREENSHOTS / "request-inbox-desktop.png", full_page=True)
    desk.get_by_role("link", name=code).click()
    for status in ("accepted", "in_progress"):
        desk.select_option('[name="status"]', status)
        desk.get_by_role("button", name="ذخیره").click()
    desk.set_input_files('[name="document"]', _pdf("answer"))
    desk.get_by_role("button", name="صدور پاسخ").click()
    assert "پاسخ داده شد" in desk.locator(".request-detail").inner_text()
    desk.screenshot(path=SCREENSHOTS / "request-detail-desktop.png", full_page=True)

    # The citizen proves ownership with the code texted to the mobile and downloads the answer.
    page.goto(f"{portal}/track/?code={code}")
    assert "۰۹۱۲***۴۵۶۷" in page.locator("#proof-heading + p").inner_text()  # masked
    page.get_by_role("button", name="ارسال کد").click()
    assert "پیامک شد" in page.locator('[role="status"]').first.inner_text()
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "request-proof-phone.png", full_page=True)
    page.fill('[name="otp"]', _texted_code("09121234567"))
    page.get_by_role("button", name="نمایش جزئیات").click()
    link = page.get_by_role("link", name="دریافت پاسخ")
    answer = page.request.get(portal + link.get_attribute("href"))
    assert answer.ok and answer.body() == _pdf("answer")["buffer"]
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "request-tracking-phone.png", full_page=True)

    # The clerk closes the request; the citizen, still proved, rates the service.
    desk.select_option('[name="status"]', "closed")
    desk.get_by_role("button", name="ذخیره").click()
    page.goto(f"{portal}/track/?code={code}")
    page.get_by_role("link", name="ارزیابی خدمت").click()
    for name, value in (
        ("overall", "4"),
        ("time_kept", "yes"),
        ("staff_conduct", "5"),
        ("clarity", "4"),
    ):
        page.locator(f'[name="{name}"][value="{value}"]').check()
    assert page.locator("fieldset legend").count() == 4
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "survey-phone.png", full_page=True)
    page.get_by_role("button", name="ارسال پاسخ‌هایم").click()
    assert "سپاسگزاریم" in page.locator("main").inner_text()
    citizen.close()
    staff.close()
    # Form, receipt (its print button), tracking and the agency's inbox: nothing blocked.
    assert citizen_violations == [] and staff_violations == []


def _texted_code(mobile: str) -> str:
    """The one-time code the server queued: its SMS jobs run here, on committed rows, in a
    thread of their own (Playwright's event loop holds this one)."""
    import threading

    from .conftest import sent_code

    out = {}

    def work():
        try:
            out["code"] = sent_code(mobile)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    return out["code"]


@pytest.fixture(scope="module")
def teal_agency(catalogue, django_db_blocker):
    """The sample agency with the teal accent (committed, so the server sees it)."""
    from django_tenants.utils import schema_context
    from wagtail.models import Site

    from themes.constants import AccentColour
    from themes.models import AgencyBranding

    def paint(colour):
        with django_db_blocker.unblock(), schema_context(catalogue.schema_name):
            branding = AgencyBranding.for_site(Site.objects.get(is_default_site=True))
            branding.accent_colour = colour
            branding.save()

    paint(AccentColour.TEAL)
    yield catalogue
    paint(AccentColour.BLUE)


def test_public_pages_have_a_strict_content_security_policy_and_break_none_of_it(
    browser, server, teal_agency
):
    """Portal, agency home, service page, request form, tracking: no inline script or style
    anywhere, and nothing on them is blocked (the autocomplete, the agency's accent)."""
    portal = server.replace(f"//{teal_agency.slug}.", "//", 1)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    violations = _watch_csp(context)
    page = context.new_page()
    try:
        for url, status in (
            (f"{portal}/", 200),
            (f"{portal}/search/?q=%DA%A9%D8%A7%D8%B1%D8%AA", 200),
            (f"{portal}/track/", 200),
            (f"{portal}/track/?code=1234", 200),  # a mistyped code, explained on the page
            (f"{portal}/verify/", 200),
            (f"{server}/", 200),
            (f"{server}/smart-national-id-card/", 200),
            (f"{server}/birth-registration/apply/", 200),
        ):
            response = page.goto(url)
            assert response.status == status, url
            (policy,) = _policies(response)
            assert _policy_directives(policy) == _policy_directives(STRICT_CSP), url
            html = page.content()
            assert "<style" not in html and " style=" not in html and " onclick=" not in html, url

        # The agency's accent comes from the stylesheet (a class), not an inline style.
        page.goto(f"{server}/")
        assert page.get_attribute("html", "class") == "accent-teal"
        assert (
            page.evaluate(
                "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
            )
            == "rgb(0, 105, 92)"
        )

        # The autocomplete's script and its request to the portal's API are allowed.
        page.goto(f"{portal}/")
        page.get_by_label("به چه خدمتی نیاز دارید؟").press_sequentially("کارت هوش", delay=30)
        page.locator("#search-suggestions option").first.wait_for(state="attached", timeout=5000)

        # Posting the request form (and its errors) stays on the agency's host.
        page.goto(f"{server}/birth-registration/apply/")
        page.get_by_role("button", name="ارسال درخواست").click()
        assert page.locator("#errors li").count() >= 1
        # The tracking page's ownership form posts to the portal itself.
        page.goto(f"{portal}/track/?code=1234")
        assert page.locator('[role="alert"]').count() >= 1
    finally:
        context.close()
    assert violations == [], "\n".join(violations)


def test_the_wagtail_admin_works_under_its_own_policy(browser, server, catalogue):
    from django_tenants.utils import schema_context

    from catalog_pages.models import ServicePage

    with schema_context(catalogue.schema_name):
        service = ServicePage.objects.get(slug="smart-national-id-card", locale__language_code="fa")
        home = service.get_parent()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    violations = _watch_csp(context)
    desk = context.new_page()
    response = desk.goto(f"{server}/admin/login/")
    (policy,) = _policies(response)
    # Relaxed: Wagtail's editor runs inline scripts (checked: 'self' alone blocks them).
    assert "'unsafe-inline'" in policy and "frame-ancestors 'self'" in policy
    # An editor (a role, as in real life): the page tree, the editor, its live preview.
    desk.fill('[name="username"]', "editor")
    desk.fill('[name="password"]', STAFF_PASSWORD)
    desk.locator('button[type="submit"]').first.click()
    desk.wait_for_url(f"{server}/admin/")
    # The dashboard, the page tree and a service's editor (StreamField, rich text,
    # side panels, the live preview) load and work.
    tree = desk.goto(f"{server}/admin/pages/{home.pk}/")
    assert tree.status == 200
    assert "صدور کارت هوشمند ملی" in desk.locator("table.listing").inner_text()
    desk.goto(f"{server}/admin/pages/{service.pk}/edit/")
    title = desk.locator('[name="title"]')
    title.wait_for(state="visible", timeout=10000)
    assert title.input_value() == "صدور کارت هوشمند ملی"
    # The live preview: the public page (under the public policy) framed by the admin.
    desk.locator('[data-side-panel-toggle="preview"]').click()
    preview = desk.frame_locator("#w-preview-iframe")
    assert preview.locator("h1").inner_text(timeout=15000) == "صدور کارت هوشمند ملی"
    context.close()
    assert violations == [], "\n".join(violations)


# The national portal's home: a few more agencies, their services tagged with topics and
# life events, and citizens' clicks, beside the sample agency (index rows only).
_PORTAL_AGENCIES = [
    ("tax-affairs", "سازمان امور مالیاتی کشور", "organization", ""),
    ("health-ministry", "وزارت بهداشت، درمان و آموزش پزشکی", "ministry", ""),
    ("tehran-municipality", "شهرداری تهران", "municipality", "tehran"),
    ("isfahan-roads", "اداره کل راه و شهرسازی استان اصفهان", "provincial_office", "isfahan"),
]
_PORTAL_SERVICES = {
    "tax-affairs": [
        ("income-tax-return", "تسلیم اظهارنامه مالیاتی", "full", "business", ["taxes-finance"], []),
        (
            "economic-code",
            "دریافت کد اقتصادی",
            "full",
            "business",
            ["business"],
            ["starting-business"],
        ),
    ],
    "health-ministry": [
        ("newborn-screening", "غربالگری نوزادان", "partial", "citizen", ["health"], ["birth"]),
        (
            "premarital-tests",
            "آزمایش‌های پیش از ازدواج",
            "in_person",
            "citizen",
            ["health"],
            ["marriage"],
        ),
        (
            "staff-licence",
            "پروانه اشتغال کادر درمان",
            "full",
            "government_staff",
            ["health"],
            ["first-job"],
        ),
    ],
    "tehran-municipality": [
        (
            "building-permit",
            "صدور پروانه ساختمان",
            "partial",
            "citizen",
            ["housing-construction", "municipal-services"],
            ["buying-home"],
        ),
    ],
}


@pytest.fixture(scope="module")
def portal_listing(catalogue, django_db_blocker):
    """Agencies and index rows for the portal's home (committed), removed afterwards."""
    from django.core.cache import caches

    from search.backends import get_backend
    from search.documents import build_document
    from search.models import QueryLog
    from tenants.models import Agency

    from .fixtures.search_catalogues import service

    with django_db_blocker.unblock():
        made = []
        for slug, name, kind, province in _PORTAL_AGENCIES:
            agency = Agency.objects.create(
                schema_name=f"agency_{slug.replace('-', '_')}",
                slug=slug,
                name_fa=name,
                kind=kind,
                province=province,
            )
            made.append(agency)
            documents = []
            for key, (service_slug, title, delivery, audience, topics, events) in enumerate(
                _PORTAL_SERVICES.get(slug, [])
            ):
                described = service(service_slug, title, title, f"{title}.")
                described.update(
                    delivery=delivery, audience=audience, topics=topics, life_events=events
                )
                documents.append(
                    build_document(
                        described,
                        language="fa",
                        translation_key=f"00000000-0000-0000-0000-{len(made):06}{key:06}",
                        url=f"http://{slug}.localhost/{service_slug}/",
                        apply_url=f"http://{slug}.localhost/apply/{key}/",
                    )
                )
            get_backend().bulk_add(agency, documents)
        for agency_slug, service_slug, times in (
            ("civil-registration", "smart-national-id-card", 6),
            ("tax-affairs", "income-tax-return", 4),
            ("tehran-municipality", "building-permit", 2),
        ):
            QueryLog.objects.bulk_create(
                QueryLog(
                    query="q",
                    language="fa",
                    result_count=1,
                    clicked_position=1,
                    clicked_agency=agency_slug,
                    clicked_service=service_slug,
                )
                for _ in range(times)
            )
        caches["default"].clear()  # the server may have cached a summary without them
        yield made
        Agency.objects.filter(pk__in=[agency.pk for agency in made]).delete()
        QueryLog.objects.all().delete()
        caches["default"].clear()


@pytest.mark.parametrize(
    ("width", "height", "label"), [(390, 844, "phone"), (1280, 900, "desktop")]
)
def test_the_portal_home_is_a_single_window_rtl_and_accessible(
    browser, server, portal_listing, width, height, label
):
    portal = server.replace(f"//{server.split('//')[1].split('.')[0]}.", "//", 1)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{portal}/")

    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_by_role("heading", name="پرکاربردترین خدمات").is_visible()
    popular = page.locator("ol.popular li")
    assert popular.first.inner_text().startswith("صدور کارت هوشمند ملی")
    assert (
        "تولد فرزند"
        in page.locator("section", has=page.locator("#life-events-heading")).inner_text()
    )
    assert "۱ خدمت" in page.get_by_role("link", name=re.compile("تولد فرزند")).inner_text()
    assert page.get_by_role("link", name=re.compile("وزارت بهداشت")).first.is_visible()
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert _serious_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"portal-{label}.png", full_page=True)

    # The tracking box hands the code to the tracking page.
    page.get_by_label("کد رهگیری").fill("1234")
    page.get_by_role("button", name="پیگیری").click()
    assert "/track/?code=1234" in page.url
    assert page.get_by_role("alert").is_visible()

    # A life event's tile lists its services, with the agency and the form.
    page.goto(f"{portal}/")
    page.get_by_role("link", name=re.compile("ازدواج")).click()
    assert page.locator("h1").inner_text() == "ازدواج"
    assert "آزمایش‌های پیش از ازدواج" in page.locator("main").inner_text()
    assert _serious_violations(page) == []
    page.goto(f"{portal}/services/?topic=health")
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / f"portal-services-{label}.png", full_page=True)
    page.close()
