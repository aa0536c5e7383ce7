"""Background jobs on procrastinate, in the same PostgreSQL: every job carries its schema.

A worker (``manage.py procrastinate worker``) opens its own connections and knows
nothing of the agency a job was deferred for, so every task is declared with
``task()`` below: its job carries a ``schema`` argument (the agency's schema, or
public for national work) and runs inside ``schema_context(schema)``. ``defer()``
fills it from the caller's connection and writes the job through Django's own
connection, in the caller's transaction: a rolled-back change leaves no job, a
committed one is never forgotten (no ``on_commit`` needed).

Tasks only call service functions; services stay the only writers. The helpers
here work on procrastinate's tables through Django's connection of the calling
thread (also inside a worker's task), never through the worker's own pool.
"""

import functools
import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import get_public_schema_name, schema_context
from procrastinate import exceptions, manager, sql, utils
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector

logger = logging.getLogger("panjereh." + __name__)

__all__ = ["app", "defer", "periodic", "task"]

# Jobs written and changed through the calling thread's Django connection (and transaction).
_manager = manager.JobManager(connector=DjangoConnector())


class JobNotRetryable(Exception):
    """Only a failed job can be put back in its queue."""


def _schema_exists(schema: str) -> bool:
    if schema == get_public_schema_name():
        return True
    from .models import Agency

    with schema_context(get_public_schema_name()):
        return Agency.objects.filter(schema_name=schema).exists()


def task(*, queue: str, name: str | None = None, pass_context: bool = False, **options):
    """Declare a procrastinate task whose jobs run in the schema they carry.

    The decorated function is called without ``schema`` (it runs inside it); with
    ``pass_context`` it gets procrastinate's job context first. ``options`` are
    procrastinate's (``retry``, ``lock``, ``queueing_lock``, ``priority``).
    """

    def decorate(func):
        task_name = name or f"{func.__module__}.{func.__name__}"

        @functools.wraps(func)
        def run(*args, schema: str, **kwargs):
            if not _schema_exists(schema):
                logger.warning("Job %s skipped: schema %s no longer exists", task_name, schema)
                return None
            with schema_context(schema):
                return func(*args, **kwargs)

        return app.task(name=task_name, queue=queue, pass_context=pass_context, **options)(run)

    return decorate


def periodic(*, cron: str, **options):
    """Defer a national task on a schedule; once per tick whatever the number of workers.

    Procrastinate records each tick it defers (``procrastinate_periodic_defers``), so
    of all the workers running only one defers it; the job runs in the public schema.
    """
    return app.periodic(cron=cron, task_kwargs={"schema": get_public_schema_name()}, **options)


def defer(
    task_, *, schema: str | None = None, lock=None, queueing_lock=None, schedule_in=None, **kwargs
) -> int | None:
    """Queue a job of ``task_`` in the caller's transaction; returns its id.

    It carries ``schema`` (by default the caller's: the agency being worked on).
    With a ``queueing_lock`` already taken by a waiting job nothing is queued and
    None is returned (that job will do the work).
    """
    options = {"task_kwargs": {"schema": schema or connection.schema_name, **kwargs}}
    if lock is not None:
        options["lock"] = lock
    if queueing_lock is not None:
        options["queueing_lock"] = queueing_lock
    if schedule_in is not None:
        options["schedule_in"] = schedule_in
    job = task_.configure(**options).job
    if queueing_lock is None:
        return _manager.defer_job(job).id
    try:
        with transaction.atomic():  # a savepoint: the conflict must not spoil the caller's
            return _manager.defer_job(job).id
    except exceptions.AlreadyEnqueued:
        return None


def cancel_waiting(queueing_lock: str) -> int:
    """Cancel (and delete) the jobs waiting with this queueing lock; returns how many."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    ids = ProcrastinateJob.objects.filter(queueing_lock=queueing_lock, status="todo").values_list(
        "id", flat=True
    )
    return sum(_manager.cancel_job_by_id(job_id, delete_job=True) for job_id in list(ids))


def retry_failed_job(job_id: int) -> None:
    """Put a failed job back in its queue, to run as soon as a worker is free."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    if not ProcrastinateJob.objects.filter(pk=job_id, status="failed").exists():
        raise JobNotRetryable(job_id)
    try:
        with transaction.atomic():
            _manager.retry_job_by_id(job_id, retry_at=utils.utcnow())
    except (DatabaseError, exceptions.ConnectorException) as error:  # retried meanwhile
        raise JobNotRetryable(job_id) from error


def retry_stalled_jobs() -> list[int]:
    """Put back in their queue the jobs of workers that died (no heartbeat for a while).

    A worker records a heartbeat every ``update_heartbeat_interval`` seconds; a job
    still "doing" whose worker has been silent for ``JOBS_STALLED_AFTER_SECONDS``
    (or was pruned) is retried by whichever worker runs this.
    """
    connector = _manager.connector
    rows = connector.execute_query_all(
        query=sql.queries["select_stalled_jobs_by_heartbeat"],
        queue=None,
        task_name=None,
        seconds_since_heartbeat=settings.JOBS_STALLED_AFTER_SECONDS,
    )
    retried = []
    for row in rows:
        try:
            with transaction.atomic():
                _manager.retry_job_by_id(row["id"], retry_at=utils.utcnow())
        except (DatabaseError, exceptions.ConnectorException):
            continue  # finished or retried meanwhile
        logger.warning("Job %s (%s) of a stalled worker retried", row["id"], row["task_name"])
        retried.append(row["id"])
    return retried


def remove_finished_jobs(*, days: int) -> None:
    """Forget succeeded and cancelled jobs older than ``days``; failed ones stay to be seen."""
    _manager.connector.execute_query(
        query=sql.queries["delete_old_jobs"],
        nb_hours=days * 24,
        queue=None,
        statuses=["succeeded", "cancelled"],
    )
