"""Jobs keeping the compliance summary in step, reminding editors, building the worksheet."""

from procrastinate import RetryStrategy

from tenants import jobs
from tenants.selectors import current_agency

from . import services

REFRESH_RETRY = RetryStrategy(max_attempts=8, exponential_wait=2)


@jobs.task(queue="maintenance", retry=REFRESH_RETRY)
def refresh_service_compliance(*, translation_key: str) -> int:
    """One service's row, after it was published, unpublished, moved or deleted."""
    agency = current_agency()
    if agency is None:
        return 0
    return services.refresh_agency_compliance(agency, translation_keys=[translation_key])


@jobs.task(queue="maintenance", retry=REFRESH_RETRY)
def refresh_agency_compliance_job() -> int:
    """Every row of the agency whose schema the job carries."""
    agency = current_agency()
    if agency is None:
        return 0
    return services.refresh_agency_compliance(agency)


@jobs.periodic(cron="20 1 * * *")
@jobs.task(queue="maintenance", queueing_lock="refresh_all_compliance")
def refresh_all_compliance(*, timestamp: int) -> int:
    """Nightly: answer times change every day; one job per active agency."""
    return services.refresh_all_later()


@jobs.periodic(cron="0 5 * * *")
@jobs.task(queue="maintenance", queueing_lock="send_review_reminders")
def send_review_reminders(*, timestamp: int) -> int:
    """Daily: packages not reviewed for twelve months (each at most once a month)."""
    return services.send_review_reminders()


@jobs.task(queue="maintenance")
def build_national_worksheet_job(*, export_id: int) -> None:
    services.build_national_worksheet(export_id)
