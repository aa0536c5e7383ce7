"""The single-window search: Persian-aware, cross-agency, in step with publishing."""

import json
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from catalog_pages.catalog_format.convert import canonical_service
from catalog_pages.models import ServicePage
from catalog_pages.services import import_catalogue
from search import services as search_services
from search.backends import Filters, get_backend
from search.documents import build_document
from search.models import IndexedService, QueryLog, SynonymGroup
from tenants.models import Agency

from .fixtures.search_catalogues import CATALOGUES, LABELLED, SYNONYMS, index_catalogue

SAMPLE = (
    Path(__file__).resolve().parents[1] / "catalog_pages" / "catalog_format" / "sample-agency.json"
)


@pytest.fixture
def indexed(db):
    """Several agencies' services in the index (no schemas needed: only index rows)."""
    backend = get_backend()
    for slug, services in CATALOGUES.items():
        agency = Agency.objects.create(
            schema_name=f"agency_{slug.replace('-', '_')}", slug=slug, name_fa=slug
        )
        index_catalogue(backend, agency, services)
    for phrases in SYNONYMS:
        SynonymGroup.objects.create(phrases="\n".join(phrases))
    return backend


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("family", "query", "agency", "service"), LABELLED, ids=[f"{f}:{q}" for f, q, *_ in LABELLED]
)
def test_each_variant_family_finds_the_intended_service_first(
    indexed, family, query, agency, service
):
    hits = indexed.search(query).hits

    assert hits, f"{family}: nothing found for {query!r}"
    assert (hits[0].agency, hits[0].service) == (agency, service)


@pytest.mark.django_db
def test_a_deactivated_agency_never_appears(indexed):
    Agency.objects.filter(slug="police").update(is_active=False)

    hits = indexed.search("گواهینامه").hits

    assert all(hit.agency != "police" for hit in hits)


@pytest.mark.django_db
def test_filters_and_facets(indexed):
    results = indexed.search("کد", filters=Filters(agency="post"))

    everywhere = indexed.search("کد")

    assert {hit.agency for hit in results.hits} == {"post"}
    # The chosen filter's own group counts as if it were not chosen (to switch in a click);
    # the other groups count the narrowed results.
    assert results.facets["agency"] == everywhere.facets["agency"]
    assert results.facets["agency"]["post"] == results.total < everywhere.total
    assert sum(results.facets["level"].values()) == results.total


@pytest.mark.django_db
def test_a_typo_is_corrected_and_offered_as_did_you_mean(indexed):
    results = indexed.search("اظهارنامع")

    assert results.suggestion == "اظهارنامه"
    assert results.hits[0].service == "income-tax-return"


@pytest.mark.django_db
def test_gibberish_finds_nothing_and_suggests_nothing(indexed):
    nothing = indexed.search("زززززز")

    assert (nothing.total, nothing.hits, nothing.suggestion) == (0, [], "")


@pytest.mark.django_db
def test_autocomplete_offers_titles_for_a_prefix(indexed):
    assert "تمدید گواهینامه رانندگی" in indexed.suggest("گواهی")


@pytest.mark.django_db
def test_highlight_marks_matches_and_escapes_html(indexed, db):
    agency = Agency.objects.create(schema_name="agency_x", slug="x", name_fa="x")
    service = canonical_service(CATALOGUES["post"][1])
    service["summary"] = {"fa": "ارسال <script>alert(1)</script> مرسوله"}
    indexed.bulk_add(
        agency,
        [
            build_document(
                service, language="fa", translation_key=uuid.uuid4(), url="http://x.localhost/"
            )
        ],
    )

    hit = next(hit for hit in indexed.search("مرسوله").hits if hit.agency == "x")

    assert "<script>" not in hit.highlight
    assert "<mark>مرسوله</mark>" in hit.highlight


def test_only_the_highlights_marks_are_tags_whatever_the_text_holds():
    from search.query import highlight

    marked = highlight("<mark>x</mark> \x00(y\x00) مرسوله & «پست»", ["مرسوله"])

    assert str(marked) == "&lt;mark&gt;x&lt;/mark&gt; (y) <mark>مرسوله</mark> &amp; «پست»"


@pytest.mark.django_db
def test_publishing_and_unpublishing_keep_the_index_in_step(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_catalogue(SAMPLE.read_bytes())
    backend = get_backend()
    assert backend.search("کارت هوشمند").hits[0].service == "smart-national-id-card"
    assert backend.search("smart card").hits[0].url.endswith("/en/smart-national-id-card/")

    with (
        schema_context(report.agency.schema_name),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ServicePage.objects.get(
            slug="smart-national-id-card", locale__language_code="fa"
        ).unpublish()

    assert all(
        hit.service != "smart-national-id-card" for hit in backend.search("کارت هوشمند").hits
    )


@pytest.mark.django_db
def test_rebuild_command_reindexes_everything(capsys):
    import_catalogue(SAMPLE.read_bytes())
    IndexedService.objects.all().delete()

    call_command("rebuild_search_index")

    assert IndexedService.objects.count() == 4  # two services, Persian and English
    assert "Indexed 4 entries" in capsys.readouterr().out


@pytest.mark.django_db
def test_search_services_command_prints_ranked_json(indexed, capsys):
    call_command("search_services", "پاسپورت", "--limit", "3", "--json")

    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["agency"] == "police" and rows[0]["service"] == "passport"
    assert set(rows[0]) == {"agency", "service", "title", "score"}


@pytest.mark.django_db
def test_search_api_returns_json_and_logs_the_query_anonymously(indexed, client_for):
    response = client_for("localhost").get("/api/v1/search", {"q": "كد اقتصادي", "level": "hq"})

    data = response.json()
    assert response.status_code == 200
    assert data["results"][0]["service"] == "economic-code"
    assert data["facets"]["level"] == {"hq": data["total"]}
    log = QueryLog.objects.get()
    assert (log.query, log.result_count) == ("كد اقتصادي", data["total"])


@pytest.mark.django_db
def test_search_api_refuses_a_missing_query(client_for):
    assert client_for("localhost").get("/api/v1/search").status_code == 400


@pytest.mark.django_db
def test_search_page_shows_results_and_an_empty_state(indexed, client_for):
    client = client_for("localhost")

    found = client.get("/search/", {"q": "گذرنامه"}).content.decode()
    empty = client.get("/search/", {"q": "ژژژژژژ"}).content.decode()

    assert "صدور گذرنامه" in found and "to=http%3A//police.localhost/passport/" in found
    assert "empty-state" in empty


@pytest.mark.django_db
def test_opening_a_result_records_its_position_and_never_redirects_elsewhere(indexed, client_for):
    client = client_for("localhost")
    client.get("/search/", {"q": "گذرنامه"})
    log = QueryLog.objects.get()

    opened = client.get(
        "/search/open/",
        {
            "log": search_services.log_token(log),
            "position": 1,
            "to": "http://police.localhost/passport/",
        },
    )
    evil = client.get(
        "/search/open/",
        {"log": search_services.log_token(log), "position": 1, "to": "https://evil.example/"},
    )

    assert opened.status_code == 302 and opened["Location"] == "http://police.localhost/passport/"
    assert evil.status_code == 404
    log.refresh_from_db()
    assert (log.clicked_position, log.clicked_agency, log.clicked_service) == (
        1,
        "police",
        "passport",
    )


@pytest.mark.django_db
def test_national_administrators_maintain_synonyms_in_the_admin(national_admin_client):
    client = national_admin_client

    response = client.post("/admin/search_synonyms/new/", {"phrases": "گواهینامه\nمدرک رانندگی"})

    assert response.status_code == 302
    assert SynonymGroup.objects.get().phrase_list == ["گواهینامه", "مدرک رانندگی"]


@pytest.mark.django_db
def test_a_very_broad_query_says_its_count_is_a_lower_bound(monkeypatch, client_for):
    from search.backends import postgres

    from .fixtures.search_catalogues import service

    monkeypatch.setattr(postgres, "POOL", 5)
    agency = Agency.objects.create(schema_name="agency_many", slug="many", name_fa="بسیار")
    index_catalogue(
        get_backend(),
        agency,
        [service(f"permit-{n}", f"صدور مجوز نوع {n}", f"Permit {n}", "مجوز") for n in range(8)],
    )

    results = get_backend().search("مجوز")
    page = client_for("localhost").get("/search/", {"q": "مجوز"}).content.decode()

    assert (results.total, results.total_is_lower_bound) == (5, True)
    assert "بیش از ۵ خدمت" in page


@pytest.mark.django_db
def test_a_guessed_log_id_claims_no_click(indexed, client_for):
    """Log ids count up: with bare ids anyone could claim every search as a click on one
    service and make it the portal's "most used"."""
    client = client_for("localhost")
    client.get("/search/", {"q": "گذرنامه"})
    log = QueryLog.objects.get()
    target = "http://police.localhost/passport/"

    for forged in (str(log.pk), search_services.log_token(log)[:-1] + "x"):
        opened = client.get("/search/open/", {"log": forged, "position": 1, "to": target})
        assert opened.status_code == 302 and opened["Location"] == target
    log.refresh_from_db()
    assert log.clicked_position is None
