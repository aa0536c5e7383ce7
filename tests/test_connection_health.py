"""A persistent database connection is checked before each request's first query
without a round trip of its own, and one the server ended is still replaced."""

import time

import pytest
from django.db import connection


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
