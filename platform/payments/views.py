"""The citizen's payment pages on the national portal, the sandbox gateway's page, the
gateway's callback, and the panels of the tracking page and of the staff's request page."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.log_actions import log

from service_requests.selectors import find_by_code, request_of
from tenants.guards import check_agency
from tenants.roles import HANDLE_REQUESTS

from . import gateways, selectors, services
from .constants import PaymentStatus
from .models import SandboxTransaction


def _fees(found) -> dict:
    lines = selectors.fee_lines(found)
    return {
        "lines": lines,
        "total": selectors.total_of(lines),
        "paid": selectors.paid_payment(found),
    }


@require_http_methods(["GET", "POST"])
def pay(request, code):
    """The fees owed for a request (by its tracking code) and the button that pays them."""
    found = find_by_code(code)
    if found is None:
        raise Http404
    context = {"found": found, **_fees(found)}
    if request.method == "POST":
        try:
            payment = services.start_payment(found)
        except services.PaymentRefused as refused:
            context["error"] = str(refused)
            return render(request, "payments/pay.html", context, status=409)
        return redirect(gateways.gateway().redirect_url(payment.token))
    return render(request, "payments/pay.html", context)


@csrf_exempt  # the gateway posts here from its own site; every field is checked and verified
@require_http_methods(["GET", "POST"])
def callback(request):
    """Where the gateway sends the citizen back: verified with the gateway, never trusted."""
    params = request.POST if request.method == "POST" else request.GET
    payment = services.take_callback(params)
    if payment is None:
        return render(request, "payments/unknown.html", status=400)
    payment.refresh_from_db()
    if payment.status == PaymentStatus.PAID:
        return redirect("payment_receipt", order_id=payment.order_id)
    if payment.status == PaymentStatus.DECLINED:
        messages.error(
            request, _("The payment was declined; nothing was charged. You can try again.")
        )
    elif payment.status == PaymentStatus.FAILED:
        messages.error(request, _("The payment could not be verified. You can try again."))
    else:
        messages.warning(
            request,
            _("The gateway has not confirmed the payment yet. We ask it again in a few minutes."),
        )
    return redirect("payment_pay", code=payment.request.tracking_code)


def receipt(request, order_id):
    """A paid payment's receipt: the fee lines, the total, the reference and the date."""
    payment = selectors.payment_by_order(order_id)
    if payment is None or payment.status != PaymentStatus.PAID:
        raise Http404
    return render(request, "payments/receipt.html", {"payment": payment, "found": payment.request})


def _sandbox_only():
    if settings.PAYMENT_GATEWAY != "payments.gateways.SandboxGateway":
        raise Http404


@require_http_methods(["GET", "POST"])
def sandbox(request, token):
    """The sandbox gateway's page: the amount, and approve or decline."""
    _sandbox_only()
    found = SandboxTransaction.objects.filter(token=token[:64]).first()
    if found is None:
        raise Http404
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in ("approve", "decline"):
            return render(
                request,
                "payments/sandbox.html",
                {"transaction": found, "error": _("Choose approve or decline.")},
                status=400,
            )
        found = gateways.SandboxGateway.decide(token, approve=decision == "approve")
        query = {
            "token": found.token,
            "order_id": found.order_id,
            "amount": str(found.amount_rials),
            "status": "OK" if decision == "approve" else "NOK",
        }
        from urllib.parse import urlencode

        return redirect(f"{found.callback_url}?{urlencode(query)}")
    return render(request, "payments/sandbox.html", {"transaction": found})


def tracking_panel(http_request, found, *, owner: bool) -> str:
    """On the tracking page, once ownership is proved: the fees owed and the pay button,
    or the payment's receipt."""
    if not owner:
        return ""
    fees = _fees(found)
    if not fees["lines"]:
        return ""
    return render_to_string(
        "payments/tracking_panel.html", {"found": found, **fees}, request=http_request
    )


def staff_panel(http_request, found) -> str:
    """On the staff's request page: the fees, whether paid, and "paid at the desk"."""
    fees = _fees(found)
    if not fees["lines"]:
        return ""
    return render_to_string(
        "payments/staff_panel.html", {"found": found, **fees}, request=http_request
    )


@require_POST
def desk_paid(request, code):
    """The agency's clerk records that the fees were paid at the desk (audit-logged)."""
    agency = check_agency(request, HANDLE_REQUESTS)
    found = request_of(agency, code)
    if found is None:
        raise Http404
    try:
        payment = services.mark_paid_at_desk(found, actor=request.user.get_username())
    except services.PaymentRefused as refused:
        messages.error(request, str(refused))
    else:
        log(
            instance=found,
            action="panjereh.request.fees_paid",
            user=request.user,
            data={
                "tracking_code": found.tracking_code,
                "order_id": payment.order_id,
                "amount_rials": payment.amount_rials,
            },
        )
        messages.success(request, _("The fees are recorded as paid at the desk."))
    return redirect(reverse("request_inbox_detail", kwargs={"code": found.tracking_code}))
