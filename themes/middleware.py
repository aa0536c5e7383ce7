"""The admin speaks the platform's language (Persian) unless its user chose another.

Django's LocaleMiddleware follows the browser's Accept-Language, so an editor whose
browser is set to English would get an English admin. Under the admin's paths
(``ADMIN_CSP_PATH_PREFIXES``) this
middleware puts LANGUAGE_CODE in its place; a language the editor picks in their
account (Wagtail's ``preferred_language``) still wins, as Wagtail applies it per view.
"""

from django.conf import settings
from django.utils import translation


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_admin = request.path_info.startswith(tuple(settings.ADMIN_CSP_PATH_PREFIXES))
        if in_admin and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
