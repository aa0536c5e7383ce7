"""Checks that apps above this one make before a request is accepted.

service_requests imports nothing of theirs: an app (payments, ...) registers a function in
its ``AppConfig.ready``; ``services.change_status`` calls each, with the request, before it
becomes accepted, and refuses with the first non-empty reason one returns.
"""

_CHECKS: dict[str, object] = {}


def register(check):
    """Add ``check(request) -> str`` (a reason to refuse, empty for none) (once)."""
    _CHECKS[f"{check.__module__}.{check.__qualname__}"] = check
    return check


def refusal(request) -> str:
    """The first reason a registered check gives not to accept ``request``, or ""."""
    for check in _CHECKS.values():
        if reason := check(request):
            return reason
    return ""
