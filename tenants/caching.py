"""The shared cache: one for every worker and machine, in PostgreSQL unless REDIS_URL is set.

Keys carry the agency's schema (``django_tenants.cache.make_key``), so agencies
never read each other's entries. The database cache's table lives in the public
schema; agency schemas find it there (their search path ends with ``public``).
``migrate_schemas`` creates it with Django's ``createcachetable`` (plain
``migrate`` never does).
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management import call_command
from django.db import connections

from .schemas import in_public_schema


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
    with in_public_schema():
        existing = connection.introspection.table_names()  # of the public schema only
        missing = [table for table in database_cache_tables() if table not in existing]
        if missing:
            call_command("createcachetable", database=using, verbosity=0)
    return missing
