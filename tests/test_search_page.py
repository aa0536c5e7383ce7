"""The search results page as a citizen uses it: filters, pages, what each result offers,
and an honest answer when nothing is found."""

import re
import uuid
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from catalog_pages.catalog_format.convert import canonical_service
from search.backends import Hit, Results, get_backend
from search.documents import build_document
from search.models import QueryLog
from tenants.models import Agency

from .fixtures.search_catalogues import service

pytestmark = pytest.mark.django_db


def _index(slug: str, name: str, services: list[dict]) -> Agency:
    """Index ``services`` (each a catalogue-format service plus ``apply_url``,
    ``unavailable`` and ``province``) of a new agency; only index rows, no schema."""
    agency = Agency.objects.create(
        schema_name=f"agency_{slug.replace('-', '_')}", slug=slug, name_fa=name
    )
    documents = []
    for entry in services:
        extra = {
            key: entry.pop(key) for key in ("apply_url", "unavailable", "province") if key in entry
        }
        documents.append(
            build_document(
                canonical_service(entry),
                language="fa",
                translation_key=uuid.uuid4(),
                url=f"http://{slug}.localhost/{entry['slug']}/",
                **extra,
            )
        )
    get_backend().bulk_add(agency, documents)
    return agency


def _permit(slug, title, *, delivery="partial", level="hq", **extra) -> dict:
    entry = service(slug, title, slug, f"{title} برای متقاضیان.", keywords=["مجوز"], level=level)
    entry["delivery"] = delivery
    return {**entry, **extra}


@pytest.fixture
def permits(db):
    """Permits of two agencies, online, partly online and in person."""
    _index(
        "traffic-police",
        "پلیس راهور",
        [
            _permit(
                "freight-permit",
                "صدور مجوز حمل بار",
                delivery="full",
                apply_url="http://traffic-police.localhost/apply/11/",
                province="tehran",
            ),
            _permit(
                "taxi-permit",
                "تمدید مجوز تاکسی",
                level="field",
                apply_url="http://traffic-police.localhost/apply/12/",
                province="fars",
            ),
        ],
    )
    _index(
        "post",
        "شرکت ملی پست",
        [
            _permit("post-office-permit", "مجوز دفتر پستی", delivery="in_person", level="field"),
            _permit(
                "courier-permit",
                "مجوز پیک موتوری",
                delivery="full",
                apply_url="http://post.localhost/apply/21/",
                unavailable=True,
            ),
        ],
    )


def _page(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def _links(html: str, css_class: str) -> dict[str, str]:
    """Text → href of the links of ``css_class`` (tags inside the link dropped)."""
    found = {}
    pattern = rf'<a class="{css_class}[^"]*" href="([^"]*)"[^>]*>(.*?)</a>'
    for href, inner in re.findall(pattern, html, re.S):
        text = re.sub(r"<[^>]+>", " ", inner)
        found[" ".join(text.split())] = unescape(href)
    return found


def _params(href: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def test_facets_are_shown_with_persian_counts_and_narrow_the_results(permits, client_for):
    client = client_for("localhost")
    html = _page(client, q="مجوز")

    assert "۴ خدمت پیدا شد" in html
    for heading in ("دستگاه", "سطح", "نحوه ارائه", "استان"):
        assert f">{heading}</h2>" in html
    values = _links(html, "filters__value")
    assert values["پلیس راهور ۲"] and values["شرکت ملی پست ۲"]
    assert values["ستادی ۲"] and values["صفی ۲"]
    assert "کاملاً برخط ۲" in values and "فقط حضوری ۱" in values

    narrowed = client.get("/search/" + values["شرکت ملی پست ۲"]).content.decode()

    assert "۲ خدمت پیدا شد" in narrowed
    assert "مجوز دفتر پستی" in narrowed and "تمدید مجوز تاکسی" not in narrowed
    # The chosen filter: a removable chip, and the value marked as the current one.
    chips = _links(narrowed, "chip")
    assert list(chips) == ["حذف فیلتر دستگاه: شرکت ملی پست ×"]
    assert _params(chips["حذف فیلتر دستگاه: شرکت ملی پست ×"]).get("agency") is None
    assert re.search(r'aria-current="true"><span class="filters__label">شرکت ملی پست', narrowed)
    assert "۱ انتخاب‌شده" in narrowed
    # The other agency is still offered, with its own count: one click switches to it.
    switch = _params(_links(narrowed, "filters__value")["پلیس راهور ۲"])
    assert (switch["agency"], switch["q"]) == ("traffic-police", "مجوز")


def test_every_filter_link_keeps_the_query_and_the_other_filters(permits, client_for):
    html = _page(client_for("localhost"), q="مجوز", level="field")

    values = _links(html, "filters__value")
    post = _params(values["شرکت ملی پست ۱"])
    assert (post["q"], post["level"], post["agency"]) == ("مجوز", "field", "post")
    # The chosen level's own link removes it, and keeps the query.
    field = _params(values["صفی ۲ (انتخاب‌شده؛ برای برداشتن دوباره انتخاب کنید)"])
    assert field["q"] == "مجوز" and "level" not in field


def test_a_filter_that_matches_nothing_says_so_and_offers_to_remove_it(permits, client_for):
    client = client_for("localhost")
    html = _page(client, q="مجوز", agency="post", province="fars")

    assert "خدمتی یافت نشد" in html
    assert "هیچ خدمتی با «مجوز» و فیلترهای انتخاب‌شده پیدا نشد." in html
    assert '<ol class="results"' not in html
    chips = _links(html, "chip")
    assert "حذف همهٔ فیلترها" in chips
    without = re.search(r'<a href="([^"]*)">جست‌وجوی دوباره بدون فیلتر</a>', html)[1]
    assert _params(unescape(without)).keys() == {"q", "log"}
    assert "۴ خدمت پیدا شد" in client.get("/search/" + unescape(without)).content.decode()


def test_each_result_names_its_agency_says_how_it_is_done_and_links_to_its_form(
    permits, client_for
):
    html = _page(client_for("localhost"), q="مجوز")

    cards = {
        re.search(r'<h3 class="result__title"[^>]*><a [^>]*>(.*?)</a>', card)[1]: card
        for card in re.findall(r'<li class="card result">(.*?)</li>', html, re.S)
    }
    freight = cards["صدور مجوز حمل بار"]
    assert "پلیس راهور" in freight and "کاملاً برخط" in freight
    assert "ثبت درخواست" in freight
    assert "to=http%3A//traffic-police.localhost/apply/11/" in freight
    assert "درخواست برخط، مراجعه حضوری" in cards["تمدید مجوز تاکسی"]
    in_person = cards["مجوز دفتر پستی"]
    assert "فقط حضوری" in in_person and "ثبت درخواست" not in in_person
    # Unavailable for now: said so, and no form to fill in.
    courier = cards["مجوز پیک موتوری"]
    assert "موقتاً در دسترس نیست" in courier
    assert "ثبت درخواست" not in courier


def test_the_form_link_is_logged_as_a_click_and_goes_to_the_form(permits, client_for):
    client = client_for("localhost")
    html = _page(client, q="حمل بار")
    link = unescape(re.search(r'<a class="button result__apply" href="([^"]*)"', html)[1])

    opened = client.get(link)

    assert opened.status_code == 302
    assert opened["Location"] == "http://traffic-police.localhost/apply/11/"
    log = QueryLog.objects.get()
    assert (log.clicked_position, log.clicked_service) == (1, "freight-permit")
    assert client.get("/search/open/", {"to": ""}).status_code == 404


@pytest.fixture
def many(db):
    """45 licences of one agency (and 2 of another): three pages of results."""
    _index(
        "guilds",
        "اتاق اصناف",
        [_permit(f"licence-{n}", f"پروانه کسب صنف {n}") for n in range(45)],
    )
    _index(
        "municipality",
        "شهرداری",
        [_permit(f"licence-m{n}", f"پروانه ساختمان {n}", level="field") for n in range(2)],
    )


def test_pages_are_numbered_in_persian_and_keep_the_query_and_filters(many, client_for):
    client = client_for("localhost")
    first = _page(client, q="پروانه", agency="guilds")

    assert "۴۵ خدمت پیدا شد" in first and "صفحه ۱ از ۳" in first
    pages = _links(first, "pager__page")
    assert list(pages) == ["صفحه ۱", "صفحه ۲", "صفحه ۳"]
    assert 'aria-current="page"><span class="visually-hidden">صفحه </span>۱' in first
    steps = _links(first, "pager__step")
    assert list(steps) == ["بعدی"]
    second = _params(pages["صفحه ۲"])
    assert (second["q"], second["agency"], second["page"]) == ("پروانه", "guilds", "2")

    last = client.get("/search/" + pages["صفحه ۳"]).content.decode()

    assert "صفحه ۳ از ۳" in last
    assert last.count('<li class="card result">') == 5
    assert list(_links(last, "pager__step")) == ["قبلی"]
    # One search, paged: one entry in the query log.
    assert QueryLog.objects.count() == 1


def test_a_page_past_the_last_says_so_instead_of_an_empty_list(many, client_for):
    html = _page(client_for("localhost"), q="پروانه", agency="guilds", page="۹")

    assert "صفحهٔ ۹ وجود ندارد: نتایج ۳ صفحه است." in html
    assert '<ol class="results"' not in html
    last = re.search(r'<a href="([^"]*)">رفتن به صفحهٔ آخر</a>', html)[1]
    assert _params(unescape(last))["page"] == "3"
    far = _page(client_for("localhost"), q="پروانه", page="999999")
    assert "صفحهٔ ۹۹۹۹۹۹ وجود ندارد: نتایج ۳ صفحه است." in far


def test_a_link_kept_for_later_is_a_new_search_in_the_log(many, client_for):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for("localhost")
    pages = _links(_page(client, q="پروانه"), "pager__page")
    QueryLog.objects.update(created_at=timezone.now() - timedelta(hours=2))

    client.get("/search/" + pages["صفحه ۲"])

    assert QueryLog.objects.count() == 2


def test_a_count_that_is_a_lower_bound_is_said_to_be_one(many, client_for, monkeypatch):
    from search.backends import postgres

    monkeypatch.setattr(postgres, "POOL", 30)
    html = _page(client_for("localhost"), q="پروانه")

    assert "بیش از ۳۰ خدمت" in html and "صفحه ۱ از ۲" in html
    assert "جست‌وجو را دقیق‌تر کنید" in html


def _hit(slug, title, agency="post", agency_name="شرکت ملی پست", **extra) -> Hit:
    return Hit(
        agency=agency,
        agency_name=agency_name,
        service=slug,
        title=title,
        summary="",
        url=f"http://{agency}.localhost/{slug}/",
        level="hq",
        delivery=extra.pop("delivery", "full"),
        unavailable=False,
        score=0.1,
        **extra,
    )


class _NothingButRelated:
    """A backend that answers nothing to the query but offers services near it."""

    def search(self, query, *, filters, limit, offset):
        return Results(
            query=query,
            language="fa",
            suggestion="مجوز",
            related=[
                _hit("parcel", "ارسال مرسوله پستی", apply_url="http://post.localhost/apply/1/"),
                _hit("postcode", "استعلام کد پستی", delivery="in_person"),
            ],
        )


def test_nothing_found_is_said_plainly_and_related_services_are_shown_apart(
    db, client_for, monkeypatch
):
    Agency.objects.create(schema_name="agency_post", slug="post", name_fa="شرکت ملی پست")
    monkeypatch.setattr("search.views.get_backend", _NothingButRelated)

    html = _page(client_for("localhost"), q="بسته ارسالی")

    status = re.search(
        r'<div class="empty-state search-empty" role="status">(.*?)</div>', html, re.S
    )[1]
    assert "خدمتی یافت نشد" in status and "هیچ خدمتی با «بسته ارسالی» پیدا نشد." in status
    assert "آیا منظورتان این بود:" in status and "?q=%D9%85%D8%AC%D9%88%D8%B2" in status
    related = html[html.index('id="related-heading"') :]
    assert related.startswith('id="related-heading">خدمات مرتبط</h2>')
    assert "نتیجهٔ جست‌وجوی شما نیستند" in related
    assert "ارسال مرسوله پستی" in related and "استعلام کد پستی" in related
    # Not results: not counted, not numbered, no form link.
    assert '<ol class="results"' not in html and "خدمت پیدا شد" not in html
    assert "ثبت درخواست" not in html
    assert "بیش از" not in html
    agencies = html[html.index('id="agencies-heading"') :]
    assert "شرکت ملی پست" in agencies and "همهٔ دستگاه‌ها" in agencies
    assert QueryLog.objects.get().result_count == 0


def test_the_api_gives_each_result_its_form_registry_code_and_delivery(permits, client_for):
    data = client_for("localhost").get("/api/v1/search", {"q": "حمل بار"}).json()

    first = data["results"][0]
    assert first["service"] == "freight-permit"
    assert first["apply_url"] == "http://traffic-police.localhost/apply/11/"
    assert first["delivery"] == "full"
    assert "registry_code" in first
    assert data["related"] == []


def test_the_api_lists_related_services_apart(db, client_for, monkeypatch):
    monkeypatch.setattr("search.views.get_backend", _NothingButRelated)

    data = client_for("localhost").get("/api/v1/search", {"q": "بسته"}).json()

    assert data["results"] == [] and data["total"] == 0
    assert [hit["service"] for hit in data["related"]] == ["parcel", "postcode"]
    assert data["related"][0]["apply_url"] == "http://post.localhost/apply/1/"
