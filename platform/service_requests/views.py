"""Tracking a request by its code on the national portal: the public status only."""

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import tracking
from .selectors import find_by_code, proves_ownership

LOOKUPS_PER_WINDOW = 30
WINDOW_SECONDS = 600


def _too_many_lookups(request) -> bool:
    client = request.META.get("REMOTE_ADDR", "unknown")
    key = f"track-lookups:{client}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key) > LOOKUPS_PER_WINDOW
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return False


@require_GET
def track(request):
    typed = request.GET.get("code", "").strip()[:40]
    context = {"typed": typed}
    if typed:
        if _too_many_lookups(request):
            context["error"] = _(
                "Too many look-ups from your connection; try again in a few minutes."
            )
            return render(request, "service_requests/track.html", context, status=429)
        code = tracking.normalise(typed)
        if not tracking.is_well_formed(code):
            context["error"] = _(
                "This is not a valid tracking code: it has 13 digits and the last one checks the others. Check for a mistyped digit."
            )
        else:
            found = find_by_code(code)
            if found is None:
                context["error"] = _("No request has this tracking code.")
            else:
                context["found"] = found
                context["code_display"] = tracking.display(found.tracking_code)
                proof = request.GET.get("proof", "").strip()[:20]
                if proof:
                    if proves_ownership(found, proof):
                        context["owner"] = True
                        context["documents"] = found.documents.all()
                    else:
                        context["proof_error"] = _(
                            "The national code or mobile number does not match this request."
                        )
    return render(request, "service_requests/track.html", context)
