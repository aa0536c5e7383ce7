"""Content Security Policy: strict on every public page, relaxed for the Wagtail admin.

Public pages (the national portal and every agency site) carry
``CONTENT_SECURITY_POLICY``: scripts, styles, images, fonts and requests from the
page's own host only, no inline script or style, no plugins, never framed. The
Wagtail admin uses inline scripts and styles, so paths under
``ADMIN_CSP_PATH_PREFIXES`` get ``CONTENT_SECURITY_POLICY_ADMIN`` instead. A view
may still set its own policy with django-csp's decorators (``@csp``, ``@csp_update``).
Wagtail's previews (the public page rendered inside the admin) keep the public
policy, framed by the admin only.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts  # a view chose its own policy
        if request.path_info.startswith(tuple(settings.ADMIN_CSP_PATH_PREFIXES)):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        elif getattr(request, "is_dummy", False):
            # Wagtail's preview renders the public page through the middleware inside the
            # admin: the public policy, so editors see what it blocks, but framed by the admin.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
