"""The search results page in a real browser: filters folded on a phone and beside the
results on a desktop, and a search that finds nothing. Uses ``test_browser``'s harness
(granian serving the test database, Debian's Chromium, axe-core)."""

# The harness's fixtures are imported, then named as the tests' parameters.
# ruff: noqa: F811

import uuid

import pytest

from .test_browser import (  # noqa: F401 - pytest fixtures, used by name
    SCREENSHOTS,
    _database_calls_beside_playwright,
    _serious_violations,
    _watch_csp,
    browser,
    catalogue,
    pytestmark,
    server,
)


@pytest.fixture(scope="module")
def more_services(catalogue, django_db_blocker):
    """Services of two more agencies beside the sample one (committed index rows)."""
    from catalog_pages.catalog_format.convert import canonical_service
    from search.backends import get_backend
    from search.documents import build_document
    from tenants.models import Agency

    from .fixtures.search_catalogues import service

    def entry(slug, title, delivery, level, apply_url="", province=""):
        data = service(slug, title, slug, f"{title} برای شهروندان و کسب‌وکارها.", level=level)
        data["delivery"] = delivery
        return canonical_service(data), apply_url, province

    catalogues = {
        ("commerce", "سازمان توسعه تجارت"): [
            entry(
                "business-card",
                "صدور کارت بازرگانی",
                "full",
                "hq",
                "http://commerce.localhost/apply/1/",
                "tehran",
            ),
            entry(
                "business-card-renewal",
                "تمدید کارت بازرگانی",
                "full",
                "hq",
                "http://commerce.localhost/apply/2/",
                "tehran",
            ),
        ],
        ("oil-products", "شرکت ملی پخش فرآورده‌های نفتی"): [
            entry("fuel-card", "صدور کارت سوخت المثنی", "in_person", "field", "", "isfahan"),
        ],
    }
    agencies = []
    with django_db_blocker.unblock():
        for (slug, name), entries in catalogues.items():
            agency = Agency.objects.create(
                schema_name=f"agency_{slug.replace('-', '_')}", slug=slug, name_fa=name
            )
            agencies.append(agency)
            get_backend().bulk_add(
                agency,
                [
                    build_document(
                        data,
                        language="fa",
                        translation_key=uuid.uuid4(),
                        url=f"http://{slug}.localhost/{data['slug']}/",
                        apply_url=apply_url,
                        province=province,
                    )
                    for data, apply_url, province in entries
                ],
            )
    yield agencies
    with django_db_blocker.unblock():
        for agency in agencies:
            agency.delete()  # and its index rows with it


def _portal(server: str) -> str:
    return server.replace(f"//{server.split('//')[1].split('.')[0]}.", "//", 1)


def test_filters_are_folded_on_a_phone_and_narrow_the_results_when_opened(
    browser, server, more_services
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    violations = _watch_csp(context)
    page = context.new_page()
    page.goto(f"{_portal(server)}/search/?q=کارت")

    filters = page.locator("#search-filters")
    assert "۵ خدمت پیدا شد" in page.locator(".search-status").inner_text()
    assert filters.get_attribute("open") is None
    agency = page.get_by_role("link", name="سازمان توسعه تجارت ۲")
    assert not agency.is_visible()
    # The results come first on a phone, right under the folded filters.
    assert page.locator(".result").first.bounding_box()["y"] < 844
    assert _serious_violations(page) == []

    page.get_by_text("فیلتر نتایج").click()

    assert filters.get_attribute("open") is not None
    assert agency.is_visible()
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "search-facets-phone.png", full_page=True)

    agency.click()

    assert "agency=commerce" in page.url and "q=" in page.url
    assert "۲ خدمت پیدا شد" in page.locator(".search-status").inner_text()
    assert page.get_by_role("link", name="ثبت درخواست").count() == 2
    chip = page.get_by_role("link", name="حذف فیلتر دستگاه: سازمان توسعه تجارت")
    assert chip.is_visible()
    assert _serious_violations(page) == []

    chip.click()

    assert "agency=" not in page.url
    assert "۵ خدمت پیدا شد" in page.locator(".search-status").inner_text()
    context.close()
    assert violations == [], "\n".join(violations)


def test_filters_stand_beside_the_results_on_a_desktop(browser, server, more_services):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    violations = _watch_csp(context)
    page = context.new_page()
    page.goto(f"{_portal(server)}/search/?q=کارت")

    assert page.locator("#search-filters").get_attribute("open") is not None
    filters = page.locator("#search-filters").bounding_box()
    results = page.locator(".search-results").bounding_box()
    # Right to left: the filters on the right, the results beside them on the left.
    assert filters["x"] > results["x"] + results["width"] - 1
    assert abs(filters["y"] - results["y"]) < 5
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "search-facets-desktop.png", full_page=True)

    page.get_by_role("link", name="ستادی ۲").click()

    assert "level=hq" in page.url
    current = page.locator('.filters__value[aria-current="true"]')
    assert "ستادی" in current.inner_text()
    assert page.locator("#search-filters").get_attribute("open") is not None
    assert _serious_violations(page) == []
    context.close()
    assert violations == [], "\n".join(violations)


def test_a_search_that_finds_nothing_says_so_and_offers_the_agencies(
    browser, server, more_services
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    violations = _watch_csp(context)
    page = context.new_page()
    page.goto(f"{_portal(server)}/search/?q=زززززز")

    status = page.get_by_role("status")
    assert "خدمتی یافت نشد" in status.inner_text()
    assert page.locator(".result").count() == 0
    assert page.get_by_role("heading", name="یا دستگاه‌ها را مرور کنید").is_visible()
    assert page.get_by_role("link", name="سازمان ثبت احوال کشور").is_visible()
    assert page.get_by_role("link", name="همهٔ دستگاه‌ها").is_visible()
    assert _serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "search-nothing-phone.png", full_page=True)
    context.close()
    assert violations == [], "\n".join(violations)
