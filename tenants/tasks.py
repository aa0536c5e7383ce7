"""The platform's own periodic jobs: rate counters, stalled workers, old jobs (public schema)."""

from django.conf import settings

from . import jobs, limits


@jobs.periodic(cron="*/10 * * * *")
@jobs.task(queue="maintenance", queueing_lock="purge_expired_counters")
def purge_expired_counters(*, timestamp: int) -> int:
    """Delete rate counters whose window has passed, a thousand at a time."""
    purged = 0
    for _ in range(100):
        count = limits.purge_expired_counters()
        purged += count
        if not count:
            break
    return purged


@jobs.periodic(cron=settings.JOBS_STALLED_CRON)
@jobs.task(queue="maintenance", queueing_lock="retry_stalled_jobs", lock="retry_stalled_jobs")
def retry_stalled_jobs(*, timestamp: int) -> int:
    """Retry the jobs of workers that died mid-job (see ``jobs.retry_stalled_jobs``)."""
    return len(jobs.retry_stalled_jobs())


@jobs.periodic(cron="17 3 * * *")
@jobs.task(queue="maintenance", queueing_lock="remove_finished_jobs")
def remove_finished_jobs(*, timestamp: int) -> None:
    """Forget jobs that succeeded (or were cancelled) a while ago; failed ones stay."""
    jobs.remove_finished_jobs(days=settings.JOBS_KEEP_FINISHED_DAYS)
