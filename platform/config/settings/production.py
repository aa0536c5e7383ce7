"""What we ship: no debug, a real secret, compressed static files.

The portal refuses to start without a real SECRET_KEY and TRACKING_KEY. Behind TLS termination
set HTTPS=true (the default) so cookies are secure and HSTS is sent.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)


def _strong_secret(name: str) -> str:
    """The variable's value, if it is a random value of at least 50 characters."""
    value = env_str(name, "")
    if len(value) < 50 or value.startswith("django-insecure") or len(set(value)) < 5:
        raise ImproperlyConfigured(
            f"{name} must be set to a random value of at least 50 characters in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    return value


SECRET_KEY = _strong_secret("SECRET_KEY")

# --- Tracking codes: their own key, never derived from SECRET_KEY -------------------------
# Rotating SECRET_KEY must not change how tracking codes are made; see
# service_requests.tracking. Same strength rule as SECRET_KEY.
TRACKING_KEY = _strong_secret("TRACKING_KEY")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

HTTPS = env_bool("HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

# --- HTTPS only: redirect plain http, HSTS for the portal and every agency sub-domain ------
# With HTTPS=true (the default) plain http is redirected (the proxy must send
# X-Forwarded-Proto) and browsers are told, for a year, to use HTTPS for BASE_DOMAIN and
# all its sub-domains: the agencies live there. HSTS_PRELOAD=false leaves out "preload"
# (the directive only allows submitting the domain to the browsers' preload lists).
# `make run` sets HTTPS=false: plain http on localhost, no redirect, no HSTS.
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = env_list("SECURE_REDIRECT_EXEMPT")  # path regexes, e.g. ^healthz$
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Database connections: kept open between requests --------------------------------------
# A new PostgreSQL connection per request cost more CPU than the search it served (a
# backend process started and its catalogue caches filled each time: measured with
# bench/search.py). Each server thread keeps its own for DATABASE_CONN_MAX_AGE seconds,
# checked before reuse, so a restarted database costs one failed check, not an error.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 300)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
