"""PostgreSQL full-text + trigram search over the public schema's index table.

How results are chosen and ordered is ``postgres_ranking``'s business.
"""

from dataclasses import asdict, replace

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F

from persian.text import terms

from ..models import IndexedService, IndexedTerm, IndexedWord
from ..query import highlight, informative_terms, query_language, registry_codes
from . import FACETS, Filters, Hit, Results, SearchBackend
from . import postgres_ranking as ranking

# ts_rank weights for D, C, B, A: body, summary, keywords, title.
WEIGHTS = [0.1, 0.3, 0.6, 1.0]
# How many candidates are ranked at most.
POOL = 200
# Services offered apart when nothing answers the query itself.
RELATED = 5


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


# Where each part of a document is, as IndexedWord's place bits.
PLACES = (
    ("title_terms", IndexedWord.TITLE),
    ("keyword_terms", IndexedWord.KEYWORDS),
    ("summary_terms", IndexedWord.SUMMARY),
    ("body_terms", IndexedWord.BODY),
)
# Words written per statement.
WORDS_BATCH = 20_000


def _places(row) -> dict[str, int]:
    """Each word of an indexed row with the bits of the places it is in."""
    found: dict[str, int] = {}
    for name, bit in PLACES:
        for word in getattr(row, name).split():
            word = word[: IndexedWord.MAX_LENGTH]
            found[word] = found.get(word, 0) | bit
    return found


def _add_words(rows) -> None:
    """The postings of newly indexed rows, in a few statements (unnest of arrays)."""
    from django.db import connection

    columns: tuple[list, ...] = ([], [], [], [], [])

    def flush():
        if not columns[0]:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {IndexedWord._meta.db_table} "  # noqa: S608 - our table
                "(service_id, agency_id, language, word, places) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], "
                "%s::smallint[])",
                list(columns),
            )
        for column in columns:
            column.clear()

    for row in rows:
        for word, places in _places(row).items():
            for column, value in zip(
                columns, (row.pk, row.agency_id, row.language, word, places), strict=True
            ):
                column.append(value)
        if len(columns[0]) >= WORDS_BATCH:
            flush()
    flush()


class PostgresBackend(SearchBackend):
    def replace(self, agency, translation_key, documents):
        IndexedService.objects.filter(agency=agency, translation_key=translation_key).delete()
        self.bulk_add(agency, documents)

    def bulk_add(self, agency, documents) -> None:
        """Index many services at once (rebuilds and benchmarks)."""
        rows = IndexedService.objects.bulk_create(
            (IndexedService(agency=agency, **asdict(document)) for document in documents),
            batch_size=500,
        )
        IndexedService.objects.filter(pk__in=[row.pk for row in rows]).update(
            search_vector=_vector()
        )
        _add_words(rows)
        _remember_terms(documents)
        ranking.index_changed()

    def remove(self, agency, translation_key):
        IndexedService.objects.filter(agency=agency, translation_key=translation_key).delete()
        ranking.index_changed()

    def after_bulk_load(self) -> None:
        """Refresh the planner's statistics after many rows arrive at once (rebuilds)."""
        from django.db import connection

        tables = ", ".join(
            model._meta.db_table for model in (IndexedService, IndexedWord, IndexedTerm)
        )
        with connection.cursor() as cursor:
            # Outside a transaction, also drop the row versions the search vectors' update left.
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(f"{vacuum} {tables}")

    def clear(self) -> None:
        IndexedWord.objects.all().delete()
        IndexedService.objects.all().delete()
        IndexedTerm.objects.all().delete()
        ranking.index_changed()

    def search(self, query, *, filters=Filters(), limit=20, offset=0):  # noqa: B008
        language = query_language(query)
        results = Results(query=query, language=language)
        codes, words = registry_codes(query)
        query_terms = informative_terms(terms(words), beside_code=bool(codes))
        if not query_terms and not codes:
            return results
        # If the index, the synonyms or the agencies changed since this process last
        # looked, once more on what is current (a second change meanwhile waits for the
        # next search).
        for _attempt in range(2):
            analysis = ranking.analyse(query_terms, codes, language)
            ranked = ranking.rank(analysis, language, filters, POOL, (offset, limit))
            if ranking.confirmed(analysis, ranked.fingerprint):
                break
        if analysis.corrected:
            results.suggestion = " ".join(analysis.corrected)
        if not ranked.count:
            nearby = ranking.related(analysis, language, filters, RELATED)
            results.related = [self._hit(row, language, analysis.marked) for row in nearby]
            return results
        results.total = min(ranked.count, POOL)
        results.total_is_lower_bound = ranked.count > POOL
        results.facets = {name: ranked.facets.get(name, {}) for name in FACETS}
        # A chosen filter's own group counts as if it were not chosen, so the citizen can
        # switch to another agency or province in one click (one more ranking per choice).
        for name in FACETS:
            if getattr(filters, name):
                others = ranking.rank(
                    analysis, language, replace(filters, **{name: ""}), POOL, (0, 0)
                )
                results.facets[name] = others.facets.get(name, {})
        results.hits = [self._hit(row, language, analysis.marked) for row in ranked.rows]
        return results

    @staticmethod
    def _hit(row, language, query_terms) -> Hit:
        """A ranked row (``postgres_ranking.rank``) as a result."""
        return Hit(
            agency=row["agency"],
            agency_name=(
                row["agency_name_en"]
                if language == "en" and row["agency_name_en"]
                else row["agency_name_fa"]
            ),
            service=row["service_slug"],
            title=row["title"],
            summary=row["summary"],
            url=row["url"],
            level=row["level"],
            delivery=row["delivery"],
            unavailable=row["unavailable"],
            score=round(float(row["score"]), 4),
            highlight=highlight(row["summary"], query_terms),
            apply_url=row["apply_url"],
            registry_code=row["registry_code"],
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
