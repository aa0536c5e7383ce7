"""Content Security Policy: strict on every public page, relaxed for the Wagtail admin.

Public pages (the national portal and every agency site) carry
``CONTENT_SECURITY_POLICY``: scripts, styles, images, fonts and requests from the
page's own host only, no inline script or style, no plugins, never framed. The
Wagtail admin uses inline scripts and styles, so paths under
``ADMIN_CSP_PATH_PREFIXES`` get ``CONTENT_SECURITY_POLICY_ADMIN`` instead. A view
may still set its own policy with django-csp's decorators (``@csp``, ``@csp_update``).
Wagtail's previews (the public page rendered inside the admin) keep the public
policy, framed by the admin only.

An ordinary response (no policy of its view's own, no nonce asked for, no header
set yet) gets the headers django-csp built for the first such response of its kind
(public page, admin, preview), not built again: building them cost a search a
twentieth of its Python (measured in instructions).
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings

# What a view's decorators (``@csp``, ``@csp_update``, ``@csp_replace``, ``@csp_exempt``)
# leave on its response: such a response's policy is built for it.
_VIEWS_OWN = tuple(
    f"_csp_{what}{ro}" for what in ("config", "update", "replace", "exempt") for ro in ("", "_ro")
)
_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        # {kind of page: (header, report-only header)}, as django-csp set them (None: not).
        self._built: dict[tuple, tuple] = {}

    def process_response(self, request, response):
        if not self._ordinary(request, response):
            return super().process_response(request, response)
        kind = (
            self._in_admin(request),
            bool(getattr(request, "is_dummy", False)),
            # The policies as they are now (tests override them).
            *(
                id(getattr(settings, name, None))
                for name in (*_SETTINGS, "CONTENT_SECURITY_POLICY_ADMIN")
            ),
        )
        built = self._built.get(kind)
        if built is None:
            response = super().process_response(request, response)
            self._built[kind] = (response.get(HEADER), response.get(HEADER_REPORT_ONLY))
            return response
        for header, value in zip((HEADER, HEADER_REPORT_ONLY), built, strict=True):
            if value is not None:
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _ordinary(request, response) -> bool:
        """Whether django-csp would give ``response`` the headers of every response of its
        kind: no view's own policy, no nonce, neither header set, no debug page exempted,
        no path excluded."""
        return not (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _VIEWS_OWN)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or (settings.DEBUG and response.status_code in (404, 500))
            or any(
                (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
                for name in _SETTINGS
            )
        )

    @staticmethod
    def _in_admin(request) -> bool:
        return request.path_info.startswith(tuple(settings.ADMIN_CSP_PATH_PREFIXES))

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts  # a view chose its own policy
        if self._in_admin(request):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        elif getattr(request, "is_dummy", False):
            # Wagtail's preview renders the public page through the middleware inside the
            # admin: the public policy, so editors see what it blocks, but framed by the admin.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
