"""Tasks only the tests defer; workers under ``config.settings.test`` import them too.

Runs are recorded in ``public.test_job_runs`` (made by tests/test_jobs.py for the tests
with worker processes) or, in this process, in ``SEEN``.
"""

import os
import time

from django.contrib.auth import get_user_model
from django.db import connection

from tenants import jobs

SEEN: list[dict] = []

TABLE = "public.test_job_runs"
CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    key text NOT NULL,
    grp text NOT NULL DEFAULT '',
    pid integer NOT NULL,
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz
)
"""


def _start(key: str, group: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (key, grp, pid) VALUES (%s, %s, %s) RETURNING id",  # noqa: S608
            [key, group, os.getpid()],
        )
        return cursor.fetchone()[0]


def _finish(run_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET finished_at = clock_timestamp() WHERE id = %s",  # noqa: S608
            [run_id],
        )


@jobs.task(queue="tests")
def record_run(*, key: str, group: str = "", seconds: float = 0.0) -> None:
    """Record that this job ran, from when to when, and in which process."""
    run_id = _start(key, group)
    time.sleep(seconds)
    _finish(run_id)


@jobs.task(queue="tests")
def block_once(*, key: str) -> None:
    """The first run blocks (its worker is killed meanwhile); a retry completes."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE key = %s", [key])  # noqa: S608
        earlier = cursor.fetchone()[0]
    run_id = _start(key)
    if not earlier:
        time.sleep(120)
    _finish(run_id)


@jobs.task(queue="tests")
def what_this_schema_holds(*, key: str) -> None:
    """What a job sees where it runs: its schema, its users and its pages."""
    from wagtail.models import Page

    SEEN.append(
        {
            "key": key,
            "schema": connection.schema_name,
            "users": sorted(get_user_model().objects.values_list("username", flat=True)),
            "pages": Page.objects.count(),
        }
    )


@jobs.task(queue="tests", retry=False)
def fail(*, key: str) -> None:
    raise RuntimeError(f"job {key} failed on purpose")
