"""How the PostgreSQL backend ranks: what a query is about, and which services answer it.

A query is a list of *concepts*: its informative words (conversational words
dropped; a word no service has is read without a clitic, «شناسنامه‌ام», or else
corrected to the closest indexed word), each matched as typed (as a prefix from
four letters on), through a synonym phrase, or by an agency's name; and the
registry codes in it. A concept weighs its inverse document frequency in the
index: a word most services have («صدور», «درخواست») weighs almost nothing, a
word no service has weighs the most.

A service answers the query only when the concepts it matches carry at least
``COVERAGE`` of the query's weight. A query about something no agency offers,
sharing only common words with real services, or a rare word nobody has, gets
no hits; the services nearest to it are offered apart (``Results.related``).
Among the answers, a concept found in a title counts more than in the keywords,
the agency's name, the summary or the body, and a registry code comes first.

Document frequencies are cached per process under ``IndexGeneration``, which
every write to the index changes in its own transaction.
"""

import math
import secrets
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection

from persian.text import terms
from tenants.models import Agency

from ..models import IndexedService, IndexedTerm, IndexGeneration, SynonymGroup
from ..query import base_form, synonym_alternatives, without_clitic

# The share of the query's weight an answer must match.
COVERAGE = 2 / 3
# How much a concept counts where it is found (best place first).
TITLE, KEYWORDS, AGENCY, SUMMARY, BODY = 1.0, 0.8, 0.7, 0.5, 0.3
# How much the title's closeness to the whole query adds (pg_trgm word similarity, 0–1).
TITLE_SIMILARITY = 0.3
# A registry code match comes before everything else.
CODE_FIRST = 10.0
# Words shorter than this match whole words only («کار» is not «کارت»).
PREFIX_FROM = 4
# How alike (pg_trgm similarity) a word must be to a known word to be taken for a typo of it.
TYPO_SIMILARITY = 0.4
# Related services are those with a concept at least this share of the rarest one's weight,
# and found in at most half of the services.
RELATED_WEIGHT = 0.5
# Unknown words looked up for the closest known one, at most, per query.
MAX_CORRECTIONS = 3
# How many more than the pool get the title's closeness weighed in.
PREFETCH = 50
# More candidates than this: look among title and keyword matches first.
BROAD = 1000


@dataclass
class Concept:
    term: str = ""
    # Synonym phrases that stand for it (each a tuple of terms, all required).
    alternatives: tuple = ()
    # Agencies whose name has it; services whose registry code it is.
    agencies: tuple = ()
    services: tuple = ()
    code: str = ""
    documents: int = 0
    weight: float = 0.0

    def key(self) -> tuple:
        return (self.term, self.alternatives, self.agencies, self.code)

    def tsquery(self) -> str:
        return " | ".join(
            "(" + " & ".join(_lexeme(t) for t in phrase) + ")" for phrase in _phrases(self)
        )


@dataclass
class Analysis:
    statistics: dict = field(default_factory=dict)
    concepts: list = field(default_factory=list)
    total_weight: float = 0.0
    # The typed words with typos corrected, when one was.
    corrected: list = field(default_factory=list)
    # What the highlight marks.
    marked: list = field(default_factory=list)


def _lexeme(term: str) -> str:
    quoted = "'" + term.replace("\\", "").replace("'", "''") + "'"
    return f"{quoted}:*" if len(term) >= PREFIX_FROM else quoted


# Document frequencies, per generation of the index: {generation: {(language, key): count}}.
_STATISTICS: dict = {}
# Counts kept per generation at most (a few MB); past it they are counted again.
MAX_STATISTICS = 50_000


def index_changed() -> None:
    """Called by every write to the index, inside its transaction."""
    value = secrets.randbits(62)
    if not IndexGeneration.objects.update(value=value):
        IndexGeneration.objects.create(value=value)


@dataclass
class _State:
    statistics: dict
    agencies: "_AgencyNames"
    groups: list


# Agencies' name terms and synonym groups, per fingerprint of those tables.
_NAMES: dict = {}


def _state() -> _State:
    """Statistics, agencies and synonyms as of now, read anew only when they changed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT value FROM {IndexGeneration._meta.db_table} LIMIT 1), "  # noqa: S608
            f"(SELECT count(*)::text || ' ' || coalesce(max(updated_at)::text, '') "
            f"FROM {SynonymGroup._meta.db_table}), "
            f"(SELECT count(*)::text || ' ' || coalesce(sum(hashtext(concat_ws(' ', id, name_fa, "
            f"name_en, is_active))), 0)::text FROM {Agency._meta.db_table})"
        )
        generation, synonyms, names = cursor.fetchone()
    if generation is None:
        statistics = {}  # never written through the backend: nothing to cache under
    else:
        statistics = _STATISTICS.get(generation)
        if statistics is None:
            _STATISTICS.clear()
            statistics = _STATISTICS[generation] = {}
    found = _NAMES.get((synonyms, names))
    if found is None:
        _NAMES.clear()
        found = _NAMES[(synonyms, names)] = (
            _agencies(),
            [group.phrase_list for group in SynonymGroup.objects.all()],
        )
    return _State(statistics, *found)


@lru_cache(maxsize=4096)
def _name_terms(name_fa: str, name_en: str) -> frozenset:
    return frozenset(terms(f"{name_fa} {name_en}"))


class _AgencyNames:
    """Which active agencies' names have a word: looked up, not scanned, per query term."""

    def __init__(self, names: list[tuple[int, frozenset]]):
        self.by_word: dict[str, set] = {}
        for pk, words in names:
            for word in words:
                self.by_word.setdefault(word, set()).add(pk)
        self.words = sorted(self.by_word)

    def having(self, term: str) -> set:
        """The agencies with ``term`` in their name (as a prefix from ``PREFIX_FROM`` letters)."""
        if len(term) < PREFIX_FROM:
            return set(self.by_word.get(term, ()))
        found = set()
        for number in range(bisect_left(self.words, term), len(self.words)):
            if not self.words[number].startswith(term):
                break
            found |= self.by_word[self.words[number]]
        return found

    def named(self, phrase) -> set:
        """The agencies whose name has every term of ``phrase``."""
        found = None
        for term in phrase:
            found = self.having(term) if found is None else found & self.having(term)
            if not found:
                return set()
        return found or set()


def _agencies() -> _AgencyNames:
    return _AgencyNames(
        [
            (pk, _name_terms(name_fa, name_en or ""))
            for pk, name_fa, name_en in Agency.objects.filter(is_active=True).values_list(
                "id", "name_fa", "name_en"
            )
        ]
    )


def _concept(term: str, alternatives, agencies: _AgencyNames) -> Concept:
    found = agencies.named([term])
    for alternative in alternatives:
        found |= agencies.named(alternative)
    return Concept(
        term=term,
        alternatives=tuple(tuple(alt) for alt in alternatives),
        agencies=tuple(sorted(found)),
    )


def _condition(concept: Concept) -> tuple[str, list]:
    """SQL true when a row has the concept: in its text, its agency's name or its code."""
    parts, params = [], []
    if concept.term:
        parts.append("s.search_vector @@ %s::tsquery")
        params.append(concept.tsquery())
    if concept.agencies:
        parts.append("s.agency_id = ANY(%s)")
        params.append(list(concept.agencies))
    if concept.services:
        parts.append("s.id = ANY(%s)")
        params.append(list(concept.services))
    return ("(" + " OR ".join(parts) + ")" if parts else "FALSE"), params


def _count(concepts: list[Concept], language: str, statistics: dict) -> None:
    """Set each concept's document frequency (one query for those not cached)."""
    if len(statistics) > MAX_STATISTICS:
        statistics.clear()  # words typed at random must not fill the worker's memory
    missing = [c for c in concepts if (language, c.key()) not in statistics]
    if missing:
        conditions = [_condition(c) for c in missing]
        select = ", ".join(f"count(*) FILTER (WHERE {sql})" for sql, _ in conditions)
        where = " OR ".join(sql for sql, _ in conditions)
        params = [p for _, ps in conditions for p in ps] + [language]
        params += [p for _, ps in conditions for p in ps]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {IndexedService._meta.db_table} s "  # noqa: S608
                f"WHERE s.language = %s AND ({where})",
                params,
            )
            counts = cursor.fetchone()
        for concept, count in zip(missing, counts, strict=True):
            statistics[(language, concept.key())] = count
    for concept in concepts:
        concept.documents = statistics[(language, concept.key())]


def _size(language: str, statistics: dict) -> int:
    key = (language, "services")
    if key not in statistics:
        statistics[key] = IndexedService.objects.filter(language=language).count()
    return statistics[key]


def closest_known_word(term: str) -> str:
    """The indexed title or keyword word closest to ``term``, if one is close enough."""
    return (
        IndexedTerm.objects.filter(term__trigram_similar=term)
        .annotate(similarity=TrigramSimilarity("term", term))
        .filter(similarity__gte=TYPO_SIMILARITY)
        .order_by("-similarity", "term")
        .values_list("term", flat=True)
        .first()
    ) or ""


def analyse(query_terms: list[str], codes: list[str], language: str) -> Analysis:
    """The query's concepts with their weights."""
    state = _state()
    statistics, agencies = state.statistics, state.agencies
    alternatives = synonym_alternatives(query_terms, state.groups)
    concepts = [_concept(base_form(t), alternatives.get(t, ()), agencies) for t in query_terms]
    _count(concepts, language, statistics)
    corrected, typo, corrections = list(query_terms), False, 0
    # A word no service has, read without a clitic: every unknown word's forms counted at once.
    unknown = [number for number, concept in enumerate(concepts) if not concept.documents]
    forms = {
        number: [
            _concept(w, concepts[number].alternatives, agencies)
            for w in without_clitic(query_terms[number])
        ]
        for number in unknown
    }
    _count([c for candidates in forms.values() for c in candidates], language, statistics)
    for number in unknown:
        concept, typed = concepts[number], query_terms[number]
        found = next((c for c in forms[number] if c.documents), None)
        if found is None and len(typed) >= PREFIX_FROM and corrections < MAX_CORRECTIONS:
            corrections += 1
            closest = closest_known_word(typed)
            if closest and closest != typed:
                candidate = _concept(base_form(closest), concept.alternatives, agencies)
                _count([candidate], language, statistics)
                if candidate.documents:
                    found, corrected[number], typo = candidate, closest, True
        if found is not None:
            concepts[number] = found
    for code in dict.fromkeys(codes):
        services = tuple(
            IndexedService.objects.filter(language=language, registry_code=code).values_list(
                "id", flat=True
            )
        )
        concepts.append(Concept(code=code, services=services, documents=len(services)))
    size = _size(language, statistics)
    for concept in concepts:
        concept.weight = math.log((size + 1) / (concept.documents + 0.5))
    marked = [
        t for c in concepts for t in (c.term, *(t for alt in c.alternatives for t in alt)) if t
    ]
    return Analysis(
        statistics=statistics,
        concepts=concepts,
        total_weight=sum(c.weight for c in concepts),
        corrected=corrected if typo else [],
        marked=marked,
    )


def _required(analysis: Analysis) -> list[Concept]:
    """The fewest concepts one of which every answer must have (the heaviest first)."""
    rest, required = analysis.total_weight, []
    for concept in sorted(analysis.concepts, key=lambda c: -c.weight):
        if rest < COVERAGE * analysis.total_weight - 1e-9:
            break
        required.append(concept)
        rest -= concept.weight
    return required


def _phrases(concept: Concept) -> list[tuple]:
    return [(concept.term,), *concept.alternatives] if concept.term else list(concept.alternatives)


def _words_match(column: str, concept: Concept, *, indexed: bool = False) -> tuple[str, list]:
    """SQL: the normalised text ``column`` has the concept's word (or a synonym phrase's
    words). Plain LIKE on a short text is far cheaper than reading the search vector;
    ``indexed`` adds a LIKE its trigram index can answer."""
    phrases, params = [], []
    for phrase in _phrases(concept):
        conditions = []
        for term in phrase:
            if indexed:
                conditions.append(f"s.{column} LIKE %s")
                params.append(f"%{term}%")
            conditions.append(f"(' ' || s.{column} || ' ') LIKE %s")
            params.append(f"% {term}{'%' if len(term) >= PREFIX_FROM else ' %'}")
        phrases.append("(" + " AND ".join(conditions) + ")")
    return ("(" + " OR ".join(phrases) + ")" if phrases else "FALSE"), params


def _factor(concept: Concept) -> tuple[str, list]:
    """SQL: how much the concept counts in a row (0 if the row lacks it)."""
    cases, params = [], []
    if concept.services:
        cases.append(f"WHEN s.id = ANY(%s) THEN {TITLE}")
        params.append(list(concept.services))
    if concept.term:
        for column, value in (("title_terms", TITLE), ("keyword_terms", KEYWORDS)):
            sql, ps = _words_match(column, concept)
            cases.append(f"WHEN {sql} THEN {value}")
            params += ps
    if concept.agencies:
        cases.append(f"WHEN s.agency_id = ANY(%s) THEN {AGENCY}")
        params.append(list(concept.agencies))
    if concept.term:
        sql, ps = _words_match("summary_terms", concept)
        cases.append(f"WHEN {sql} THEN {SUMMARY}")
        params += ps
        cases.append(f"WHEN s.search_vector @@ %s::tsquery THEN {BODY}")
        params.append(concept.tsquery())
    if not cases:
        return "0", []
    return "CASE " + " ".join(cases) + " ELSE 0 END", params


def _prominent(concept: Concept) -> tuple[str, list]:
    """SQL: the row has the concept in its title or keywords, agency name or code."""
    parts, params = [], []
    if concept.term:
        for column in ("title_terms", "keyword_terms"):
            sql, ps = _words_match(column, concept, indexed=True)
            parts.append(sql)
            params += ps
    if concept.agencies:
        parts.append("s.agency_id = ANY(%s)")
        params.append(list(concept.agencies))
    if concept.services:
        parts.append("s.id = ANY(%s)")
        params.append(list(concept.services))
    return ("(" + " OR ".join(parts) + ")" if parts else "FALSE"), params


def _scored(
    analysis: Analysis, language: str, filters, candidates, *, prominent=False, answers=True
):
    """SQL and parameters: rows with any of ``candidates`` (in a title or keywords only, if
    ``prominent``), the answers only if ``answers``, best first, with their score and how
    many there are.

    The title's closeness to the query (costly) is weighed in for the best by the rest only.
    """
    concepts = analysis.concepts
    code = [pk for c in concepts for pk in c.services]
    params = [code] if code else []
    factors = []
    for number, concept in enumerate(concepts):
        sql, ps = _factor(concept)
        factors.append(f"{sql} AS f{number}")
        params += ps
    params.append(language)
    where = []
    for concept in candidates:
        sql, ps = _prominent(concept) if prominent else _condition(concept)
        where.append(sql)
        params += ps
    narrowed = ""
    for name in ("level", "delivery", "audience", "province"):
        if getattr(filters, name):
            narrowed += f" AND s.{name} = %s"
            params.append(getattr(filters, name))
    if filters.agency:
        narrowed += " AND a.slug = %s"
        params.append(filters.agency)
    params.append(" ".join(c.term for c in concepts if c.term))
    total = analysis.total_weight or 1.0
    quality = " + ".join(f"{c.weight!r} * f{n}" for n, c in enumerate(concepts))
    covered = " + ".join(
        f"CASE WHEN f{n} > 0 THEN {c.weight!r} ELSE 0 END" for n, c in enumerate(concepts)
    )
    answering = f"WHERE covered >= {COVERAGE - 1e-9!r}" if answers else ""
    table = IndexedService._meta.db_table
    sql = f"""
        WITH candidates AS MATERIALIZED (
            SELECT s.id, a.slug AS agency, s.level, s.delivery, s.audience, s.province,
                   {"CASE WHEN s.id = ANY(%s) THEN 1 ELSE 0 END" if code else "0"} AS code,
                   {", ".join(factors)}
            FROM {table} s
            JOIN {Agency._meta.db_table} a ON a.id = s.agency_id
            WHERE s.language = %s AND a.is_active AND ({" OR ".join(where)}){narrowed}
        ), scored AS (
            SELECT id, agency, level, delivery, audience, province, code,
                   ({quality}) / {total!r} AS quality, ({covered}) / {total!r} AS covered
            FROM candidates
        ), best AS (
            SELECT *, count(*) OVER () AS found FROM scored {answering}
            ORDER BY code DESC, quality DESC, id LIMIT %s
        )
        SELECT b.id, b.agency, b.level, b.delivery, b.audience, b.province, b.found,
               {CODE_FIRST} * b.code + b.quality
                   + {TITLE_SIMILARITY} * word_similarity(%s, s.title_terms) AS score
        FROM best b JOIN {table} s ON s.id = b.id
        ORDER BY score DESC, s.title, b.id LIMIT %s
    """  # noqa: S608 - identifiers and numbers are ours, values are parameters
    return sql, params


def _run(sql: str, params: list, pool: int) -> list[dict]:
    # The best by the rest, then the best pool of those with the title's closeness too.
    params = [*params[:-1], pool + PREFETCH, params[-1], pool]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def rank(analysis: Analysis, language: str, filters, pool: int) -> tuple[list[dict], int, bool]:
    """The best ``pool`` answers (dicts with id, score and facet values), how many there
    are, and whether that count is exact.

    When the concepts every answer must have are in more than ``BROAD`` services, the
    answers are first sought among those with them in a title or keywords (or agency
    name, or code): if these fill the pool, the others would rank below them anyway.
    """
    required = [c for c in _required(analysis) if c.documents]
    if not required:
        return [], 0, True
    if sum(c.documents for c in required) > BROAD:
        sql, params = _scored(analysis, language, filters, required, prominent=True)
        rows = _run(sql, params, pool)
        if len(rows) >= pool:
            return rows, rows[0]["found"], False
    sql, params = _scored(analysis, language, filters, required)
    rows = _run(sql, params, pool)
    return rows, (rows[0]["found"] if rows else 0), True


def related(analysis: Analysis, language: str, filters, limit: int) -> list[dict]:
    """Services near a query nothing answers: those with its rarer known concepts."""
    size = _size(language, analysis.statistics)
    known = [c for c in analysis.concepts if c.documents and c.documents <= size / 2]
    if not known:
        return []
    heaviest = max(c.weight for c in known)
    near = [c for c in known if c.weight >= RELATED_WEIGHT * heaviest]
    sql, params = _scored(analysis, language, filters, near, answers=False)
    return _run(sql, params, limit)
