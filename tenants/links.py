"""Absolute links to the national portal and agencies' sites: in pages, and in texts that
leave the site (SMS, QR codes, invitations)."""

from django.conf import settings


def url_on(host: str, path: str = "/") -> str:
    """``path`` (starting with /) on ``host``, with the public scheme and port."""
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{host}{port}{path}"


def portal_url(path: str = "/") -> str:
    """``path`` on the national portal."""
    return url_on(settings.BASE_DOMAIN, path)
