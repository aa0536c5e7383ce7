"""Run background jobs inside a test: in this process, on the test's own connection.

procrastinate's worker runs each synchronous job in a thread of its own, with a
database connection of its own that would not see the test's uncommitted
transaction; here every job runs on this thread instead, and the periodic
schedule is left out, so a test runs exactly the jobs it deferred.
"""

import json
from unittest import mock

from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection
from procrastinate import utils as procrastinate_utils
from procrastinate.contrib.django.django_connector import DjangoConnector

from tenants.jobs import app


class _TestConnector(DjangoConnector):
    """Django's connection, reading job arguments as JSON (Django reads jsonb as text)."""

    @staticmethod
    def _decoded(row):
        if isinstance(row.get("args"), str):
            row["args"] = json.loads(row["args"])
        return row

    def execute_query_one(self, query, **arguments):
        return self._decoded(super().execute_query_one(query, **arguments))

    def execute_query_all(self, query, **arguments):
        return [self._decoded(row) for row in super().execute_query_all(query, **arguments)]


async def _on_this_thread(func, *args, **kwargs):
    return await sync_to_async(func, thread_sensitive=True)(*args, **kwargs)


def run_jobs(*, queues=None) -> None:
    """Work off every job that is due now, then return."""
    app.perform_import_paths()
    with (
        app.replace_connector(_TestConnector()),
        mock.patch.object(procrastinate_utils, "sync_to_async", _on_this_thread),
        mock.patch.dict(app.periodic_registry.periodic_tasks, clear=True),
    ):
        async_to_sync(app.run_worker_async)(
            queues=queues,
            wait=False,
            install_signal_handlers=False,
            listen_notify=False,
            task_middleware=[],  # not Django's connection clean-up: it would end the test's
        )
    connection.set_schema_to_public()


def make_due() -> None:
    """Bring every job waiting for a later retry forward to now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE public.procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo'"
        )


def job_rows(**filters):
    from procrastinate.contrib.django.models import ProcrastinateJob

    return list(ProcrastinateJob.objects.filter(**filters).order_by("id"))
