"""Which screens answer where, and to whom: one guard for every view, viewset, hook and API.

Screens over public-schema tables (the agency registry, holidays, synonyms, the SMS
outbox) answer only on the national portal's host and only to national roles; on an
agency's host they do not exist (404). Agency screens answer only on the agency's own
host. Menu items ask the same questions, so what a
person sees and what answers them never differ.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .constants import NationalRole
from .schemas import on_public_schema


def has_national_role(user, roles=tuple(NationalRole)) -> bool:
    """Is ``user`` (a user of the public schema) one of ``roles``? Operators always are."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # Asked by every national menu item and view of a request: one query per request.
    held = getattr(user, "_panjereh_group_names", None)
    if held is None:
        held = user._panjereh_group_names = frozenset(user.groups.values_list("name", flat=True))
    return any(str(role) in held for role in roles)


def national_screen_allowed(request, roles=(NationalRole.ADMINISTRATOR,)) -> bool:
    return on_public_schema() and has_national_role(request.user, roles)


def check_national(request, roles=(NationalRole.ADMINISTRATOR,)) -> None:
    """404 off the public schema; 403 for anyone without one of ``roles``."""
    if not on_public_schema():
        raise Http404
    if not has_national_role(request.user, roles):
        raise PermissionDenied


def national_only(view=None, *, roles=(NationalRole.ADMINISTRATOR,)):
    """Decorate a view that only national ``roles`` may reach, on the public schema only."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            check_national(request, roles)
            return view(request, *args, **kwargs)

        return guarded

    return decorate(view) if view is not None else decorate


def check_agency(request, permission: str | None = None):
    """The agency whose host this is (404 on the national portal); 403 without ``permission``."""
    if on_public_schema():
        raise Http404
    user = request.user
    if permission is not None and not (user.is_active and user.has_perm(permission)):
        raise PermissionDenied
    return request.tenant


def agency_only(view=None, *, permission: str | None = None):
    """Decorate a view that answers only on an agency's host (and only with ``permission``)."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            check_agency(request, permission)
            return view(request, *args, **kwargs)

        return guarded

    return decorate(view) if view is not None else decorate


def agency_screen_allowed(request, permission: str | None = None) -> bool:
    user = request.user
    return not on_public_schema() and (
        permission is None or (user.is_active and user.has_perm(permission))
    )
