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

Which services have a concept, and where, is read from ``IndexedWord``: each
indexed service's words with the places they are in, under an index on
(language, word) that carries the places, the service and its agency, so a word
(or a prefix) is looked up by an index-only range scan and no service's row is
read to match it. The services with the concepts every answer needs are found
first; the others' words are kept for those services only: read from the
(language, word) index when few more services have them, else looked up per
service in a second index, on (service, language, word) (``PROBE_ABOVE``). Each
service's row is read for the pool of best answers only (facets, and the title's
closeness to the query for the best ``CLOSENESS_AMONG``), and what a result shows
only for the rows that may be on the page.

Document frequencies, typos' corrections and registry codes' services are cached
per process under ``IndexGeneration``'s first row, which every write to the index
changes in its own transaction; the agencies' names and the synonyms under its other
two rows, which triggers on their tables change (``_STATE``). The ranking's best
row carries the three, so that a search on a state changed meanwhile is made again.
"""

import math
import secrets
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection

from persian.text import terms
from tenants.models import Agency

from ..models import IndexedService, IndexedTerm, IndexedWord, IndexGeneration, SynonymGroup
from ..query import base_form, synonym_alternatives, without_clitic
from . import FACETS

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
# What a result shows, read with the ranking (the long normalised texts stay behind).
HIT_FIELDS = (
    "service_slug",
    "title",
    "summary",
    "url",
    "unavailable",
    "apply_url",
    "registry_code",
)
# A concept the candidates need not have is looked up per candidate (``IndexedWord``'s
# index on the service) when more than this many times as many services have it as there
# are candidates at most; else all its services are read and those not candidates dropped.
PROBE_ABOVE = 25
# What the facets count, besides the agency.
FACET_COLUMNS = ("level", "delivery", "audience", "province")
# The title's closeness to the query (costly) is weighed in for the best this many by the
# rest; the others of the pool follow them in that order. The number is fixed, not the
# page's, so that every page of a search is cut from the same order.
CLOSENESS_AMONG = 60


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


@dataclass
class Analysis:
    statistics: dict = field(default_factory=dict)
    concepts: list = field(default_factory=list)
    total_weight: float = 0.0
    # The typed words with typos corrected, when one was.
    corrected: list = field(default_factory=list)
    # What the highlight marks.
    marked: list = field(default_factory=list)
    # The agencies as of the analysis (slugs of active ones, ids of inactive ones).
    agencies: "_AgencyNames" = field(default_factory=lambda: _AgencyNames([]))
    # The state it was made on (``_State.fingerprint``).
    fingerprint: tuple = ()


# Document frequencies, per generation of the index: {generation: {(language, key): count}}.
_STATISTICS: dict = {}
# Counts kept per generation at most (a few MB); past it they are counted again.
MAX_STATISTICS = 50_000


def index_changed() -> None:
    """Called by every write to the index, inside its transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {IndexGeneration._meta.db_table} (id, value) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value",
            [IndexGeneration.INDEX, secrets.randbits(62)],
        )


@dataclass
class _State:
    statistics: dict
    agencies: "_AgencyNames"
    groups: list
    # What the index, the synonyms and the agencies were when this was read.
    fingerprint: tuple = ()


# Agencies' name terms and synonym groups, per state of those tables.
_NAMES: dict = {}
# The fingerprint this process last read (a tuple, ``_fingerprint``), if any.
_SEEN: list = [None]
# SQL: the fingerprint: the index's generation, and the synonyms' and the agencies' (set
# by triggers on their tables): the values of ``IndexGeneration``'s rows (NULL if none).
_STATE = "ARRAY[{}]".format(  # noqa: UP032
    ", ".join(
        f"(SELECT value FROM {IndexGeneration._meta.db_table} WHERE id = {row})"  # noqa: S608
        for row in (IndexGeneration.INDEX, IndexGeneration.SYNONYMS, IndexGeneration.AGENCIES)
    )
)


def _fingerprint() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_STATE}")  # noqa: S608
        return tuple(cursor.fetchone()[0])


def confirmed(analysis: "Analysis", fingerprint: tuple | None) -> bool:
    """Whether ``analysis`` was made on the state that is current: that of ``fingerprint``
    (which the ranking's rows carry), or else read now. Either way it is what the next
    analysis starts from."""
    _SEEN[0] = fingerprint or _fingerprint()
    return _SEEN[0] == analysis.fingerprint


def _state() -> _State:
    """Statistics, agencies and synonyms as this process last saw them (read now the first
    time), read anew only when they changed. The ranking's rows carry the state they were
    read in (``_STATE``), so the caller learns, with no query of its own,
    whether it changed meanwhile (``confirmed``) and then analyses the query again."""
    if _SEEN[0] is None:
        _SEEN[0] = _fingerprint()
    fingerprint = _SEEN[0]
    generation, synonyms, names = fingerprint
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
    return _State(statistics, *found, fingerprint=fingerprint)


@lru_cache(maxsize=4096)
def _name_terms(name_fa: str, name_en: str) -> frozenset:
    return frozenset(terms(f"{name_fa} {name_en}"))


class _AgencyNames:
    """Which active agencies' names have a word: looked up, not scanned, per query term.

    Also each active agency's slug and the inactive agencies' ids, so that the ranking
    queries need not join the agency table (its row estimates made PostgreSQL loop over
    the agencies once per candidate)."""

    def __init__(self, names: list[tuple[int, frozenset]], slugs=None, inactive=(), titles=None):
        self.by_word: dict[str, set] = {}
        for pk, words in names:
            for word in words:
                self.by_word.setdefault(word, set()).add(pk)
        self.words = sorted(self.by_word)
        self.slugs: dict[int, str] = dict(slugs or {})
        # Each active agency's names as results show them: (Persian, English).
        self.titles: dict[int, tuple[str, str]] = dict(titles or {})
        self.ids: dict[str, int] = {slug: pk for pk, slug in self.slugs.items()}
        self.inactive: list[int] = sorted(inactive)

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
    rows = Agency.objects.values_list("id", "slug", "name_fa", "name_en", "is_active")
    active = [(pk, slug, fa, en) for pk, slug, fa, en, is_active in rows if is_active]
    return _AgencyNames(
        [(pk, _name_terms(fa, en or "")) for pk, _slug, fa, en in active],
        slugs={pk: slug for pk, slug, _fa, _en in active},
        titles={pk: (fa, en or "") for pk, _slug, fa, en in active},
        inactive=[pk for pk, _slug, _fa, _en, is_active in rows if not is_active],
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


def _phrases(concept: Concept) -> list[tuple]:
    return [(concept.term,), *concept.alternatives] if concept.term else list(concept.alternatives)


def _after_prefix(term: str) -> str:
    """The first text after every text that starts with ``term``, in the byte order the
    words' index keeps (``text_pattern_ops``; UTF-8 keeps the characters' order)."""
    for end in range(len(term) - 1, -1, -1):
        code = ord(term[end]) + 1
        code = 0xE000 if 0xD800 <= code <= 0xDFFF else code  # no text has a surrogate
        if code <= 0x10FFFF:
            return term[:end] + chr(code)
    # A term of U+10FFFF only: after every word it begins (no word is longer).
    return term + chr(0x10FFFF) * (IndexedWord.MAX_LENGTH + 1)


def _word_is(alias: str, term: str) -> tuple[str, list]:
    """SQL: the indexed word ``alias`` is ``term`` (or, from ``PREFIX_FROM`` letters, starts
    with it), as a range of the words' index whose ends are parameters: the statement's
    text is then the same whatever the term, and its plan too (prepared statements)."""
    term = term[: IndexedWord.MAX_LENGTH]
    # The term itself: no text sorts between it and it followed by U+0001 (none has U+0000).
    high = _after_prefix(term) if len(term) >= PREFIX_FROM else term + "\x01"
    return f"{alias}.word ~>=~ %s AND {alias}.word ~<~ %s", [term, high]


def _phrase_places(phrase: tuple, language: str) -> tuple[str, list]:
    """SQL: (service_id, agency_id, places) of the services with every term of ``phrase``;
    ``places`` has the bits of the places (``IndexedWord``) that have them all.

    A one-word phrase gives a row per matching word (a prefix matches several): the best
    place of their places is the best place of them all, so nothing is grouped."""
    table = IndexedWord._meta.db_table
    if len(phrase) == 1:
        sql, params = _word_is("t0", phrase[0])
        return (
            f"SELECT t0.service_id, t0.agency_id, t0.places FROM {table} t0 "  # noqa: S608
            f"WHERE t0.language = %s AND {sql}"
        ), [language, *params]
    joins, where, params, places = [], [], [], []
    for number, term in enumerate(phrase):
        alias = f"t{number}"
        joins.append(
            f"{table} {alias}"
            if number == 0
            else f"JOIN {table} {alias} ON {alias}.service_id = t0.service_id"
        )
        sql, ps = _word_is(alias, term)
        where.append(f"{alias}.language = %s AND {sql}")
        params += [language, *ps]
        places.append(f"bit_or({alias}.places)")
    return (
        f"SELECT t0.service_id, t0.agency_id, {' & '.join(places)} AS places "  # noqa: S608
        f"FROM {' '.join(joins)} WHERE {' AND '.join(where)} "
        "GROUP BY t0.service_id, t0.agency_id"
    ), params


def _probed_places(phrase: tuple, language: str) -> tuple[str, list]:
    """SQL: (service_id, agency_id, places) of the candidates (the CTE ``candidates``)
    with every term of ``phrase``, each looked up for each candidate; ``places`` as in
    ``_phrase_places``."""
    table = IndexedWord._meta.db_table
    lookups, params = [], []
    for term in phrase:
        sql, ps = _word_is("t", term)
        lookups.append(
            f"(SELECT bit_or(t.places) FROM {table} t WHERE t.service_id = c.service_id "  # noqa: S608
            f"AND t.language = %s AND {sql})"
        )
        params += [language, *ps]
    return (
        "SELECT * FROM (SELECT c.service_id, c.agency_id, "  # noqa: S608
        f"{' & '.join(lookups)} AS places FROM candidates c OFFSET 0) q "
        "WHERE q.places IS NOT NULL"  # OFFSET 0: each lookup runs once, not once per use
    ), params


# Where a service has a concept, as a number whose largest over its matches is the best
# place: a word's place bits doubled (title 16–30, keywords 8–14, summary 4–6, body 2; a
# phrase whose words are in no one place together 0, as the body), its agency's name 7
# (after the keywords, before the summary), its registry code 32 (as a title). Only the
# best is turned into a factor (``_factor``), once per service.
_PLACE = "p.places * 2"
_AGENCY_PLACE, _CODE_PLACE = 7, 2 * 2 * IndexedWord.TITLE


def _factor_of(place: int) -> float:
    """How much a concept counts by the best place it is in (a number as ``_PLACE``)."""
    if place >= 2 * IndexedWord.TITLE:
        return TITLE
    if place >= 2 * IndexedWord.KEYWORDS:
        return KEYWORDS
    if place == _AGENCY_PLACE:
        return AGENCY
    if place >= 2 * IndexedWord.SUMMARY:
        return SUMMARY
    return BODY


# SQL: the factor of every place number, as one constant array (one node to plan and
# evaluate, not a CASE of five branches per concept).
_FACTORS = "('{%s}'::float8[])" % ",".join(  # noqa: UP031 - braces are the array's
    repr(_factor_of(place)) for place in range(_CODE_PLACE + 1)
)


def _factor(place: str) -> str:
    """SQL: how much a concept counts by the best place (``_PLACE``) it is in; 0 if none."""
    return f"coalesce({_FACTORS}[{place} + 1], 0::float8)"


# The other concepts' matches (``_matches``) among the services found.
_AMONG_FOUND = (
    "SELECT * FROM ({}) r (service_id, agency_id, concept, place) "
    "WHERE r.service_id IN (SELECT service_id FROM found)"
)
# The services found, each once: those the other concepts are looked up for.
_CANDIDATES = "candidates AS MATERIALIZED (SELECT DISTINCT service_id, agency_id FROM found),"
_NO_MATCH = "SELECT NULL::bigint, NULL::bigint, NULL::int, NULL::int WHERE FALSE"


def _matches(
    numbered: list[tuple[int, Concept]],
    language: str,
    *,
    words_only=False,
    per_candidate=False,
    gates=None,
) -> tuple[str, list]:
    """SQL: (service_id, agency_id, concept, place) for every service that has one of the
    concepts (``numbered``: its number and itself), a row per way it has it: a phrase in
    its words, its agency's name or its registry code (``_PLACE``); by its words only if
    ``words_only``; by looking its words up for each candidate (the CTE ``candidates``)
    if ``per_candidate``. A service may have several rows for one concept and one way:
    the best counts.

    With ``gates`` ({number: bool}), each concept's branches are in the statement whether
    it is looked up or not, a parameter (its gate) switching them on: the statement's text
    then depends on the concepts' phrases only, not on which are looked up this way, and
    PostgreSQL plans it once for all (``execute_prepared``); a branch switched off is not
    run (a one-time filter). A word's agency branch, and a code's branch, are switched on
    only when it has agencies, or services."""
    branches, params = [], []
    table = IndexedService._meta.db_table

    def branch(sql, ps, number, *, has=True, where="WHERE"):
        if gates is None:
            branches.append(sql)
            params.extend(ps)
        else:
            branches.append(f"{sql} {where} %s")
            params.extend([*ps, bool(gates[number] and has)])

    for number, concept in numbered:
        for phrase in _phrases(concept):
            sql, ps = (_probed_places if per_candidate else _phrase_places)(phrase, language)
            branch(
                f"SELECT p.service_id, p.agency_id, {number}, {_PLACE} FROM ({sql}) p",  # noqa: S608
                ps,
                number,
            )
        if words_only:
            continue
        if concept.agencies or (gates is not None and not concept.code):
            branch(
                f"SELECT s.id, s.agency_id, {number}, {_AGENCY_PLACE} FROM {table} s "  # noqa: S608
                "WHERE s.language = %s AND s.agency_id = ANY(%s)",
                [language, list(concept.agencies)],
                number,
                has=bool(concept.agencies),
                where="AND",
            )
        if concept.services or (gates is not None and concept.code):
            branch(
                f"SELECT s.id, s.agency_id, {number}, {_CODE_PLACE} FROM {table} s "  # noqa: S608
                "WHERE s.id = ANY(%s)",
                [list(concept.services)],
                number,
                has=bool(concept.services),
                where="AND",
            )
    return (" UNION ALL ".join(branches) or _NO_MATCH), params


def _count(concepts: list[Concept], language: str, statistics: dict) -> None:
    """Set each concept's document frequency (one query for those not cached)."""
    if len(statistics) > MAX_STATISTICS:
        statistics.clear()  # words typed at random must not fill the worker's memory
    missing = [c for c in concepts if (language, c.key()) not in statistics]
    if missing:
        sql, params = _matches(list(enumerate(missing)), language)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT m.concept, count(DISTINCT m.service_id) "  # noqa: S608
                f"FROM ({sql}) m (service_id, agency_id, concept, place) GROUP BY m.concept",
                params,
            )
            counts = dict(cursor.fetchall())
        for number, concept in enumerate(missing):
            statistics[(language, concept.key())] = counts.get(number, 0)
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


def _coded(language: str, code: str) -> tuple:
    """The ids of the services with the registry code ``code``."""
    return tuple(
        IndexedService.objects.filter(language=language, registry_code=code).values_list(
            "id", flat=True
        )
    )


def _cached(statistics: dict, key: tuple, read, *args):
    """What ``read(*args)`` finds in the index, kept with its statistics (``_state``): a
    typo's correction and a registry code's services change only when the index does."""
    if key not in statistics:
        statistics[key] = read(*args)
    return statistics[key]


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
            closest = _cached(statistics, ("closest", typed), closest_known_word, typed)
            if closest and closest != typed:
                candidate = _concept(base_form(closest), concept.alternatives, agencies)
                _count([candidate], language, statistics)
                if candidate.documents:
                    found, corrected[number], typo = candidate, closest, True
        if found is not None:
            concepts[number] = found
    for code in dict.fromkeys(codes):
        services = _cached(statistics, ("code", language, code), _coded, language, code)
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
        agencies=agencies,
        fingerprint=state.fingerprint,
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


def _scored(analysis: Analysis, language: str, filters, candidates, page, *, answers=True):
    """SQL and parameters: the services with any of ``candidates`` (the answers only, if
    ``answers``), best first, with their score and how many there are.

    Which services have which concept, and where, is read from the words' index: the
    services with a candidate concept first, then the other concepts' words among those
    only (their agency's name and code are looked at per service). A service's own row is
    read only for the filters it is narrowed by, and for the best by the rest, whose
    title's closeness to the query (costly) is weighed in.
    """
    concepts = analysis.concepts
    numbered = list(enumerate(concepts))
    chosen = {n for n, c in numbered if any(c is other for other in candidates)}
    # The other concepts' words, kept for the services found only: those of a concept
    # many more services have are looked up per service found.
    most_found = sum(concepts[n].documents for n in chosen)
    probed = {n for n, c in numbered if n not in chosen and c.documents > PROBE_ABOVE * most_found}
    # Every concept's branches are in each part, switched on where it is looked up: the
    # text depends on the query's phrases only (``_matches``'s gates).
    found, params = _matches(numbered, language, gates={n: n in chosen for n, _ in numbered})
    kept = {n: n not in chosen and n not in probed for n, _ in numbered}
    rest, ps = _matches(numbered, language, words_only=True, gates=kept)
    params += ps
    probes, probe_params = _matches(
        numbered,
        language,
        words_only=True,
        per_candidate=True,
        gates={n: n in probed for n, _ in numbered},
    )
    params += probe_params
    worded = any(_phrases(concept) for concept in concepts)
    matches = ["SELECT * FROM found"]
    matches += [_AMONG_FOUND.format(rest), probes] if worded else []
    table = IndexedService._meta.db_table
    agencies = analysis.agencies
    factors = []
    for number, concept in numbered:
        parts = [_factor(f"f{number}")]
        # A concept the services found need not have is found by its agency's name or
        # its code per service (none for one they have: it was looked up that way).
        other = number not in chosen
        if concept.code:
            parts.append(f"CASE WHEN id = ANY(%s) THEN {TITLE}::float8 ELSE 0 END")
            params.append(list(concept.services) if other else [])
        else:
            parts.append(f"CASE WHEN agency = ANY(%s) THEN {AGENCY}::float8 ELSE 0 END")
            params.append(list(concept.agencies) if other else [])
        factors.append(f"greatest({', '.join(parts)}) AS f{number}")
    codes = [n for n, c in numbered if c.code]
    total = analysis.total_weight or 1.0
    # Weights as float8 parameters (a bare decimal is numeric, far slower to add up per row).
    quality = " + ".join(f"%s::float8 * f{n}" for n in range(len(concepts)))
    covered = " + ".join(
        f"CASE WHEN f{n} > 0 THEN %s::float8 ELSE 0 END" for n in range(len(concepts))
    )
    weights = [concept.weight for concept in concepts]
    params += [*weights, total, *weights, total]
    where = [f"sc.covered >= {COVERAGE - 1e-9!r}"] if answers else ["TRUE"]
    join = ""
    where.append("NOT (sc.agency = ANY(%s))")  # an empty list when every agency is active
    params.append(agencies.inactive)
    if filters.agency:
        where.append("sc.agency = %s")
        params.append(agencies.ids.get(filters.agency, 0))  # no agency has id 0
    narrowing = [
        name for name in ("level", "delivery", "audience", "province") if getattr(filters, name)
    ]
    if narrowing:
        join = f"JOIN {table} f ON f.id = sc.id"
        where += [f"f.{name} = %s" for name in narrowing]
        params += [getattr(filters, name) for name in narrowing]
    params.append(" ".join(c.term for c in concepts if c.term))
    best_of = ", ".join(
        f"max(place) FILTER (WHERE concept = {n}) AS f{n}" for n in range(len(concepts))
    )
    code = f"max(CASE WHEN concept IN ({', '.join(map(str, codes))}) THEN 1 ELSE 0 END)"
    # What a result shows is read for the rows that may be on the page only: the first
    # CLOSENESS_AMONG by the rest come first, whatever their closeness.
    if not page[1]:
        wide = "FALSE"  # counts only (facets)
    elif sum(page) <= CLOSENESS_AMONG:
        wide = f"p.position <= {CLOSENESS_AMONG}"
    else:
        wide = "TRUE"
    sql = f"""
        WITH found (service_id, agency_id, concept, place) AS MATERIALIZED ({found}),
        {_CANDIDATES if worded else ""}
        per_service AS (
            SELECT service_id AS id, max(agency_id) AS agency, {code if codes else "0"} AS code,
                   {best_of}
            FROM ({" UNION ALL ".join(matches)}) matches (service_id, agency_id, concept, place)
            GROUP BY service_id
        ), factored AS MATERIALIZED (
            SELECT id, agency, code, {", ".join(factors)} FROM per_service
        ), scored AS (
            SELECT id, agency, code, ({quality}) / %s::float8 AS quality,
                   ({covered}) / %s::float8 AS covered
            FROM factored
        ), best AS (
            SELECT sc.*, count(*) OVER () AS found FROM scored sc {join}
            WHERE {" AND ".join(where)}
            ORDER BY sc.code DESC, sc.quality DESC, sc.id LIMIT %s
        ), pool AS (
            SELECT b.*, row_number() OVER (ORDER BY b.code DESC, b.quality DESC, b.id) AS position
            FROM best b
        )
        SELECT p.id, p.agency, {", ".join(f"s.{name}" for name in FACET_COLUMNS)}, p.found,
               {", ".join(f"CASE WHEN {wide} THEN s.{name} END AS {name}" for name in HIT_FIELDS)},
               {CODE_FIRST}::float8 * p.code + p.quality + CASE WHEN p.position <= {CLOSENESS_AMONG}
                   THEN {TITLE_SIMILARITY} * word_similarity(%s, s.title_terms) ELSE 0 END
                   AS score,
               CASE WHEN p.position = 1 THEN {_STATE} END AS state
        FROM pool p JOIN {table} s ON s.id = p.id
        ORDER BY p.position <= {CLOSENESS_AMONG} DESC, score DESC, s.title, p.id LIMIT %s
    """  # noqa: S608 - identifiers and numbers are ours, values are parameters
    return sql, params


@dataclass
class Ranked:
    """A page of the best answers (dicts with id, score, facet values and what a result
    shows); of the pool of best answers, how many there are in all and by each facet's
    values (most first)."""

    rows: list[dict] = field(default_factory=list)
    count: int = 0
    facets: dict = field(default_factory=dict)
    # The state the rows were read in (None without rows).
    fingerprint: tuple | None = None


def _run(analysis: Analysis, sql: str, params: list, pool: int, page: tuple) -> Ranked:
    """The page's rows (each agency's slug for its id, and its names), the count and the
    facets."""
    params = [*params[:-1], pool, params[-1], pool]
    with connection.cursor() as cursor:
        connection.execute_prepared(cursor, sql, params)
        names = [column.name for column in cursor.description]
        fetched = cursor.fetchall()
    agencies = analysis.agencies
    slugs = agencies.slugs
    ranked = Ranked(count=fetched[0][names.index("found")] if fetched else 0)
    if fetched:
        # On the best answer's row only, wherever the title's closeness put it.
        state = names.index("state")
        ranked.fingerprint = next((tuple(row[state]) for row in fetched if row[state]), None)
    for facet in FACETS:
        counts = Counter(map(itemgetter(names.index(facet)), fetched)).most_common()
        if facet == "agency":
            counts = [(slugs.get(agency, ""), count) for agency, count in counts]
        ranked.facets[facet] = {value: count for value, count in counts if value}
    start, size = page
    for row in fetched[start : start + size]:
        hit = dict(zip(names, row, strict=True))
        hit["agency_name_fa"], hit["agency_name_en"] = agencies.titles.get(hit["agency"], ("", ""))
        hit["agency"] = slugs.get(hit["agency"], "")
        ranked.rows.append(hit)
    return ranked


def rank(analysis: Analysis, language: str, filters, pool: int, page: tuple) -> Ranked:
    """Of the best ``pool`` answers, the ``page`` (first, how many); how many there are in
    all; and the pool's counts by each facet's values."""
    required = [c for c in _required(analysis) if c.documents]
    if not required:
        return Ranked()
    sql, params = _scored(analysis, language, filters, required, page)
    return _run(analysis, sql, params, pool, page)


def related(analysis: Analysis, language: str, filters, limit: int) -> list[dict]:
    """Services near a query nothing answers: those with its rarer known concepts."""
    size = _size(language, analysis.statistics)
    known = [c for c in analysis.concepts if c.documents and c.documents <= size / 2]
    if not known:
        return []
    heaviest = max(c.weight for c in known)
    near = [c for c in known if c.weight >= RELATED_WEIGHT * heaviest]
    sql, params = _scored(analysis, language, filters, near, (0, limit), answers=False)
    return _run(analysis, sql, params, limit, (0, limit)).rows
