"""Writing payments: start one, take a gateway's callback, reconcile the pending ones,
mark fees paid at the desk. Every step leaves a PaymentEvent."""

import datetime
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import gateways, selectors
from .constants import PENDING_STATUSES, EventKind, GatewayState, PaymentChannel, PaymentStatus
from .models import Payment, PaymentEvent

logger = logging.getLogger("panjereh." + __name__)


class PaymentRefused(Exception):
    """Nothing to pay, or already paid: the message says which, in the citizen's words."""


def _event(payment, kind, *, refused=False, reason="", **data) -> PaymentEvent:
    if refused:
        logger.warning(
            "payment %s refused: %s", payment.order_id if payment else "-", reason or kind
        )
    return PaymentEvent.objects.create(
        payment=payment, kind=kind, refused=refused, reason=reason[:255], data=data
    )


def _owed(found) -> list[dict]:
    lines = selectors.fee_lines(found)
    if not lines:
        raise PaymentRefused(_("This request has no fees to pay online."))
    if selectors.paid_payment(found) is not None:
        raise PaymentRefused(_("The fees of this request are already paid."))
    return lines


def start_payment(found) -> Payment:
    """A new payment of the fees owed (copied from the service's fee list, never from the
    browser), registered with the gateway; the citizen is then sent to
    ``gateways.gateway().redirect_url(payment.token)``."""
    gateway = gateways.gateway()
    with transaction.atomic():
        # One payment started at a time per request: a second tab, a double click or a
        # "back" to the pay page resumes the payment already at the gateway, so the fees
        # can never be paid twice.
        type(found).objects.select_for_update().filter(pk=found.pk).first()
        lines = _owed(found)
        pending = Payment.objects.filter(request=found, status__in=PENDING_STATUSES).order_by("-pk")
        resumed = pending.filter(status=PaymentStatus.REDIRECTED).exclude(token="").first()
        if resumed is not None:
            _event(resumed, EventKind.REDIRECTED, token=resumed.token, resumed=True)
            return resumed
        if pending.exists():  # being registered with the gateway right now
            raise PaymentRefused(
                _("A payment of these fees is being started. Please try again in a moment.")
            )
        payment = Payment.objects.create(
            request=found,
            agency_id=found.agency_id,
            order_id=uuid.uuid4().hex[:20],
            amount_rials=selectors.total_of(lines),
            lines=lines,
            gateway=gateway.name,
        )
        _event(payment, EventKind.CREATED, amount_rials=payment.amount_rials)
    try:
        token = gateway.create(
            order_id=payment.order_id,
            amount_rials=payment.amount_rials,
            callback_url=gateways.callback_url(),
        )
    except gateways.GatewayError as error:
        payment.status = PaymentStatus.FAILED
        payment.save(update_fields=["status", "updated_at"])
        _event(payment, EventKind.FAILED, reason=f"create: {error}")
        raise PaymentRefused(
            _("The payment gateway cannot be reached now. Please try again in a few minutes.")
        ) from error
    payment.token = token
    payment.status = PaymentStatus.REDIRECTED
    payment.redirected_at = timezone.now()
    payment.save(update_fields=["token", "status", "redirected_at", "updated_at"])
    _event(payment, EventKind.REDIRECTED, token=token)
    return payment


def _settle(payment: Payment, *, kind: str) -> None:
    """Ask the gateway (server to server) and act on its answer; ``payment`` is locked."""
    gateway = gateways.gateway()
    try:
        verified = gateway.verify(payment.token)
    except gateways.GatewayError as error:
        _event(payment, kind, refused=True, reason=f"verify: {error}")
        return
    answer = {
        "state": verified.state,
        "amount_rials": verified.amount_rials,
        "order_id": verified.order_id,
        "reference": verified.reference,
    }
    if verified.state == GatewayState.PENDING:
        _event(payment, kind, reason="gateway: still pending", **answer)
        return
    if verified.state == GatewayState.DECLINED:
        payment.status = PaymentStatus.DECLINED
        payment.save(update_fields=["status", "updated_at"])
        _event(payment, EventKind.DECLINED, **answer)
        return
    if verified.amount_rials != payment.amount_rials or verified.order_id != payment.order_id:
        payment.status = PaymentStatus.FAILED
        payment.save(update_fields=["status", "updated_at"])
        _event(
            payment,
            EventKind.REFUSED,
            refused=True,
            reason="verify: the gateway's amount or order id differs from ours",
            **answer,
        )
        return
    gateway.settle(payment.token)
    payment.status = PaymentStatus.PAID
    payment.reference = verified.reference
    payment.settled_at = timezone.now()
    payment.save(update_fields=["status", "reference", "settled_at", "updated_at"])
    _event(payment, EventKind.VERIFIED, **answer)


def _text(params, key) -> str:
    value = params.get(key, "")
    return str(value)[:64]


@transaction.atomic
def take_callback(params) -> Payment | None:
    """A gateway's callback (``token``, ``order_id``, ``amount``, ``status``): recorded,
    checked against our payment, then verified with the gateway. A replay, an unknown order,
    a different token or amount is refused and logged; returns the payment (None if unknown)."""
    given = {key: _text(params, key) for key in ("token", "order_id", "amount", "status")}
    payment = (
        Payment.objects.select_for_update().filter(order_id=given["order_id"]).first()
        if given["order_id"]
        else None
    )
    if payment is None:
        _event(None, EventKind.CALLBACK, refused=True, reason="unknown order id", **given)
        return None
    if payment.status not in PENDING_STATUSES:
        _event(
            payment,
            EventKind.CALLBACK,
            refused=True,
            reason=f"replayed: the payment is already {payment.status}",
            **given,
        )
        return payment
    if given["token"] != payment.token:
        _event(payment, EventKind.CALLBACK, refused=True, reason="token mismatch", **given)
        return payment
    if given["amount"] and given["amount"] != str(payment.amount_rials):
        _event(payment, EventKind.CALLBACK, refused=True, reason="amount mismatch", **given)
        return payment
    _event(payment, EventKind.CALLBACK, **given)
    _settle(payment, kind=EventKind.CALLBACK)
    return payment


def reconcile_pending(*, now=None) -> dict:
    """Ask the gateway about payments left pending (the citizen never came back) longer
    than PAYMENT_RECONCILE_AFTER_MINUTES and settle them; give up on those still pending
    after PAYMENT_EXPIRE_MINUTES. Returns counts by the status they ended in."""
    now = now or timezone.now()
    asked_before = now - datetime.timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    expired_before = now - datetime.timedelta(minutes=settings.PAYMENT_EXPIRE_MINUTES)
    ids = list(
        Payment.objects.filter(
            status__in=PENDING_STATUSES, channel=PaymentChannel.ONLINE, created_at__lt=asked_before
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    counts: dict[str, int] = {}
    for pk in ids:
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=PENDING_STATUSES)
                .first()
            )
            if payment is None:
                continue
            if payment.token:
                _settle(payment, kind=EventKind.RECONCILED)
            if payment.status in PENDING_STATUSES and payment.created_at < expired_before:
                payment.status = PaymentStatus.FAILED
                payment.save(update_fields=["status", "updated_at"])
                _event(payment, EventKind.FAILED, reason="expired: no answer from the gateway")
            counts[payment.status] = counts.get(payment.status, 0) + 1
    return counts


@transaction.atomic
def mark_paid_at_desk(found, *, actor: str) -> Payment:
    """The agency received the fees at its desk: a paid payment of what is owed."""
    lines = _owed(found)
    payment = Payment.objects.create(
        request=found,
        agency_id=found.agency_id,
        order_id=uuid.uuid4().hex[:20],
        amount_rials=selectors.total_of(lines),
        lines=lines,
        channel=PaymentChannel.DESK,
        status=PaymentStatus.PAID,
        actor=actor,
        settled_at=timezone.now(),
    )
    _event(payment, EventKind.DESK, actor=actor, amount_rials=payment.amount_rials)
    return payment


def acceptance_refusal(found) -> str:
    """Registered with service_requests.acceptance: fees payable online must be paid first."""
    if selectors.fee_lines(found) and selectors.paid_payment(found) is None:
        return _(
            "The fees are not paid yet: the citizen pays them online, or mark them paid "
            "at the desk once received."
        )
    return ""
