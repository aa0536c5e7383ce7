"""The shared cache: one for every worker and machine, in PostgreSQL unless REDIS_URL is set.

Keys carry the agency's schema (``django_tenants.cache.make_key``), so agencies
never read each other's entries. The database cache's table lives in the public
schema; agency schemas find it there (their search path ends with ``public``).
``migrate_schemas`` creates it (Django's ``createcachetable`` would not: the
tenant router keeps its pseudo-app out of every schema).
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connections
from django_tenants.utils import get_public_schema_name


def database_cache_tables() -> list[str]:
    """The tables of every database cache in ``CACHES``."""
    tables = []
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, BaseDatabaseCache) and cache._table not in tables:
            tables.append(cache._table)
    return tables


def ensure_cache_tables(using: str = "default") -> list[str]:
    """Create the missing cache tables in the public schema; returns those created."""
    connection = connections[using]
    qn = connection.ops.quote_name
    public = qn(get_public_schema_name())
    created = []
    with connection.cursor() as cursor:
        for table in database_cache_tables():
            cursor.execute(
                "SELECT to_regclass(%s) IS NULL", [f"{get_public_schema_name()}.{qn(table)}"]
            )
            if not cursor.fetchone()[0]:
                continue
            # As Django's createcachetable makes it.
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {public}.{qn(table)} ("
                '"cache_key" varchar(255) NOT NULL PRIMARY KEY, '
                '"value" text NOT NULL, '
                '"expires" timestamp with time zone NOT NULL)'
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {qn(table + '_expires')} "
                f'ON {public}.{qn(table)} ("expires")'
            )
            created.append(table)
    return created
