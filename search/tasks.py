"""The job that brings one service's search entries up to date (in its agency's schema)."""

from procrastinate import RetryStrategy

from tenants import jobs

from . import services

# Waits 2, 4, 8 … 32768 seconds between tries (about 18 hours in all); a job that still
# fails stays failed, where national administrators see it and can retry it.
INDEX_RETRY = RetryStrategy(max_attempts=15, exponential_wait=2)


@jobs.task(queue="search", retry=INDEX_RETRY)
def index_service(*, translation_key: str) -> int:
    return services.index_service_job(translation_key)
