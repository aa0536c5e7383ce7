"""Rate limits that hold across every worker and machine.

A limit counts uses of one thing (``scope``: tracking look-ups, ...) by one client
(``tenants.clients.client_address``) in a fixed window that starts with the first
use. The counter is one row in the public schema, incremented by a single
``INSERT ... ON CONFLICT DO UPDATE``: PostgreSQL locks the row for it, so
concurrent hits from any number of processes are all counted and never lost
(the cache's ``add`` + ``incr`` would be a read and a write that can interleave).

The key names the client only, never the agency: the same client counts once
against a limit, whichever host (portal or agency site) it asks through.
"""

from django.db import connection
from django_tenants.utils import get_public_schema_name

from .models import RateCounter

# Qualified: the same table from every agency's schema too.
_TABLE = f'"{get_public_schema_name()}"."{RateCounter._meta.db_table}"'

_HIT = f"""
INSERT INTO {_TABLE} AS counter (key, hits, expires_at)
VALUES (%s, 1, clock_timestamp() + make_interval(secs => %s))
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN counter.expires_at <= clock_timestamp() THEN 1 ELSE counter.hits + 1 END,
    expires_at = CASE WHEN counter.expires_at <= clock_timestamp()
        THEN EXCLUDED.expires_at ELSE counter.expires_at END
RETURNING hits
"""  # noqa: S608 - the table name is ours; values are parameters

_PURGE = f"""
DELETE FROM {_TABLE} WHERE key IN (
    SELECT key FROM {_TABLE} WHERE expires_at <= clock_timestamp() LIMIT 1000
)
"""  # noqa: S608


def hit(scope: str, client: str, window_seconds: int) -> int:
    """Count one more use of ``scope`` by ``client``; returns the uses in this window."""
    with connection.cursor() as cursor:
        cursor.execute(_HIT, [f"{scope}:{client}"[:200], window_seconds])
        return cursor.fetchone()[0]


def too_many(scope: str, client: str, *, limit: int, window_seconds: int) -> bool:
    """Count this use; True once ``client`` used ``scope`` more than ``limit`` times."""
    return hit(scope, client, window_seconds) > limit


def purge_expired_counters() -> int:
    """Delete counters whose window has passed (a periodic job); returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(_PURGE)
        return cursor.rowcount


def seconds_left(scope: str, client: str) -> int:
    """Seconds until ``client``'s window for ``scope`` ends (0 if none is running)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ceil(extract(epoch FROM expires_at - clock_timestamp())) FROM {_TABLE} "  # noqa: S608
            "WHERE key = %s",
            [f"{scope}:{client}"[:200]],
        )
        row = cursor.fetchone()
    return max(0, int(row[0])) if row and row[0] is not None else 0
