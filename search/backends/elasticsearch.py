"""Elasticsearch 8 backend (elasticsearch.dsl), used when ELASTICSEARCH_URL is set.

One index for all agencies, the agency a keyword field. Persian text goes
through our analyzer: ZWNJ joined and Arabic letters mapped by a char filter
(as ``persian.text.normalize`` does), then decimal digits, Arabic/Persian
normalisation and Persian stop words. Mapping and query bodies are plain
dictionaries built here, so tests check them without a server.
"""

from dataclasses import asdict

from persian.text import terms

from ..query import expand_synonyms, highlight, informative_terms, query_language, registry_codes
from . import FACETS, Filters, Hit, Results, SearchBackend

INDEX = "panjereh-services"
TEXT_FIELDS = ["title^4", "keywords^3", "agency_names^2", "summary^2", "body"]
# A service whose registry code is in the query comes first.
CODE_BOOST = 100
# The share of the query's words a service must have (PostgreSQL weighs them by rarity).
MINIMUM_MATCH = "2<67%"

ANALYSIS = {
    "char_filter": {
        "persian_letters": {
            "type": "mapping",
            "mappings": [
                "\\u200C=>",  # ZWNJ joins: «کارت‌ها» = «کارتها»
                "ي=>ی",
                "ى=>ی",
                "ك=>ک",
                "ة=>ه",
                "ۀ=>ه",
                "أ=>ا",
                "إ=>ا",
                "ؤ=>و",
                "\\u0640=>",  # tatweel
            ],
        }
    },
    "filter": {
        "persian_stop": {"type": "stop", "stopwords": "_persian_"},
        "persian_plural": {
            "type": "pattern_replace",
            "pattern": "(.{3,})(هایی|های|ها)$",
            "replacement": "$1",
        },
    },
    "analyzer": {
        "persian_text": {
            "type": "custom",
            "tokenizer": "standard",
            "char_filter": ["persian_letters"],
            "filter": [
                "lowercase",
                "decimal_digit",
                "arabic_normalization",
                "persian_normalization",
                "persian_stop",
                "persian_plural",
            ],
        }
    },
}


def index_body() -> dict:
    """Settings and mapping of the services index."""
    text = {"type": "text", "analyzer": "persian_text"}
    keyword = {"type": "keyword"}
    return {
        "settings": {"analysis": ANALYSIS, "number_of_shards": 1},
        "mappings": {
            "properties": {
                "agency": keyword,
                "agency_name": text,
                # Both names, so that «ثبت احوال» or «Tehran Municipality» finds its services.
                "agency_names": text,
                "translation_key": keyword,
                "language": keyword,
                "service_slug": keyword,
                "title": {
                    **text,
                    "fields": {
                        "prefix": {"type": "search_as_you_type", "analyzer": "persian_text"}
                    },
                },
                "keywords": text,
                "summary": text,
                "body": text,
                "url": {"type": "keyword", "index": False},
                "level": keyword,
                "delivery": keyword,
                "audience": keyword,
                "province": keyword,
                "unavailable": {"type": "boolean"},
                "registry_code": keyword,
                "apply_url": {"type": "keyword", "index": False},
                "topics": keyword,
                "life_events": keyword,
            }
        },
    }


def document_body(agency, document) -> dict:
    data = asdict(document)
    return {
        "agency": agency.slug,
        "agency_name": agency.name_fa,
        "agency_names": f"{agency.name_fa} {agency.name_en}".strip(),
        "translation_key": data["translation_key"],
        "language": data["language"],
        "service_slug": data["service_slug"],
        "title": data["title"],
        "keywords": data["keyword_terms"],
        "summary": data["summary"],
        "body": data["body_terms"],
        "url": data["url"],
        "level": data["level"],
        "delivery": data["delivery"],
        "audience": data["audience"],
        "province": data["province"],
        "unavailable": data["unavailable"],
        "registry_code": data["registry_code"],
        "apply_url": data["apply_url"],
        "topics": data["topics"],
        "life_events": data["life_events"],
    }


def document_id(agency, translation_key: str, language: str) -> str:
    return f"{agency.slug}:{translation_key}:{language}"


def query_body(
    query: str,
    *,
    language: str,
    filters: Filters,
    active_agencies: list[str],
    synonym_groups: list[list[str]],
    limit: int,
    offset: int,
) -> dict:
    """The search request: typed words (typo-tolerant, most of them required), their
    synonyms or a registry code, in active agencies."""
    codes, words = registry_codes(query)
    query_terms = informative_terms(terms(words), beside_code=bool(codes))
    expanded = expand_synonyms(query_terms, synonym_groups)
    should = []
    if query_terms:
        should += [
            {
                "multi_match": {
                    "query": " ".join(query_terms),
                    "fields": TEXT_FIELDS,
                    "type": "best_fields",
                    "operator": "and",
                    "boost": 2,
                }
            },
            {
                "multi_match": {
                    "query": " ".join(query_terms),
                    "fields": TEXT_FIELDS,
                    "fuzziness": "AUTO",
                    "prefix_length": 1,
                    "minimum_should_match": MINIMUM_MATCH,
                }
            },
        ]
    if codes:
        should.append({"terms": {"registry_code": codes, "boost": CODE_BOOST}})
    if expanded != query_terms:
        should.append(
            {
                "multi_match": {
                    "query": " ".join(expanded[len(query_terms) :]),
                    "fields": TEXT_FIELDS,
                }
            }
        )
    filter_clauses = [
        {"term": {"language": language}},
        {"terms": {"agency": sorted(active_agencies)}},
    ]
    for name in FACETS:
        value = getattr(filters, name)
        if value:
            filter_clauses.append({"term": {name: value}})
    return {
        "query": {"bool": {"should": should, "minimum_should_match": 1, "filter": filter_clauses}},
        "aggs": {name: {"terms": {"field": name, "size": 50}} for name in FACETS},
        "suggest": {
            "spelling": {"text": query, "term": {"field": "title", "suggest_mode": "popular"}}
        },
        "from": offset,
        "size": limit,
        "track_total_hits": True,
    }


class ElasticsearchBackend(SearchBackend):
    # A network round trip per service: never inside the editor's request.
    indexes_quickly = False

    def __init__(self, url: str):
        from elasticsearch import Elasticsearch

        self.client = Elasticsearch(url, request_timeout=5)

    def ensure_index(self) -> None:
        if not self.client.indices.exists(index=INDEX):
            self.client.indices.create(index=INDEX, **index_body())

    def replace(self, agency, translation_key, documents):
        self.ensure_index()
        self.remove(agency, translation_key)
        self.bulk_add(agency, documents)

    def bulk_add(self, agency, documents) -> None:
        from elasticsearch.helpers import bulk

        self.ensure_index()
        bulk(
            self.client,
            (
                {
                    "_index": INDEX,
                    "_id": document_id(agency, document.translation_key, document.language),
                    "_source": document_body(agency, document),
                }
                for document in documents
            ),
            refresh="wait_for",
        )

    def remove(self, agency, translation_key):
        self.ensure_index()
        self.client.delete_by_query(
            index=INDEX,
            query={
                "bool": {
                    "filter": [
                        {"term": {"agency": agency.slug}},
                        {"term": {"translation_key": str(translation_key)}},
                    ]
                }
            },
            refresh=True,
        )

    def clear(self) -> None:
        self.client.indices.delete(index=INDEX, ignore_unavailable=True)
        self.ensure_index()

    def search(self, query, *, filters=Filters(), limit=20, offset=0):  # noqa: B008
        from tenants.selectors import active_agencies

        from ..models import SynonymGroup

        language = query_language(query)
        results = Results(query=query, language=language)
        codes, words = registry_codes(query)
        if not codes and not informative_terms(terms(words), beside_code=False):
            return results
        groups = [group.phrase_list for group in SynonymGroup.objects.all()]
        body = query_body(
            query,
            language=language,
            filters=filters,
            active_agencies=list(active_agencies().values_list("slug", flat=True)),
            synonym_groups=groups,
            limit=limit,
            offset=offset,
        )
        from elasticsearch.dsl import Search

        response = Search(using=self.client, index=INDEX).update_from_dict(body).execute().to_dict()
        query_terms = expand_synonyms(terms(query), groups)
        results.total = response["hits"]["total"]["value"]
        results.hits = [
            Hit(
                agency=hit["_source"]["agency"],
                agency_name=hit["_source"]["agency_name"],
                service=hit["_source"]["service_slug"],
                title=hit["_source"]["title"],
                summary=hit["_source"]["summary"],
                url=hit["_source"]["url"],
                level=hit["_source"]["level"],
                delivery=hit["_source"]["delivery"],
                unavailable=hit["_source"]["unavailable"],
                score=round(hit["_score"] or 0.0, 4),
                highlight=highlight(hit["_source"]["summary"], query_terms),
                apply_url=hit["_source"].get("apply_url", ""),
                registry_code=hit["_source"].get("registry_code", ""),
            )
            for hit in response["hits"]["hits"]
        ]
        results.facets = {
            name: {
                bucket["key"]: bucket["doc_count"]
                for bucket in response["aggregations"][name]["buckets"]
            }
            for name in FACETS
        }
        if not results.total:
            options = [
                option["text"]
                for entry in response.get("suggest", {}).get("spelling", [])
                for option in entry.get("options", [])[:1]
            ]
            results.suggestion = " ".join(options)
        return results

    def suggest(self, prefix, *, limit=8):
        response = self.client.search(
            index=INDEX,
            query={
                "multi_match": {
                    "query": prefix,
                    "type": "bool_prefix",
                    "fields": ["title.prefix", "title.prefix._2gram", "title.prefix._3gram"],
                }
            },
            size=limit,
            source=["title"],
        )
        return list(dict.fromkeys(hit["_source"]["title"] for hit in response["hits"]["hits"]))
