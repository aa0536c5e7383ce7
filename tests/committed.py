"""Worlds committed once and shared by many tests: the sample agency imported, say.

Importing the sample catalogue takes seconds (two services in two languages, with their
revisions and translations); a hundred tests used to import it, each in its own rolled-back
transaction. A *world* is now built once, committed on a connection of its own, and kept
while the tests that ask for it run (each still in its own transaction, rolled back, so
what a test changes in the world is undone). A test that does not ask for it finds the
database without it: the world is removed first, and built again when next asked for.

The world is built on a fresh connection because the test's transaction may already be
open: its rows are committed before the test reads them. What a test would not have seen
when it imported the catalogue itself is undone after the build: the import's on-commit
callbacks (indexing right away) are dropped and the cache is emptied. The jobs it deferred
stay, as each test saw them in its own transaction; they go with the world.

A world for the browser tests (``commit_hooks=True``) runs its on-commit callbacks, as a
server in another process needs the search index.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connections, transaction
from django_tenants.utils import schema_exists

# Waiting for a lock held by the test's own transaction would hang forever: fail instead.
LOCK_TIMEOUT = "10s"


@dataclass
class Built:
    name: str
    value: object
    agencies: list
    last_job: int


class Worlds:
    """At most one world committed at a time (per test process)."""

    def __init__(self):
        self.builders: dict[str, tuple[Callable, bool, tuple[str, ...]]] = {}
        self.current: Built | None = None

    def register(self, name: str, *, slugs: tuple[str, ...], commit_hooks: bool = False):
        """``builder(agencies)`` builds the world, appending each agency it creates (their
        ``slugs``: agencies of these slugs found before a build are what a killed run left)."""

        def decorator(builder):
            self.builders[name] = (builder, commit_hooks, slugs)
            return builder

        return decorator

    def ensure(self, name: str | None, blocker):
        """Make ``name`` the committed world (``None``: none), and return its value."""
        if self.current is not None and self.current.name == name:
            return self.current.value
        with blocker.unblock(), _own_connection():
            if self.current is not None:
                _remove(self.current.agencies, self.current.last_job)
                self.current = None
            if name is None:
                return None
            builder, commit_hooks, slugs = self.builders[name]
            _remove_left_over(slugs)
            agencies: list = []
            connection = connections["default"]
            with connection.cursor() as cursor:
                cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
                (last_job,) = cursor.fetchone()
            try:
                with transaction.atomic():
                    value = builder(agencies)
                    if not commit_hooks:
                        # What the tests never saw when they imported in their transaction.
                        connection.run_on_commit = []
            except BaseException:
                _remove(agencies, last_job)
                raise
            caches["default"].clear()
            self.current = Built(name, value, agencies, last_job)
            return value


class _own_connection:
    """Swap the default connection for a fresh one (autocommit) and back."""

    def __enter__(self):
        self.saved = connections["default"]
        self.fresh = connections.create_connection("default")
        connections["default"] = self.fresh
        self.fresh.set_schema_to_public()
        with self.fresh.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")

    def __exit__(self, *exc):
        self.fresh.close()
        connections["default"] = self.saved
        return False


def _remove(agencies, last_job: int | None) -> None:
    """Delete ``agencies``, everything on the shared tables that points at them and the jobs
    deferred since ``last_job`` (``None``: no jobs)."""
    from service_requests.models import ServiceRequest
    from tenants.models import Agency

    connection = connections["default"]
    connection.set_schema_to_public()
    for agency in agencies:
        ServiceRequest.objects.filter(agency=agency).delete()
        Agency.objects.filter(pk=agency.pk).delete()
        if schema_exists(agency.schema_name):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{agency.schema_name}" CASCADE')
    if last_job is not None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [last_job])
    caches["default"].clear()


def committed_agencies(blocker) -> list[str]:
    """The agencies committed in the test database (what a module left behind, say)."""
    from tenants.models import Agency

    with blocker.unblock(), _own_connection():
        return list(Agency.objects.order_by("slug").values_list("slug", flat=True))


def forget_committed_cache(blocker) -> None:
    """Empty the (database) cache and the rate counters a module's committed fixtures or
    servers filled: the next module, in any order, starts without them."""
    from tenants.models import RateCounter

    with blocker.unblock(), _own_connection():
        caches["default"].clear()
        RateCounter.objects.all().delete()


def _remove_left_over(slugs) -> None:
    """Agencies a killed run (``--reuse-db``) left committed: tests commit nothing else
    of these slugs."""
    from tenants.models import Agency

    left = list(Agency.objects.filter(slug__in=slugs))
    if left:
        _remove(left, last_job=None)


worlds = Worlds()
