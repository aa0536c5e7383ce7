from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from tenants.links import portal_url
from tenants.schemas import is_public


def portal(request):
    """Where the national portal is, and which agency (if any) this page belongs to."""
    tenant = getattr(request, "tenant", None)
    agency = None if is_public(tenant) else tenant
    current = translation.get_language()
    other_languages = [
        {"code": code, "name": name, "url": translate_url(request.get_full_path(), code)}
        for code, name in settings.LANGUAGES
        if code != current
    ]
    return {
        "portal_url": portal_url(),
        "current_agency": agency,
        "other_languages": other_languages,
    }
