from tenants import jobs

from . import services


@jobs.task(queue="reports")
def make_export(*, export_id: int) -> None:
    """Make a report file asked for on a national or agency report screen."""
    services.make_export(export_id)


@jobs.periodic(cron="30 21 * * *")  # 01:00 Tehran time: yesterday's month, if it has ended
@jobs.task(queue="reports", queueing_lock="reports_build_last_month")
def build_last_month(*, timestamp: int) -> None:
    """Build the figures of the Jalali month that has just ended."""
    from . import rollup

    rollup.build_last_month()
