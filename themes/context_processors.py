from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

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


def admin_branding(request):
    """The admin's name: «پنجرهٔ <agency>» on an agency's host, the national one on the portal.

    Wagtail's WAGTAIL_SITE_NAME is one for every host; the admin templates of
    ``themes/templates/wagtailadmin`` (title, login, dashboard) show this instead.
    """
    tenant = getattr(request, "tenant", None)
    if tenant is None or is_public(tenant):
        return {"admin_site_name": _("Panjereh — national administration")}
    return {"admin_site_name": _("Panjereh of %(agency)s") % {"agency": tenant.name}}
