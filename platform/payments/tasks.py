"""The periodic reconciliation of payments left pending (public schema)."""

from django.conf import settings

from tenants import jobs

from . import services


@jobs.periodic(cron=settings.PAYMENT_RECONCILE_CRON)
@jobs.task(queue="maintenance", queueing_lock="reconcile_payments", lock="reconcile_payments")
def reconcile_payments(*, timestamp: int) -> dict:
    """Settle payments whose callback never came, asking the gateway."""
    return services.reconcile_pending()
