from tenants import jobs

from . import services


@jobs.task(queue="reports")
def make_export(*, export_id: int) -> None:
    """Make a report file asked for on a national or agency report screen."""
    services.make_export(export_id)
