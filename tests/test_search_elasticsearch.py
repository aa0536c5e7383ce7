"""The Elasticsearch backend: analyzer, mapping and query bodies checked without a server.

The behaviour tests of tests/test_search.py run against Elasticsearch too when
ELASTICSEARCH_URL points at an Elasticsearch 8 cluster.
"""

import os
import uuid

import pytest

from catalog_pages.catalog_format.convert import canonical_service
from search.backends import Filters
from search.backends.elasticsearch import document_body, index_body, query_body
from search.documents import build_document
from tenants.models import Agency

from .fixtures.search_catalogues import CATALOGUES


def test_the_persian_analyzer_joins_zwnj_maps_arabic_letters_digits_and_stop_words():
    analysis = index_body()["settings"]["analysis"]
    analyzer = analysis["analyzer"]["persian_text"]
    mappings = analysis["char_filter"]["persian_letters"]["mappings"]

    assert "\\u200C=>" in mappings and "ي=>ی" in mappings and "ك=>ک" in mappings
    assert analyzer["filter"][:5] == [
        "lowercase",
        "decimal_digit",
        "arabic_normalization",
        "persian_normalization",
        "persian_stop",
    ]
    assert analysis["filter"]["persian_stop"]["stopwords"] == "_persian_"


def test_one_index_for_all_agencies_with_the_agency_as_a_keyword():
    properties = index_body()["mappings"]["properties"]

    assert properties["agency"] == {"type": "keyword"}
    assert properties["title"]["analyzer"] == "persian_text"
    assert {"level", "delivery", "audience", "province"} <= set(properties)


def test_query_is_typo_tolerant_filtered_to_active_agencies_and_language():
    body = query_body(
        "تمديد گواهینامه",
        language="fa",
        filters=Filters(level="hq"),
        active_agencies=["tax", "police"],
        synonym_groups=[["گواهینامه", "مدرک رانندگی"]],
        limit=20,
        offset=40,
    )

    should = body["query"]["bool"]["should"]
    assert should[0]["multi_match"]["query"] == "تمدید گواهینامه"  # normalised before sending
    assert should[1]["multi_match"]["fuzziness"] == "AUTO"
    assert should[2]["multi_match"]["query"] == "مدرک رانندگی"
    assert {"terms": {"agency": ["police", "tax"]}} in body["query"]["bool"]["filter"]
    assert {"term": {"language": "fa"}} in body["query"]["bool"]["filter"]
    assert {"term": {"level": "hq"}} in body["query"]["bool"]["filter"]
    assert (body["from"], body["size"]) == (40, 20)
    assert set(body["aggs"]) == {"agency", "level", "delivery", "audience", "province"}


@pytest.mark.django_db
def test_documents_carry_the_agency_and_normalised_keywords():
    agency = Agency(slug="police", name_fa="پلیس", schema_name="agency_police")
    service = canonical_service(CATALOGUES["police"][0])
    document = build_document(service, language="fa", translation_key=uuid.uuid4(), url="http://x/")

    body = document_body(agency, document)

    assert body["agency"] == "police" and body["title"] == "تمدید گواهینامه رانندگی"
    assert "گواهینامه" in body["keywords"]


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="no Elasticsearch server: set ELASTICSEARCH_URL to run",
)
def test_a_live_cluster_answers():  # pragma: no cover - needs a server
    from search.backends.elasticsearch import ElasticsearchBackend

    backend = ElasticsearchBackend(os.environ["ELASTICSEARCH_URL"])
    backend.ensure_index()
    assert backend.client.ping()
