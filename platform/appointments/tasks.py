"""The reminder the day before an appointment (public schema, hourly)."""

from tenants import jobs

from . import services


@jobs.periodic(cron="5 * * * *")
@jobs.task(queue="maintenance", queueing_lock="appointment_reminders")
def remind_appointments(*, timestamp: int) -> int:
    return services.send_reminders()
