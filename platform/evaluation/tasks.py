"""Each Jalali half-year's evaluation period opens by itself (public schema)."""

from tenants import jobs

from . import services


@jobs.periodic(cron="15 0 * * *")
@jobs.task(queue="maintenance", queueing_lock="open_evaluation_period")
def open_evaluation_period(*, timestamp: int) -> bool:
    """Open today's half-year if no one has yet; True when this run opened it."""
    _period, created = services.open_current_period()
    return created
