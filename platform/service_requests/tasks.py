"""Periodic clean-up of what citizens left behind (public schema)."""

from tenants import jobs

from . import services


@jobs.periodic(cron="*/15 * * * *")
@jobs.task(queue="maintenance", queueing_lock="purge_stale_pending_uploads")
def purge_stale_pending_uploads(*, timestamp: int) -> int:
    """Remove documents kept for request forms that were never sent, 500 at a time."""
    purged = 0
    for _ in range(100):
        count = services.purge_stale_pending_uploads()
        purged += count
        if not count:
            break
    return purged


@jobs.periodic(cron="* * * * *")
@jobs.task(queue="maintenance", queueing_lock="mask_spent_ownership_codes")
def mask_spent_ownership_codes(*, timestamp: int) -> int:
    """Mask the one-time codes in the SMS outbox once they are no use (expired or used)."""
    from . import ownership

    masked = 0
    for _ in range(100):
        count = ownership.mask_spent_codes()
        masked += count
        if not count:
            break
    return masked
