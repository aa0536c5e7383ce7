"""Panels that apps above this one add to the citizen's tracking page.

service_requests imports nothing of theirs: an app (the satisfaction survey, ...)
registers a function in its ``AppConfig.ready``; the tracking page calls each with
the HTTP request, the request being tracked and whether its owner proved ownership,
and shows the HTML each returns (empty for nothing).
"""

_PANELS: dict[str, object] = {}


def register(panel):
    """Add ``panel(http_request, found, *, owner) -> str`` to the tracking page (once)."""
    _PANELS[f"{panel.__module__}.{panel.__qualname__}"] = panel
    return panel


def render_panels(http_request, found, *, owner: bool) -> list[str]:
    return [html for panel in _PANELS.values() if (html := panel(http_request, found, owner=owner))]


# Panels of the request's staff page (the agency's admin): ``panel(http_request, found) -> str``.
_STAFF_PANELS: dict[str, object] = {}


def register_staff(panel):
    """Add ``panel(http_request, found) -> str`` to the staff's request page (once)."""
    _STAFF_PANELS[f"{panel.__module__}.{panel.__qualname__}"] = panel
    return panel


def render_staff_panels(http_request, found) -> list[str]:
    return [html for panel in _STAFF_PANELS.values() if (html := panel(http_request, found))]
