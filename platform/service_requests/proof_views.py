"""The two steps of proving ownership with a one-time code, for whatever a citizen follows
by its code (a request here, a complaint in ``complaints``): ask for the code to be texted
to the mobile on it, then type it. What is looked up, shown and remembered is the caller's.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from persian.dates import fa_digits
from tenants.clients import client_address

from . import ownership


@dataclass(frozen=True)
class OwnershipProof:
    # (request, typed, context) → the thing, or None with the reason (and status) in context
    lookup: Callable
    # (request, context, status) → the tracking page
    render: Callable
    # the thing → its tracking page's URL
    page_url: Callable
    # (request, the thing) → remembered as owned in the session
    remember: Callable
    # (the thing, client=…) → texts a code, or raises ownership.CodeRefused
    send: Callable = ownership.send_ownership_code
    # (the thing, typed, client=…) → ownership.Outcome
    confirm: Callable = ownership.confirm_ownership_code

    def track(self, request):
        """The tracking page: what the typed code (``?code=``) finds, or why nothing."""
        typed = request.GET.get("code", "").strip()[:40]
        context = {"typed": typed}
        if typed:
            context["found"] = self.lookup(request, typed, context)
        return self.render(request, context, status=context.pop("status", 200))

    def _found(self, request):
        typed = request.POST.get("code", "").strip()[:40]
        context = {"typed": typed}
        return self.lookup(request, typed, context), context

    def send_code(self, request):
        found, context = self._found(request)
        if found is None:
            return self.render(request, context, status=context.pop("status", 400))
        try:
            self.send(found, client=client_address(request))
        except ownership.CodeRefused as refused:
            context["found"] = found
            context["send_error"] = str(refused)
            return self.render(request, context, status=429 if refused.limited else 400)
        messages.success(
            request,
            _("A 6-digit code was sent to %(mobile)s. Enter it below within %(minutes)s minutes.")
            % {
                "mobile": ownership.masked_mobile(found.mobile),
                "minutes": fa_digits(max(1, settings.OWNERSHIP_CODE_TTL_SECONDS // 60)),
            },
        )
        return redirect(self.page_url(found) + "#proof-heading")

    def prove(self, request):
        found, context = self._found(request)
        if found is None:
            return self.render(request, context, status=context.pop("status", 400))
        outcome = self.confirm(found, request.POST.get("otp", ""), client=client_address(request))
        if not outcome.ok:
            context["found"] = found
            context["proof_error"] = outcome.error
            return self.render(request, context, status=429 if outcome.limited else 400)
        request.session.cycle_key()
        self.remember(request, found)
        return redirect(self.page_url(found))
