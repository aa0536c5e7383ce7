"""Reading fees and payments."""

from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage

from .constants import PaymentStatus
from .models import Payment


def fee_lines(found) -> list[dict]:
    """The fees of the request's service payable online, from the agency's fee list:
    ``[{"title", "amount_rials"}]`` (empty for a free service or one paid elsewhere)."""
    with schema_context(found.agency.schema_name):
        page = (
            ServicePage.objects.filter(
                translation_key=found.service_key, locale__language_code="fa"
            )
            .prefetch_related("fees")
            .first()
        )
        if page is None:
            return []
        return lines_of(page)


def lines_of(page) -> list[dict]:
    return [
        {"title": fee.title, "amount_rials": int(fee.amount_rials)}
        for fee in page.fees.all()
        if fee.payable_online and fee.amount_rials > 0
    ]


def total_of(lines) -> int:
    return sum(line["amount_rials"] for line in lines)


def paid_payment(found) -> Payment | None:
    """The request's verified (or desk-marked) payment, if any."""
    return Payment.objects.filter(request=found, status=PaymentStatus.PAID).first()


def payment_by_order(order_id: str) -> Payment | None:
    if not order_id or len(order_id) > 32:
        return None
    return Payment.objects.select_related("request").filter(order_id=order_id).first()
