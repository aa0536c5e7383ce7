"""Absolute links to the national portal, for texts that leave the site (SMS, QR codes)."""

from django.conf import settings


def portal_url(path: str) -> str:
    """``path`` (starting with /) on the national portal, with scheme, host and port."""
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{settings.BASE_DOMAIN}{port}{path}"
