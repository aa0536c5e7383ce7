"""The escalation of overdue complaints to the national level (public schema)."""

from tenants import jobs

from . import services


@jobs.periodic(cron="*/30 * * * *")
@jobs.task(queue="maintenance", queueing_lock="escalate_overdue_complaints")
def escalate_overdue_complaints(*, timestamp: int) -> int:
    """Escalate complaints unanswered past their due date, 500 at a time."""
    escalated = 0
    for _ in range(100):
        count = services.escalate_overdue()
        escalated += count
        if count < services.ESCALATE_BATCH:
            break
    return escalated
