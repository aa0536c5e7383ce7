"""PostgreSQL full-text + trigram search over the public schema's index table."""

from collections import Counter
from dataclasses import asdict

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db.models import F

from persian.text import terms

from ..models import IndexedService, IndexedTerm, SynonymGroup
from ..query import expand_synonyms, highlight, query_language
from . import Filters, Hit, Results, SearchBackend

# ts_rank weights for D, C, B, A: body, summary, keywords, title.
WEIGHTS = [0.1, 0.3, 0.6, 1.0]
# How many candidates are ranked at most.
POOL = 200
# Fewer services than this with every term: also look for any term and for typos.
ENOUGH = 10
# How alike (pg_trgm similarity) a word must be to a known word to be taken for a typo of it.
TYPO_SIMILARITY = 0.4
# What a result shows; the long normalised texts stay in the database.
HIT_FIELDS = (
    "agency__slug",
    "agency__name_fa",
    "agency__name_en",
    "service_slug",
    "title",
    "summary",
    "url",
    "level",
    "delivery",
    "unavailable",
    "apply_url",
    "registry_code",
)
FACETS = {
    "agency": "agency__slug",
    "level": "level",
    "delivery": "delivery",
    "audience": "audience",
    "province": "province",
}


def _vector():
    return (
        SearchVector("title_terms", weight="A", config="simple")
        + SearchVector("keyword_terms", weight="B", config="simple")
        + SearchVector("summary_terms", weight="C", config="simple")
        + SearchVector("body_terms", weight="D", config="simple")
    )


def _quoted(term: str) -> str:
    return "'" + term.replace("\\", "").replace("'", "''") + "':*"


def _tsquery(query_terms: list[str], operator: str = " | ") -> str:
    # Prefix matching: «گواهی» also finds «گواهینامه». Terms are quoted lexemes.
    return operator.join(_quoted(term) for term in query_terms)


def _remember_terms(documents) -> None:
    words = {
        word[:100]
        for document in documents
        for word in f"{document.title_terms} {document.keyword_terms}".split()
        if len(word) >= 3
    }
    IndexedTerm.objects.bulk_create(
        [IndexedTerm(term=word) for word in sorted(words)], ignore_conflicts=True, batch_size=1000
    )


def correct_typos(query_terms: list[str]) -> list[str]:
    """Replace each term that no indexed title or keyword has with its closest known word."""
    known = set(IndexedTerm.objects.filter(term__in=query_terms).values_list("term", flat=True))
    corrected = []
    for term in query_terms:
        if term in known or len(term) < 4:
            corrected.append(term)
            continue
        closest = (
            IndexedTerm.objects.filter(term__trigram_similar=term)
            .annotate(similarity=TrigramSimilarity("term", term))
            .filter(similarity__gte=TYPO_SIMILARITY)
            .order_by("-similarity", "term")
            .values_list("term", flat=True)
            .first()
        )
        corrected.append(closest or term)
    return corrected


class PostgresBackend(SearchBackend):
    def replace(self, agency, translation_key, documents):
        IndexedService.objects.filter(agency=agency, translation_key=translation_key).delete()
        rows = IndexedService.objects.bulk_create(
            IndexedService(agency=agency, **asdict(document)) for document in documents
        )
        IndexedService.objects.filter(pk__in=[row.pk for row in rows]).update(
            search_vector=_vector()
        )
        _remember_terms(documents)

    def bulk_add(self, agency, documents) -> None:
        """Index many services at once (rebuilds and benchmarks)."""
        rows = IndexedService.objects.bulk_create(
            (IndexedService(agency=agency, **asdict(document)) for document in documents),
            batch_size=500,
        )
        IndexedService.objects.filter(pk__in=[row.pk for row in rows]).update(
            search_vector=_vector()
        )
        _remember_terms(documents)

    def remove(self, agency, translation_key):
        IndexedService.objects.filter(agency=agency, translation_key=translation_key).delete()

    def after_bulk_load(self) -> None:
        """Refresh the planner's statistics after many rows arrive at once (rebuilds)."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {IndexedService._meta.db_table}, {IndexedTerm._meta.db_table}")

    def clear(self) -> None:
        IndexedService.objects.all().delete()
        IndexedTerm.objects.all().delete()

    def search(self, query, *, filters=Filters(), limit=20, offset=0):  # noqa: B008
        language = query_language(query)
        results = Results(query=query, language=language)
        query_terms = terms(query)
        if not query_terms:
            return results
        groups = [group.phrase_list for group in SynonymGroup.objects.all()]
        expanded = expand_synonyms(query_terms, groups)
        text = " ".join(query_terms)
        any_term = SearchQuery(_tsquery(expanded), search_type="raw", config="simple")

        base = IndexedService.objects.filter(language=language, agency__is_active=True)
        for name, lookup in FACETS.items():
            value = getattr(filters, name)
            if value:
                base = base.filter(**{lookup: value})
        candidates = self._candidates(base, query_terms, expanded, any_term)
        if len(candidates) < ENOUGH:
            corrected = correct_typos(query_terms)
            if corrected != query_terms:
                query_terms = corrected
                expanded = expand_synonyms(corrected, groups)
                text = " ".join(corrected)
                any_term = SearchQuery(_tsquery(expanded), search_type="raw", config="simple")
                candidates = list(
                    dict.fromkeys(
                        candidates + self._candidates(base, corrected, expanded, any_term)
                    )
                )
                results.suggestion = " ".join(corrected)
        if not candidates:
            closest = (
                base.annotate(similarity=TrigramSimilarity("title_terms", text))
                .filter(similarity__gt=0.2)
                .order_by("-similarity")
                .values_list("title", flat=True)
                .first()
            )
            results.suggestion = closest or ""
            return results

        scored = list(
            IndexedService.objects.filter(pk__in=candidates)
            .annotate(
                rank=SearchRank(F("search_vector"), any_term, weights=WEIGHTS),
                title_similarity=TrigramWordSimilarity(text, "title_terms"),
            )
            .annotate(score=F("rank") + 0.8 * F("title_similarity"))
            .order_by("-score", "title", "pk")
            .values("pk", "score", *FACETS.values())
        )
        results.total = len(scored)
        results.total_is_lower_bound = len(scored) >= POOL
        results.facets = {
            name: dict(Counter(row[lookup] for row in scored if row[lookup]).most_common())
            for name, lookup in FACETS.items()
        }
        shown = scored[offset : offset + limit]
        rows = (
            IndexedService.objects.select_related("agency")
            .only(*HIT_FIELDS)
            .in_bulk([row["pk"] for row in shown])
        )
        results.hits = [
            self._hit(rows[row["pk"]], row["score"], language, expanded) for row in shown
        ]
        return results

    def _candidates(self, base, query_terms, expanded, any_term) -> list[int]:
        """Ids worth ranking, cheapest route first (each step is one indexed query).

        Services with every term of the query (or of a synonym phrase); only if
        that finds few, those with any term. Typos are corrected by the caller.
        """
        every_term = SearchQuery(_tsquery(query_terms, " & "), search_type="raw", config="simple")
        ids = self._best(base.filter(search_vector=every_term), every_term)
        if len(expanded) > len(query_terms):
            synonyms = SearchQuery(
                _tsquery(expanded[len(query_terms) :], " & "), search_type="raw", config="simple"
            )
            ids += self._best(base.filter(search_vector=synonyms), synonyms)
        if len(set(ids)) >= ENOUGH:
            return list(dict.fromkeys(ids))
        ids += self._best(base.filter(search_vector=any_term), any_term)
        return list(dict.fromkeys(ids))

    @staticmethod
    def _hit(row, score, language, query_terms) -> Hit:
        agency = row.agency
        return Hit(
            agency=agency.slug,
            agency_name=agency.name_en if language == "en" and agency.name_en else agency.name_fa,
            service=row.service_slug,
            title=row.title,
            summary=row.summary,
            url=row.url,
            level=row.level,
            delivery=row.delivery,
            unavailable=row.unavailable,
            score=round(float(score), 4),
            highlight=highlight(row.summary, query_terms),
            apply_url=row.apply_url,
            registry_code=row.registry_code,
        )

    @staticmethod
    def _best(queryset, tsquery) -> list[int]:
        return list(
            queryset.annotate(rank=SearchRank(F("search_vector"), tsquery, weights=WEIGHTS))
            .order_by("-rank")
            .values_list("pk", flat=True)[:POOL]
        )

    def suggest(self, prefix, *, limit=8):
        query_terms = terms(prefix)
        if not query_terms:
            return []
        tsquery = SearchQuery(_tsquery(query_terms, " & "), search_type="raw", config="simple")
        return list(
            IndexedService.objects.filter(language=query_language(prefix), agency__is_active=True)
            .filter(search_vector=tsquery)
            .annotate(rank=SearchRank(F("search_vector"), tsquery, weights=WEIGHTS))
            .order_by("-rank", "title")
            .values_list("title", flat=True)
            .distinct()[:limit]
        )
