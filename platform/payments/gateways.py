"""The payment-gateway interface, shaped like Iranian Shaparak PSP gateways, and the
built-in sandbox gateway.

A PSP's flow: we ask it to create a payment of an amount for our order id and get a token;
the citizen is sent to the PSP's page with it; the PSP calls our callback back with the
token, our order id and a status; we then **verify** with the PSP, server to server (the
callback's word alone is never taken), and **settle**. ``settings.PAYMENT_GATEWAY`` names
the class (a dotted path).
"""

import dataclasses
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

from tenants.links import portal_url

from .constants import GatewayState


class GatewayError(Exception):
    """The gateway could not be reached or refused the call."""


@dataclasses.dataclass(frozen=True)
class Verification:
    """What the gateway says of one of its payments, asked server to server."""

    state: str  # GatewayState
    amount_rials: int
    order_id: str
    reference: str = ""


class Gateway:
    """The interface every gateway implements."""

    name = ""

    def create(self, *, order_id: str, amount_rials: int, callback_url: str) -> str:
        """Register a payment with the PSP; returns its token."""
        raise NotImplementedError

    def redirect_url(self, token: str) -> str:
        """Where the citizen is sent to pay."""
        raise NotImplementedError

    def verify(self, token: str) -> Verification:
        """Ask the PSP what became of the payment (idempotent)."""
        raise NotImplementedError

    def settle(self, token: str) -> None:
        """Settle a verified payment (idempotent)."""
        raise NotImplementedError


def _portal_path(name: str, **kwargs) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, urlconf=settings.PUBLIC_SCHEMA_URLCONF, kwargs=kwargs)


class SandboxGateway(Gateway):
    """A PSP of our own for development and tests: a portal page shows the amount and lets
    the citizen approve or decline, then calls back like a PSP."""

    name = "sandbox"

    def create(self, *, order_id, amount_rials, callback_url):
        from .models import SandboxTransaction

        token = secrets.token_hex(16)
        SandboxTransaction.objects.create(
            token=token, order_id=order_id, amount_rials=amount_rials, callback_url=callback_url
        )
        return token

    def redirect_url(self, token):
        return portal_url(_portal_path("payment_sandbox", token=token))

    def verify(self, token):
        from .models import SandboxTransaction

        found = SandboxTransaction.objects.filter(token=token).first()
        if found is None:
            raise GatewayError("unknown token")
        if found.state == GatewayState.APPROVED and not found.verified:
            SandboxTransaction.objects.filter(pk=found.pk).update(verified=True)
        return Verification(
            state=found.state,
            amount_rials=found.amount_rials,
            order_id=found.order_id,
            reference=found.reference,
        )

    def settle(self, token):
        from .models import SandboxTransaction

        SandboxTransaction.objects.filter(token=token, verified=True).update(settled=True)

    # The sandbox's own page calls these.
    @staticmethod
    @transaction.atomic
    def decide(token: str, *, approve: bool):
        """The citizen's choice on the sandbox page; returns the transaction, or None."""
        from .models import SandboxTransaction

        found = SandboxTransaction.objects.select_for_update().filter(token=token).first()
        if found is None:
            return None
        if found.state == GatewayState.PENDING:
            found.state = GatewayState.APPROVED if approve else GatewayState.DECLINED
            if approve:
                found.reference = f"{secrets.randbelow(10**12):012d}"
            found.save(update_fields=["state", "reference"])
        return found


def gateway() -> Gateway:
    return import_string(settings.PAYMENT_GATEWAY)()


def callback_url() -> str:
    return portal_url(_portal_path("payment_callback"))
