"""Ranking: registry codes and agencies are found, and a query nobody answers gets no hits."""

import statistics

import pytest

from search.backends import get_backend
from search.models import SynonymGroup
from tenants.models import Agency

from .fixtures.search_catalogues import index_catalogue, service
from .fixtures.search_labelled import AGENCIES, QUERIES, SYNONYMS, reciprocal_rank


@pytest.fixture
def labelled(db):
    """The labelled set's agencies, with their real names, and their services in the index."""
    backend = get_backend()
    for slug, (name_fa, name_en, services) in AGENCIES.items():
        agency = Agency.objects.create(
            schema_name=f"agency_{slug.replace('-', '_')}",
            slug=slug,
            name_fa=name_fa,
            name_en=name_en,
        )
        index_catalogue(backend, agency, services)
    for phrases in SYNONYMS:
        SynonymGroup.objects.create(phrases="\n".join(phrases))
    return backend


def _first(backend, query):
    hits = backend.search(query).hits
    return (hits[0].agency, hits[0].service) if hits else None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "16001000002",
        "۱۶۰۰۱۰۰۰۰۰۲",
        "١٦٠٠١٠٠٠٠٠٢",
        "۱۶۰۰۱-۰۰۰-۰۰۲",
        "1600 1000 002",
        "کد خدمت ۱۶۰۰۱۰۰۰۰۰۲",
    ],
)
def test_a_registry_code_in_any_digits_finds_its_service_first(labelled, query):
    hits = labelled.search(query).hits

    assert (hits[0].agency, hits[0].service) == ("social-security", "retirement-pension")
    assert hits[0].registry_code == "16001000002"


@pytest.mark.django_db
def test_a_registry_code_nobody_has_finds_nothing(labelled):
    results = labelled.search("۹۹۹۹۹۹۹۹۹۹۹")

    assert (results.total, results.hits) == (0, [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "agency"),
    [
        ("ثبت احوال", "sabt-ahval"),
        ("سازمان ثبت احوال", "sabt-ahval"),
        ("شهرداری تهران", "tehran-municipality"),
        ("شهرداری مشهد", "mashhad-municipality"),
        ("Tehran Municipality", "tehran-municipality"),
    ],
)
def test_an_agency_name_finds_its_services_and_no_one_else_first(labelled, query, agency):
    results = labelled.search(query)
    count = len(AGENCIES[agency][2])

    assert {hit.agency for hit in results.hits[:count]} == {agency}


@pytest.mark.django_db
def test_the_agency_named_in_a_query_comes_first_among_services_of_the_same_title(labelled):
    assert _first(labelled, "پروانه ساختمان شهرداری مشهد") == (
        "mashhad-municipality",
        "building-permit",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["صدور گذرنامه سفر به مریخ", "passport to mars", "استخدام در شهرداری تهران"]
)
def test_a_query_nobody_answers_gets_no_hits_and_related_services_apart(labelled, query):
    results = labelled.search(query)

    assert (results.total, results.hits) == (0, [])
    assert results.related, "related services are offered apart"


@pytest.mark.django_db
def test_related_services_of_a_query_nobody_answers_are_the_nearest_ones(labelled):
    related = labelled.search("صدور گذرنامه سفر به مریخ").related

    assert related[0].agency == "passport-police"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["تعمیر یخچال", "بلیط کنسرت", "رزرو هتل در کیش"])
def test_a_query_sharing_no_word_with_the_catalogue_gets_nothing_at_all(labelled, query):
    results = labelled.search(query)

    assert (results.total, results.hits, results.related) == (0, [], [])


@pytest.mark.django_db
@pytest.mark.parametrize("common", ["صدور", "درخواست"])
def test_a_common_word_beside_an_unknown_one_brings_no_weak_matches(labelled, common):
    alone = labelled.search(common)
    with_unknown = labelled.search(f"{common} قایقرانی")

    assert alone.total >= 3, "the common word alone finds services"
    assert (with_unknown.total, with_unknown.hits) == (0, [])


@pytest.mark.django_db
def test_conversational_words_and_clitics_do_not_count_against_a_query(labelled):
    assert _first(labelled, "شناسنامه‌ام گم شده") == ("sabt-ahval", "duplicate-birth-certificate")
    assert _first(labelled, "میخوام پاسپورتمو تمدید کنم") == ("passport-police", "passport-renewal")


@pytest.mark.django_db
def test_a_service_published_after_a_search_is_found_by_the_next_one(labelled):
    assert labelled.search("قایقرانی").total == 0
    agency = Agency.objects.get(slug="tehran-municipality")

    index_catalogue(
        labelled, agency, [service("boating", "صدور مجوز قایقرانی", "Boating permit", "قایقرانی")]
    )

    assert _first(labelled, "قایقرانی") == ("tehran-municipality", "boating")


@pytest.mark.django_db
def test_a_deactivated_agency_is_not_found_by_its_name(labelled):
    Agency.objects.filter(slug="tehran-municipality").update(is_active=False)

    hits = labelled.search("شهرداری تهران").hits

    assert all(hit.agency != "tehran-municipality" for hit in hits)


@pytest.mark.django_db
def test_the_labelled_set_is_answered_well(labelled):
    ranks, empty = [], []
    for _family, query, answers in QUERIES:
        results = labelled.search(query, limit=10)
        if answers:
            ranks.append(reciprocal_rank([(h.agency, h.service) for h in results.hits], answers))
        else:
            empty.append(results.total == 0 and not results.hits)

    assert statistics.mean(ranks) >= 0.9
    assert statistics.mean(empty) >= 0.9


@pytest.mark.django_db
def test_the_api_answers_a_query_nobody_answers_with_no_results(labelled, client_for):
    data = client_for("localhost").get("/api/v1/search", {"q": "بلیط کنسرت"}).json()

    assert (data["total"], data["results"]) == (0, [])


def test_elasticsearch_boosts_a_registry_code_and_requires_most_words():
    from search.backends import Filters
    from search.backends.elasticsearch import CODE_BOOST, query_body

    body = query_body(
        "کد خدمت ۱۶۰۰۱-۰۰۰-۰۰۲",
        language="fa",
        filters=Filters(),
        active_agencies=["social-security"],
        synonym_groups=[],
        limit=20,
        offset=0,
    )
    words = query_body(
        "صدور گذرنامه سفر به مریخ",
        language="fa",
        filters=Filters(),
        active_agencies=["police"],
        synonym_groups=[],
        limit=20,
        offset=0,
    )

    should = body["query"]["bool"]["should"]
    assert should == [{"terms": {"registry_code": ["16001000002"], "boost": CODE_BOOST}}]
    fuzzy = words["query"]["bool"]["should"][1]["multi_match"]
    assert fuzzy["minimum_should_match"] == "2<67%"
    assert "agency_names^2" in fuzzy["fields"]


def test_elasticsearch_documents_carry_both_agency_names():
    import uuid

    from catalog_pages.catalog_format.convert import canonical_service
    from search.backends.elasticsearch import document_body, index_body
    from search.documents import build_document

    agency = Agency(slug="tehran", name_fa="شهرداری تهران", name_en="Tehran Municipality")
    name_fa, name_en, services = AGENCIES["tehran-municipality"]
    document = build_document(
        canonical_service(services[0]), language="fa", translation_key=uuid.uuid4(), url="http://x/"
    )

    body = document_body(agency, document)

    assert body["agency_names"] == "شهرداری تهران Tehran Municipality"
    assert body["registry_code"] == "14001000001"
    assert index_body()["mappings"]["properties"]["agency_names"]["analyzer"] == "persian_text"


@pytest.mark.django_db
def test_words_typed_at_random_do_not_grow_the_cached_counts_without_bound(monkeypatch):
    from search.backends import postgres_ranking

    monkeypatch.setattr(postgres_ranking, "MAX_STATISTICS", 20)
    backend = get_backend()
    for number in range(60):
        backend.search(f"واژه{number}ناپیدا")
    assert all(len(counts) <= 20 + 4 for counts in postgres_ranking._STATISTICS.values())


@pytest.mark.django_db
def test_a_pasted_paragraph_of_unknown_words_costs_a_bounded_number_of_queries(
    labelled, django_assert_max_num_queries
):
    # 200 characters of made-up words: each would be looked up for a typo correction.
    query = " ".join(f"زرتوک{letter}پلم" for letter in "ابپتثجحخدذرزسشصضطظعغفقکگلمنوهی")[:200]
    labelled.search("گذرنامه")  # the index's statistics and names read once

    with django_assert_max_num_queries(12):
        results = labelled.search(query)

    assert results.hits == []
