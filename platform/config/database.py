"""Where the database is: the server named by DATABASE_URL, or the embedded one.

The settings only *describe* the database; importing them starts nothing. With no
DATABASE_URL, ``embedded_settings`` points Django at the embedded PostgreSQL under
``var/pg`` (its socket directory and port are fixed beforehand); the entry points start
it with ``tenants.embedded_server.ensure_embedded_server``.
"""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from tenants.embedded_server import EMBEDDED_PORT, embedded_socket_dir

ENGINE = "tenants.postgresql_backend"
EMBEDDED_DATABASE_NAME = "panjereh"


def database_from_url(url: str) -> dict:
    """Translate ``postgres://user:pass@host:port/name?sslmode=...`` into Django's form."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL (PostgreSQL only), not {parts.scheme!r}."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database: postgres://…/NAME")
    options = dict(parse_qsl(parts.query))
    # A host may also be given as ?host=/path/to/socket/dir, as libpq allows.
    host = options.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": ENGINE,
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def embedded_settings(var_dir: Path, name: str = EMBEDDED_DATABASE_NAME) -> dict:
    """Django's description of database ``name`` on the embedded server (starts nothing)."""
    return {
        "ENGINE": ENGINE,
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(embedded_socket_dir(var_dir)),
        "PORT": str(EMBEDDED_PORT),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
