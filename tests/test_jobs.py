"""Background jobs on procrastinate, against the real PostgreSQL.

In-process tests run the worker on the test's own connection (tests/jobs_runner.py);
the last tests start real ``manage.py procrastinate worker`` processes on the test
database, with data committed through a connection of their own, cleaned up after.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django_tenants.utils import schema_context
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.manager import JobManager
from wagtail.models import ModelLogEntry

from notifications.gateways import MemoryGateway
from notifications.models import SmsMessage
from notifications.tasks import send_sms
from tenants import jobs
from tenants.constants import AgencyRole, NationalRole
from tenants.services import create_user_in_schema

from . import job_tasks
from .conftest import PASSWORD
from .jobs_runner import job_rows, make_due, run_jobs

ROOT = Path(__file__).resolve().parents[1]
JOBS_URL = "/admin/background_jobs/"
SCHEMA_TASK = "tests.job_tasks.what_this_schema_holds"


# --- In this process, inside the test's transaction ------------------------------------


@pytest.mark.django_db
def test_migrate_schemas_puts_procrastinates_tables_in_the_public_schema_only(onboard):
    agency = onboard().agency
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass('public.procrastinate_jobs'), to_regclass(%s)",
            [f'"{agency.schema_name}".procrastinate_jobs'],
        )
        assert cursor.fetchone() == ("procrastinate_jobs", None)


@pytest.mark.django_db
def test_a_job_deferred_in_a_rolled_back_transaction_is_never_run():
    job_tasks.SEEN.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.defer(job_tasks.what_this_schema_holds, key="rolled back")
        assert len(job_rows(task_name=SCHEMA_TASK)) == 1  # written in the transaction...
        raise RuntimeError("the request failed after deferring")

    assert job_rows(task_name=SCHEMA_TASK) == []  # ...and gone with it
    run_jobs()
    assert job_tasks.SEEN == []


@pytest.mark.django_db
def test_a_job_runs_in_its_agencys_schema_and_sees_nothing_of_another(onboard):
    a, b = onboard().agency, onboard().agency
    create_user_in_schema(a.schema_name, username="only-in-a", password=PASSWORD)
    create_user_in_schema(b.schema_name, username="only-in-b", password=PASSWORD)
    job_tasks.SEEN.clear()
    # Deferred inside an agency, a job carries that agency's schema.
    for agency in (a, b):
        with schema_context(agency.schema_name):
            jobs.defer(job_tasks.what_this_schema_holds, key=agency.slug)
    jobs.defer(job_tasks.what_this_schema_holds, key="national")
    assert [job.args["schema"] for job in job_rows(task_name=SCHEMA_TASK)] == [
        a.schema_name,
        b.schema_name,
        "public",
    ]

    run_jobs()

    seen = {entry["key"]: entry for entry in job_tasks.SEEN}
    assert seen[a.slug]["schema"] == a.schema_name
    assert seen[a.slug]["users"] == ["only-in-a"]
    assert seen[b.slug]["schema"] == b.schema_name
    assert seen[b.slug]["users"] == ["only-in-b"]
    assert seen["national"]["schema"] == "public"
    assert "only-in-a" not in seen["national"]["users"]
    assert connection.schema_name == "public"


@pytest.mark.django_db
def test_a_job_of_an_agency_that_is_gone_is_skipped(onboard):
    agency = onboard().agency
    job_tasks.SEEN.clear()
    jobs.defer(job_tasks.what_this_schema_holds, schema="agency_removed_long_ago", key="x")
    jobs.defer(job_tasks.what_this_schema_holds, schema=agency.schema_name, key="y")
    run_jobs()
    assert [entry["key"] for entry in job_tasks.SEEN] == ["y"]
    assert {job.status for job in job_rows(task_name=SCHEMA_TASK)} == {"succeeded"}


def test_every_background_job_is_a_task_with_its_queue_retry_and_schedule():
    from tenants.jobs import app

    app.perform_import_paths()
    tasks = {name: task for name, task in app.tasks.items() if not name.startswith("builtin")}
    assert {
        "notifications.tasks.send_sms",
        "notifications.tasks.reconcile_sending_sms",
        "notifications.tasks.poll_sms_delivery",
        "service_requests.tasks.receive_sms_replies",
        "search.tasks.index_service",
        "service_requests.tasks.purge_stale_pending_uploads",
        "tenants.tasks.purge_expired_counters",
        "tenants.tasks.retry_stalled_jobs",
        "tenants.tasks.remove_finished_jobs",
    } <= set(tasks)
    assert tasks["notifications.tasks.send_sms"].queue == "sms"
    assert tasks["notifications.tasks.send_sms"].retry_strategy.max_attempts == 22
    assert tasks["search.tasks.index_service"].queue == "search"
    periodic = {
        task.task.name: task.configure_kwargs["task_kwargs"]["schema"]
        for task in app.periodic_registry.periodic_tasks.values()
    }
    assert periodic == {
        "appointments.tasks.remind_appointments": "public",
        "complaints.tasks.escalate_overdue_complaints": "public",
        "evaluation.tasks.open_evaluation_period": "public",
        "compliance.tasks.refresh_all_compliance": "public",
        "compliance.tasks.send_review_reminders": "public",
        "payments.tasks.reconcile_payments": "public",
        "reports.tasks.build_last_month": "public",
        "notifications.tasks.reconcile_sending_sms": "public",
        "notifications.tasks.poll_sms_delivery": "public",
        "service_requests.tasks.receive_sms_replies": "public",
        "service_requests.tasks.purge_stale_pending_uploads": "public",
        "service_requests.tasks.mask_spent_ownership_codes": "public",
        "tenants.tasks.purge_expired_counters": "public",
        "tenants.tasks.retry_stalled_jobs": "public",
        "tenants.tasks.remove_finished_jobs": "public",
    }


@pytest.mark.django_db
def test_the_periodic_clean_ups_run_their_services():
    from service_requests.tasks import purge_stale_pending_uploads
    from tenants import limits
    from tenants.tasks import purge_expired_counters, remove_finished_jobs

    limits.hit("lookups", "198.51.100.7", 600)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE public.tenants_ratecounter SET expires_at = now()")
    assert purge_expired_counters(schema="public", timestamp=0) >= 1
    assert purge_stale_pending_uploads(schema="public", timestamp=0) == 0
    remove_finished_jobs(schema="public", timestamp=0)


# --- SMS: with the request's transaction, through the fake gateway, and the admin ----------


def _fail_for_good():
    """Let the received SMS of ``setting`` fail every try, until it is given up."""
    MemoryGateway.fail_next = 100
    for _ in range(30):
        run_jobs()
        make_due()
    (job,) = job_rows(task_name="notifications.tasks.send_sms")
    assert job.status == "failed"
    return job


def test_an_sms_is_sent_by_its_job_after_the_request_commits(setting):
    (message,) = SmsMessage.objects.all()
    (job,) = job_rows(task_name="notifications.tasks.send_sms")
    assert job.args["message_id"] == message.pk
    assert job.lock == f"sms:{message.pk}"  # one send of a message at a time
    assert MemoryGateway.sent == []

    run_jobs()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert MemoryGateway.sent == [(message.mobile, message.text)]
    # A second job for the same message (a retry after a crash) sends nothing twice.
    jobs.defer(send_sms, message_id=message.pk, lock=f"sms:{message.pk}")
    run_jobs()
    assert len(MemoryGateway.sent) == 1


def test_a_national_administrator_sees_a_failed_job_and_retries_it(setting, national_admin_client):
    job = _fail_for_good()
    message = SmsMessage.objects.get()
    assert message.status == "failed"

    listing = national_admin_client.get(JOBS_URL, {"status": "failed"})
    assert listing.status_code == 200
    assert f"inspect/{job.pk}/" in listing.content.decode()
    assert "notifications.tasks.send_sms" in listing.content.decode()
    filtered = national_admin_client.get(JOBS_URL, {"status": "succeeded"}).content.decode()
    assert f"inspect/{job.pk}/" not in filtered
    page = national_admin_client.get(f"{JOBS_URL}inspect/{job.pk}/").content.decode()
    assert f"{JOBS_URL}retry/{job.pk}/" in page

    assert national_admin_client.get(f"{JOBS_URL}retry/{job.pk}/").status_code == 405
    response = national_admin_client.post(f"{JOBS_URL}retry/{job.pk}/")
    assert response.status_code == 302
    assert job_rows(pk=job.pk)[0].status == "todo"
    entry = ModelLogEntry.objects.get(action="panjereh.job.retry")
    assert entry.object_id == str(job.pk) and entry.user.username == "national"
    # Only a failed job can be retried: a second POST changes nothing.
    national_admin_client.post(f"{JOBS_URL}retry/{job.pk}/")
    assert ModelLogEntry.objects.filter(action="panjereh.job.retry").count() == 1

    MemoryGateway.fail_next = 0
    make_due()  # now() is the test transaction's start, before the retry's "now"
    run_jobs()
    message.refresh_from_db()
    assert message.status == "sent"
    assert job_rows(pk=job.pk)[0].status == "succeeded"
    # Jobs are procrastinate's: nobody edits, adds or deletes them here.
    assert national_admin_client.get(f"{JOBS_URL}edit/{job.pk}/").status_code in {302, 403}
    assert national_admin_client.get(f"{JOBS_URL}new/").status_code in {302, 403}


def test_the_jobs_screen_does_not_exist_on_an_agency_host(setting, onboard, staff_client):
    job = _fail_for_good()
    agency = onboard().agency
    client = staff_client(agency, AgencyRole.ADMINISTRATOR)
    assert client.get(JOBS_URL).status_code == 404
    assert client.get(f"{JOBS_URL}inspect/{job.pk}/").status_code == 404
    assert client.post(f"{JOBS_URL}retry/{job.pk}/").status_code == 404
    assert job_rows(pk=job.pk)[0].status == "failed"


def test_only_national_administrators_may_retry(setting, national_client):
    job = _fail_for_good()
    client = national_client(NationalRole.PROVINCIAL_SUPERVISOR)
    # Wagtail answers a permission denied in its admin by sending staff to the dashboard.
    listing = client.get(JOBS_URL)
    assert (listing.status_code, listing["Location"]) == (302, "/admin/")
    retried = client.post(f"{JOBS_URL}retry/{job.pk}/")
    assert (retried.status_code, retried["Location"]) == (302, "/admin/")
    assert job_rows(pk=job.pk)[0].status == "failed"


# --- Real worker processes on committed data ---------------------------------------------


class Committed:
    """A connection of its own to the test database, in autocommit: worker processes
    see what it writes at once (the test's own connection is inside its transaction)."""

    def __init__(self):
        self.wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
        self.manager = JobManager(_OwnConnector(self.wrapper))

    def query(self, sql: str, params=()):
        with self.wrapper.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def defer(self, task, *, lock=None, **kwargs) -> int:
        job = task.configure(lock=lock, task_kwargs={"schema": "public", **kwargs}).job
        return self.manager.defer_job(job).id

    def clear(self):
        self.query("DELETE FROM public.procrastinate_periodic_defers")
        self.query("DELETE FROM public.procrastinate_jobs")
        self.query("DELETE FROM public.procrastinate_workers")
        self.query(f"DROP TABLE IF EXISTS {job_tasks.TABLE}")  # noqa: S608


class _OwnConnector(DjangoConnector):
    def __init__(self, wrapper):
        self.wrapper = wrapper

    @property
    def connection(self):
        return self.wrapper


@pytest.fixture
def committed():
    assert connection.settings_dict["NAME"].startswith("test_"), "never the real database"
    own = Committed()
    own.clear()
    own.query(job_tasks.CREATE_TABLE)
    yield own
    own.clear()
    own.wrapper.close()


def _worker(log: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PANJEREH_DATABASE_NAME": connection.settings_dict["NAME"],
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
    }
    command = [sys.executable, "manage.py", "procrastinate", "worker"]
    command += ["--queues", "tests,maintenance", *args]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603


def _wait_until(condition, *, seconds: float, what: str, logs=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    output = "\n".join(log.read_text(errors="replace")[-3000:] for log in logs if log.exists())
    pytest.fail(f"timed out after {seconds} s waiting for {what}\n{output}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _runs(committed, key_prefix: str = ""):
    return committed.query(
        f"SELECT key, grp, pid, started_at, finished_at FROM {job_tasks.TABLE} "  # noqa: S608
        "WHERE key LIKE %s ORDER BY started_at",
        [f"{key_prefix}%"],
    )


@pytest.mark.django_db
def test_two_workers_never_run_the_same_job_and_jobs_of_one_lock_never_overlap(committed, tmp_path):
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = [_worker(log, "--concurrency", "2") for log in logs]
    try:
        _wait_until(
            lambda: committed.query("SELECT count(*) FROM public.procrastinate_workers")[0][0] == 2,
            seconds=60,
            what="two workers to register",
            logs=logs,
        )
        keys = []
        for number in range(40):
            key = f"job-{number}"
            group = ("first", "second", "", "")[number % 4]
            committed.defer(
                job_tasks.record_run,
                key=key,
                group=group,
                seconds=0.05,
                lock=f"group:{group}" if group else None,
            )
            keys.append(key)
        _wait_until(
            lambda: (
                committed.query(
                    f"SELECT count(*) FROM {job_tasks.TABLE} WHERE finished_at IS NOT NULL"  # noqa: S608
                )[0][0]
                >= 40
            ),
            seconds=90,
            what="40 jobs to finish",
            logs=logs,
        )
        time.sleep(0.5)  # a job run twice would have started by now
    finally:
        for worker in workers:
            _stop(worker)

    runs = _runs(committed, "job-")
    assert sorted(key for key, *_ in runs) == sorted(keys)  # each job ran exactly once
    assert all(finished is not None for *_, finished in runs)
    assert len({pid for _key, _group, pid, _s, _f in runs}) == 2  # both workers took jobs
    for group in ("first", "second"):
        locked = [(started, finished) for _k, grp, _p, started, finished in runs if grp == group]
        assert len(locked) == 10
        for (_, finished), (started, _) in zip(locked, locked[1:], strict=False):
            assert started >= finished  # one job of a lock at a time
    statuses = committed.query(
        "SELECT status, attempts FROM public.procrastinate_jobs "
        "WHERE task_name = 'tests.job_tasks.record_run'"
    )
    assert statuses == [("succeeded", 1)] * 40  # one try each: none retried
    # Periodic jobs are deferred once per tick, whichever of the workers defers them.
    ticks = committed.query(
        "SELECT args->>'timestamp', count(*) FROM public.procrastinate_jobs "
        "WHERE task_name = 'tenants.tasks.retry_stalled_jobs' GROUP BY 1"
    )
    assert ticks and all(count == 1 for _tick, count in ticks)


@pytest.mark.django_db
def test_the_job_of_a_killed_worker_is_retried_by_another_and_completes_once(committed, tmp_path):
    logs = [tmp_path / "killed.log", tmp_path / "survivor.log"]
    doomed = _worker(logs[0], "--concurrency", "1")
    survivor = None
    try:
        committed.defer(job_tasks.block_once, key="blocked")
        _wait_until(
            lambda: len(_runs(committed, "blocked")) == 1,
            seconds=60,
            what="the job to start",
            logs=logs,
        )
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        (job_status,) = committed.query(
            "SELECT status FROM public.procrastinate_jobs "
            "WHERE task_name = 'tests.job_tasks.block_once'"
        )
        assert job_status == ("doing",)  # its worker is gone; nobody finishes it

        survivor = _worker(logs[1], "--concurrency", "2")
        _wait_until(
            lambda: any(finished for *_, finished in _runs(committed, "blocked")),
            seconds=60,
            what="another worker to retry the stalled job",
            logs=logs,
        )
        time.sleep(0.5)
    finally:
        _stop(doomed)
        if survivor is not None:
            _stop(survivor)

    runs = _runs(committed, "blocked")
    assert len(runs) == 2  # started by the killed worker, then by the other one
    assert [finished is not None for *_, finished in runs] == [False, True]  # completed once
    assert runs[0][2] != runs[1][2]
    assert committed.query(
        "SELECT status, attempts FROM public.procrastinate_jobs "
        "WHERE task_name = 'tests.job_tasks.block_once'"
    ) == [("succeeded", 2)]
