"""Our database backend (``tenants.postgresql_backend``): a persistent connection is
checked before each request's first query without a round trip of its own, and one the
server ended is still replaced; statements run prepared are prepared once per connection,
planned once for all values, and at most ``PREPARED_AT_MOST`` are kept."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.postgresql_backend import base


def _last_statement(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


@pytest.fixture
def other_connection():
    """A second connection to the test database, as a worker process holds one."""
    other = connection.copy()
    other.connect()
    yield other
    other.close()


@pytest.mark.django_db
def test_a_healthy_connection_is_trusted_without_asking_the_server(other_connection):
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT 'the last real query'")
    pid = other_connection.connection.info.backend_pid

    assert other_connection.is_usable()
    # The server saw no ``SELECT 1``: its last statement is still the request's own.
    assert _last_statement(pid) == "SELECT 'the last real query'"


@pytest.mark.django_db
def test_a_connection_the_server_ended_is_replaced_before_the_next_request(other_connection):
    pid = other_connection.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 10
    while other_connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's farewell is on its way
    assert not other_connection.is_usable()

    # What Django does before a request's first query (CONN_HEALTH_CHECKS).
    other_connection.health_check_enabled, other_connection.health_check_done = True, False
    other_connection.close_if_health_check_failed()
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        new_pid = cursor.fetchone()[0]
    assert new_pid != pid


@pytest.mark.django_db
def test_a_connection_unused_for_a_while_is_still_asked(other_connection, monkeypatch):
    """A firewall or a load balancer may drop an idle connection without a word: one
    unused for longer than ``TRUSTED_FOR`` is checked by a query."""
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT 'the last real query'")
    pid = other_connection.connection.info.backend_pid
    monkeypatch.setattr(base.time, "monotonic", lambda: time.time() + 10 * base.TRUSTED_FOR)

    assert other_connection.is_usable()
    assert _last_statement(pid) == "SELECT 1"


@pytest.mark.django_db
def test_a_connection_inside_a_transaction_is_still_asked(other_connection):
    """Not idle (a transaction left open): Django's own check decides, as before."""
    other_connection.set_autocommit(False)
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT 'inside a transaction'")
    pid = other_connection.connection.info.backend_pid

    assert other_connection.is_usable()
    assert _last_statement(pid) == "SELECT 1"
    other_connection.rollback()
    other_connection.set_autocommit(True)


_ECHO = "SELECT %s::text AS text, %s::bigint[] AS numbers, %s::float8 * 2 AS twice, '100%%' AS kept"


def _echo(wrapper, *params) -> list[tuple]:
    with wrapper.cursor() as cursor:
        wrapper.execute_prepared(cursor, _ECHO, list(params))
        return cursor.fetchall()


def _prepared_on(wrapper) -> list[tuple]:
    """(generic plans, custom plans) of each statement prepared in ``wrapper``'s session."""
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements")
        return cursor.fetchall()


@pytest.mark.django_db
def test_a_statement_run_prepared_is_prepared_once_and_planned_once_for_all_values(
    other_connection,
):
    first = _echo(other_connection, "a'b\\c «ب»", [1, 2], 1.5)
    with CaptureQueriesContext(other_connection) as again:
        second = _echo(other_connection, "", [], 0.25)

    assert first == [("a'b\\c «ب»", [1, 2], 3.0, "100%")]
    assert second == [("", [], 0.5, "100%")]
    assert len(again) == 1 and "; EXECUTE p" in again[0]["sql"]  # no PREPARE
    assert _prepared_on(other_connection) == [(2, 0)]  # one generic plan, run twice


@pytest.mark.django_db
def test_a_new_connection_prepares_its_statements_again(other_connection):
    assert _echo(other_connection, "before", [], 1.0)[0][0] == "before"
    other_connection.close()  # as when the server ended the session, or it grew too old
    other_connection.connect()

    assert _echo(other_connection, "after", [3], 1.0) == [("after", [3], 2.0, "100%")]
    assert _prepared_on(other_connection) == [(1, 0)]


@pytest.mark.django_db
def test_no_more_statements_are_kept_prepared_than_the_limit(other_connection, monkeypatch):
    monkeypatch.setattr(base, "PREPARED_AT_MOST", 3)
    for number in range(5):
        with other_connection.cursor() as cursor:
            other_connection.execute_prepared(cursor, f"SELECT %s::int + {number}", [10])
            assert cursor.fetchall() == [(10 + number,)]
    kept = len(_prepared_on(other_connection))
    with other_connection.cursor() as cursor:
        other_connection.execute_prepared(cursor, "SELECT %s::int + 0", [1])  # dropped, again
        assert cursor.fetchall() == [(1,)]

    assert kept == 3
    assert len(_prepared_on(other_connection)) == 3


@pytest.mark.django_db
def test_a_statement_that_failed_once_runs_again(other_connection):
    """Values the statement refuses fail that search only: the statement stays prepared,
    and the next values run it."""
    from django.db import DataError

    with pytest.raises(DataError), other_connection.cursor() as cursor:
        other_connection.execute_prepared(cursor, "SELECT %s::int + 1", ["not a number"])

    with other_connection.cursor() as cursor:
        other_connection.execute_prepared(cursor, "SELECT %s::int + 1", ["41"])
        assert cursor.fetchall() == [(42,)]


@pytest.mark.django_db
def test_a_generic_plan_is_chosen_for_the_statement_only(other_connection):
    """The caller's transaction keeps its own plan setting, and so does the session
    after a statement run outside any."""

    def setting():
        with other_connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return cursor.fetchone()[0]

    other_connection.set_autocommit(False)
    _echo(other_connection, "x", [], 1.0)
    in_transaction = setting()
    other_connection.rollback()
    other_connection.set_autocommit(True)
    _echo(other_connection, "y", [], 1.0)
    in_autocommit = setting()

    assert in_transaction == in_autocommit == "auto"
    assert _prepared_on(other_connection) == [(2, 0)]


@pytest.mark.django_db
def test_a_statement_whose_tables_changed_is_prepared_anew(other_connection):
    """A migration that changes a column's type leaves a prepared plan that no longer
    fits ("cached plan must not change result type"): the next run prepares it again."""
    with other_connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE changing (amount int)")
        cursor.execute("INSERT INTO changing VALUES (41)")
    sql = "SELECT amount + %s FROM changing"
    with other_connection.cursor() as cursor:
        other_connection.execute_prepared(cursor, sql, [1])
        before = cursor.fetchall()
        cursor.execute("ALTER TABLE changing ALTER COLUMN amount TYPE numeric")
        other_connection.execute_prepared(cursor, sql, [1])
        after = cursor.fetchall()

    assert before == [(42,)]
    assert [(int(value),) for (value,) in after] == [(42,)]
    assert str(after[0][0]) == "42"  # numeric now
