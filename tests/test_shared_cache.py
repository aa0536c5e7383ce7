"""One cache and one set of rate limits for every worker and machine.

The cache is PostgreSQL's (a table in the public schema) unless REDIS_URL is set;
rate limits are atomic counters in PostgreSQL, so separate processes share them.
"""

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from tenants import limits
from tenants.caching import database_cache_tables, ensure_cache_tables

ROOT = Path(__file__).resolve().parents[1]


def _settings_in_subprocess(module: str, **env) -> dict:
    """CACHES as ``module`` computes them with ``env`` (no database or Redis needed)."""
    environment = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DATABASE_URL": "postgres://nobody@db.invalid:5432/panjereh",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "TRACKING_KEY": secrets.token_urlsafe(64),
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        **env,
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import json, {module} as s; print(json.dumps(s.CACHES))"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)["default"]


@pytest.mark.parametrize("module", ["config.settings.production", "config.settings.test"])
def test_the_cache_is_postgresql_by_default_and_redis_when_redis_url_is_set(module):
    database = _settings_in_subprocess(module)
    assert database["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert database["LOCATION"] == "panjereh_cache"

    redis = _settings_in_subprocess(module, REDIS_URL="redis://cache.internal:6379/1")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/1"

    for chosen in (database, redis):
        assert chosen["KEY_FUNCTION"] == "django_tenants.cache.make_key"
        assert chosen["REVERSE_KEY_FUNCTION"] == "django_tenants.cache.reverse_key"


def test_the_tests_use_the_real_database_cache():
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    assert isinstance(caches["default"], DatabaseCache)


@pytest.mark.django_db
def test_migrate_schemas_made_the_cache_table_in_the_public_schema():
    # The test database was made by migrate_schemas alone.
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.panjereh_cache') IS NOT NULL")
        assert cursor.fetchone()[0]
    assert database_cache_tables() == ["panjereh_cache"]
    assert ensure_cache_tables() == []
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE public.panjereh_cache")  # rolled back with the test
    assert ensure_cache_tables() == ["panjereh_cache"]
    cache.set("after", "recreated")
    assert cache.get("after") == "recreated"


@pytest.mark.django_db
def test_migrate_schemas_creates_a_missing_cache_table():
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE public.panjereh_cache")  # rolled back with the test
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.panjereh_cache')::text")
        assert cursor.fetchone()[0] == "panjereh_cache"


@pytest.mark.django_db
def test_agencies_use_the_public_cache_table_under_their_own_keys(onboard):
    a = onboard(slug="cache-a").agency
    b = onboard(slug="cache-b").agency
    with schema_context(a.schema_name):
        cache.set("greeting", "from A")
        assert cache.get("greeting") == "from A"
    with schema_context(b.schema_name):
        assert cache.get("greeting") is None
        cache.set("greeting", "from B")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM public.panjereh_cache ORDER BY cache_key")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys == [f"{a.schema_name}::1:greeting", f"{b.schema_name}::1:greeting"]
    with schema_context(a.schema_name):
        cursor = connection.cursor()
        cursor.execute("SELECT to_regclass('panjereh_cache')::text")
        assert cursor.fetchone()[0] == "panjereh_cache"  # found through the search path
        assert cache.get("greeting") == "from A"


@pytest.mark.django_db
def test_a_rate_limit_key_is_the_same_from_every_host(onboard):
    agency = onboard(slug="limits-a").agency
    client = f"198.51.100.{uuid.uuid4().int % 200}-{uuid.uuid4().hex[:6]}"
    assert limits.hit("lookups", client, 600) == 1
    with schema_context(agency.schema_name):
        assert limits.hit("lookups", client, 600) == 2
    assert limits.hit("lookups", client, 600) == 3
    assert limits.hit("other-scope", client, 600) == 1


@pytest.mark.django_db
def test_a_window_that_has_passed_starts_again_and_is_purged():
    client = uuid.uuid4().hex
    assert limits.hit("lookups", client, 600) == 1
    assert limits.hit("lookups", client, 600) == 2
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE public.tenants_ratecounter SET expires_at = now() - interval '1 second' "
            "WHERE key = %s",
            [f"lookups:{client}"],
        )
    assert limits.hit("lookups", client, 600) == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE public.tenants_ratecounter SET expires_at = now() - interval '1 second'"
        )
    assert limits.purge_expired_counters() >= 1
    assert limits.hit("lookups", client, 600) == 1


def _django_process(code: str, *args: str) -> subprocess.Popen:
    """Another process of the platform on the test database (as another worker would be)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PANJEREH_DATABASE_NAME": connection.settings_dict["NAME"],
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
    }
    script = "import django, json, sys\ndjango.setup()\n" + code
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(process: subprocess.Popen):
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


LOOKUPS = """
from django.test import Client
client = Client(HTTP_HOST="localhost")
print(json.dumps([
    client.get("/track/", {"code": "1"}, REMOTE_ADDR=sys.argv[1]).status_code
    for _ in range(int(sys.argv[2]))
]))
"""

HITS = """
from tenants import limits
print(json.dumps([limits.hit("race", sys.argv[1], 600) for _ in range(int(sys.argv[2]))]))
"""


@pytest.mark.django_db
def test_the_tracking_limit_holds_across_processes(client_for, settings):
    address = f"203.0.113.{uuid.uuid4().int % 250 + 1}"
    limit = settings.TRACK_LOOKUPS_PER_WINDOW
    assert limit == 30
    # Another worker process serves this client's first 30 look-ups.
    assert _result(_django_process(LOOKUPS, address, str(limit))) == [200] * limit
    # This process sees them: the 31st look-up is refused, for this client only.
    client = client_for("localhost")
    assert client.get("/track/", {"code": "1"}, REMOTE_ADDR=address).status_code == 429
    assert client.get("/track/", {"code": "1"}, REMOTE_ADDR="192.0.2.1").status_code == 200
    # The other process committed nothing to the cache later tests could read.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM public.panjereh_cache")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_concurrent_hits_from_two_processes_are_all_counted():
    client = uuid.uuid4().hex
    each = 150
    processes = [_django_process(HITS, client, str(each)) for _ in range(2)]
    counts = [count for process in processes for count in _result(process)]
    # Every hit got its own number: none was lost or counted twice.
    assert sorted(counts) == list(range(1, 2 * each + 1))
    assert limits.hit("race", client, 600) == 2 * each + 1
