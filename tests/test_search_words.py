"""The words index the PostgreSQL ranking reads (IndexedWord): kept in step with the
index, built the same way by indexing and by the migration, and read as the ranking means
it (a synonym phrase counts in a place only where all its words are)."""

import importlib
import re

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from search import services
from search.backends import Results, get_backend
from search.models import IndexedService, IndexedWord, QueryLog, SynonymGroup
from tenants.models import Agency

from .fixtures.search_catalogues import index_catalogue, service


@pytest.fixture
def agency(db):
    return Agency.objects.create(schema_name="agency_words", slug="words", name_fa="اداره واژه")


def _places(word: str, language: str = "fa") -> dict[str, int]:
    """{service slug: place bits} of the services that have ``word``."""
    rows = IndexedWord.objects.filter(word=word, language=language).values_list(
        "service_id", "places"
    )
    slugs = dict(IndexedService.objects.values_list("id", "service_slug"))
    return {slugs[service_id]: places for service_id, places in rows}


@pytest.mark.django_db
def test_each_word_is_indexed_with_every_place_it_is_in(agency):
    index_catalogue(
        get_backend(),
        agency,
        [
            service(
                "renewal",
                "تمدید گواهینامه رانندگی",
                "Licence renewal",
                "تمدید گواهینامه پس از پایان اعتبار",
                keywords=["گواهینامه"],
                steps=["ثبت درخواست"],
            )
        ],
    )

    title, keywords, summary, body = (
        IndexedWord.TITLE,
        IndexedWord.KEYWORDS,
        IndexedWord.SUMMARY,
        IndexedWord.BODY,
    )
    assert _places("گواهینامه") == {"renewal": title | keywords | summary}
    assert _places("رانندگی") == {"renewal": title}
    assert _places("اعتبار") == {"renewal": summary}
    assert _places("درخواست") == {"renewal": body}
    assert _places("licence", "en") == {"renewal": title}


@pytest.mark.django_db
def test_reindexing_replaces_a_services_words_and_removing_it_leaves_none(agency):
    backend = get_backend()
    index_catalogue(backend, agency, [service("permit", "صدور مجوز قایقرانی", "Boat", "قایق")])
    key = IndexedService.objects.get(language="fa").translation_key
    documents = _documents(service("permit", "صدور مجوز ماهیگیری", "Fishing", "ماهی"), key)

    backend.replace(agency, key, documents)

    assert _places("قایقرانی") == {}
    assert list(_places("ماهیگیری")) == ["permit"]
    assert backend.search("قایقرانی").total == 0
    assert backend.search("ماهیگیری").hits[0].service == "permit"

    backend.remove(agency, key)

    assert not IndexedWord.objects.exists()
    assert backend.search("ماهیگیری").total == 0


@pytest.mark.django_db
def test_clearing_the_index_clears_its_words(agency):
    backend = get_backend()
    index_catalogue(backend, agency, [service("permit", "صدور مجوز قایقرانی", "Boat", "قایق")])

    backend.clear()

    assert not IndexedWord.objects.exists()


def _documents(data, key):
    from catalog_pages.catalog_format.convert import canonical_service
    from search.documents import build_document

    data = canonical_service(data)
    return [
        build_document(data, language=language, translation_key=key, url=f"http://w/{language}/")
        for language in ("fa", "en")
    ]


@pytest.mark.django_db
def test_the_migration_builds_the_same_words_as_indexing(agency):
    index_catalogue(
        get_backend(),
        agency,
        [
            service("a", "تمدید گواهینامه رانندگی", "Renewal", "تمدید گواهینامه", ["گواهینامه"]),
            service("b", "صدور کارت ملی هوشمند", "ID card", "کارت ملی", steps=["عکس", "کارت"]),
        ],
    )
    columns = ("service_id", "agency_id", "language", "word", "places")
    indexed = set(IndexedWord.objects.values_list(*columns))
    IndexedWord.objects.all().delete()
    migration = importlib.import_module("search.migrations.0008_indexed_words")

    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)

    assert set(IndexedWord.objects.values_list(*columns)) == indexed
    assert len(indexed) >= 20


@pytest.mark.django_db
def test_a_synonym_phrase_counts_in_a_place_only_where_all_its_words_are(agency):
    SynonymGroup.objects.create(phrases="گواهینامه\nمدرک رانندگی")
    backend = get_backend()
    index_catalogue(
        backend,
        agency,
        [
            # Both words of the phrase in the title.
            service("driving", "صدور مدرک رانندگی", "Driving", "صدور"),
            # «مدرک» in the title, «رانندگی» only in a step: the phrase is in the body.
            service("school", "صدور مدرک تحصیلی", "School", "صدور", steps=["آموزش رانندگی"]),
            # One word of the phrase only: not an answer.
            service("other", "صدور مدرک فنی", "Technical", "صدور"),
        ],
    )

    results = backend.search("گواهینامه")

    assert [hit.service for hit in results.hits] == ["driving", "school"]
    assert results.hits[0].score > results.hits[1].score + 0.5


@pytest.mark.django_db
def test_a_word_with_like_wildcards_matches_only_itself(agency):
    backend = get_backend()
    index_catalogue(backend, agency, [service("permit", "صدور مجوز قایقرانی", "Boat", "قایق")])

    assert backend.search("قا%ی").total == 0
    assert backend.search("قای_").total == 0
    assert backend.search("قایق").hits[0].service == "permit"


@pytest.mark.django_db
def test_a_logged_query_is_committed_on_its_own_and_the_next_transaction_waits_for_the_disk(
    monkeypatch,
):
    # A connection of its own, in autocommit as a server's is (the test's is in a transaction).
    own = connections.create_connection("default")
    monkeypatch.setattr(services, "connection", own)
    log = None
    try:
        log = services.log_query("گذرنامه", Results(query="گذرنامه", language="fa", total=3))
        with own.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            setting = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT query, language, result_count FROM {QueryLog._meta.db_table} "  # noqa: S608
                "WHERE id = %s",
                [log.pk],
            )
            row = cursor.fetchone()
    finally:
        if log is not None:
            with own.cursor() as cursor:
                table = QueryLog._meta.db_table
                cursor.execute(f"DELETE FROM {table} WHERE id = %s", [log.pk])  # noqa: S608
        own.close()

    assert row == ("گذرنامه", "fa", 3)
    assert setting == "on"
    assert log.pk is not None and not log._state.adding


def _answers(results) -> list:
    return [(hit.service, hit.score) for hit in results.hits], results.total, results.facets


@pytest.mark.django_db
def test_common_words_looked_up_per_candidate_rank_as_when_all_their_services_are_read(
    agency, monkeypatch
):
    """A common word among a few candidates is looked up per candidate (PROBE_ABOVE):
    the answers, their scores, their count and the facets are those of reading every
    service that has it, also for a synonym phrase's words and a word's prefix."""
    from search.backends import postgres_ranking

    SynonymGroup.objects.create(phrases="گواهینامه\nمدرک رانندگی")
    backend = get_backend()
    common = [
        service(f"common-{n}", f"صدور مدرک رانندگی {n}", f"Common {n}", "صدور", level=level)
        for n, level in zip(range(12), ["hq", "field"] * 6, strict=True)
    ]
    rare = [
        # The rare word with the common ones in the title, keywords, summary or a step.
        service("title", "صدور گواهینامه قایقرانی", "Boating", "قایقرانی", level="field"),
        service("keyword", "آزمون قایقرانی", "Test", "قایق", keywords=["صدورها", "مدرک رانندگی"]),
        service("summary", "قایقرانی تفریحی", "Leisure", "صدور مدرک برای رانندگی قایق"),
        service("step", "قایقرانی", "Boats", "قایق", steps=["صدور مدرک", "آموزش رانندگی"]),
        # «مدرک» in the title, «رانندگی» in a step only: the phrase counts as the body.
        service("spread", "مدرک قایقرانی", "Spread", "قایق", steps=["آموزش رانندگی"]),
        service("alone", "قایقرانی ساحلی", "Coast", "ساحل"),
    ]
    index_catalogue(backend, agency, common + rare)
    query = "صدور گواهینامه قایقرانی"

    monkeypatch.setattr(postgres_ranking, "PROBE_ABOVE", 10**9)
    read_all = _answers(backend.search(query))
    filtered_read_all = _answers(backend.search(query, filters=_filters(level="field")))
    monkeypatch.setattr(postgres_ranking, "PROBE_ABOVE", 0)
    matches, probed = postgres_ranking._matches, []

    def noting_the_probed(numbered, language, **how):
        if how.get("per_candidate"):
            probed.extend(number for number, on in how["gates"].items() if on)
        return matches(numbered, language, **how)

    monkeypatch.setattr(postgres_ranking, "_matches", noting_the_probed)
    looked_up = _answers(backend.search(query))
    filtered_looked_up = _answers(backend.search(query, filters=_filters(level="field")))

    assert probed  # the common words were looked up per candidate

    assert looked_up == read_all
    assert filtered_looked_up == filtered_read_all
    assert read_all[0][0][0] == "title"
    assert {slug for slug, _score in read_all[0]} >= {"title", "keyword", "summary", "step"}
    assert len({score for _slug, score in read_all[0]}) > 2  # the places tell them apart


def _filters(**chosen):
    from search.backends import Filters

    return Filters(**chosen)


@pytest.mark.django_db
def test_typo_corrections_and_registry_codes_are_read_again_only_when_the_index_changes(agency):
    """A typo's correction and a registry code's services are kept with the index's
    statistics: asked again, they cost no query; once the index changes, they are new."""
    backend = get_backend()
    index_catalogue(backend, agency, [service("boat", "صدور مجوز قایقرانی", "Boat", "قایق")])
    coded = service("permit", "مجوز صید", "Fishing", "ماهی")
    coded["registry_code"] = "12345678901"

    assert backend.search("قایقرانس").hits[0].service == "boat"  # a typo of «قایقرانی»
    assert backend.search("ماهیگیرس").total == 0  # nothing near it yet
    assert backend.search("۱۲۳۴۵۶۷۸۹۰۱").total == 0
    with CaptureQueriesContext(connection) as again:
        assert backend.search("قایقرانس").suggestion == "قایقرانی"
        backend.search("ماهیگیرس")
        backend.search("۱۲۳۴۵۶۷۸۹۰۱")
    index_catalogue(backend, agency, [service("fishing", "مجوز ماهیگیری", "Fish", "ماهی"), coded])

    assert not any("indexedterm" in q["sql"] for q in again)
    assert not any('"registry_code" = ' in q["sql"] for q in again)
    assert backend.search("ماهیگیرس").hits[0].service == "fishing"
    assert backend.search("۱۲۳۴۵۶۷۸۹۰۱").hits[0].service == "permit"


def _prepared_ranking_only(queries) -> bool:
    """Whether ``queries`` are one statement: the ranking, already prepared."""
    return len(queries) == 1 and "; EXECUTE p" in queries[0]["sql"]


@pytest.mark.django_db
def test_a_change_made_elsewhere_is_seen_by_the_next_search_without_a_query_of_its_own(agency):
    """The ranking's rows carry the state they were read in: a search on a state this
    process has seen costs no separate query for it, and one on a state that changed
    elsewhere (another worker, an administrator) is made again on what is current."""
    other = Agency.objects.create(schema_name="agency_other", slug="other", name_fa="اداره دیگر")
    backend = get_backend()
    index_catalogue(backend, agency, [service("boat", "صدور مجوز قایقرانی", "Boat", "قایق")])
    index_catalogue(backend, other, [service("ship", "مجوز کشتیرانی قایق", "Ship", "قایق")])
    assert {hit.agency for hit in backend.search("قایق").hits} == {"words", "other"}

    with CaptureQueriesContext(connection) as steady:
        backend.search("قایق")
    with connection.cursor() as cursor:  # as another process would, unknown to this one
        cursor.execute("UPDATE tenants_agency SET is_active = false WHERE slug = 'other'")
    deactivated = backend.search("قایق")
    only_theirs = backend.search("کشتیرانی")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tenants_agency SET is_active = true WHERE slug = 'other'")
    reactivated = backend.search("کشتیرانی")

    assert _prepared_ranking_only(steady)
    assert {hit.agency for hit in deactivated.hits} == {"words"}
    assert only_theirs.total == 0
    assert [hit.service for hit in reactivated.hits] == ["ship"]


def _ranking_alone(backend, query) -> bool:
    with CaptureQueriesContext(connection) as queries:
        backend.search(query)
    return _prepared_ranking_only(queries)


@pytest.mark.django_db
def test_synonyms_and_agency_names_changed_elsewhere_are_seen_by_the_next_search(agency):
    """Whoever changes a synonym group or an agency's name (an administrator, another
    worker, SQL by hand), the next search reads them anew; a change to anything else of
    an agency costs searches nothing."""
    backend = get_backend()
    index_catalogue(backend, agency, [service("boat", "صدور مجوز قایقرانی", "Boat", "قایق")])
    assert backend.search("شناور").total == 0
    assert backend.search("دریانوردی").total == 0

    with connection.cursor() as cursor:  # unknown to this process
        cursor.execute(
            f"INSERT INTO {SynonymGroup._meta.db_table} (phrases, updated_at) "  # noqa: S608
            "VALUES (%s, now())",
            ["قایق\nشناور"],
        )
    assert [hit.service for hit in backend.search("شناور").hits] == ["boat"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tenants_agency SET name_fa = 'اداره دریانوردی' WHERE slug = 'words'")
    assert [hit.service for hit in backend.search("دریانوردی").hits] == ["boat"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tenants_agency SET province = 'tehran' WHERE slug = 'words'")
    assert _ranking_alone(backend, "دریانوردی")


@pytest.mark.django_db
def test_an_agency_change_rolled_back_is_never_taken_for_a_later_one(agency):
    """A search made inside a transaction that renamed an agency and was rolled back left
    what it read in the process; a later, different change must not find it current."""
    from django.db import transaction

    backend = get_backend()
    index_catalogue(backend, agency, [service("boat", "صدور مجوز قایقرانی", "Boat", "قایق")])
    backend.search("قایق")
    with transaction.atomic():
        Agency.objects.filter(slug="words").update(name_fa="اداره کشتیرانی")
        assert backend.search("کشتیرانی").total == 1
        transaction.set_rollback(True)
    Agency.objects.filter(slug="words").update(name_fa="اداره بندر")

    assert backend.search("کشتیرانی").total == 0
    assert [hit.service for hit in backend.search("بندر").hits] == ["boat"]


def _ranking_statements(queries) -> int:
    """How many prepared ranking statements ``queries`` ran."""
    names = [name for q in queries for name in re.findall(r"EXECUTE (p[0-9a-f]+)", q["sql"])]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE name = ANY(%s) AND statement LIKE '%%per_service%%'",
            [names],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_queries_of_one_shape_share_one_plan_whichever_words_are_looked_up_which_way(
    agency, monkeypatch
):
    """The ranking's text depends on the query's phrases only: which word the answers
    need, which is read among them or looked up per candidate, whether a word is an
    agency's name, and whether some agency is inactive are its parameters. PostgreSQL
    plans two-word queries once, and each still gets its own answers."""
    from search.backends import postgres_ranking

    ports = Agency.objects.create(schema_name="agency_ports", slug="ports", name_fa="سازمان بنادر")
    backend = get_backend()
    common = [service(f"permit-{n}", f"صدور مجوز {n}", f"Permit {n}", "صدور") for n in range(12)]
    index_catalogue(
        backend, agency, [*common, service("boat", "صدور مجوز قایقرانی", "Boat", "قایق")]
    )
    index_catalogue(backend, ports, [service("pier", "مجوز اسکله", "Pier", "اسکله")])
    searched = CaptureQueriesContext(connection)

    with searched:
        rare_first = backend.search("قایقرانی صدور")
        rare_last = backend.search("صدور قایقرانی")
        by_agency_name = backend.search("بنادر مجوز")
        monkeypatch.setattr(postgres_ranking, "PROBE_ABOVE", 0)  # «صدور» looked up per candidate
        probed = backend.search("صدور قایقرانی")
        monkeypatch.undo()
        Agency.objects.create(
            schema_name="agency_closed", slug="closed", name_fa="اداره بسته", is_active=False
        )
        with_an_inactive_agency = backend.search("مجوز قایقرانی")

    assert [hit.service for hit in rare_first.hits] == ["boat"]
    assert [hit.service for hit in rare_last.hits] == ["boat"]
    assert [hit.service for hit in probed.hits] == ["boat"]
    assert probed.hits[0].score == rare_last.hits[0].score
    assert [(hit.agency, hit.service) for hit in by_agency_name.hits] == [("ports", "pier")]
    assert [hit.service for hit in with_an_inactive_agency.hits] == ["boat"]
    assert _ranking_statements(searched) == 1
